# Input validation cases: the whole module is planned against a mocked google provider.
# pass_* runs must plan; fail_* runs change one input and must be rejected by the validation of
# the variable in expect_failures.
# expect_failures cannot check the message, so the expected one is kept as a comment.

mock_provider "google" {}

# Valid required inputs (production-like): tests/terraform.tfvars; each run changes at most what it names.

# Production-like inputs with module defaults (maintenance window, access, observability).
run "pass_defaults" {
  command = plan
}

run "pass_per_zone_autoscaling_and_exclusion" {
  command = plan

  variables {
    node_pools = {
      kv-api = {
        autoscaling = { min_node_count = 1, max_node_count = 10 }
        taints      = [{ key = "dedicated", value = "kv-api", effect = "NO_SCHEDULE" }]
      }
    }
    maintenance_config = {
      exclusions = [{ name = "peak", start_time = "2025-11-20T00:00:00Z", end_time = "2025-12-02T00:00:00Z" }]
    }
    access_config = {
      ip_endpoint = { enabled = false }
    }
  }
}

run "pass_system_metrics_without_prometheus" {
  command = plan

  variables {
    features      = { managed_prometheus = false }
    observability = { monitoring_components = ["SYSTEM_COMPONENTS"] }
  }
}

# expect: authorized_ranges values must be IPv4 CIDR blocks
run "fail_authorized_range_ipv6" {
  command = plan

  variables {
    access_config = {
      ip_endpoint = { authorized_ranges = { office = "2001:db8::/32" } }
    }
  }

  expect_failures = [var.access_config]
}

# expect: authorized_ranges values must be IPv4 CIDR blocks
run "fail_authorized_range" {
  command = plan

  variables {
    access_config = {
      ip_endpoint = { authorized_ranges = { office = "192.168.1.1/24" } }
    }
  }

  expect_failures = [var.access_config]
}

# expect: Each node pool sets either min_node_count and max_node_count, or total_min_node_count and total_max_node_count.
run "fail_both_autoscaling_modes" {
  command = plan

  variables {
    node_pools = {
      kv-api = {
        autoscaling = { min_node_count = 1, max_node_count = 5, total_min_node_count = 3, total_max_node_count = 30 }
      }
    }
  }

  expect_failures = [var.node_pools]
}

# expect: Leave at least one way to the control plane
run "fail_control_plane_unreachable" {
  command = plan

  variables {
    access_config = {
      dns_endpoint = { allow_external_traffic = false }
      ip_endpoint  = { enabled = false }
    }
  }

  expect_failures = [var.access_config]
}

# expect: with end_time after start_time
run "fail_exclusion_ends_before_start" {
  command = plan

  variables {
    maintenance_config = {
      exclusions = [{ name = "peak", start_time = "2025-12-02T00:00:00Z", end_time = "2025-11-20T00:00:00Z" }]
    }
  }

  expect_failures = [var.maintenance_config]
}

# expect: Exclusion scope must be NO_UPGRADES, NO_MINOR_UPGRADES or NO_MINOR_OR_NODE_UPGRADES.
run "fail_exclusion_scope" {
  command = plan

  variables {
    maintenance_config = {
      exclusions = [{ name = "peak", start_time = "2025-11-20T00:00:00Z", end_time = "2025-12-02T00:00:00Z", scope = "ALL" }]
    }
  }

  expect_failures = [var.maintenance_config]
}

# expect: Kube state, kubelet and cAdvisor metrics need features.managed_prometheus.
# The rule sits on observability: its default monitoring_components need managed Prometheus.
run "fail_kube_state_without_prometheus" {
  command = plan

  variables {
    features = { managed_prometheus = false }
  }

  expect_failures = [var.observability]
}

# expect: Node pool autoscaling needs 0 <= min <= max and max > 0.
run "fail_min_above_max" {
  command = plan

  variables {
    node_pools = {
      kv-api = {
        autoscaling = { total_min_node_count = 10, total_max_node_count = 3 }
      }
    }
  }

  expect_failures = [var.node_pools]
}

# expect: SYSTEM_COMPONENTS is required whenever any logging or monitoring component is enabled.
run "fail_monitoring_without_system" {
  command = plan

  variables {
    observability = { monitoring_components = ["POD"] }
  }

  expect_failures = [var.observability]
}

# expect: At least one node pool is needed
run "fail_no_node_pool" {
  command = plan

  variables {
    node_pools = {}
  }

  expect_failures = [var.node_pools]
}

# expect: upgrade_settings: max_surge and max_unavailable must be >= 0 and not both 0.
run "fail_no_surge" {
  command = plan

  variables {
    node_pools = {
      kv-api = {
        autoscaling      = { total_min_node_count = 3, total_max_node_count = 30 }
        upgrade_settings = { max_surge = 0, max_unavailable = 0 }
      }
    }
  }

  expect_failures = [var.node_pools]
}

# expect: The node service account must not hold basic roles
run "fail_node_sa_editor" {
  command = plan

  variables {
    node_service_account = { project_roles = ["roles/editor"] }
  }

  expect_failures = [var.node_service_account]
}

# expect: release_channel must be RAPID, REGULAR, STABLE or EXTENDED.
run "fail_release_channel" {
  command = plan

  variables {
    release_channel = "UNSPECIFIED"
  }

  expect_failures = [var.release_channel]
}

# expect: Taint effect must be NO_SCHEDULE, PREFER_NO_SCHEDULE or NO_EXECUTE.
run "fail_taint_effect" {
  command = plan

  variables {
    node_pools = {
      kv-api = {
        autoscaling = { total_min_node_count = 3, total_max_node_count = 30 }
        taints      = [{ key = "a", value = "b", effect = "NoSchedule" }]
      }
    }
  }

  expect_failures = [var.node_pools]
}

# expect: node_locations must list at least three distinct zones.
run "fail_two_zones" {
  command = plan

  variables {
    node_locations = ["europe-west1-b", "europe-west1-c"]
  }

  expect_failures = [var.node_locations]
}

# expect: Every zone in node_locations must belong to var.region.
run "fail_zone_outside_region" {
  command = plan

  variables {
    node_locations = ["europe-west1-b", "europe-west1-c", "europe-west4-a"]
  }

  expect_failures = [var.node_locations]
}

# expect: name must be a lowercase RFC1035 name of at most 40 characters.
run "fail_name" {
  command = plan

  variables {
    name = "kv-api-production-cluster-europe-west1-b1"
  }

  expect_failures = [var.name]
}

# expect: Maintenance exclusion names must be unique.
run "fail_exclusion_names_not_unique" {
  command = plan

  variables {
    maintenance_config = { exclusions = [{ name = "freeze", start_time = "2025-11-20T00:00:00Z", end_time = "2025-11-25T00:00:00Z" }, { name = "freeze", start_time = "2025-12-20T00:00:00Z", end_time = "2025-12-25T00:00:00Z" }] }
  }

  expect_failures = [var.maintenance_config]
}

# expect: recurring_window.recurrence must be an RFC 5545 RRULE
run "fail_recurrence_not_rrule" {
  command = plan

  variables {
    maintenance_config = { recurring_window = { start_time = "2025-01-04T01:00:00Z", end_time = "2025-01-04T07:00:00Z", recurrence = "weekends" } }
  }

  expect_failures = [var.maintenance_config]
}

# expect: logging_components may hold SYSTEM_COMPONENTS, APISERVER, CONTROLLER_MANAGER, SCHEDULER, WORKLOADS.
run "fail_logging_component" {
  command = plan

  variables {
    observability = { logging_components = ["SYSTEM_COMPONENTS", "EVERYTHING"] }
  }

  expect_failures = [var.observability]
}

# expect: monitoring_components holds an unknown component.
run "fail_monitoring_component" {
  command = plan

  variables {
    observability = { monitoring_components = ["SYSTEM_COMPONENTS", "NODES"] }
  }

  expect_failures = [var.observability]
}

# expect: node_service_account.account_id must be 6-30 lowercase letters
run "fail_node_sa_account_id" {
  command = plan

  variables {
    node_service_account = { account_id = "kv-api-production-europe-west1-nodes" }
  }

  expect_failures = [var.node_service_account]
}

# expect: encryption keys must be Cloud KMS key names
run "fail_cmek_key_name" {
  command = plan

  variables {
    encryption = { database_kms_key = "etcd-key" }
  }

  expect_failures = [var.encryption]
}

# expect: autoscaling.location_policy must be BALANCED or ANY.
run "fail_location_policy" {
  command = plan

  variables {
    node_pools = { kv-api = { autoscaling = { total_min_node_count = 3, total_max_node_count = 30, location_policy = "ZONAL" } } }
  }

  expect_failures = [var.node_pools]
}

# expect: disk_type must be pd-standard, pd-balanced, pd-ssd or hyperdisk-balanced.
run "fail_disk_type" {
  command = plan

  variables {
    node_pools = { kv-api = { disk_type = "local-ssd", autoscaling = { total_min_node_count = 3, total_max_node_count = 30 } } }
  }

  expect_failures = [var.node_pools]
}

# expect: authorized_ranges only apply when ip_endpoint.enabled is true.
run "fail_authorized_ranges_without_ip_endpoint" {
  command = plan

  variables {
    access_config = { ip_endpoint = { enabled = false, authorized_ranges = { office = "10.0.0.0/8" } } }
  }

  expect_failures = [var.access_config]
}
