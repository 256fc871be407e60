locals {
  # Kubernetes service accounts reach Secret Manager through GKE Workload Identity
  # Federation as principals of the project's pool, with no Google service account.
  principals = {
    for k, s in var.secrets : k => coalesce(
      s.member,
      try("principal://iam.googleapis.com/projects/${data.google_project.this.number}/locations/global/workloadIdentityPools/${var.project_id}.svc.id.goog/subject/ns/${s.kubernetes_service_account.namespace}/sa/${s.kubernetes_service_account.name}", null),
    )
  }
}

data "google_project" "this" {
  project_id = var.project_id
}

# Containers only: values are added as versions out of band (gcloud secrets versions add),
# so they never reach Terraform state or the repository.
resource "google_secret_manager_secret" "this" {
  for_each            = var.secrets
  project             = var.project_id
  secret_id           = each.key
  labels              = var.labels
  deletion_protection = var.deletion_protection

  replication {
    dynamic "auto" {
      for_each = var.replication.locations == null ? [""] : []
      content {
        dynamic "customer_managed_encryption" {
          for_each = var.replication.kms_key_name == null ? [] : [var.replication.kms_key_name]
          content {
            kms_key_name = customer_managed_encryption.value
          }
        }
      }
    }
    dynamic "user_managed" {
      for_each = var.replication.locations == null ? [] : [var.replication.locations]
      content {
        dynamic "replicas" {
          for_each = user_managed.value
          content {
            location = replicas.value
            dynamic "customer_managed_encryption" {
              for_each = var.replication.kms_key_name == null ? [] : [var.replication.kms_key_name]
              content {
                kms_key_name = customer_managed_encryption.value
              }
            }
          }
        }
      }
    }
  }
}

# One reader per secret, granted on the secret alone.
resource "google_secret_manager_secret_iam_member" "accessor" {
  for_each  = var.secrets
  project   = var.project_id
  secret_id = google_secret_manager_secret.this[each.key].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = local.principals[each.key]
}
