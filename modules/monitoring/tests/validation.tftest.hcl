# Input validation cases: the whole module is planned against a mocked google provider.
# pass_* runs must plan; fail_* runs change one input and must be rejected by the validation of
# the variable in expect_failures.
# expect_failures cannot check the message, so the expected one is kept as a comment.

mock_provider "google" {}

# Valid required inputs (production-like); each run changes at most what it names.
variables {
  project_id            = "kv-api-prod"
  region                = "europe-west1"
  gke_cluster_name      = "kv-api-prod"
  notification_channels = { oncall = { labels = { email_address = "oncall@example.com" }, severities = ["page"] } }
  uptime_check          = { host = "kv.example.com", enabled = true }
}

# Defaults: 99.99% / 99.9% over 30 days, four SRE-workbook tiers, no Redis alerts.
run "pass_defaults" {
  command = plan
}

run "pass_redis_and_ticket_channel" {
  command = plan

  variables {
    redis = { cluster_id = "kv-api-prod", memory_utilization_ratio = 0.85 }
    notification_channels = {
      oncall = { labels = { email_address = "oncall@example.com" }, severities = ["page"] }
      queue  = { type = "pubsub", labels = { topic = "projects/kv-api-prod/topics/alerts" }, severities = ["ticket"] }
    }
  }
}

# expect: burn_rate_alerts severity must be page or ticket.
run "fail_burn_severity" {
  command = plan

  variables {
    burn_rate_alerts = { fast = { long_window_s = 3600, short_window_s = 300, burn_rate = 14.4, severity = "CRITICAL" } }
  }

  expect_failures = [var.burn_rate_alerts]
}

# expect: burn_rate_alerts need 60 <= short_window_s < long_window_s and a positive burn_rate.
run "fail_burn_windows" {
  command = plan

  variables {
    burn_rate_alerts = { fast = { long_window_s = 300, short_window_s = 3600, burn_rate = 14.4, severity = "page" } }
  }

  expect_failures = [var.burn_rate_alerts]
}

# expect: notification_channels type must be email or pubsub (types without secret labels).
run "fail_channel_type" {
  command = plan

  variables {
    notification_channels = { pd = { type = "pagerduty", labels = { service_key = "x" }, severities = ["page"] } }
  }

  expect_failures = [var.notification_channels]
}

# expect: slo goals must be ratios above 0 and at most 0.9999
run "fail_goal_percent" {
  command = plan

  variables {
    slo = { availability_goal = 99.99 }
  }

  expect_failures = [var.slo]
}

# expect: uptime_check.host must be a bare host name
run "fail_host_with_scheme" {
  command = plan

  variables {
    uptime_check = { host = "https://kv.example.com" }
  }

  expect_failures = [var.uptime_check]
}

# expect: At least one notification channel must receive page
run "fail_no_page_channel" {
  command = plan

  variables {
    notification_channels = { team = { labels = { email_address = "team@example.com" }, severities = ["ticket"] } }
  }

  expect_failures = [var.notification_channels]
}

# expect: redis utilization thresholds must be ratios strictly between 0 and 1.
run "fail_redis_ratio" {
  command = plan

  variables {
    redis = { cluster_id = "kv-api-prod", memory_utilization_ratio = 80 }
  }

  expect_failures = [var.redis]
}

# expect: slo.rolling_period_days must be an integer between 1 and 30.
run "fail_rolling_period" {
  command = plan

  variables {
    slo = { rolling_period_days = 90 }
  }

  expect_failures = [var.slo]
}

# expect: runbook_base_url must be an https URL ending with /.
run "fail_runbook_url" {
  command = plan

  variables {
    runbook_base_url = "https://gitlab.com/example/kv-api/-/blob/main/docs/runbooks"
  }

  expect_failures = [var.runbook_base_url]
}

# expect: uptime_check.regions must name at least 3 distinct regions
run "fail_two_regions" {
  command = plan

  variables {
    uptime_check = { host = "kv.example.com", regions = ["EUROPE", "USA_OREGON"] }
  }

  expect_failures = [var.uptime_check]
}

# expect: uptime_check.regions must be among USA, EUROPE
run "fail_unknown_region" {
  command = plan

  variables {
    uptime_check = { host = "kv.example.com", regions = ["EUROPE", "USA_OREGON", "MARS"] }
  }

  expect_failures = [var.uptime_check]
}

# expect: uptime_check.period must be 60s, 300s, 600s or 900s.
run "fail_uptime_period" {
  command = plan

  variables {
    uptime_check = { host = "kv.example.com", period = "30s" }
  }

  expect_failures = [var.uptime_check]
}

# expect: slo goals must be ratios above 0 and at most 0.9999
run "fail_goal_above_api_bound" {
  command = plan

  variables {
    slo = { availability_goal = 0.99995 }
  }

  expect_failures = [var.slo]
}

# expect: slo.latency_threshold_s must be positive.
run "fail_latency_threshold" {
  command = plan

  variables {
    slo = { latency_threshold_s = 0 }
  }

  expect_failures = [var.slo]
}

# expect: notification_channels severities must be a non-empty list of page and ticket.
run "fail_channel_severity" {
  command = plan

  variables {
    notification_channels = { oncall = { labels = { email_address = "oncall@example.com" }, severities = ["page", "critical"] } }
  }

  expect_failures = [var.notification_channels]
}

# expect: An email channel needs labels.email_address
run "fail_email_channel_without_address" {
  command = plan

  variables {
    notification_channels = { oncall = { labels = { address = "oncall@example.com" }, severities = ["page"] } }
  }

  expect_failures = [var.notification_channels]
}

# expect: a pubsub channel needs labels.topic = projects/P/topics/T.
run "fail_pubsub_channel_without_topic" {
  command = plan

  variables {
    notification_channels = { oncall = { type = "pubsub", labels = { topic = "alerts" }, severities = ["page"] } }
  }

  expect_failures = [var.notification_channels]
}

# expect: uptime_check.path must start with /.
run "fail_uptime_path" {
  command = plan

  variables {
    uptime_check = { host = "kv.example.com", path = "healthz" }
  }

  expect_failures = [var.uptime_check]
}

# expect: uptime_check.timeout must be between 1s and 60s.
run "fail_uptime_timeout" {
  command = plan

  variables {
    uptime_check = { host = "kv.example.com", timeout = "61s" }
  }

  expect_failures = [var.uptime_check]
}

# expect: uptime_check.failing_regions_threshold must be lower than the number of regions.
run "fail_failing_regions_threshold" {
  command = plan

  variables {
    uptime_check = { host = "kv.example.com", failing_regions_threshold = 3 }
  }

  expect_failures = [var.uptime_check]
}

# expect: project_id must be a valid project id
run "fail_project_id" {
  command = plan

  variables {
    project_id = "KV_API"
  }

  expect_failures = [var.project_id]
}

# expect: region must be a region name such as europe-west1.
run "fail_region" {
  command = plan

  variables {
    region = "europe-west1-b"
  }

  expect_failures = [var.region]
}

# expect: gke_cluster_name must be a GKE cluster name
run "fail_cluster_name" {
  command = plan

  variables {
    gke_cluster_name = "KV-API"
  }

  expect_failures = [var.gke_cluster_name]
}

# expect: gke utilization thresholds must be ratios in (0, 1].
run "fail_gke_ratio" {
  command = plan

  variables {
    gke = { container_memory_limit_ratio = 90 }
  }

  expect_failures = [var.gke]
}
