output "id" {
  description = "Repository id (projects/P/locations/L/repositories/R)."
  value       = google_artifact_registry_repository.this.id
}

output "name" {
  description = "Repository name."
  value       = google_artifact_registry_repository.this.name
}

output "url" {
  description = "Docker registry path for image names: LOCATION-docker.pkg.dev/PROJECT/REPOSITORY."
  value       = "${google_artifact_registry_repository.this.location}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.this.repository_id}"
}
