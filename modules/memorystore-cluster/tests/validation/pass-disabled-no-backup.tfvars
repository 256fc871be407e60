persistence      = { mode = "DISABLED" }
automated_backup = null
