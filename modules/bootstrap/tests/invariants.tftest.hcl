# Production invariants of the planned resources (mock_provider: nothing is created).

mock_provider "google" {}

variables {
  project_id = "kv-api-prod"
  state      = { project_id = "kv-api-tfstate", bucket = "kv-api-tfstate-prod" }
}

run "state_bucket" {
  command = plan

  assert {
    condition     = google_storage_bucket.state.versioning[0].enabled && google_storage_bucket.state.force_destroy == false
    error_message = "State is versioned and the bucket is never force-destroyed."
  }
  assert {
    condition     = google_storage_bucket.state.uniform_bucket_level_access && google_storage_bucket.state.public_access_prevention == "enforced"
    error_message = "No ACLs, no public access."
  }
  assert {
    condition     = google_storage_bucket.state.project == "kv-api-tfstate" && google_storage_bucket.state.location == "EU"
    error_message = "The bucket lives in the state project."
  }
  assert {
    condition     = one(google_storage_bucket.state.lifecycle_rule[0].condition).num_newer_versions == 10 && one(google_storage_bucket.state.lifecycle_rule[0].condition).with_state == "ARCHIVED"
    error_message = "Only old versions beyond the 10 newest are deleted."
  }
}

run "apis" {
  command = plan

  assert {
    condition     = alltrue([for a in ["secretmanager.googleapis.com", "container.googleapis.com", "redis.googleapis.com", "dns.googleapis.com", "sts.googleapis.com"] : contains(output.services, a)])
    error_message = "The APIs of every unit are enabled by the bootstrap."
  }
}
