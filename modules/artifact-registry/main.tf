locals {
  # The release repository keeps every tag on one digest; the cache repository takes the
  # build cache that every build re-pushes under the same tag.
  repositories = merge(
    {
      release = {
        name           = var.name
        description    = var.description
        immutable_tags = var.immutable_tags
        cleanup        = var.cleanup
      }
    },
    var.cache_repository == null ? {} : {
      cache = {
        name           = var.cache_repository.name
        description    = "Build cache of ${var.name}: mutable tags, re-pushed by every build."
        immutable_tags = false
        cleanup = {
          dry_run                    = var.cleanup.dry_run
          keep_recent                = var.cache_repository.keep_recent
          delete_untagged_older_than = var.cache_repository.delete_older_than
          delete_tagged_older_than   = var.cache_repository.delete_older_than
        }
      }
    },
  )
}

moved {
  from = google_artifact_registry_repository.this
  to   = google_artifact_registry_repository.this["release"]
}

resource "google_artifact_registry_repository" "this" {
  for_each               = local.repositories
  project                = var.project_id
  location               = var.location
  repository_id          = each.value.name
  description            = each.value.description
  format                 = "DOCKER"
  mode                   = "STANDARD_REPOSITORY"
  labels                 = var.labels
  kms_key_name           = var.kms_key_name
  cleanup_policy_dry_run = each.value.cleanup.dry_run

  docker_config {
    immutable_tags = each.value.immutable_tags
  }

  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = each.value.cleanup.keep_recent
    }
  }

  cleanup_policies {
    id     = "delete-untagged"
    action = "DELETE"
    condition {
      tag_state  = "UNTAGGED"
      older_than = each.value.cleanup.delete_untagged_older_than
    }
  }

  dynamic "cleanup_policies" {
    for_each = each.value.cleanup.delete_tagged_older_than == null ? [] : [each.value.cleanup.delete_tagged_older_than]
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
  # Nodes pull releases only; CI pushes releases and reads and writes the cache.
  iam_members = merge(
    { for m in var.readers : "release reader ${m}" => { repo = "release", role = "roles/artifactregistry.reader", member = m } },
    { for m in var.writers : "release writer ${m}" => { repo = "release", role = "roles/artifactregistry.writer", member = m } },
    var.cache_repository == null ? {} : { for m in var.writers : "cache writer ${m}" => { repo = "cache", role = "roles/artifactregistry.writer", member = m } },
  )
}

resource "google_artifact_registry_repository_iam_member" "this" {
  for_each   = local.iam_members
  project    = var.project_id
  location   = google_artifact_registry_repository.this[each.value.repo].location
  repository = google_artifact_registry_repository.this[each.value.repo].name
  role       = each.value.role
  member     = each.value.member
}
