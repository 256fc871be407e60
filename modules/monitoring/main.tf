locals {
  severity = { page = "CRITICAL", ticket = "WARNING" }
  # Channel names per severity, from the channels this module creates.
  channels = {
    for sev in ["page", "ticket"] : sev => [
      for k, c in var.notification_channels : google_monitoring_notification_channel.this[k].name if contains(c.severities, sev)
    ]
  }

  # Managed Service for Prometheus series of ingress-nginx for the service, scraped by the
  # PodMonitoring of docs/adr/0014 (docs/adr/0043).
  gmp_ingress = join(" AND ", [
    "resource.type = \"prometheus_target\"",
    "resource.label.cluster = \"${var.gke_cluster_name}\"",
    "resource.label.namespace = \"${var.workload.ingress_namespace}\"",
    "metric.label.service = \"${var.workload.ingress_service}\"",
  ])

  slos = {
    availability = {
      display = "kv-api availability: non-5xx share of requests at the ingress"
      goal    = var.slo.availability_goal
    }
    latency = {
      display = "kv-api latency: share of requests served under ${var.slo.latency_threshold_s * 1000} ms at the ingress"
      goal    = var.slo.latency_goal
    }
  }

  burn_rate = {
    for pair in setproduct(keys(local.slos), keys(var.burn_rate_alerts)) : "${pair[0]}-${pair[1]}" => merge(
      var.burn_rate_alerts[pair[1]], { slo = pair[0], tier = pair[1] }
    )
  }

  gke_node      = "resource.type = \"k8s_node\" AND resource.label.cluster_name = \"${var.gke_cluster_name}\""
  gke_container = "resource.type = \"k8s_container\" AND resource.label.cluster_name = \"${var.gke_cluster_name}\" AND resource.label.namespace_name = \"${var.workload.namespace}\""

  # Threshold policies; keys are the runbook page names.
  # A condition filter names exactly one metric type (the API rejects more): a policy over
  # two metrics has two conditions, joined by OR.
  threshold_alerts = merge(
    merge([for c in google_monitoring_uptime_check_config.endpoint : {
      GcpUptimeCheckFailed = {
        display   = "kv-api public endpoint fails uptime checks from more than ${var.uptime_check.failing_regions_threshold} region(s)"
        filters   = { check_passed = "metric.type = \"monitoring.googleapis.com/uptime_check/check_passed\" AND resource.type = \"uptime_url\" AND metric.label.check_id = \"${c.uptime_check_id}\"" }
        aligner   = "ALIGN_NEXT_OLDER"
        period    = "1200s"
        reducer   = "REDUCE_COUNT_FALSE"
        group_by  = ["resource.label.*"]
        threshold = var.uptime_check.failing_regions_threshold
        duration  = "60s"
        severity  = "page"
      }
    }]...),
    {
      GkeNodeAllocatableHigh = {
        display = "GKE node CPU or memory above ${var.gke.node_allocatable_utilization_ratio * 100}% of allocatable for 15 minutes"
        filters = {
          cpu    = "${local.gke_node} AND metric.type = \"kubernetes.io/node/cpu/allocatable_utilization\""
          memory = "${local.gke_node} AND metric.type = \"kubernetes.io/node/memory/allocatable_utilization\" AND metric.label.memory_type = \"non-evictable\""
        }
        aligner   = "ALIGN_MEAN"
        period    = "300s"
        reducer   = null
        group_by  = []
        threshold = var.gke.node_allocatable_utilization_ratio
        duration  = "900s"
        severity  = "ticket"
      }
      GkeContainerRestarts = {
        display   = "kv-api containers restart more than ${var.gke.container_restarts_per_10m} times in 10 minutes"
        filters   = { value = "${local.gke_container} AND metric.type = \"kubernetes.io/container/restart_count\"" }
        aligner   = "ALIGN_DELTA"
        period    = "600s"
        reducer   = "REDUCE_SUM"
        group_by  = ["resource.label.pod_name"]
        threshold = var.gke.container_restarts_per_10m
        duration  = "0s"
        severity  = "ticket"
      }
      GkeContainerMemoryNearLimit = {
        display   = "kv-api container memory above ${var.gke.container_memory_limit_ratio * 100}% of its limit for 5 minutes"
        filters   = { value = "${local.gke_container} AND metric.type = \"kubernetes.io/container/memory/limit_utilization\" AND metric.label.memory_type = \"non-evictable\"" }
        aligner   = "ALIGN_MAX"
        period    = "60s"
        reducer   = null
        group_by  = []
        threshold = var.gke.container_memory_limit_ratio
        duration  = "300s"
        severity  = "ticket"
      }
    },
    local.redis_alerts,
  )
}

locals {
  # Zero or one Memorystore cluster: a for over a list avoids a conditional between
  # object types that Terraform cannot unify.
  redis_alerts = merge([for r in [for c in(var.redis == null ? [] : [var.redis]) : merge(c, {
    base = "resource.type = \"redis.googleapis.com/Cluster\" AND resource.label.cluster_id = \"${c.cluster_id}\" AND resource.label.location = \"${var.region}\""
    })] : {
    GcpRedisMemoryHigh = {
      display   = "Memorystore ${r.cluster_id}: memory above ${r.memory_utilization_ratio * 100}% (noeviction: writes fail when full)"
      filters   = { value = "${r.base} AND metric.type = \"redis.googleapis.com/cluster/memory/maximum_utilization\"" }
      aligner   = "ALIGN_MAX"
      period    = "60s"
      reducer   = null
      group_by  = []
      threshold = r.memory_utilization_ratio
      duration  = "${r.sustained_for_seconds}s"
      severity  = "ticket"
    }
    GcpRedisCpuHigh = {
      display   = "Memorystore ${r.cluster_id}: primary CPU above ${r.cpu_utilization_ratio * 100}%"
      filters   = { value = "${r.base} AND metric.type = \"redis.googleapis.com/cluster/cpu/maximum_utilization\" AND metric.label.role = \"primary\"" }
      aligner   = "ALIGN_MAX"
      period    = "60s"
      reducer   = null
      group_by  = []
      threshold = r.cpu_utilization_ratio
      duration  = "${r.sustained_for_seconds}s"
      severity  = "ticket"
    }
    GcpRedisReplicationLag = {
      display   = "Memorystore ${r.cluster_id}: replica acknowledgement lag above ${r.replication_lag_seconds}s (failover would lose writes)"
      filters   = { value = "${r.base} AND metric.type = \"redis.googleapis.com/cluster/replication/maximum_ack_lag\"" }
      aligner   = "ALIGN_MAX"
      period    = "60s"
      reducer   = null
      group_by  = []
      threshold = r.replication_lag_seconds
      duration  = "${r.sustained_for_seconds}s"
      severity  = "ticket"
    }
  }]...)
}

resource "google_monitoring_notification_channel" "this" {
  for_each     = var.notification_channels
  project      = var.project_id
  type         = each.value.type
  display_name = coalesce(each.value.display_name, "kv-api ${join("+", each.value.severities)} ${each.key}")
  labels       = each.value.labels
  user_labels  = var.labels
}

# Off until the service answers on its host: a check created before the first deploy
# would page on day one (docs/terraform.md, "First deploy").
resource "google_monitoring_uptime_check_config" "endpoint" {
  for_each         = var.uptime_check.enabled ? { endpoint = var.uptime_check } : {}
  project          = var.project_id
  display_name     = "kv-api ${var.uptime_check.host}${var.uptime_check.path}"
  period           = var.uptime_check.period
  timeout          = var.uptime_check.timeout
  selected_regions = var.uptime_check.regions
  checker_type     = "STATIC_IP_CHECKERS"
  user_labels      = var.labels

  http_check {
    path           = var.uptime_check.path
    port           = var.uptime_check.port
    use_ssl        = true
    validate_ssl   = true
    request_method = "GET"
    accepted_response_status_codes {
      status_class = "STATUS_CLASS_2XX"
    }
  }

  monitored_resource {
    type = "uptime_url"
    labels = {
      project_id = var.project_id
      host       = var.uptime_check.host
    }
  }

  content_matchers {
    content = var.uptime_check.content
    matcher = "CONTAINS_STRING"
  }
}

resource "google_monitoring_custom_service" "this" {
  project      = var.project_id
  service_id   = "kv-api"
  display_name = "kv-api"
  user_labels  = var.labels
}

resource "google_monitoring_slo" "availability" {
  project             = var.project_id
  service             = google_monitoring_custom_service.this.service_id
  slo_id              = "availability"
  display_name        = local.slos.availability.display
  goal                = local.slos.availability.goal
  rolling_period_days = var.slo.rolling_period_days
  user_labels         = var.labels

  request_based_sli {
    good_total_ratio {
      bad_service_filter   = "metric.type = \"prometheus.googleapis.com/nginx_ingress_controller_requests/counter\" AND ${local.gmp_ingress} AND metric.label.status = monitoring.regex.full_match(\"5..\")"
      total_service_filter = "metric.type = \"prometheus.googleapis.com/nginx_ingress_controller_requests/counter\" AND ${local.gmp_ingress}"
    }
  }
}

resource "google_monitoring_slo" "latency" {
  project             = var.project_id
  service             = google_monitoring_custom_service.this.service_id
  slo_id              = "latency"
  display_name        = local.slos.latency.display
  goal                = local.slos.latency.goal
  rolling_period_days = var.slo.rolling_period_days
  user_labels         = var.labels

  request_based_sli {
    distribution_cut {
      distribution_filter = "metric.type = \"prometheus.googleapis.com/nginx_ingress_controller_request_duration_seconds/histogram\" AND ${local.gmp_ingress}"
      range {
        max = var.slo.latency_threshold_s
      }
    }
  }
}

locals {
  slo_names = {
    availability = google_monitoring_slo.availability.name
    latency      = google_monitoring_slo.latency.name
  }
}

# Multi-window burn rate: both windows must exceed the rate (combiner AND), so the
# alert fires fast on a big burn and clears soon after the errors stop.
resource "google_monitoring_alert_policy" "burn_rate" {
  for_each = local.burn_rate

  project               = var.project_id
  display_name          = "kv-api ${each.value.slo} SLO: error budget burning ${each.value.burn_rate}x (${each.value.long_window_s / 3600}h and ${each.value.short_window_s / 60}m)"
  combiner              = "AND"
  severity              = local.severity[each.value.severity]
  notification_channels = local.channels[each.value.severity]
  user_labels           = merge(var.labels, { severity = each.value.severity, slo = each.value.slo })

  dynamic "conditions" {
    for_each = { long = each.value.long_window_s, short = each.value.short_window_s }
    content {
      display_name = "${each.value.slo} burn rate over ${conditions.value}s above ${each.value.burn_rate}"
      condition_threshold {
        filter          = "select_slo_burn_rate(\"${local.slo_names[each.value.slo]}\", \"${conditions.value}s\")"
        comparison      = "COMPARISON_GT"
        threshold_value = each.value.burn_rate
        duration        = "0s"
      }
    }
  }

  documentation {
    subject   = "kv-api ${each.value.slo} error budget burn (${each.key})"
    mime_type = "text/markdown"
    content   = "The ${each.value.slo} SLO (${local.slos[each.value.slo].goal * 100}% over ${var.slo.rolling_period_days} days) spends its error budget ${each.value.burn_rate}x faster than sustainable. Runbook: ${var.runbook_base_url}KvApi${title(each.value.slo)}ErrorBudgetBurn.md"
    links {
      display_name = "Runbook"
      url          = "${var.runbook_base_url}KvApi${title(each.value.slo)}ErrorBudgetBurn.md"
    }
  }
}

resource "google_monitoring_alert_policy" "threshold" {
  for_each = local.threshold_alerts

  project               = var.project_id
  display_name          = each.value.display
  combiner              = "OR"
  severity              = local.severity[each.value.severity]
  notification_channels = local.channels[each.value.severity]
  user_labels           = merge(var.labels, { severity = each.value.severity })

  dynamic "conditions" {
    for_each = each.value.filters
    content {
      display_name = length(each.value.filters) == 1 ? each.value.display : "${each.value.display} (${conditions.key})"
      condition_threshold {
        filter          = conditions.value
        comparison      = "COMPARISON_GT"
        threshold_value = each.value.threshold
        duration        = each.value.duration
        aggregations {
          alignment_period     = each.value.period
          per_series_aligner   = each.value.aligner
          cross_series_reducer = each.value.reducer
          group_by_fields      = each.value.group_by
        }
      }
    }
  }

  documentation {
    subject   = each.value.display
    mime_type = "text/markdown"
    content   = "Runbook: ${var.runbook_base_url}${each.key}.md"
    links {
      display_name = "Runbook"
      url          = "${var.runbook_base_url}${each.key}.md"
    }
  }
}
