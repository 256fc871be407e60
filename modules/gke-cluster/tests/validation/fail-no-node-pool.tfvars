# expect: At least one node pool is needed
node_pools = {}
