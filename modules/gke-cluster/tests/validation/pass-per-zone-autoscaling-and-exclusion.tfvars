node_pools = {
  kv-api = {
    autoscaling = { min_node_count = 1, max_node_count = 10 }
    taints      = [{ key = "dedicated", value = "kv-api", effect = "NO_SCHEDULE" }]
  }
}
maintenance_config = {
  exclusions = [{ name = "peak", start_time = "2025-11-20T00:00:00Z", end_time = "2025-12-02T00:00:00Z" }]
}
access_config = {
  ip_endpoint = { enabled = false }
}
