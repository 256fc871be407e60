locals {
  # Source ranges of Google Cloud load-balancer health checks.
  health_check_ranges = ["35.191.0.0/16", "130.211.0.0/22"]
}

# GCP already denies unmatched ingress implicitly; this explicit rule makes the
# default visible and logs what it drops. GKE's own rules (priority 1000) win over it.
resource "google_compute_firewall" "deny_all_ingress" {
  project       = var.project_id
  network       = google_compute_network.this.id
  name          = "${var.name}-deny-all-ingress"
  description   = "Default deny of all ingress, logged."
  direction     = "INGRESS"
  priority      = 65534
  source_ranges = ["0.0.0.0/0"]
  deny {
    protocol = "all"
  }
  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "allow_health_checks" {
  project       = var.project_id
  network       = google_compute_network.this.id
  name          = "${var.name}-allow-health-checks"
  description   = "Google load-balancer health checks to the ingress nodes and ports."
  direction     = "INGRESS"
  priority      = 1000
  source_ranges = local.health_check_ranges
  target_tags   = var.health_check_ingress.target_tags
  allow {
    protocol = "tcp"
    ports    = var.health_check_ingress.ports
  }
  log_config {
    metadata = "EXCLUDE_ALL_METADATA"
  }
}
