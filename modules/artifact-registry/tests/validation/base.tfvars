project_id = "kv-api-prod"
location   = "europe-west1"
name       = "kv-api"
readers    = ["serviceAccount:kv-api-prod-nodes@kv-api-prod.iam.gserviceaccount.com"]
writers    = ["serviceAccount:gitlab-ci@kv-api-prod.iam.gserviceaccount.com"]
