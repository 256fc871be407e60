# The identity unit of every environment: live/<env>/<region>/identity/terragrunt.hcl includes
# the root and this file; env.hcl and region.hcl of that path hold what differs.
locals {
  env    = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  region = read_terragrunt_config(find_in_parent_folders("region.hcl")).locals
}

terraform {
  source = "${get_repo_root()}/modules/identity"
}

# PROJECT.svc.id.goog exists only once a cluster with Workload Identity does.
dependency "gke" {
  config_path = "${get_terragrunt_dir()}/../gke"
  mock_outputs = {
    workload_pool = "mock-project.svc.id.goog"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

inputs = {
  workload_pool = dependency.gke.outputs.workload_pool
  gitlab = {
    project_id   = local.env.gitlab_project_id
    project_path = local.env.gitlab_project_path
  }
  # Read-only: terragrunt:plan and infra:outputs read the project's resources and IAM
  # policies; nothing in CI writes infrastructure (operators apply).
  ci_service_account = {
    project_roles = ["roles/viewer", "roles/iam.securityReviewer"]
    state_bucket  = local.env.state_bucket
  }
  workload = {
    namespace       = local.env.workload_namespace
    service_account = local.env.workload_service_account
  }
}
