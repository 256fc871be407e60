# Production invariants of the planned resources (mock_provider: nothing is created).

mock_provider "google" {}

variables {
  project_id = "kv-api-prod"
}

run "apis" {
  command = plan

  assert {
    condition     = alltrue([for s in ["secretmanager.googleapis.com", "dns.googleapis.com", "container.googleapis.com", "redis.googleapis.com", "monitoring.googleapis.com", "sts.googleapis.com"] : contains(keys(google_project_service.this), s)])
    error_message = "Secret Manager, Cloud DNS, GKE, Memorystore, Monitoring and STS are enabled."
  }
  assert {
    condition     = alltrue([for s in google_project_service.this : !s.disable_on_destroy && !s.disable_dependent_services])
    error_message = "A destroy never disables an API that other resources use."
  }
}
