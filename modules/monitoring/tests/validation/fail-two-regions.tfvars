# expect: uptime_check.regions must name at least 3 distinct regions
uptime_check = { host = "kv.example.com", regions = ["EUROPE", "USA_OREGON"] }
