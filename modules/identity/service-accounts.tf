locals {
  service_accounts = {
    ci = {
      account_id    = var.ci_service_account.account_id
      display_name  = "GitLab CI"
      description   = "Impersonated by GitLab CI of ${var.gitlab.project_path} through Workload Identity Federation."
      project_roles = var.ci_service_account.project_roles
      # Only pipelines admitted by the provider's attribute_condition, of this project id.
      impersonator = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.gitlab.name}/attribute.project_id/${var.gitlab.project_id}"
    }
    workload = {
      account_id    = var.workload.account_id
      display_name  = "kv-api workload"
      description   = "Identity of the ${var.workload.namespace}/${var.workload.service_account} Kubernetes service account."
      project_roles = var.workload.project_roles
      # GKE Workload Identity: the pods' KSA maps to this GSA.
      impersonator = "serviceAccount:${var.workload_pool}[${var.workload.namespace}/${var.workload.service_account}]"
    }
  }
  project_roles = merge([
    for k, sa in local.service_accounts : { for r in sa.project_roles : "${k} ${r}" => { sa = k, role = r } }
  ]...)
}

resource "google_service_account" "this" {
  for_each     = local.service_accounts
  project      = var.project_id
  account_id   = each.value.account_id
  display_name = each.value.display_name
  description  = each.value.description
}

resource "google_service_account_iam_member" "impersonation" {
  for_each           = local.service_accounts
  service_account_id = google_service_account.this[each.key].name
  role               = "roles/iam.workloadIdentityUser"
  member             = each.value.impersonator
}

resource "google_project_iam_member" "this" {
  for_each = local.project_roles
  project  = var.project_id
  role     = each.value.role
  member   = google_service_account.this[each.value.sa].member
}

# Read-only access to the Terraform state, for terragrunt plan and output in GitLab.
resource "google_storage_bucket_iam_member" "ci_state_reader" {
  for_each = var.ci_service_account.state_bucket == null ? {} : { state = var.ci_service_account.state_bucket }
  bucket   = each.value
  role     = "roles/storage.objectViewer"
  member   = google_service_account.this["ci"].member
}
