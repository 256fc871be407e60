include "root" {
  path   = find_in_parent_folders("terragrunt.hcl")
  expose = true
}

terraform {
  source = "${get_repo_root()}/modules/monitoring"
}

dependency "gke" {
  config_path = "../gke"
  mock_outputs = {
    name = "mock-cluster"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

dependency "memorystore" {
  config_path = "../memorystore"
  mock_outputs = {
    name = "mock-redis"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

inputs = {
  gke_cluster_name = dependency.gke.outputs.name

  # Public host of the API (helmfile.d/values/kv-api/production.yaml ingress.host).
  uptime_check = {
    host    = "kv.example.com"
    regions = ["EUROPE", "USA_VIRGINIA", "ASIA_PACIFIC"]
  }

  # Channel ids are not secret but belong to the on-call tooling (PagerDuty/Slack
  # integrations are created by hand with their tokens): GitLab CI variables hold them,
  # comma-separated. A missing variable stops the plan instead of paging nobody.
  notification_channels = {
    page   = split(",", get_env("KV_API_PAGE_CHANNELS"))
    ticket = compact(split(",", get_env("KV_API_TICKET_CHANNELS", "")))
  }

  redis = {
    cluster_id = dependency.memorystore.outputs.name
  }

  # The namespace the identity unit binds the workload in: one source for both.
  workload = {
    namespace = include.root.locals.env.workload_namespace
  }

  runbook_base_url = "https://gitlab.com/${include.root.locals.env.gitlab_project_path}/-/blob/main/docs/runbooks/"
}
