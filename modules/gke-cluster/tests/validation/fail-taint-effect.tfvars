# expect: Taint effect must be NO_SCHEDULE, PREFER_NO_SCHEDULE or NO_EXECUTE.
node_pools = {
  kv-api = {
    autoscaling = { total_min_node_count = 3, total_max_node_count = 30 }
    taints      = [{ key = "a", value = "b", effect = "NoSchedule" }]
  }
}
