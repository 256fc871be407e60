variable "project_id" {
  description = "Project in which the APIs are enabled."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a valid project id (6-30 chars, lowercase letters, digits, hyphens)."
  }
}

variable "services" {
  description = "APIs to enable, as service names (e.g. container.googleapis.com)."
  type        = list(string)
  nullable    = false
  default = [
    "artifactregistry.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "compute.googleapis.com",
    "container.googleapis.com",
    "dns.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "networkconnectivity.googleapis.com",
    "redis.googleapis.com",
    "secretmanager.googleapis.com",
    "serviceconsumermanagement.googleapis.com",
    "sts.googleapis.com",
  ]
  validation {
    condition     = alltrue([for s in var.services : can(regex("^[a-z0-9.-]+\\.googleapis\\.com$", s))])
    error_message = "Each service must be a full service name ending in .googleapis.com."
  }
  validation {
    condition     = length(var.services) == length(distinct(var.services))
    error_message = "services must not contain duplicates."
  }
}

variable "service_config" {
  description = "Behaviour on destroy. Defaults keep APIs enabled: disabling an API that other resources use breaks them."
  type = object({
    disable_on_destroy         = optional(bool, false)
    disable_dependent_services = optional(bool, false)
  })
  nullable = false
  default  = {}
}
