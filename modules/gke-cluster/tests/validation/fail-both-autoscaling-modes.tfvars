# expect: Each node pool sets either min_node_count and max_node_count, or total_min_node_count and total_max_node_count.
node_pools = {
  kv-api = {
    autoscaling = { min_node_count = 1, max_node_count = 5, total_min_node_count = 3, total_max_node_count = 30 }
  }
}
