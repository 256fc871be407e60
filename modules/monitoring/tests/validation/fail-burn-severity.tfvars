# expect: burn_rate_alerts severity must be page or ticket.
burn_rate_alerts = { fast = { long_window_s = 3600, short_window_s = 300, burn_rate = 14.4, severity = "CRITICAL" } }
