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
  notification_channels = { page = ["projects/kv-api-prod/notificationChannels/1234567890"] }
  uptime_check          = { host = "kv.example.com" }
}

# Defaults: 99.99% / 99.9% over 30 days, four SRE-workbook tiers, no Redis alerts.
run "pass_defaults" {
  command = plan
}

run "pass_redis_and_ticket_channel" {
  command = plan

  variables {
    redis                 = { cluster_id = "kv-api-prod", memory_utilization_ratio = 0.85 }
    notification_channels = { page = ["projects/kv-api-prod/notificationChannels/1"], ticket = ["projects/kv-api-prod/notificationChannels/2"] }
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

# expect: notification_channels entries must be ids of the form projects/PROJECT/notificationChannels/NUMBER.
run "fail_channel_id" {
  command = plan

  variables {
    notification_channels = { page = ["pagerduty-prod"] }
  }

  expect_failures = [var.notification_channels]
}

# expect: slo goals must be ratios strictly between 0 and 1
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

# expect: notification_channels.page needs at least one channel
run "fail_no_page_channel" {
  command = plan

  variables {
    notification_channels = { page = [] }
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
