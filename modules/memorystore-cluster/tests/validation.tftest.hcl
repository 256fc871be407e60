# Input validation cases: the whole module is planned against a mocked google provider.
# pass_* runs must plan; fail_* runs change one input and must be rejected by the validation of
# the variable in expect_failures.
# expect_failures cannot check the message, so the expected one is kept as a comment.

mock_provider "google" {}

# Valid required inputs (production-like); each run changes at most what it names.
variables {
  project_id = "kv-api-prod"
  region     = "europe-west1"
  name       = "kv-api-prod"
  network    = "projects/kv-api-prod/global/networks/kv-api"
}

run "pass_aof" {
  command = plan

  variables {
    persistence   = { mode = "AOF", aof = { append_fsync = "EVERYSEC" } }
    replica_count = 2
  }
}

# Defaults: 3 shards, 1 replica, RDB hourly, IAM auth, noeviction, Sunday 03:00.
run "pass_defaults" {
  command = plan
}

run "pass_disabled_no_backup" {
  command = plan

  variables {
    persistence      = { mode = "DISABLED" }
    automated_backup = null
  }
}

# expect: persistence.aof.append_fsync must be NO, EVERYSEC or ALWAYS.
run "fail_aof_fsync" {
  command = plan

  variables {
    persistence = { mode = "AOF", aof = { append_fsync = "SOMETIMES" } }
  }

  expect_failures = [var.persistence]
}

# expect: automated_backup.retention must be a duration in seconds
run "fail_backup_retention" {
  command = plan

  variables {
    automated_backup = { retention = "14d" }
  }

  expect_failures = [var.automated_backup]
}

# expect: redis_configs maxmemory-policy must be a Redis eviction policy
run "fail_eviction_policy" {
  command = plan

  variables {
    redis_configs = { "maxmemory-policy" = "evict-everything" }
  }

  expect_failures = [var.redis_configs]
}

# expect: maintenance_window.day must be a weekday name in capitals
run "fail_maintenance_day" {
  command = plan

  variables {
    maintenance_window = { day = "Sunday" }
  }

  expect_failures = [var.maintenance_window]
}

# expect: maintenance_window.start_hour must be an integer hour 0-23.
run "fail_maintenance_hour" {
  command = plan

  variables {
    maintenance_window = { start_hour = 24 }
  }

  expect_failures = [var.maintenance_window]
}

# expect: network must be a network id
run "fail_network_id" {
  command = plan

  variables {
    network = "https://www.googleapis.com/compute/v1/projects/kv-api-prod/global/networks/kv-api"
  }

  expect_failures = [var.network]
}

# expect: replica_count must be 1 or 2
run "fail_no_replica" {
  command = plan

  variables {
    replica_count = 0
  }

  expect_failures = [var.replica_count]
}

# expect: persistence.rdb may only be set with mode RDB, and persistence.aof only with mode AOF.
run "fail_persistence_disabled_with_aof" {
  command = plan

  variables {
    persistence = { mode = "DISABLED", aof = {} }
  }

  expect_failures = [var.persistence]
}

# expect: persistence.rdb may only be set with mode RDB, and persistence.aof only with mode AOF.
run "fail_persistence_mismatch" {
  command = plan

  variables {
    persistence = { mode = "AOF", rdb = { snapshot_period = "ONE_HOUR" } }
  }

  expect_failures = [var.persistence]
}

# expect: persistence.mode must be DISABLED, RDB or AOF.
run "fail_persistence_mode" {
  command = plan

  variables {
    persistence = { mode = "SNAPSHOT" }
  }

  expect_failures = [var.persistence]
}

# expect: persistence.rdb.snapshot_period must be ONE_HOUR, SIX_HOURS, TWELVE_HOURS or TWENTY_FOUR_HOURS.
run "fail_rdb_period" {
  command = plan

  variables {
    persistence = { mode = "RDB", rdb = { snapshot_period = "HOURLY" } }
  }

  expect_failures = [var.persistence]
}

# expect: shard_count must be an integer between 1 and 250.
run "fail_shard_count_fraction" {
  command = plan

  variables {
    shard_count = 2.5
  }

  expect_failures = [var.shard_count]
}

# expect: shard_count must be an integer between 1 and 250.
run "fail_shard_count" {
  command = plan

  variables {
    shard_count = 0
  }

  expect_failures = [var.shard_count]
}

# expect: node_type must be REDIS_STANDARD_SMALL, REDIS_HIGHMEM_MEDIUM or REDIS_HIGHMEM_XLARGE
run "fail_shared_core_node" {
  command = plan

  variables {
    node_type = "REDIS_SHARED_CORE_NANO"
  }

  expect_failures = [var.node_type]
}

# expect: name must be a lowercase RFC1035 name of at most 63 characters.
run "fail_name" {
  command = plan

  variables {
    name = "KV-API"
  }

  expect_failures = [var.name]
}

# expect: authorization_mode must be AUTH_MODE_IAM_AUTH or AUTH_MODE_DISABLED.
run "fail_authorization_mode" {
  command = plan

  variables {
    authorization_mode = "AUTH_MODE_PASSWORD"
  }

  expect_failures = [var.authorization_mode]
}

# expect: automated_backup.start_hour must be an hour 0-23.
run "fail_backup_hour" {
  command = plan

  variables {
    automated_backup = { start_hour = 24 }
  }

  expect_failures = [var.automated_backup]
}

# expect: persistence.rdb.snapshot_start_time must be an RFC 3339 timestamp.
run "fail_rdb_start_time" {
  command = plan

  variables {
    persistence = { mode = "RDB", rdb = { snapshot_start_time = "03:00" } }
  }

  expect_failures = [var.persistence]
}

# expect: kms_key must be a Cloud KMS key name
run "fail_kms_key" {
  command = plan

  variables {
    kms_key = "redis-key"
  }

  expect_failures = [var.kms_key]
}
