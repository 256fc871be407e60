locals {
  rdb = var.persistence.rdb == null ? { snapshot_period = "ONE_HOUR", snapshot_start_time = null } : var.persistence.rdb
  aof = var.persistence.aof == null ? { append_fsync = "EVERYSEC" } : var.persistence.aof
}

resource "google_redis_cluster" "this" {
  project                     = var.project_id
  region                      = var.region
  name                        = var.name
  shard_count                 = var.shard_count
  replica_count               = var.replica_count
  node_type                   = var.node_type
  authorization_mode          = var.authorization_mode
  transit_encryption_mode     = "TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION"
  deletion_protection_enabled = var.deletion_protection
  redis_configs               = var.redis_configs
  kms_key                     = var.kms_key

  # Primaries and replicas in different zones: a zone outage triggers failover, not data loss.
  zone_distribution_config {
    mode = "MULTI_ZONE"
  }

  psc_configs {
    network = var.network
  }

  persistence_config {
    mode = var.persistence.mode
    dynamic "rdb_config" {
      for_each = var.persistence.mode == "RDB" ? [local.rdb] : []
      content {
        rdb_snapshot_period     = rdb_config.value.snapshot_period
        rdb_snapshot_start_time = rdb_config.value.snapshot_start_time
      }
    }
    dynamic "aof_config" {
      for_each = var.persistence.mode == "AOF" ? [local.aof] : []
      content {
        append_fsync = aof_config.value.append_fsync
      }
    }
  }

  maintenance_policy {
    weekly_maintenance_window {
      day = var.maintenance_window.day
      start_time {
        hours   = var.maintenance_window.start_hour
        minutes = 0
        seconds = 0
        nanos   = 0
      }
    }
  }

  dynamic "automated_backup_config" {
    for_each = var.automated_backup == null ? [] : [var.automated_backup]
    content {
      retention = automated_backup_config.value.retention
      fixed_frequency_schedule {
        start_time {
          hours = automated_backup_config.value.start_hour
        }
      }
    }
  }
}
