# Settings shared by every unit of the staging environment.
locals {
  environment = "staging"
  project_id  = "kv-api-staging"

  # Terraform state; the bucket lives in its own project and is created by hand first.
  state_project_id = "kv-api-tfstate"
  state_bucket     = "kv-api-tfstate-staging"
  state_location   = "EU"

  labels = {
    app         = "kv-api"
    environment = "staging"
    managed-by  = "terragrunt"
  }

  gitlab_project_path = "platform/kv-api"
  # Numeric id of that GitLab project (Settings > General): the federation trusts it, not the path.
  gitlab_project_id = "48151623"

  # Public host of the API (helmfile.d/values/kv-api/staging.yaml ingress.host) and the
  # Cloud DNS zone the edge unit creates for it (delegated once from example.com).
  ingress_hostname = "kv.staging.example.com"
  dns_zone = {
    name     = "kv-staging-example-com"
    dns_name = "kv.staging.example.com"
  }

  # Cloud Monitoring notification channels (monitoring unit). Staging wakes nobody up:
  # its pages go to the team queue as well.
  alert_emails = {
    page   = "kv-api-team@example.com"
    ticket = "kv-api-team@example.com"
  }

  # The uptime check and its page exist only once the service answers on ingress_hostname:
  # set to true in the change that follows the first deploy.
  uptime_check_enabled = false

  # Kubernetes identity of the service (namespace kv-api, KSA kv-api).
  workload_namespace       = "kv-api"
  workload_service_account = "kv-api"
}
