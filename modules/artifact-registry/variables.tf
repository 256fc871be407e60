variable "project_id" {
  description = "Project hosting the repository."
  type        = string
  nullable    = false
}

variable "location" {
  description = "Repository location: a region (e.g. europe-west1, next to the nodes) or a multi-region (europe)."
  type        = string
  nullable    = false
}

variable "name" {
  description = "Repository id."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", var.name))
    error_message = "name must start with a letter and hold only lowercase letters, digits and hyphens (max 63)."
  }
}

variable "description" {
  description = "Repository description."
  type        = string
  nullable    = false
  default     = "Container images of the kv-api service."
}

variable "labels" {
  description = "Repository labels (merged with the provider's default labels)."
  type        = map(string)
  nullable    = false
  default     = {}
}

variable "immutable_tags" {
  description = "Release repository: refuse to move an existing tag to another image, so a deployed tag always means the same digest. Build caches go to cache_repository."
  type        = bool
  nullable    = false
  default     = true
}

variable "cache_repository" {
  description = <<-EOT
    Separate repository with mutable tags for the build cache (a cache tag is re-pushed by every
    build, which the immutable release repository refuses). Everything in it older than
    delete_older_than goes, except the keep_recent newest versions. The writers get write access
    to it; the readers (nodes) none. null creates no cache repository.
  EOT
  type = object({
    name              = string
    keep_recent       = optional(number, 5)
    delete_older_than = optional(string, "1209600s")
  })
  default = null
  validation {
    condition     = var.cache_repository == null || can(regex("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", try(var.cache_repository.name, "")))
    error_message = "cache_repository.name must start with a letter and hold only lowercase letters, digits and hyphens (max 63)."
  }
  validation {
    condition     = var.cache_repository == null || can(regex("^[1-9][0-9]*s$", try(var.cache_repository.delete_older_than, "")))
    error_message = "cache_repository.delete_older_than must be whole seconds such as 1209600s."
  }
  validation {
    condition     = var.cache_repository == null || try(var.cache_repository.name != var.name, false)
    error_message = "cache_repository.name must differ from name (the release repository)."
  }
}

variable "kms_key_name" {
  description = "Customer-managed Cloud KMS key (projects/P/locations/L/keyRings/R/cryptoKeys/K) for both repositories, in their location; null keeps Google-managed encryption. The Artifact Registry service agent needs roles/cloudkms.cryptoKeyEncrypterDecrypter on it."
  type        = string
  default     = null
  validation {
    condition     = var.kms_key_name == null || can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", coalesce(var.kms_key_name, "x")))
    error_message = "kms_key_name must be a Cloud KMS key name: projects/P/locations/L/keyRings/R/cryptoKeys/K."
  }
}

variable "cleanup" {
  description = <<-EOT
    Cleanup policies: keep the keep_recent most recent versions, delete untagged versions older
    than delete_untagged_older_than and, if set, tagged versions older than delete_tagged_older_than
    (keep wins over delete). dry_run only logs what would be deleted.
  EOT
  type = object({
    dry_run                    = optional(bool, true)
    keep_recent                = optional(number, 30)
    delete_untagged_older_than = optional(string, "604800s")
    delete_tagged_older_than   = optional(string)
  })
  nullable = false
  default  = {}
  validation {
    condition     = var.cleanup.keep_recent >= 1 && floor(var.cleanup.keep_recent) == var.cleanup.keep_recent
    error_message = "cleanup.keep_recent must be an integer >= 1: rollbacks need previous images."
  }
  validation {
    condition = alltrue([
      for d in compact([var.cleanup.delete_untagged_older_than, var.cleanup.delete_tagged_older_than]) : can(regex("^[1-9][0-9]*s$", d))
    ])
    error_message = "cleanup durations must be whole seconds such as 604800s."
  }
}

variable "readers" {
  description = "IAM members allowed to pull (roles/artifactregistry.reader), e.g. the GKE node service account."
  type        = list(string)
  nullable    = false
  default     = []
  validation {
    condition     = alltrue([for m in var.readers : can(regex("^(serviceAccount|group|user|principal|principalSet):", m))])
    error_message = "readers must be IAM members such as serviceAccount:EMAIL; allUsers/allAuthenticatedUsers are refused."
  }
}

variable "writers" {
  description = "IAM members allowed to push (roles/artifactregistry.writer), e.g. the CI service account."
  type        = list(string)
  nullable    = false
  default     = []
  validation {
    condition     = alltrue([for m in var.writers : can(regex("^(serviceAccount|group|user|principal|principalSet):", m))])
    error_message = "writers must be IAM members such as serviceAccount:EMAIL; allUsers/allAuthenticatedUsers are refused."
  }
}
