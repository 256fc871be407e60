# Terraform state of one environment: versioned, private, never world-readable, in its own
# project so that destroying an environment cannot take its history with it.
resource "google_storage_bucket" "state" {
  project                     = var.state.project_id
  name                        = var.state.bucket
  location                    = var.state.location
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = var.labels

  versioning {
    enabled = true
  }

  # Old state versions are the undo of a bad apply: keep the last retained_versions of each.
  lifecycle_rule {
    action {
      type = "Delete"
    }
    condition {
      num_newer_versions = var.state.retained_versions
      with_state         = "ARCHIVED"
    }
  }
}

# The APIs every unit needs, enabled before the first Terragrunt run.
module "services" {
  source     = "../project-services"
  project_id = var.project_id
}
