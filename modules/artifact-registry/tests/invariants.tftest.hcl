# Production invariants of the planned and applied resources (mock_provider: nothing is created).

mock_provider "google" {}

variables {
  project_id       = "kv-api-prod"
  location         = "europe-west1"
  name             = "kv-api"
  readers          = ["serviceAccount:nodes@kv-api-prod.iam.gserviceaccount.com"]
  writers          = ["serviceAccount:gitlab-ci@kv-api-prod.iam.gserviceaccount.com"]
  cache_repository = { name = "kv-api-cache" }
}

run "release_repository_immutable" {
  command = plan

  assert {
    condition     = google_artifact_registry_repository.this["release"].docker_config[0].immutable_tags == true
    error_message = "Release tags never move."
  }
  assert {
    condition     = google_artifact_registry_repository.this["release"].format == "DOCKER" && google_artifact_registry_repository.this["release"].repository_id == "kv-api"
    error_message = "A Docker repository named kv-api."
  }
  assert {
    condition = (
      one([for p in google_artifact_registry_repository.this["release"].cleanup_policies : p if p.id == "keep-recent"]).most_recent_versions[0].keep_count == 30 &&
      one([for p in google_artifact_registry_repository.this["release"].cleanup_policies : p if p.id == "delete-untagged"]).condition[0].tag_state == "UNTAGGED" &&
      length([for p in google_artifact_registry_repository.this["release"].cleanup_policies : p if p.id == "delete-old-tagged"]) == 0
    )
    error_message = "Releases: keep the 30 newest, delete untagged only; tagged releases are never deleted by default."
  }
  assert {
    condition     = google_artifact_registry_repository.this["release"].kms_key_name == null
    error_message = "No CMEK unless asked for."
  }
}

run "cache_repository_mutable" {
  command = apply

  assert {
    condition     = google_artifact_registry_repository.this["cache"].docker_config[0].immutable_tags == false && google_artifact_registry_repository.this["cache"].repository_id == "kv-api-cache"
    error_message = "The cache repository kv-api-cache takes re-pushed tags."
  }
  assert {
    condition     = one([for p in google_artifact_registry_repository.this["cache"].cleanup_policies : p if p.id == "delete-old-tagged"]).condition[0].older_than == "1209600s"
    error_message = "Cache entries older than 14 days are deleted."
  }
  assert {
    condition     = output.cache_repository_url == "europe-west1-docker.pkg.dev/kv-api-prod/kv-api-cache" && output.url == "europe-west1-docker.pkg.dev/kv-api-prod/kv-api"
    error_message = "Registry paths: ${output.url}, ${coalesce(output.cache_repository_url, "null")}."
  }
  assert {
    condition = toset([for k, m in google_artifact_registry_repository_iam_member.this : "${m.repository} ${m.role} ${m.member}"]) == toset([
      "${google_artifact_registry_repository.this["release"].name} roles/artifactregistry.reader serviceAccount:nodes@kv-api-prod.iam.gserviceaccount.com",
      "${google_artifact_registry_repository.this["release"].name} roles/artifactregistry.writer serviceAccount:gitlab-ci@kv-api-prod.iam.gserviceaccount.com",
      "${google_artifact_registry_repository.this["cache"].name} roles/artifactregistry.writer serviceAccount:gitlab-ci@kv-api-prod.iam.gserviceaccount.com",
    ])
    error_message = "Nodes read releases only; CI writes releases and the cache."
  }
}

run "no_cache_repository" {
  command = plan

  variables {
    cache_repository = null
  }

  assert {
    condition     = keys(google_artifact_registry_repository.this) == ["release"] && output.cache_repository_url == null
    error_message = "Without cache_repository there is only the release repository."
  }
}
