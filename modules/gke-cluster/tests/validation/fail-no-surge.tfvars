# expect: upgrade_settings: max_surge and max_unavailable must be >= 0 and not both 0.
node_pools = {
  kv-api = {
    autoscaling      = { total_min_node_count = 3, total_max_node_count = 30 }
    upgrade_settings = { max_surge = 0, max_unavailable = 0 }
  }
}
