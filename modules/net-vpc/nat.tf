# Private nodes have no external IPs: Cloud NAT gives them egress, only for the node subnet.
resource "google_compute_router" "this" {
  project = var.project_id
  region  = var.region
  network = google_compute_network.this.id
  name    = "${var.name}-${var.region}"
}

resource "google_compute_router_nat" "this" {
  project                             = var.project_id
  region                              = var.region
  router                              = google_compute_router.this.name
  name                                = "${var.name}-${var.region}"
  nat_ip_allocate_option              = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat  = "LIST_OF_SUBNETWORKS"
  min_ports_per_vm                    = var.nat_config.min_ports_per_vm
  max_ports_per_vm                    = var.nat_config.enable_dynamic_port_allocation ? var.nat_config.max_ports_per_vm : null
  enable_dynamic_port_allocation      = var.nat_config.enable_dynamic_port_allocation
  enable_endpoint_independent_mapping = var.nat_config.enable_endpoint_independent_mapping
  tcp_established_idle_timeout_sec    = var.nat_config.tcp_established_idle_timeout_sec
  subnetwork {
    name                    = google_compute_subnetwork.nodes.id
    source_ip_ranges_to_nat = ["ALL_IP_RANGES"]
  }
  log_config {
    enable = true
    filter = var.nat_config.log_filter
  }
}
