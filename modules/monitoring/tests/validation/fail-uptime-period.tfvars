# expect: uptime_check.period must be 60s, 300s, 600s or 900s.
uptime_check = { host = "kv.example.com", period = "30s" }
