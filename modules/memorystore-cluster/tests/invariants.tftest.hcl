# Production invariants of the planned and applied resources (mock_provider: nothing is created).

mock_provider "google" {}

variables {
  project_id  = "kv-api-prod"
  region      = "europe-west1"
  name        = "kv-api-prod"
  network     = "projects/kv-api-prod/global/networks/kv-api"
  persistence = { mode = "AOF", aof = { append_fsync = "EVERYSEC" } }
}

run "cluster" {
  command = plan

  assert {
    condition     = google_redis_cluster.this.zone_distribution_config[0].mode == "MULTI_ZONE"
    error_message = "Shards and replicas spread over zones."
  }
  assert {
    condition     = google_redis_cluster.this.replica_count == 1 && google_redis_cluster.this.shard_count == 3
    error_message = "Three shards with one replica each."
  }
  assert {
    condition     = google_redis_cluster.this.transit_encryption_mode == "TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION"
    error_message = "TLS in transit."
  }
  assert {
    condition     = google_redis_cluster.this.authorization_mode == "AUTH_MODE_IAM_AUTH"
    error_message = "IAM authentication."
  }
  assert {
    condition     = google_redis_cluster.this.persistence_config[0].mode == "AOF" && google_redis_cluster.this.persistence_config[0].aof_config[0].append_fsync == "EVERYSEC" && length(google_redis_cluster.this.persistence_config[0].rdb_config) == 0
    error_message = "AOF persistence, fsync every second, no RDB block."
  }
  assert {
    condition     = google_redis_cluster.this.deletion_protection_enabled
    error_message = "Deletion protection."
  }
  assert {
    condition     = google_redis_cluster.this.redis_configs["maxmemory-policy"] == "noeviction"
    error_message = "A full cluster refuses writes rather than dropping keys."
  }
  assert {
    condition     = google_redis_cluster.this.psc_configs[0].network == "projects/kv-api-prod/global/networks/kv-api"
    error_message = "PSC endpoints in the service's VPC."
  }
  assert {
    condition     = length(google_redis_cluster.this.automated_backup_config) == 1 && google_redis_cluster.this.automated_backup_config[0].retention == "1209600s"
    error_message = "Daily backups kept 14 days."
  }
  assert {
    condition     = google_redis_cluster.this.kms_key == null
    error_message = "No CMEK unless asked for."
  }
}

run "rdb_default" {
  command = plan

  variables {
    persistence = { mode = "RDB", rdb = {} }
    kms_key     = "projects/kms-p/locations/europe-west1/keyRings/redis/cryptoKeys/data"
  }

  assert {
    condition     = google_redis_cluster.this.persistence_config[0].rdb_config[0].rdb_snapshot_period == "ONE_HOUR" && length(google_redis_cluster.this.persistence_config[0].aof_config) == 0
    error_message = "RDB snapshots every hour."
  }
  assert {
    condition     = google_redis_cluster.this.kms_key == "projects/kms-p/locations/europe-west1/keyRings/redis/cryptoKeys/data"
    error_message = "CMEK key passed through."
  }
}

run "outputs" {
  command = apply

  override_resource {
    target = google_redis_cluster.this
    values = {
      discovery_endpoints = [{ address = "10.10.16.2", port = 6379, psc_config = [] }]
      managed_server_ca   = [{ ca_certs = [{ certificates = ["-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"] }] }]
    }
  }

  assert {
    condition     = output.discovery_endpoint_address == "10.10.16.2" && output.discovery_endpoint_port == 6379
    error_message = "Discovery endpoint outputs."
  }
  assert {
    condition     = length(output.ca_certificates) == 1 && startswith(output.ca_certificates[0], "-----BEGIN CERTIFICATE-----")
    error_message = "CA certificates, flattened to PEM strings."
  }
}
