# Input validation cases: the whole module is planned against a mocked google provider.
# pass_* runs must plan; fail_* runs change one input and must be rejected by the validation of
# the variable in expect_failures.
# expect_failures cannot check the message, so the expected one is kept as a comment.

mock_provider "google" {}

# Valid required inputs (production-like): tests/terraform.tfvars; each run changes at most what it names.

# The production inputs with module defaults.
run "pass_defaults" {
  command = plan
}

# Without dynamic port allocation, min ports need not be a power of two.
run "pass_nat_static_ports" {
  command = plan

  variables {
    nat_config = {
      enable_dynamic_port_allocation      = false
      enable_endpoint_independent_mapping = true
      min_ports_per_vm                    = 1000
    }
  }
}

# expect: subnet ranges must be valid IPv4 CIDR blocks
run "fail_cidr_host_bits" {
  command = plan

  variables {
    subnet = {
      ip_cidr_range = "10.10.0.0/20"
      secondary_ip_ranges = {
        pods     = { ip_cidr_range = "10.16.1.0/14" }
        services = { ip_cidr_range = "10.20.0.0/20" }
      }
    }
  }

  expect_failures = [var.subnet]
}

# expect: subnet.flow_logs.flow_sampling must be in (0, 1].
run "fail_flow_sampling" {
  command = plan

  variables {
    subnet = {
      ip_cidr_range = "10.10.0.0/20"
      secondary_ip_ranges = {
        pods     = { ip_cidr_range = "10.16.0.0/14" }
        services = { ip_cidr_range = "10.20.0.0/20" }
      }
      flow_logs = { flow_sampling = 0 }
    }
  }

  expect_failures = [var.subnet]
}

# expect: health_check_ingress needs at least one target tag and one port
run "fail_health_check_untargeted" {
  command = plan

  variables {
    health_check_ingress = { target_tags = [], ports = ["8080"] }
  }

  expect_failures = [var.health_check_ingress]
}

# expect: subnet ranges must be valid IPv4 CIDR blocks
run "fail_invalid_cidr" {
  command = plan

  variables {
    subnet = {
      ip_cidr_range = "10.10.0.300/20"
      secondary_ip_ranges = {
        pods     = { ip_cidr_range = "10.16.0.0/14" }
        services = { ip_cidr_range = "10.20.0.0/20" }
      }
    }
  }

  expect_failures = [var.subnet]
}

# expect: subnet ranges must be valid IPv4 CIDR blocks
run "fail_ipv6_cidr" {
  command = plan

  variables {
    subnet = {
      ip_cidr_range = "fd00::/64"
      secondary_ip_ranges = {
        pods     = { ip_cidr_range = "10.16.0.0/14" }
        services = { ip_cidr_range = "10.20.0.0/20" }
      }
    }
  }

  expect_failures = [var.subnet]
}

# expect: nat_config.log_filter must be ERRORS_ONLY or ALL
run "fail_nat_log_filter" {
  command = plan

  variables {
    nat_config = { log_filter = "NONE" }
  }

  expect_failures = [var.nat_config]
}

# expect: With dynamic port allocation, endpoint-independent mapping must be off
run "fail_nat_ports" {
  command = plan

  variables {
    nat_config = { min_ports_per_vm = 100 }
  }

  expect_failures = [var.nat_config]
}

# expect: nat_config.log_filter must be ERRORS_ONLY or ALL
run "fail_nat_translations_only" {
  command = plan

  variables {
    nat_config = { log_filter = "TRANSLATIONS_ONLY" }
  }

  expect_failures = [var.nat_config]
}

# expect: psc_policy.service_class must be a Memorystore service class
run "fail_psc_service_class" {
  command = plan

  variables {
    psc_policy = { service_class = "gcp-cloudsql" }
  }

  expect_failures = [var.psc_policy]
}

# expect: psc_subnet.ip_cidr_range must be /28 or larger
run "fail_psc_too_small" {
  command = plan

  variables {
    psc_subnet = { ip_cidr_range = "10.10.16.0/29" }
  }

  expect_failures = [var.psc_subnet]
}

# expect: The pods and services secondary ranges need different names.
run "fail_same_range_names" {
  command = plan

  variables {
    subnet = {
      ip_cidr_range = "10.10.0.0/20"
      secondary_ip_ranges = {
        pods     = { name = "ranges", ip_cidr_range = "10.16.0.0/14" }
        services = { name = "ranges", ip_cidr_range = "10.20.0.0/20" }
      }
    }
  }

  expect_failures = [var.subnet]
}

# expect: region must be a region name such as europe-west1.
run "fail_region" {
  command = plan

  variables {
    region = "europe-west1-b"
  }

  expect_failures = [var.region]
}

# expect: name must be a lowercase RFC1035 name of at most 42 characters
run "fail_name" {
  command = plan

  variables {
    name = "Kv-Api"
  }

  expect_failures = [var.name]
}

# expect: mtu must be between 1300 and 8896.
run "fail_mtu" {
  command = plan

  variables {
    mtu = 9000
  }

  expect_failures = [var.mtu]
}

# expect: subnet.flow_logs.aggregation_interval must be one of
run "fail_flow_logs_interval" {
  command = plan

  variables {
    subnet = { ip_cidr_range = "10.10.0.0/20", secondary_ip_ranges = { pods = { ip_cidr_range = "10.16.0.0/14" }, services = { ip_cidr_range = "10.20.0.0/20" } }, flow_logs = { aggregation_interval = "INTERVAL_1_SEC" } }
  }

  expect_failures = [var.subnet]
}

# expect: subnet.flow_logs.metadata must be INCLUDE_ALL_METADATA or EXCLUDE_ALL_METADATA.
run "fail_flow_logs_metadata" {
  command = plan

  variables {
    subnet = { ip_cidr_range = "10.10.0.0/20", secondary_ip_ranges = { pods = { ip_cidr_range = "10.16.0.0/14" }, services = { ip_cidr_range = "10.20.0.0/20" } }, flow_logs = { metadata = "CUSTOM_METADATA" } }
  }

  expect_failures = [var.subnet]
}

# expect: psc_subnet.ip_cidr_range must be a valid IPv4 CIDR block written with its network address.
run "fail_psc_cidr" {
  command = plan

  variables {
    psc_subnet = { ip_cidr_range = "10.10.16.1/26" }
  }

  expect_failures = [var.psc_subnet]
}

# expect: nat_config.min_ports_per_vm must not exceed max_ports_per_vm.
run "fail_nat_min_above_max" {
  command = plan

  variables {
    nat_config = { min_ports_per_vm = 8192, max_ports_per_vm = 4096 }
  }

  expect_failures = [var.nat_config]
}

# expect: health_check_ingress.ports must be port numbers or ranges
run "fail_health_check_port" {
  command = plan

  variables {
    health_check_ingress = { target_tags = ["kv-api-gke-node"], ports = ["http"] }
  }

  expect_failures = [var.health_check_ingress]
}
