# Production invariants of the planned and applied resources (mock_provider: nothing is created).

mock_provider "google" {
  override_data {
    target = data.google_project.this
    values = {
      number = "123456789012"
    }
  }
}

variables {
  project_id = "kv-api-prod"
  secrets = {
    kv-api-api-keys        = { member = "serviceAccount:kv-api@kv-api-prod.iam.gserviceaccount.com" }
    grafana-admin-password = { kubernetes_service_account = { namespace = "monitoring", name = "kube-prometheus-stack-grafana" } }
  }
}

run "containers_only" {
  command = apply

  assert {
    condition     = keys(google_secret_manager_secret.this) == ["grafana-admin-password", "kv-api-api-keys"]
    error_message = "One container per secret id."
  }
  assert {
    condition     = alltrue([for s in google_secret_manager_secret.this : s.deletion_protection && length(s.replication[0].auto) == 1])
    error_message = "Deletion protection and automatic replication by default."
  }
  assert {
    condition     = output.secret_ids["kv-api-api-keys"] == google_secret_manager_secret.this["kv-api-api-keys"].id
    error_message = "secret_ids maps names to full ids."
  }
}

run "one_accessor_per_secret" {
  command = apply

  assert {
    condition     = length(google_secret_manager_secret_iam_member.accessor) == 2 && alltrue([for m in google_secret_manager_secret_iam_member.accessor : m.role == "roles/secretmanager.secretAccessor"])
    error_message = "Exactly one accessor grant per secret, and only secretAccessor."
  }
  assert {
    condition     = google_secret_manager_secret_iam_member.accessor["kv-api-api-keys"].member == "serviceAccount:kv-api@kv-api-prod.iam.gserviceaccount.com"
    error_message = "The API keys are read by the workload GSA."
  }
  assert {
    condition     = google_secret_manager_secret_iam_member.accessor["grafana-admin-password"].member == "principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/kv-api-prod.svc.id.goog/subject/ns/monitoring/sa/kube-prometheus-stack-grafana"
    error_message = "Grafana's KSA is a Workload Identity Federation principal of the project number: ${google_secret_manager_secret_iam_member.accessor["grafana-admin-password"].member}"
  }
  assert {
    condition     = google_secret_manager_secret_iam_member.accessor["grafana-admin-password"].secret_id == google_secret_manager_secret.this["grafana-admin-password"].secret_id
    error_message = "Granted on the secret itself, not the project."
  }
}

run "regional_cmek" {
  command = plan

  variables {
    replication = { locations = ["europe-west1"], kms_key_name = "projects/kms-p/locations/europe-west1/keyRings/sm/cryptoKeys/secrets" }
  }

  assert {
    condition = alltrue([for s in google_secret_manager_secret.this :
      length(s.replication[0].auto) == 0 && s.replication[0].user_managed[0].replicas[0].location == "europe-west1" &&
    s.replication[0].user_managed[0].replicas[0].customer_managed_encryption[0].kms_key_name == "projects/kms-p/locations/europe-west1/keyRings/sm/cryptoKeys/secrets"])
    error_message = "User-managed replication in europe-west1 with the given key."
  }
}
