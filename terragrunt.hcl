# Root configuration, included by every unit under live/ (find_in_parent_folders("terragrunt.hcl")).
# Current Terragrunt calls this file root.hcl and warns about the old name; the design keeps
# terragrunt.hcl (docs/terraform.md, "Terragrunt versions").

locals {
  env    = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  region = read_terragrunt_config(find_in_parent_folders("region.hcl")).locals

  project_id = local.env.project_id
  labels = merge(local.env.labels, {
    region = local.region.region
  })
}

terraform_version_constraint  = ">= 1.9"
terragrunt_version_constraint = ">= 0.67"

# One state object per unit, keyed by its path under live/. The bucket is created by
# live/bootstrap/bootstrap.sh (modules/bootstrap), the one step before the first run.
remote_state {
  backend = "gcs"
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
  config = {
    project              = local.env.state_project_id
    location             = local.env.state_location
    bucket               = local.env.state_bucket
    prefix               = path_relative_to_include()
    skip_bucket_creation = true
  }
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<-EOT
    provider "google" {
      project        = "${local.project_id}"
      region         = "${local.region.region}"
      default_labels = ${jsonencode(local.labels)}
    }
  EOT
}

inputs = {
  project_id = local.project_id
  region     = local.region.region
  labels     = local.labels
}
