include "root" {
  path   = find_in_parent_folders("terragrunt.hcl")
  expose = true
}

terraform {
  source = "${get_repo_root()}/modules/artifact-registry"
}

dependency "gke" {
  config_path = "../gke"
  mock_outputs = {
    node_service_account_member = "serviceAccount:mock-nodes@mock-project.iam.gserviceaccount.com"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

dependency "identity" {
  config_path = "../identity"
  mock_outputs = {
    ci_service_account_member = "serviceAccount:mock-ci@mock-project.iam.gserviceaccount.com"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

inputs = {
  name     = "kv-api"
  location = include.root.locals.region.region
  readers  = [dependency.gke.outputs.node_service_account_member]
  writers  = [dependency.identity.outputs.ci_service_account_member]
  # :buildcache is re-pushed by every main build: it lives apart from the immutable releases.
  cache_repository = {
    name = "kv-api-cache"
  }
  cleanup = {
    dry_run     = false
    keep_recent = 30
  }
}
