include "root" {
  path   = find_in_parent_folders("terragrunt.hcl")
  expose = true
}

terraform {
  source = "${get_repo_root()}/modules/identity"
}

# PROJECT.svc.id.goog exists only once a cluster with Workload Identity does.
dependency "gke" {
  config_path = "../gke"
  mock_outputs = {
    workload_pool = "mock-project.svc.id.goog"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

inputs = {
  workload_pool = dependency.gke.outputs.workload_pool
  gitlab = {
    project_id   = include.root.locals.env.gitlab_project_id
    project_path = include.root.locals.env.gitlab_project_path
  }
  workload = {
    namespace       = include.root.locals.env.workload_namespace
    service_account = include.root.locals.env.workload_service_account
  }
}
