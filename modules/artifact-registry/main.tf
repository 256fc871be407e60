resource "google_artifact_registry_repository" "this" {
  project                = var.project_id
  location               = var.location
  repository_id          = var.name
  description            = var.description
  format                 = "DOCKER"
  mode                   = "STANDARD_REPOSITORY"
  labels                 = var.labels
  cleanup_policy_dry_run = var.cleanup.dry_run

  docker_config {
    immutable_tags = var.immutable_tags
  }

  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = var.cleanup.keep_recent
    }
  }

  cleanup_policies {
    id     = "delete-untagged"
    action = "DELETE"
    condition {
      tag_state  = "UNTAGGED"
      older_than = var.cleanup.delete_untagged_older_than
    }
  }

  dynamic "cleanup_policies" {
    for_each = var.cleanup.delete_tagged_older_than == null ? [] : [var.cleanup.delete_tagged_older_than]
    content {
      id     = "delete-old-tagged"
      action = "DELETE"
      condition {
        tag_state  = "TAGGED"
        older_than = cleanup_policies.value
      }
    }
  }
}

locals {
  iam_members = merge(
    { for m in var.readers : "reader ${m}" => { role = "roles/artifactregistry.reader", member = m } },
    { for m in var.writers : "writer ${m}" => { role = "roles/artifactregistry.writer", member = m } },
  )
}

resource "google_artifact_registry_repository_iam_member" "this" {
  for_each   = local.iam_members
  project    = var.project_id
  location   = google_artifact_registry_repository.this.location
  repository = google_artifact_registry_repository.this.name
  role       = each.value.role
  member     = each.value.member
}
