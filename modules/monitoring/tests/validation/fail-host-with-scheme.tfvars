# expect: uptime_check.host must be a bare host name
uptime_check = { host = "https://kv.example.com" }
