variable "project_id" {
  description = "Project hosting the cluster."
  type        = string
  nullable    = false
}

variable "name" {
  description = "Cluster name."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$", var.name))
    error_message = "name must be a lowercase RFC1035 name of at most 40 characters."
  }
}

variable "region" {
  description = "Region of the (regional) cluster: the control plane is replicated across its zones."
  type        = string
  nullable    = false
}

variable "node_locations" {
  description = "Zones of the region that run nodes; three zones give zonal-failure tolerance."
  type        = list(string)
  nullable    = false
  validation {
    condition     = length(distinct(var.node_locations)) >= 3 && length(distinct(var.node_locations)) == length(var.node_locations)
    error_message = "node_locations must list at least three distinct zones."
  }
  validation {
    condition     = alltrue([for z in var.node_locations : startswith(z, "${var.region}-")])
    error_message = "Every zone in node_locations must belong to var.region."
  }
}

variable "labels" {
  description = "Cluster resource labels and node pool resource labels (merged with the provider's default labels)."
  type        = map(string)
  nullable    = false
  default     = {}
}

variable "release_channel" {
  description = "GKE release channel that drives control-plane and node upgrades."
  type        = string
  nullable    = false
  default     = "REGULAR"
  validation {
    condition     = contains(["RAPID", "REGULAR", "STABLE", "EXTENDED"], var.release_channel)
    error_message = "release_channel must be RAPID, REGULAR, STABLE or EXTENDED."
  }
}

variable "deletion_protection" {
  description = "Refuse to destroy the cluster from Terraform until this is set to false and applied."
  type        = bool
  nullable    = false
  default     = true
}

variable "vpc_config" {
  description = "Network, node subnet and the names of its secondary ranges for pods and services (VPC-native)."
  type = object({
    network    = string
    subnetwork = string
    secondary_range_names = object({
      pods     = string
      services = string
    })
  })
  nullable = false
}

variable "access_config" {
  description = <<-EOT
    Control-plane access. Nodes are always private. The DNS endpoint is authorised by IAM
    (no network allow-list needed); the IP endpoint, when enabled, is private by default and
    limited to authorized_ranges.
  EOT
  type = object({
    dns_endpoint = optional(object({
      allow_external_traffic = optional(bool, true)
    }), {})
    ip_endpoint = optional(object({
      enabled           = optional(bool, true)
      private_only      = optional(bool, true)
      global_access     = optional(bool, false)
      authorized_ranges = optional(map(string), {})
    }), {})
  })
  nullable = false
  default  = {}
  validation {
    condition     = var.access_config.dns_endpoint.allow_external_traffic || var.access_config.ip_endpoint.enabled
    error_message = "Leave at least one way to the control plane: the external DNS endpoint or the IP endpoint."
  }
  validation {
    condition     = var.access_config.ip_endpoint.enabled || length(var.access_config.ip_endpoint.authorized_ranges) == 0
    error_message = "authorized_ranges only apply when ip_endpoint.enabled is true."
  }
  validation {
    condition = alltrue([
      for c in values(var.access_config.ip_endpoint.authorized_ranges) : can(cidrnetmask(c)) && try(cidrhost(c, 0) == split("/", c)[0], false)
    ])
    error_message = "authorized_ranges values must be IPv4 CIDR blocks written with their network address."
  }
}

variable "node_network_tags" {
  description = "Network tags put on every node, the targets of the VPC firewall rules (health checks)."
  type        = list(string)
  nullable    = false
  default     = []
}

variable "maintenance_config" {
  description = <<-EOT
    Maintenance: a recurring window (RFC 5545 RRULE; GKE needs at least 48h of it in any 32 days)
    and exclusions (RFC 3339 times) for freezes such as peak sales.
  EOT
  type = object({
    recurring_window = optional(object({
      start_time = string
      end_time   = string
      recurrence = string
      }), {
      start_time = "2025-01-04T01:00:00Z"
      end_time   = "2025-01-04T07:00:00Z"
      recurrence = "FREQ=WEEKLY;BYDAY=SA,SU"
    })
    exclusions = optional(list(object({
      name       = string
      start_time = string
      end_time   = string
      scope      = optional(string, "NO_MINOR_UPGRADES")
    })), [])
  })
  nullable = false
  default  = {}
  validation {
    condition = alltrue([
      for w in concat([var.maintenance_config.recurring_window], var.maintenance_config.exclusions) :
      try(timecmp(w.end_time, w.start_time) > 0, false)
    ])
    error_message = "Maintenance windows and exclusions need RFC 3339 start_time and end_time, with end_time after start_time."
  }
  validation {
    condition     = alltrue([for e in var.maintenance_config.exclusions : contains(["NO_UPGRADES", "NO_MINOR_UPGRADES", "NO_MINOR_OR_NODE_UPGRADES"], e.scope)])
    error_message = "Exclusion scope must be NO_UPGRADES, NO_MINOR_UPGRADES or NO_MINOR_OR_NODE_UPGRADES."
  }
  validation {
    condition     = length(distinct([for e in var.maintenance_config.exclusions : e.name])) == length(var.maintenance_config.exclusions)
    error_message = "Maintenance exclusion names must be unique."
  }
  validation {
    condition     = startswith(var.maintenance_config.recurring_window.recurrence, "FREQ=")
    error_message = "recurring_window.recurrence must be an RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=SA,SU."
  }
}

variable "features" {
  description = "Cluster features. Gateway API is on because ingress moves to the GKE Gateway."
  type = object({
    gateway_api              = optional(bool, true)
    managed_prometheus       = optional(bool, true)
    vertical_pod_autoscaling = optional(bool, true)
    dns_cache                = optional(bool, true)
    cost_management          = optional(bool, false)
  })
  nullable = false
  default  = {}
}

variable "observability" {
  description = "GKE components whose logs and metrics go to Cloud Logging / Cloud Monitoring."
  type = object({
    logging_components    = optional(list(string), ["SYSTEM_COMPONENTS", "WORKLOADS"])
    monitoring_components = optional(list(string), ["SYSTEM_COMPONENTS", "POD", "DEPLOYMENT", "HPA"])
  })
  nullable = false
  default  = {}
  validation {
    condition = alltrue([
      for c in var.observability.logging_components :
      contains(["SYSTEM_COMPONENTS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER", "WORKLOADS"], c)
    ])
    error_message = "logging_components may hold SYSTEM_COMPONENTS, APISERVER, CONTROLLER_MANAGER, SCHEDULER, WORKLOADS."
  }
  validation {
    condition = alltrue([
      for c in var.observability.monitoring_components :
      contains(["SYSTEM_COMPONENTS", "APISERVER", "SCHEDULER", "CONTROLLER_MANAGER", "STORAGE", "HPA", "POD", "DAEMONSET", "DEPLOYMENT", "STATEFULSET", "KUBELET", "CADVISOR"], c)
    ])
    error_message = "monitoring_components holds an unknown component."
  }
  validation {
    condition = (
      (length(var.observability.logging_components) == 0 || contains(var.observability.logging_components, "SYSTEM_COMPONENTS")) &&
      (length(var.observability.monitoring_components) == 0 || contains(var.observability.monitoring_components, "SYSTEM_COMPONENTS"))
    )
    error_message = "SYSTEM_COMPONENTS is required whenever any logging or monitoring component is enabled."
  }
  validation {
    condition = var.features.managed_prometheus || length(setintersection(
      var.observability.monitoring_components, ["STORAGE", "HPA", "POD", "DAEMONSET", "DEPLOYMENT", "STATEFULSET", "KUBELET", "CADVISOR"]
    )) == 0
    error_message = "Kube state, kubelet and cAdvisor metrics need features.managed_prometheus."
  }
}

variable "node_service_account" {
  description = "Dedicated least-privilege node service account. Artifact Registry read access is granted on the repository, not here."
  type = object({
    account_id = optional(string)
    project_roles = optional(list(string), [
      "roles/autoscaling.metricsWriter",
      "roles/logging.logWriter",
      "roles/monitoring.metricWriter",
      "roles/monitoring.viewer",
      "roles/stackdriver.resourceMetadata.writer",
    ])
  })
  nullable = false
  default  = {}
  validation {
    condition     = !anytrue([for r in var.node_service_account.project_roles : contains(["roles/owner", "roles/editor"], r)])
    error_message = "The node service account must not hold basic roles (owner/editor)."
  }
  validation {
    condition     = var.node_service_account.account_id == null || can(regex("^[a-z][-a-z0-9]{4,28}[a-z0-9]$", coalesce(var.node_service_account.account_id, "x")))
    error_message = "node_service_account.account_id must be 6-30 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "encryption" {
  description = "Customer-managed Cloud KMS keys (projects/P/locations/L/keyRings/R/cryptoKeys/K); null keeps Google-managed encryption. The GKE service agent needs roles/cloudkms.cryptoKeyEncrypterDecrypter on them."
  type = object({
    database_kms_key  = optional(string)
    boot_disk_kms_key = optional(string)
  })
  nullable = false
  default  = {}
  validation {
    condition = alltrue([for k in [var.encryption.database_kms_key, var.encryption.boot_disk_kms_key] :
    k == null || can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", coalesce(k, "x")))])
    error_message = "encryption keys must be Cloud KMS key names: projects/P/locations/L/keyRings/R/cryptoKeys/K."
  }
}

variable "node_pools" {
  description = <<-EOT
    Node pools, by name. Autoscaling is either per zone (min/max_node_count) or for the whole
    pool (total_min/total_max_node_count), not both. Surge upgrades replace nodes without
    lowering capacity when max_unavailable is 0.
  EOT
  type = map(object({
    machine_type      = optional(string, "n2-standard-4")
    disk_type         = optional(string, "pd-balanced")
    disk_size_gb      = optional(number, 100)
    max_pods_per_node = optional(number, 110)
    spot              = optional(bool, false)
    k8s_labels        = optional(map(string), {})
    tags              = optional(list(string), [])
    taints = optional(list(object({
      key    = string
      value  = string
      effect = string
    })), [])
    autoscaling = object({
      min_node_count       = optional(number)
      max_node_count       = optional(number)
      total_min_node_count = optional(number)
      total_max_node_count = optional(number)
      location_policy      = optional(string, "BALANCED")
    })
    upgrade_settings = optional(object({
      max_surge       = optional(number, 1)
      max_unavailable = optional(number, 0)
    }), {})
  }))
  nullable = false
  validation {
    condition     = length(var.node_pools) > 0
    error_message = "At least one node pool is needed: the default pool is removed."
  }
  validation {
    condition = alltrue([
      for p in values(var.node_pools) :
      (p.autoscaling.min_node_count != null && p.autoscaling.max_node_count != null && p.autoscaling.total_min_node_count == null && p.autoscaling.total_max_node_count == null) ||
      (p.autoscaling.min_node_count == null && p.autoscaling.max_node_count == null && p.autoscaling.total_min_node_count != null && p.autoscaling.total_max_node_count != null)
    ])
    error_message = "Each node pool sets either min_node_count and max_node_count, or total_min_node_count and total_max_node_count."
  }
  validation {
    condition = alltrue([
      for p in values(var.node_pools) : try(
        coalesce(p.autoscaling.min_node_count, p.autoscaling.total_min_node_count) >= 0 &&
        coalesce(p.autoscaling.min_node_count, p.autoscaling.total_min_node_count) <= coalesce(p.autoscaling.max_node_count, p.autoscaling.total_max_node_count) &&
        coalesce(p.autoscaling.max_node_count, p.autoscaling.total_max_node_count) > 0,
      false)
    ])
    error_message = "Node pool autoscaling needs 0 <= min <= max and max > 0."
  }
  validation {
    condition     = alltrue([for p in values(var.node_pools) : contains(["BALANCED", "ANY"], p.autoscaling.location_policy)])
    error_message = "autoscaling.location_policy must be BALANCED or ANY."
  }
  validation {
    condition = alltrue([
      for p in values(var.node_pools) :
      p.upgrade_settings.max_surge >= 0 && p.upgrade_settings.max_unavailable >= 0 && p.upgrade_settings.max_surge + p.upgrade_settings.max_unavailable > 0
    ])
    error_message = "upgrade_settings: max_surge and max_unavailable must be >= 0 and not both 0."
  }
  validation {
    condition     = alltrue(flatten([for p in values(var.node_pools) : [for t in p.taints : contains(["NO_SCHEDULE", "PREFER_NO_SCHEDULE", "NO_EXECUTE"], t.effect)]]))
    error_message = "Taint effect must be NO_SCHEDULE, PREFER_NO_SCHEDULE or NO_EXECUTE."
  }
  validation {
    condition     = alltrue([for p in values(var.node_pools) : contains(["pd-standard", "pd-balanced", "pd-ssd", "hyperdisk-balanced"], p.disk_type)])
    error_message = "disk_type must be pd-standard, pd-balanced, pd-ssd or hyperdisk-balanced."
  }
}
