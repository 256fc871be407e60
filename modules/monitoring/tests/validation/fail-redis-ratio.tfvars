# expect: redis utilization thresholds must be ratios strictly between 0 and 1.
redis = { cluster_id = "kv-api-prod", memory_utilization_ratio = 80 }
