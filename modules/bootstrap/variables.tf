variable "project_id" {
  description = "Project of the environment, whose APIs are enabled here (it exists, with billing, before the bootstrap)."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a valid project id (6-30 chars, lowercase letters, digits, hyphens)."
  }
}

variable "labels" {
  description = "Labels of the state bucket."
  type        = map(string)
  nullable    = false
  default     = {}
}

variable "state" {
  description = "State bucket of the environment (the remote_state of terragrunt.hcl): its project, name and location, and how many old versions of each state object are kept."
  type = object({
    project_id        = string
    bucket            = string
    location          = optional(string, "EU")
    retained_versions = optional(number, 10)
  })
  nullable = false
  validation {
    condition     = can(regex("^[a-z0-9][-a-z0-9_]{1,61}[a-z0-9]$", var.state.bucket)) && !strcontains(var.state.bucket, "google")
    error_message = "state.bucket must be a bucket name of 3-63 lowercase letters, digits, hyphens or underscores, without \"google\"."
  }
  validation {
    condition     = var.state.retained_versions >= 1 && floor(var.state.retained_versions) == var.state.retained_versions
    error_message = "state.retained_versions must be an integer >= 1: the previous state is the undo of a bad apply."
  }
}
