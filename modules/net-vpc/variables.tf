variable "project_id" {
  description = "Project hosting the VPC."
  type        = string
  nullable    = false
}

variable "region" {
  description = "Region of the subnets, Cloud Router, Cloud NAT and service connection policy."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region must be a region name such as europe-west1."
  }
}

variable "name" {
  description = "VPC name; also the prefix of the router, NAT, firewall rules and policy."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,40}[a-z0-9])?$", var.name))
    error_message = "name must be a lowercase RFC1035 name of at most 42 characters (room for suffixes)."
  }
}

variable "labels" {
  description = "Labels for the resources that take them (merged with the provider's default labels)."
  type        = map(string)
  nullable    = false
  default     = {}
}

variable "mtu" {
  description = "VPC MTU. 1460 is the GCP default; 8896 suits large payloads inside the VPC."
  type        = number
  nullable    = false
  default     = 1460
  validation {
    condition     = var.mtu >= 1300 && var.mtu <= 8896
    error_message = "mtu must be between 1300 and 8896."
  }
}

variable "subnet" {
  description = "Primary regional subnet for the GKE nodes, with secondary ranges for pods and services, and its flow logs."
  type = object({
    name          = optional(string)
    ip_cidr_range = string
    secondary_ip_ranges = object({
      pods     = object({ name = optional(string, "pods"), ip_cidr_range = string })
      services = object({ name = optional(string, "services"), ip_cidr_range = string })
    })
    flow_logs = optional(object({
      aggregation_interval = optional(string, "INTERVAL_5_SEC")
      flow_sampling        = optional(number, 0.5)
      metadata             = optional(string, "INCLUDE_ALL_METADATA")
      filter_expr          = optional(string, "true")
    }), {})
  })
  nullable = false
  validation {
    condition = alltrue([
      for c in [var.subnet.ip_cidr_range, var.subnet.secondary_ip_ranges.pods.ip_cidr_range, var.subnet.secondary_ip_ranges.services.ip_cidr_range] :
      can(cidrnetmask(c)) && try(cidrhost(c, 0) == split("/", c)[0], false)
    ])
    error_message = "subnet ranges must be valid IPv4 CIDR blocks written with their network address (e.g. 10.0.0.0/20)."
  }
  validation {
    condition     = var.subnet.secondary_ip_ranges.pods.name != var.subnet.secondary_ip_ranges.services.name
    error_message = "The pods and services secondary ranges need different names."
  }
  validation {
    condition = contains(
      ["INTERVAL_5_SEC", "INTERVAL_30_SEC", "INTERVAL_1_MIN", "INTERVAL_5_MIN", "INTERVAL_10_MIN", "INTERVAL_15_MIN"],
      var.subnet.flow_logs.aggregation_interval
    )
    error_message = "subnet.flow_logs.aggregation_interval must be one of INTERVAL_5_SEC, INTERVAL_30_SEC, INTERVAL_1_MIN, INTERVAL_5_MIN, INTERVAL_10_MIN, INTERVAL_15_MIN."
  }
  validation {
    condition     = var.subnet.flow_logs.flow_sampling > 0 && var.subnet.flow_logs.flow_sampling <= 1
    error_message = "subnet.flow_logs.flow_sampling must be in (0, 1]."
  }
  validation {
    condition     = contains(["INCLUDE_ALL_METADATA", "EXCLUDE_ALL_METADATA"], var.subnet.flow_logs.metadata)
    error_message = "subnet.flow_logs.metadata must be INCLUDE_ALL_METADATA or EXCLUDE_ALL_METADATA."
  }
}

variable "psc_subnet" {
  description = "Subnet reserved for the Private Service Connect endpoints that the service connection policy creates (Memorystore for Redis Cluster)."
  type = object({
    name          = optional(string)
    ip_cidr_range = string
  })
  nullable = false
  validation {
    condition     = can(cidrnetmask(var.psc_subnet.ip_cidr_range)) && try(cidrhost(var.psc_subnet.ip_cidr_range, 0) == split("/", var.psc_subnet.ip_cidr_range)[0], false)
    error_message = "psc_subnet.ip_cidr_range must be a valid IPv4 CIDR block written with its network address."
  }
  validation {
    condition     = try(tonumber(split("/", var.psc_subnet.ip_cidr_range)[1]) <= 28, false)
    error_message = "psc_subnet.ip_cidr_range must be /28 or larger: each Redis cluster takes several PSC addresses."
  }
}

variable "psc_policy" {
  description = "Service connection policy for Memorystore for Redis Cluster: service class and maximum PSC connections per consumer."
  type = object({
    service_class = optional(string, "gcp-memorystore-redis")
    limit         = optional(number)
  })
  nullable = false
  default  = {}
  validation {
    condition     = can(regex("^gcp-memorystore", var.psc_policy.service_class))
    error_message = "psc_policy.service_class must be a Memorystore service class (gcp-memorystore-redis for Redis Cluster)."
  }
}

variable "nat_config" {
  description = "Cloud NAT for egress of the private nodes; errors are always logged."
  type = object({
    min_ports_per_vm                    = optional(number, 64)
    max_ports_per_vm                    = optional(number, 4096)
    enable_dynamic_port_allocation      = optional(bool, true)
    enable_endpoint_independent_mapping = optional(bool, false)
    log_filter                          = optional(string, "ERRORS_ONLY")
    tcp_established_idle_timeout_sec    = optional(number, 1200)
  })
  nullable = false
  default  = {}
  validation {
    condition     = contains(["ERRORS_ONLY", "ALL"], var.nat_config.log_filter)
    error_message = "nat_config.log_filter must be ERRORS_ONLY or ALL: TRANSLATIONS_ONLY would stop logging NAT errors."
  }
  validation {
    condition     = var.nat_config.min_ports_per_vm <= var.nat_config.max_ports_per_vm
    error_message = "nat_config.min_ports_per_vm must not exceed max_ports_per_vm."
  }
  validation {
    condition = !var.nat_config.enable_dynamic_port_allocation || (
      !var.nat_config.enable_endpoint_independent_mapping &&
      contains([for i in range(5, 17) : pow(2, i)], var.nat_config.min_ports_per_vm) &&
      contains([for i in range(5, 17) : pow(2, i)], var.nat_config.max_ports_per_vm)
    )
    error_message = "With dynamic port allocation, endpoint-independent mapping must be off and min/max ports must be powers of two between 32 and 65536."
  }
}

variable "health_check_ingress" {
  description = "Allow Google load-balancer health checks (35.191.0.0/16, 130.211.0.0/22) to these network tags and TCP ports."
  type = object({
    target_tags = list(string)
    ports       = list(string)
  })
  nullable = false
  validation {
    condition     = length(var.health_check_ingress.target_tags) > 0 && length(var.health_check_ingress.ports) > 0
    error_message = "health_check_ingress needs at least one target tag and one port: an untargeted rule would open every VM."
  }
  validation {
    condition     = alltrue([for p in var.health_check_ingress.ports : can(regex("^[0-9]{1,5}(-[0-9]{1,5})?$", p))])
    error_message = "health_check_ingress.ports must be port numbers or ranges such as 8080 or 30000-32767."
  }
}
