# expect: workload_pool must look like PROJECT.svc.id.goog.
workload_pool = "kv-api-prod"
