variable "project_id" {
  description = "Project hosting the cluster."
  type        = string
  nullable    = false
}

variable "region" {
  description = "Region of the cluster; shards and replicas are spread over its zones."
  type        = string
  nullable    = false
}

variable "name" {
  description = "Cluster name."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$", var.name))
    error_message = "name must be a lowercase RFC1035 name of at most 63 characters."
  }
}

variable "network" {
  description = "VPC id (projects/P/global/networks/N) where the PSC endpoints are created; its service connection policy for gcp-memorystore-redis must exist first."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^projects/[a-z][a-z0-9-]+/global/networks/[a-z][-a-z0-9]*$", var.network))
    error_message = "network must be a network id: projects/PROJECT/global/networks/NAME."
  }
}

variable "shard_count" {
  description = "Number of primary shards; capacity and throughput scale with it."
  type        = number
  nullable    = false
  default     = 3
  validation {
    condition     = var.shard_count >= 1 && var.shard_count <= 250 && floor(var.shard_count) == var.shard_count
    error_message = "shard_count must be an integer between 1 and 250."
  }
}

variable "replica_count" {
  description = "Replicas per shard. At least one is needed for automatic failover and the 99.99% SLA."
  type        = number
  nullable    = false
  default     = 1
  validation {
    condition     = var.replica_count >= 1 && var.replica_count <= 2 && floor(var.replica_count) == var.replica_count
    error_message = "replica_count must be 1 or 2: without replicas a zone or node failure loses the shard."
  }
}

variable "node_type" {
  description = "Node type of every shard node."
  type        = string
  nullable    = false
  default     = "REDIS_HIGHMEM_MEDIUM"
  validation {
    condition     = contains(["REDIS_STANDARD_SMALL", "REDIS_HIGHMEM_MEDIUM", "REDIS_HIGHMEM_XLARGE"], var.node_type)
    error_message = "node_type must be REDIS_STANDARD_SMALL, REDIS_HIGHMEM_MEDIUM or REDIS_HIGHMEM_XLARGE (shared-core nodes carry no SLA)."
  }
}

variable "authorization_mode" {
  description = "AUTH_MODE_IAM_AUTH: clients authenticate with short-lived IAM access tokens (roles/redis.dbConnectionUser)."
  type        = string
  nullable    = false
  default     = "AUTH_MODE_IAM_AUTH"
  validation {
    condition     = contains(["AUTH_MODE_IAM_AUTH", "AUTH_MODE_DISABLED"], var.authorization_mode)
    error_message = "authorization_mode must be AUTH_MODE_IAM_AUTH or AUTH_MODE_DISABLED."
  }
}

variable "persistence" {
  description = <<-EOT
    Persistence: mode DISABLED, RDB (periodic snapshots, set rdb) or AOF (append-only file, set aof).
    Only the block that matches the mode may be set.
  EOT
  type = object({
    mode = string
    rdb = optional(object({
      snapshot_period     = optional(string, "ONE_HOUR")
      snapshot_start_time = optional(string)
    }))
    aof = optional(object({
      append_fsync = optional(string, "EVERYSEC")
    }))
  })
  nullable = false
  default = {
    mode = "RDB"
    rdb  = {}
  }
  validation {
    condition     = contains(["DISABLED", "RDB", "AOF"], var.persistence.mode)
    error_message = "persistence.mode must be DISABLED, RDB or AOF."
  }
  validation {
    condition = (
      (var.persistence.rdb == null || var.persistence.mode == "RDB") &&
      (var.persistence.aof == null || var.persistence.mode == "AOF")
    )
    error_message = "persistence.rdb may only be set with mode RDB, and persistence.aof only with mode AOF."
  }
  validation {
    condition     = var.persistence.rdb == null || contains(["ONE_HOUR", "SIX_HOURS", "TWELVE_HOURS", "TWENTY_FOUR_HOURS"], try(var.persistence.rdb.snapshot_period, ""))
    error_message = "persistence.rdb.snapshot_period must be ONE_HOUR, SIX_HOURS, TWELVE_HOURS or TWENTY_FOUR_HOURS."
  }
  validation {
    condition     = try(var.persistence.rdb.snapshot_start_time, null) == null || can(timecmp(var.persistence.rdb.snapshot_start_time, "2000-01-01T00:00:00Z"))
    error_message = "persistence.rdb.snapshot_start_time must be an RFC 3339 timestamp."
  }
  validation {
    condition     = var.persistence.aof == null || contains(["NO", "EVERYSEC", "ALWAYS"], try(var.persistence.aof.append_fsync, ""))
    error_message = "persistence.aof.append_fsync must be NO, EVERYSEC or ALWAYS."
  }
}

variable "redis_configs" {
  description = "Redis parameters. noeviction makes a full cluster refuse writes instead of silently dropping stored keys."
  type        = map(string)
  nullable    = false
  default = {
    "maxmemory-policy" = "noeviction"
  }
  validation {
    condition = !contains(keys(var.redis_configs), "maxmemory-policy") || contains(
      ["noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"],
      lookup(var.redis_configs, "maxmemory-policy", "")
    )
    error_message = "redis_configs maxmemory-policy must be a Redis eviction policy such as noeviction or allkeys-lru."
  }
}

variable "maintenance_window" {
  description = "Weekly maintenance window (UTC) for updates that Google applies to the cluster."
  type = object({
    day        = optional(string, "SUNDAY")
    start_hour = optional(number, 3)
  })
  nullable = false
  default  = {}
  validation {
    condition     = contains(["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"], var.maintenance_window.day)
    error_message = "maintenance_window.day must be a weekday name in capitals, e.g. SUNDAY."
  }
  validation {
    condition     = var.maintenance_window.start_hour >= 0 && var.maintenance_window.start_hour <= 23 && floor(var.maintenance_window.start_hour) == var.maintenance_window.start_hour
    error_message = "maintenance_window.start_hour must be an integer hour 0-23."
  }
}

variable "automated_backup" {
  description = "Daily managed backups (null to disable): start hour (UTC) and retention in seconds."
  type = object({
    start_hour = optional(number, 2)
    retention  = optional(string, "1209600s")
  })
  default = {}
  validation {
    condition     = var.automated_backup == null || try(var.automated_backup.start_hour >= 0 && var.automated_backup.start_hour <= 23, false)
    error_message = "automated_backup.start_hour must be an hour 0-23."
  }
  validation {
    condition     = var.automated_backup == null || can(regex("^[0-9]+s$", try(var.automated_backup.retention, "")))
    error_message = "automated_backup.retention must be a duration in seconds such as 1209600s."
  }
}

variable "deletion_protection" {
  description = "Refuse deletion of the cluster (enforced by the API, not only by Terraform)."
  type        = bool
  nullable    = false
  default     = true
}

variable "kms_key" {
  description = "Customer-managed Cloud KMS key (projects/P/locations/L/keyRings/R/cryptoKeys/K, in the cluster's region) for data at rest; null keeps Google-managed encryption. The Memorystore service agent needs roles/cloudkms.cryptoKeyEncrypterDecrypter on it."
  type        = string
  default     = null
  validation {
    condition     = var.kms_key == null || can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", coalesce(var.kms_key, "x")))
    error_message = "kms_key must be a Cloud KMS key name: projects/P/locations/L/keyRings/R/cryptoKeys/K."
  }
}
