project_id    = "kv-api-prod"
workload_pool = "kv-api-prod.svc.id.goog"
gitlab        = { project_path = "platform/kv-api" }
