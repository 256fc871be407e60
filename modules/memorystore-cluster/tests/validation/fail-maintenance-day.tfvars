# expect: maintenance_window.day must be a weekday name in capitals
maintenance_window = { day = "Sunday" }
