variable "project_id" {
  description = "Project hosting the pool and the service accounts."
  type        = string
  nullable    = false
}

variable "gitlab" {
  description = <<-EOT
    GitLab OIDC federation. Only ID tokens of the project with the numeric id project_id are
    accepted (project_path only names it in descriptions), from the listed pipeline sources, on
    the listed branches or (with tags) on tags, and with protected_refs_only only on protected
    refs. allowed_audiences empty means the provider's default audience (its full resource name
    with an https://iam.googleapis.com/ prefix).
  EOT
  type = object({
    issuer_uri          = optional(string, "https://gitlab.com")
    allowed_audiences   = optional(list(string), [])
    project_id          = string
    project_path        = string
    protected_refs_only = optional(bool, true)
    branches            = optional(list(string), ["main"])
    tags                = optional(bool, true)
    pipeline_sources    = optional(list(string), ["push", "web", "schedule"])
    pool_id             = optional(string, "gitlab")
    provider_id         = optional(string, "gitlab-oidc")
  })
  nullable = false
  validation {
    condition     = can(regex("^https://[^/\\s]+(/[^\\s]*)?$", var.gitlab.issuer_uri))
    error_message = "gitlab.issuer_uri must be an https URL."
  }
  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$", var.gitlab.project_path))
    error_message = "gitlab.project_path must be a full GitLab project path such as group/subgroup/project."
  }
  validation {
    condition     = can(regex("^[1-9][0-9]*$", var.gitlab.project_id))
    error_message = "gitlab.project_id must be the numeric GitLab project id (Settings > General), as a string."
  }
  validation {
    condition     = length(var.gitlab.branches) > 0 && alltrue([for b in var.gitlab.branches : can(regex("^[A-Za-z0-9][A-Za-z0-9/._-]*$", b))])
    error_message = "gitlab.branches must list at least one branch name (letters, digits, / . _ -)."
  }
  validation {
    condition = length(var.gitlab.pipeline_sources) > 0 && alltrue([for p in var.gitlab.pipeline_sources : contains(
      ["push", "web", "schedule", "api", "trigger", "pipeline", "parent_pipeline", "merge_request_event", "chat", "webide", "external"], p
    )])
    error_message = "gitlab.pipeline_sources must list GitLab pipeline sources such as push, web, schedule."
  }
  validation {
    condition     = can(regex("^[a-z0-9-]{4,32}$", var.gitlab.pool_id)) && can(regex("^[a-z0-9-]{4,32}$", var.gitlab.provider_id))
    error_message = "gitlab.pool_id and gitlab.provider_id must be 4-32 lowercase letters, digits or hyphens."
  }
}

variable "ci_service_account" {
  description = "Service account that GitLab CI impersonates. Push rights are granted on the repository by the artifact-registry module; project_roles are for reading only (terragrunt plan, terragrunt output)."
  type = object({
    account_id    = optional(string, "gitlab-ci")
    project_roles = optional(list(string), [])
    # Terraform state bucket the CI reads (terragrunt plan, terragrunt output); null: none.
    state_bucket = optional(string)
  })
  nullable = false
  default  = {}
  validation {
    condition     = !anytrue([for r in var.ci_service_account.project_roles : contains(["roles/owner", "roles/editor", "roles/iam.serviceAccountTokenCreator"], r)])
    error_message = "The CI service account must not hold owner, editor or token-creator roles."
  }
}

variable "workload" {
  description = "Google service account of the service, bound to its Kubernetes service account through GKE Workload Identity."
  type = object({
    namespace       = optional(string, "kv-api")
    service_account = optional(string, "kv-api")
    account_id      = optional(string, "kv-api")
    project_roles   = optional(list(string), ["roles/redis.dbConnectionUser"])
  })
  nullable = false
  default  = {}
  validation {
    condition = (
      can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.workload.namespace)) &&
      can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", var.workload.service_account))
    )
    error_message = "workload.namespace and workload.service_account must be valid Kubernetes names."
  }
  validation {
    condition     = !anytrue([for r in var.workload.project_roles : contains(["roles/owner", "roles/editor"], r)])
    error_message = "The workload service account must not hold basic roles (owner/editor)."
  }
}

variable "workload_pool" {
  description = "Workload Identity pool of the GKE cluster (PROJECT.svc.id.goog); it exists once the cluster does."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]+\\.svc\\.id\\.goog$", var.workload_pool))
    error_message = "workload_pool must look like PROJECT.svc.id.goog."
  }
}
