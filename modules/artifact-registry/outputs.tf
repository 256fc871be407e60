locals {
  urls = { for k, r in google_artifact_registry_repository.this : k => "${r.location}-docker.pkg.dev/${var.project_id}/${r.repository_id}" }
}

output "id" {
  description = "Release repository id (projects/P/locations/L/repositories/R)."
  value       = google_artifact_registry_repository.this["release"].id
}

output "name" {
  description = "Release repository name."
  value       = google_artifact_registry_repository.this["release"].name
}

output "url" {
  description = "Docker registry path of the release repository for image names: LOCATION-docker.pkg.dev/PROJECT/REPOSITORY."
  value       = local.urls["release"]
}

output "cache_repository_url" {
  description = "Docker registry path of the mutable build-cache repository (BuildKit --export-cache ref); null without cache_repository."
  value       = lookup(local.urls, "cache", null)
}
