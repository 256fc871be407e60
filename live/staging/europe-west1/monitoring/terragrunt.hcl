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

dependency "edge" {
  config_path = "../edge"
  mock_outputs = {
    ingress_hostname = "kv.mock.example.com"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

inputs = {
  gke_cluster_name = dependency.gke.outputs.name

  uptime_check = {
    enabled = include.root.locals.env.uptime_check_enabled
    host    = dependency.edge.outputs.ingress_hostname
    regions = ["EUROPE", "USA_VIRGINIA", "ASIA_PACIFIC"]
  }

  notification_channels = {
    oncall = { labels = { email_address = include.root.locals.env.alert_emails.page }, severities = ["page"] }
    team   = { labels = { email_address = include.root.locals.env.alert_emails.ticket }, severities = ["ticket"] }
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
