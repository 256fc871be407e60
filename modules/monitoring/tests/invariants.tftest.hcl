# Production invariants of the planned and applied resources (mock_provider: nothing is created).

mock_provider "google" {}

variables {
  project_id       = "kv-api-prod"
  region           = "europe-west1"
  gke_cluster_name = "kv-api-prod"
  notification_channels = {
    oncall = { labels = { email_address = "oncall@example.com" }, severities = ["page"] }
    team   = { labels = { email_address = "team@example.com" }, severities = ["ticket"] }
  }
  uptime_check = { host = "kv.example.com" }
  redis        = { cluster_id = "kv-api-prod" }
}

run "one_metric_type_per_condition" {
  command = plan

  assert {
    condition = alltrue(flatten([for p in google_monitoring_alert_policy.threshold : [
      for c in p.conditions : length(regexall("metric\\.type *=", c.condition_threshold[0].filter)) == 1
    ]]))
    error_message = "Every threshold condition filter must name exactly one metric.type (the API rejects more)."
  }
  assert {
    condition     = length(google_monitoring_alert_policy.threshold["GkeNodeAllocatableHigh"].conditions) == 2 && google_monitoring_alert_policy.threshold["GkeNodeAllocatableHigh"].combiner == "OR"
    error_message = "GkeNodeAllocatableHigh watches CPU and memory as two conditions joined by OR."
  }
  assert {
    condition     = length(google_monitoring_alert_policy.threshold) == 6
    error_message = "Three GKE and three Redis threshold policies plus none for the disabled uptime check: ${length(google_monitoring_alert_policy.threshold)}."
  }
}

run "uptime_check_off_until_first_deploy" {
  command = plan

  assert {
    condition     = length(google_monitoring_uptime_check_config.endpoint) == 0 && !contains(keys(google_monitoring_alert_policy.threshold), "GcpUptimeCheckFailed")
    error_message = "By default neither the uptime check nor its page may exist (it would page before the first deploy)."
  }
}

run "uptime_check_on_the_real_host" {
  command = apply

  variables {
    uptime_check = { host = "kv.example.com", enabled = true }
  }

  assert {
    condition     = google_monitoring_uptime_check_config.endpoint["endpoint"].monitored_resource[0].labels.host == "kv.example.com"
    error_message = "The uptime check targets the host it is given."
  }
  assert {
    condition     = google_monitoring_uptime_check_config.endpoint["endpoint"].http_check[0].use_ssl && google_monitoring_uptime_check_config.endpoint["endpoint"].http_check[0].validate_ssl
    error_message = "The uptime check uses HTTPS and validates the certificate."
  }
  assert {
    condition     = strcontains(google_monitoring_alert_policy.threshold["GcpUptimeCheckFailed"].conditions[0].condition_threshold[0].filter, "metric.label.check_id = \"${google_monitoring_uptime_check_config.endpoint["endpoint"].uptime_check_id}\"")
    error_message = "The uptime alert watches this check."
  }
  assert {
    condition     = output.uptime_check_id == google_monitoring_uptime_check_config.endpoint["endpoint"].uptime_check_id
    error_message = "uptime_check_id output."
  }
}

run "channels_by_severity" {
  command = apply

  assert {
    condition     = google_monitoring_notification_channel.this["oncall"].type == "email" && google_monitoring_notification_channel.this["oncall"].labels.email_address == "oncall@example.com"
    error_message = "The on-call channel is created here as an e-mail channel."
  }
  assert {
    condition = alltrue([for k, p in google_monitoring_alert_policy.burn_rate :
      p.notification_channels == (startswith(k, "availability-fast") || startswith(k, "latency-fast") ?
        tolist([google_monitoring_notification_channel.this["oncall"].name]) :
    tolist([google_monitoring_notification_channel.this["team"].name]))])
    error_message = "Fast burn pages the on-call channel, slow burn goes to the team channel only."
  }
  assert {
    condition     = google_monitoring_alert_policy.threshold["GkeContainerRestarts"].notification_channels == tolist([google_monitoring_notification_channel.this["team"].name])
    error_message = "Ticket alerts go to the ticket channel."
  }
}

run "slos_on_exported_ingress_metrics" {
  command = plan

  assert {
    condition = alltrue([for f in [
      google_monitoring_slo.availability.request_based_sli[0].good_total_ratio[0].total_service_filter,
      google_monitoring_slo.availability.request_based_sli[0].good_total_ratio[0].bad_service_filter,
      ] : strcontains(f, "metric.type = \"prometheus.googleapis.com/nginx_ingress_controller_requests/counter\"") &&
      strcontains(f, "resource.label.namespace = \"ingress-nginx\"") &&
      strcontains(f, "resource.label.cluster = \"kv-api-prod\"") &&
    strcontains(f, "metric.label.service = \"kv-api\"")])
    error_message = "The availability SLO counts ingress-nginx requests of the kv-api Service, scraped by managed collection in the ingress-nginx namespace of this cluster."
  }
  assert {
    condition     = strcontains(google_monitoring_slo.latency.request_based_sli[0].distribution_cut[0].distribution_filter, "metric.type = \"prometheus.googleapis.com/nginx_ingress_controller_request_duration_seconds/histogram\"") && google_monitoring_slo.latency.request_based_sli[0].distribution_cut[0].range[0].max == 0.1
    error_message = "The latency SLO cuts the ingress histogram at 0.1 s."
  }
  assert {
    condition     = google_monitoring_slo.availability.goal == 0.9999 && google_monitoring_slo.latency.goal == 0.999 && google_monitoring_slo.availability.rolling_period_days == 30
    error_message = "Default goals 99.99% and 99.9% over 30 days."
  }
}

run "burn_rate_multi_window" {
  command = plan

  assert {
    condition     = length(google_monitoring_alert_policy.burn_rate) == 8
    error_message = "Four tiers for each of the two SLOs."
  }
  assert {
    condition = alltrue([for p in google_monitoring_alert_policy.burn_rate :
    p.combiner == "AND" && length(p.conditions) == 2 && alltrue([for c in p.conditions : startswith(c.condition_threshold[0].filter, "select_slo_burn_rate(")])])
    error_message = "Each burn-rate policy has a long and a short window joined by AND."
  }
  assert {
    condition     = google_monitoring_alert_policy.burn_rate["availability-fast-1h"].conditions[0].condition_threshold[0].threshold_value == 14.4
    error_message = "The fast tier burns at 14.4x."
  }
}
