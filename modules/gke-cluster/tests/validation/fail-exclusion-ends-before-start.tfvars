# expect: with end_time after start_time
maintenance_config = {
  exclusions = [{ name = "peak", start_time = "2025-12-02T00:00:00Z", end_time = "2025-11-20T00:00:00Z" }]
}
