locals {
  subnet_name     = coalesce(var.subnet.name, "${var.name}-${var.region}")
  psc_subnet_name = coalesce(var.psc_subnet.name, "${var.name}-${var.region}-psc")
}

resource "google_compute_network" "this" {
  project                 = var.project_id
  name                    = var.name
  description             = "Custom-mode VPC for the kv-api service."
  auto_create_subnetworks = false
  routing_mode            = "REGIONAL"
  mtu                     = var.mtu
}

resource "google_compute_subnetwork" "nodes" {
  project                  = var.project_id
  region                   = var.region
  network                  = google_compute_network.this.id
  name                     = local.subnet_name
  ip_cidr_range            = var.subnet.ip_cidr_range
  private_ip_google_access = true
  stack_type               = "IPV4_ONLY"
  secondary_ip_range {
    range_name    = var.subnet.secondary_ip_ranges.pods.name
    ip_cidr_range = var.subnet.secondary_ip_ranges.pods.ip_cidr_range
  }
  secondary_ip_range {
    range_name    = var.subnet.secondary_ip_ranges.services.name
    ip_cidr_range = var.subnet.secondary_ip_ranges.services.ip_cidr_range
  }
  log_config {
    aggregation_interval = var.subnet.flow_logs.aggregation_interval
    flow_sampling        = var.subnet.flow_logs.flow_sampling
    metadata             = var.subnet.flow_logs.metadata
    filter_expr          = var.subnet.flow_logs.filter_expr
  }
}
