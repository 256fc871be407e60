# Settings shared by every unit of the prod environment.
locals {
  environment = "prod"
  project_id  = "kv-api-prod"

  # Terraform state; the bucket lives in its own project and is created by hand first.
  state_project_id = "kv-api-tfstate"
  state_bucket     = "kv-api-tfstate-prod"
  state_location   = "EU"

  labels = {
    app         = "kv-api"
    environment = "prod"
    managed-by  = "terragrunt"
  }

  gitlab_project_path = "platform/kv-api"

  # Kubernetes identity of the service (namespace kv-api, KSA kv-api).
  workload_namespace       = "kv-api"
  workload_service_account = "kv-api"
}
