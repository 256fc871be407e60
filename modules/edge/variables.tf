variable "project_id" {
  description = "Project hosting the address and the DNS zone."
  type        = string
  nullable    = false
}

variable "name" {
  description = "Name of the regional address."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$", var.name))
    error_message = "name must be a lowercase RFC1035 name of at most 63 characters."
  }
}

variable "region" {
  description = "Region of the address: the GKE cluster's, where the ingress controller's network load balancer lives."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a Google Cloud region such as europe-west1."
  }
}

variable "labels" {
  description = "Labels of the address and the zone (merged with the provider's default labels)."
  type        = map(string)
  nullable    = false
  default     = {}
}

variable "dns" {
  description = <<-EOT
    A record hostname -> the address, in the Cloud DNS zone managed_zone. With
    create_zone the zone (zone_dns_name, DNSSEC on) is created here and its name servers must be
    delegated from the parent domain once; otherwise the zone must already exist.
  EOT
  type = object({
    hostname      = string
    managed_zone  = string
    create_zone   = optional(bool, false)
    zone_dns_name = optional(string)
    ttl           = optional(number, 300)
  })
  nullable = false
  validation {
    condition     = can(regex("^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)+[a-z]{2,}\\.?$", var.dns.hostname))
    error_message = "dns.hostname must be a fully qualified host name such as kv.example.com."
  }
  validation {
    condition     = !var.dns.create_zone || try(endswith(trimsuffix(var.dns.hostname, "."), trimsuffix(var.dns.zone_dns_name, ".")), false)
    error_message = "With dns.create_zone, dns.zone_dns_name must be set and be a suffix of dns.hostname."
  }
  validation {
    condition     = var.dns.ttl >= 30 && var.dns.ttl <= 86400
    error_message = "dns.ttl must be between 30 and 86400 seconds."
  }
}
