# expect: uptime_check.regions must be among USA, EUROPE
uptime_check = { host = "kv.example.com", regions = ["EUROPE", "USA_OREGON", "MARS"] }
