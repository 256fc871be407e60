# expect: automated_backup.retention must be a duration in seconds
automated_backup = { retention = "14d" }
