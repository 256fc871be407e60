# expect: Node pool autoscaling needs 0 <= min <= max and max > 0.
node_pools = {
  kv-api = {
    autoscaling = { total_min_node_count = 10, total_max_node_count = 3 }
  }
}
