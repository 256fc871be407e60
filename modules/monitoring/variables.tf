variable "project_id" {
  description = "Project that hosts the monitoring resources (uptime checks, SLOs, alert policies) and the monitored workloads."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a valid project id (6-30 chars, lowercase letters, digits, hyphens)."
  }
}

variable "region" {
  description = "Region of the GKE cluster and the Memorystore cluster (location label in metric filters)."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region must be a region name such as europe-west1."
  }
}

variable "labels" {
  description = "User labels put on uptime checks, SLOs and alert policies."
  type        = map(string)
  nullable    = false
  default     = {}
}

variable "notification_channels" {
  description = <<-EOT
    Notification channels this module creates, by key, and the severities routed to each: page
    wakes someone up, ticket goes to the team queue. Only channel types whose labels hold no
    secret (an on-call paging address, a Pub/Sub topic); a PagerDuty or Slack integration is
    reached through its e-mail or Pub/Sub bridge.
  EOT
  type = map(object({
    type         = optional(string, "email")
    display_name = optional(string)
    labels       = map(string)
    severities   = list(string)
  }))
  nullable = false
  validation {
    condition     = alltrue([for c in values(var.notification_channels) : contains(["email", "pubsub"], c.type)])
    error_message = "notification_channels type must be email or pubsub (types without secret labels)."
  }
  validation {
    condition = alltrue([for c in values(var.notification_channels) : length(c.severities) > 0 && alltrue([
      for s in c.severities : contains(["page", "ticket"], s)
    ])])
    error_message = "notification_channels severities must be a non-empty list of page and ticket."
  }
  validation {
    condition = alltrue([for c in values(var.notification_channels) : (
      c.type == "email" ? can(regex("^[^@\\s]+@[^@\\s]+\\.[a-z]+$", lookup(c.labels, "email_address", ""))) :
      c.type == "pubsub" ? can(regex("^projects/[a-z][a-z0-9-]+/topics/[A-Za-z][-A-Za-z0-9._~%+]+$", lookup(c.labels, "topic", ""))) : true
    )])
    error_message = "An email channel needs labels.email_address; a pubsub channel needs labels.topic = projects/P/topics/T."
  }
  validation {
    condition     = anytrue([for c in values(var.notification_channels) : contains(c.severities, "page")])
    error_message = "At least one notification channel must receive page: a page nobody receives is no page."
  }
}

variable "uptime_check" {
  description = <<-EOT
    Black-box HTTPS check of the public endpoint from several Google regions; the body must
    contain content. enabled stays false until the service's first deploy answers on host:
    until then neither the check nor its alert exists.
  EOT
  type = object({
    enabled = optional(bool, false)
    host    = string
    path    = optional(string, "/")
    port    = optional(number, 443)
    content = optional(string, "Hello Redis!")
    period  = optional(string, "60s")
    timeout = optional(string, "10s")
    regions = optional(list(string), ["EUROPE", "USA_VIRGINIA", "ASIA_PACIFIC"])
    # Regions failing at once before the uptime alert fires: one failing region is
    # more often the checker's network than the service.
    failing_regions_threshold = optional(number, 1)
  })
  nullable = false
  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", var.uptime_check.host))
    error_message = "uptime_check.host must be a bare host name (no scheme, port or path)."
  }
  validation {
    condition     = startswith(var.uptime_check.path, "/")
    error_message = "uptime_check.path must start with /."
  }
  validation {
    condition     = length(distinct(var.uptime_check.regions)) >= 3
    error_message = "uptime_check.regions must name at least 3 distinct regions (Cloud Monitoring requires 3)."
  }
  validation {
    condition = alltrue([for r in var.uptime_check.regions : contains(
      ["USA", "EUROPE", "SOUTH_AMERICA", "ASIA_PACIFIC", "USA_OREGON", "USA_IOWA", "USA_VIRGINIA"], r
    )])
    error_message = "uptime_check.regions must be among USA, EUROPE, SOUTH_AMERICA, ASIA_PACIFIC, USA_OREGON, USA_IOWA, USA_VIRGINIA."
  }
  validation {
    condition     = contains(["60s", "300s", "600s", "900s"], var.uptime_check.period)
    error_message = "uptime_check.period must be 60s, 300s, 600s or 900s."
  }
  validation {
    condition     = can(regex("^([1-9]|[1-5][0-9]|60)s$", var.uptime_check.timeout))
    error_message = "uptime_check.timeout must be between 1s and 60s."
  }
  validation {
    condition     = var.uptime_check.failing_regions_threshold >= 0 && var.uptime_check.failing_regions_threshold < length(var.uptime_check.regions)
    error_message = "uptime_check.failing_regions_threshold must be lower than the number of regions."
  }
}

variable "gke_cluster_name" {
  description = "Name of the GKE cluster running the service; scopes the Managed Service for Prometheus and kubernetes.io filters."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$", var.gke_cluster_name))
    error_message = "gke_cluster_name must be a GKE cluster name (lowercase, at most 40 characters)."
  }
}

variable "workload" {
  description = "Kubernetes namespace of the service, the name of its Service behind ingress-nginx (the service label of nginx_ingress_controller_* metrics) and the namespace of the ingress-nginx controller pods that managed collection scrapes."
  type = object({
    namespace         = optional(string, "kv-api")
    ingress_service   = optional(string, "kv-api")
    ingress_namespace = optional(string, "ingress-nginx")
  })
  nullable = false
  default  = {}
}

variable "slo" {
  description = "Service level objectives, request-based, over a rolling window. Latency counts requests under threshold_seconds (a bucket bound of the ingress histogram)."
  type = object({
    availability_goal   = optional(number, 0.9999)
    latency_goal        = optional(number, 0.999)
    latency_threshold_s = optional(number, 0.1)
    rolling_period_days = optional(number, 30)
  })
  nullable = false
  default  = {}
  validation {
    condition = alltrue([
      for g in [var.slo.availability_goal, var.slo.latency_goal] : g > 0 && g <= 0.9999
    ])
    error_message = "slo goals must be ratios above 0 and at most 0.9999 (the API's upper bound), e.g. 0.999."
  }
  validation {
    condition     = var.slo.rolling_period_days >= 1 && var.slo.rolling_period_days <= 30 && floor(var.slo.rolling_period_days) == var.slo.rolling_period_days
    error_message = "slo.rolling_period_days must be an integer between 1 and 30."
  }
  validation {
    condition     = var.slo.latency_threshold_s > 0
    error_message = "slo.latency_threshold_s must be positive."
  }
}

variable "burn_rate_alerts" {
  description = "Multi-window burn-rate alerts (SRE workbook): each tier fires when both windows burn faster than burn_rate. Windows in seconds."
  type = map(object({
    long_window_s  = number
    short_window_s = number
    burn_rate      = number
    severity       = string
  }))
  nullable = false
  default = {
    fast-1h = { long_window_s = 3600, short_window_s = 300, burn_rate = 14.4, severity = "page" }
    fast-6h = { long_window_s = 21600, short_window_s = 1800, burn_rate = 6, severity = "page" }
    slow-1d = { long_window_s = 86400, short_window_s = 7200, burn_rate = 3, severity = "ticket" }
    slow-3d = { long_window_s = 259200, short_window_s = 21600, burn_rate = 1, severity = "ticket" }
  }
  validation {
    condition     = alltrue([for t in values(var.burn_rate_alerts) : contains(["page", "ticket"], t.severity)])
    error_message = "burn_rate_alerts severity must be page or ticket."
  }
  validation {
    condition     = alltrue([for t in values(var.burn_rate_alerts) : t.short_window_s < t.long_window_s && t.short_window_s >= 60 && t.burn_rate > 0])
    error_message = "burn_rate_alerts need 60 <= short_window_s < long_window_s and a positive burn_rate."
  }
}

variable "redis" {
  description = "Memorystore for Redis Cluster to watch (cluster id in var.region) and its thresholds, as 0-1 ratios and seconds; null disables these alerts."
  type = object({
    cluster_id               = string
    memory_utilization_ratio = optional(number, 0.8)
    cpu_utilization_ratio    = optional(number, 0.8)
    replication_lag_seconds  = optional(number, 10)
    sustained_for_seconds    = optional(number, 300)
  })
  default = null
  validation {
    condition = var.redis == null || alltrue([
      for r in [try(var.redis.memory_utilization_ratio, 0.5), try(var.redis.cpu_utilization_ratio, 0.5)] : r > 0 && r < 1
    ])
    error_message = "redis utilization thresholds must be ratios strictly between 0 and 1."
  }
}

variable "gke" {
  description = "Thresholds of the GKE node and pod health alerts (kubernetes.io system metrics)."
  type = object({
    node_allocatable_utilization_ratio = optional(number, 0.9)
    container_memory_limit_ratio       = optional(number, 0.9)
    container_restarts_per_10m         = optional(number, 3)
  })
  nullable = false
  default  = {}
  validation {
    condition = alltrue([
      for r in [var.gke.node_allocatable_utilization_ratio, var.gke.container_memory_limit_ratio] : r > 0 && r <= 1
    ])
    error_message = "gke utilization thresholds must be ratios in (0, 1]."
  }
}

variable "runbook_base_url" {
  description = "Base URL of docs/runbooks/ in the repository; alert documentation links to <base><runbook>.md."
  type        = string
  nullable    = false
  default     = "https://gitlab.com/example/kv-api/-/blob/main/docs/runbooks/"
  validation {
    condition     = can(regex("^https://.+/$", var.runbook_base_url))
    error_message = "runbook_base_url must be an https URL ending with /."
  }
}
