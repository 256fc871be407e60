# The monitoring unit of every environment: live/<env>/<region>/monitoring/terragrunt.hcl includes
# the root and this file; env.hcl and region.hcl of that path hold what differs.
locals {
  env    = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  region = read_terragrunt_config(find_in_parent_folders("region.hcl")).locals
}

terraform {
  source = "${get_repo_root()}/modules/monitoring"
}

dependency "gke" {
  config_path = "${get_terragrunt_dir()}/../gke"
  mock_outputs = {
    name = "mock-cluster"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

dependency "memorystore" {
  config_path = "${get_terragrunt_dir()}/../memorystore"
  mock_outputs = {
    name = "mock-redis"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

dependency "edge" {
  config_path = "${get_terragrunt_dir()}/../edge"
  mock_outputs = {
    ingress_hostname = "kv.mock.example.com"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

inputs = {
  gke_cluster_name = dependency.gke.outputs.name

  uptime_check = {
    enabled = local.env.uptime_check_enabled
    host    = dependency.edge.outputs.ingress_hostname
    regions = ["EUROPE", "USA_VIRGINIA", "ASIA_PACIFIC"]
  }

  notification_channels = {
    oncall = { labels = { email_address = local.env.alert_emails.page }, severities = ["page"] }
    team   = { labels = { email_address = local.env.alert_emails.ticket }, severities = ["ticket"] }
  }

  redis = {
    cluster_id = dependency.memorystore.outputs.name
  }

  # The namespace the identity unit binds the workload in: one source for both.
  workload = {
    namespace = local.env.workload_namespace
  }

  runbook_base_url = "https://gitlab.com/${local.env.gitlab_project_path}/-/blob/main/docs/runbooks/"
}
