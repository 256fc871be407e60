output "workload_identity_provider" {
  description = "Full provider name, the value of GitLab's GCP_WORKLOAD_IDENTITY_PROVIDER (and the default audience)."
  value       = google_iam_workload_identity_pool_provider.gitlab.name
}

output "workload_identity_pool" {
  description = "Full workload identity pool name."
  value       = google_iam_workload_identity_pool.gitlab.name
}

output "ci_service_account_email" {
  description = "Email of the CI service account (GitLab's GCP_SERVICE_ACCOUNT)."
  value       = google_service_account.this["ci"].email
}

output "ci_service_account_member" {
  description = "IAM member of the CI service account, for the registry writer grant."
  value       = google_service_account.this["ci"].member
}

output "workload_service_account_email" {
  description = "Email of the service's GSA: the iam.gke.io/gcp-service-account annotation of its KSA."
  value       = google_service_account.this["workload"].email
}

output "workload_service_account_member" {
  description = "IAM member of the service's GSA."
  value       = google_service_account.this["workload"].member
}
