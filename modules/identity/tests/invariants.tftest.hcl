# Production invariants of the planned and applied resources (mock_provider: nothing is created).

mock_provider "google" {}

variables {
  project_id    = "kv-api-prod"
  workload_pool = "kv-api-prod.svc.id.goog"
  gitlab        = { project_id = "48151623", project_path = "platform/kv-api" }
}

run "attribute_condition" {
  command = plan

  assert {
    condition     = google_iam_workload_identity_pool_provider.gitlab.attribute_condition == "assertion.project_id == \"48151623\" && assertion.ref_protected == \"true\" && assertion.pipeline_source in [\"push\",\"web\",\"schedule\"] && ((assertion.ref_type == \"branch\" && assertion.ref in [\"main\"]) || assertion.ref_type == \"tag\")"
    error_message = "Only protected main and tag pipelines of project 48151623, from push, web or schedule: ${google_iam_workload_identity_pool_provider.gitlab.attribute_condition}"
  }
  assert {
    condition     = !strcontains(google_iam_workload_identity_pool_provider.gitlab.attribute_condition, "project_path")
    error_message = "The mutable project path is never trusted."
  }
  assert {
    condition     = google_iam_workload_identity_pool_provider.gitlab.attribute_mapping["attribute.project_id"] == "assertion.project_id"
    error_message = "project_id is mapped for the impersonation grant."
  }
  assert {
    condition     = google_iam_workload_identity_pool_provider.gitlab.oidc[0].issuer_uri == "https://gitlab.com"
    error_message = "gitlab.com issuer."
  }
}

run "branches_only" {
  command = plan

  variables {
    gitlab = { project_id = "48151623", project_path = "platform/kv-api", tags = false, branches = ["main", "release"], protected_refs_only = false }
  }

  assert {
    condition     = google_iam_workload_identity_pool_provider.gitlab.attribute_condition == "assertion.project_id == \"48151623\" && assertion.pipeline_source in [\"push\",\"web\",\"schedule\"] && ((assertion.ref_type == \"branch\" && assertion.ref in [\"main\",\"release\"]))"
    error_message = "Without tags only the listed branches pass: ${google_iam_workload_identity_pool_provider.gitlab.attribute_condition}"
  }
}

run "impersonation" {
  command = apply

  assert {
    condition     = google_service_account_iam_member.impersonation["ci"].member == "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.gitlab.name}/attribute.project_id/48151623" && google_service_account_iam_member.impersonation["ci"].role == "roles/iam.workloadIdentityUser"
    error_message = "CI impersonation by the pool's principals of project id 48151623 only."
  }
  assert {
    condition     = google_service_account_iam_member.impersonation["workload"].member == "serviceAccount:kv-api-prod.svc.id.goog[kv-api/kv-api]"
    error_message = "The workload GSA is bound to the kv-api/kv-api KSA."
  }
  assert {
    condition     = [for m in google_project_iam_member.this : m.role] == ["roles/redis.dbConnectionUser"]
    error_message = "The only project role is the workload's Redis connection; CI has none."
  }
  assert {
    condition     = output.workload_service_account_email == google_service_account.this["workload"].email
    error_message = "workload_service_account_email output."
  }
}

run "ci_reads_only" {
  command = apply

  variables {
    ci_service_account = { project_roles = ["roles/viewer", "roles/iam.securityReviewer"], state_bucket = "kv-api-tfstate-prod" }
  }

  assert {
    condition     = sort([for k, m in google_project_iam_member.this : m.role if startswith(k, "ci ")]) == sort(["roles/iam.securityReviewer", "roles/viewer"])
    error_message = "CI reads the project (plan, output) and holds no write role."
  }
  assert {
    condition     = google_storage_bucket_iam_member.ci_state_reader["state"].bucket == "kv-api-tfstate-prod" && google_storage_bucket_iam_member.ci_state_reader["state"].role == "roles/storage.objectViewer" && google_storage_bucket_iam_member.ci_state_reader["state"].member == google_service_account.this["ci"].member
    error_message = "CI reads the Terraform state bucket, nothing more."
  }
}
