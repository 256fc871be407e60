output "uptime_check_id" {
  description = "Id of the uptime check of the public endpoint (metric label check_id); null while uptime_check.enabled is false."
  value       = try(google_monitoring_uptime_check_config.endpoint["endpoint"].uptime_check_id, null)
}

output "notification_channel_names" {
  description = "Notification channel resource names (projects/P/notificationChannels/N) by key."
  value       = { for k, c in google_monitoring_notification_channel.this : k => c.name }
}

output "service_name" {
  description = "Resource name of the Cloud Monitoring custom service holding the SLOs."
  value       = google_monitoring_custom_service.this.name
}

output "slo_names" {
  description = "Resource names of the SLOs by key (availability, latency), for select_slo_* filters and dashboards."
  value       = local.slo_names
}

output "alert_policy_ids" {
  description = "Alert policy ids: burn-rate policies keyed <slo>-<tier>, threshold policies keyed by runbook name."
  value = merge(
    { for k, p in google_monitoring_alert_policy.burn_rate : k => p.id },
    { for k, p in google_monitoring_alert_policy.threshold : k => p.id },
  )
}
