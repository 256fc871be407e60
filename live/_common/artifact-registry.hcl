# The artifact-registry unit of every environment: live/<env>/<region>/artifact-registry/terragrunt.hcl includes
# the root and this file; env.hcl and region.hcl of that path hold what differs.
locals {
  env    = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  region = read_terragrunt_config(find_in_parent_folders("region.hcl")).locals
}

terraform {
  source = "${get_repo_root()}/modules/artifact-registry"
}

dependency "gke" {
  config_path = "${get_terragrunt_dir()}/../gke"
  mock_outputs = {
    node_service_account_member = "serviceAccount:mock-nodes@mock-project.iam.gserviceaccount.com"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

dependency "identity" {
  config_path = "${get_terragrunt_dir()}/../identity"
  mock_outputs = {
    ci_service_account_member = "serviceAccount:mock-ci@mock-project.iam.gserviceaccount.com"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

inputs = {
  name     = "kv-api"
  location = local.region.region
  readers = [
    dependency.gke.outputs.node_service_account_member,
    # Sigstore policy-controller reads signatures and attestations as its own Kubernetes
    # service account (GKE Workload Identity) to admit kv-api pods (docs/adr/0035).
    "serviceAccount:${local.env.project_id}.svc.id.goog[cosign-system/policy-controller]",
  ]
  writers = [dependency.identity.outputs.ci_service_account_member]
  # :buildcache is re-pushed by every main build: it lives apart from the immutable releases.
  cache_repository = {
    name = "kv-api-cache"
  }
  cleanup = {
    dry_run     = false
    keep_recent = 30
  }
}
