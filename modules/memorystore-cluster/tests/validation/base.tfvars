project_id = "kv-api-prod"
region     = "europe-west1"
name       = "kv-api-prod"
network    = "projects/kv-api-prod/global/networks/kv-api"
