project_id = "kv-api-prod"
