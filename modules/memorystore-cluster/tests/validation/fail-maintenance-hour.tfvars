# expect: maintenance_window.start_hour must be an integer hour 0-23.
maintenance_window = { start_hour = 24 }
