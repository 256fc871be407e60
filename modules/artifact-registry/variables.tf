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
  description = "Refuse to move an existing tag to another image: a deployed tag always means the same digest."
  type        = bool
  nullable    = false
  default     = true
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
