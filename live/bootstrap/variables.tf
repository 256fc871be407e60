variable "project_id" {
  description = "Project of the environment (env.hcl project_id)."
  type        = string
  nullable    = false
}

variable "labels" {
  description = "Labels of the state bucket."
  type        = map(string)
  nullable    = false
  default     = { app = "kv-api", managed-by = "bootstrap" }
}

variable "state" {
  description = "State bucket of the environment (env.hcl state_project_id, state_bucket, state_location)."
  type = object({
    project_id = string
    bucket     = string
    location   = string
  })
  nullable = false
}
