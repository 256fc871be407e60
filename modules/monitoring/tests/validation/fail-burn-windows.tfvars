# expect: burn_rate_alerts need 60 <= short_window_s < long_window_s and a positive burn_rate.
burn_rate_alerts = { fast = { long_window_s = 300, short_window_s = 3600, burn_rate = 14.4, severity = "page" } }
