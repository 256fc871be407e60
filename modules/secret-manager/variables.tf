variable "project_id" {
  description = "Project hosting the secrets; its GKE Workload Identity pool (PROJECT.svc.id.goog) names the Kubernetes principals."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a valid project id (6-30 chars, lowercase letters, digits, hyphens)."
  }
}

variable "labels" {
  description = "Labels of the secrets (merged with the provider's default labels)."
  type        = map(string)
  nullable    = false
  default     = {}
}

variable "secrets" {
  description = <<-EOT
    Secret containers by secret id, each readable (roles/secretmanager.secretAccessor) by exactly
    one principal: either member (an IAM member such as serviceAccount:EMAIL) or
    kubernetes_service_account (namespace and name of a KSA of the project's GKE clusters, as a
    Workload Identity Federation principal). No versions are created: values never pass
    through Terraform.
  EOT
  type = map(object({
    member = optional(string)
    kubernetes_service_account = optional(object({
      namespace = string
      name      = string
    }))
  }))
  nullable = false
  validation {
    condition     = alltrue([for k in keys(var.secrets) : can(regex("^[A-Za-z0-9_-]{1,255}$", k))])
    error_message = "Secret ids must be 1-255 letters, digits, hyphens or underscores."
  }
  validation {
    condition     = alltrue([for s in values(var.secrets) : (s.member == null) != (s.kubernetes_service_account == null)])
    error_message = "Each secret sets exactly one of member and kubernetes_service_account."
  }
  validation {
    condition     = alltrue([for s in values(var.secrets) : s.member == null || can(regex("^(serviceAccount|principal|principalSet|group|user):[^*]+$", coalesce(s.member, "x")))])
    error_message = "member must be one IAM member such as serviceAccount:EMAIL or principal://...; allUsers and allAuthenticatedUsers are refused."
  }
  validation {
    condition = alltrue([for s in values(var.secrets) : s.kubernetes_service_account == null || (
      can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", try(s.kubernetes_service_account.namespace, ""))) &&
      can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", try(s.kubernetes_service_account.name, "")))
    )])
    error_message = "kubernetes_service_account namespace and name must be valid Kubernetes names."
  }
}

variable "replication" {
  description = "Replication of every secret: automatic (locations null) or user-managed in the listed regions; kms_key_name adds customer-managed encryption (with user-managed replication, a key per region is required by the API, so use one location)."
  type = object({
    locations    = optional(list(string))
    kms_key_name = optional(string)
  })
  nullable = false
  default  = {}
  validation {
    condition     = var.replication.locations == null || length(coalesce(var.replication.locations, [])) > 0
    error_message = "replication.locations must list at least one region, or be null for automatic replication."
  }
  validation {
    condition     = var.replication.kms_key_name == null || can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", coalesce(var.replication.kms_key_name, "x")))
    error_message = "replication.kms_key_name must be a Cloud KMS key name: projects/P/locations/L/keyRings/R/cryptoKeys/K."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the secrets (and their values) from Terraform."
  type        = bool
  nullable    = false
  default     = true
}
