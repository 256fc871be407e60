# Memorystore for Redis Cluster reaches consumers through Private Service Connect
# endpoints that Google creates from this policy, in a subnet of their own.
resource "google_compute_subnetwork" "psc" {
  project                  = var.project_id
  region                   = var.region
  network                  = google_compute_network.this.id
  name                     = local.psc_subnet_name
  ip_cidr_range            = var.psc_subnet.ip_cidr_range
  private_ip_google_access = true
  stack_type               = "IPV4_ONLY"
}

resource "google_network_connectivity_service_connection_policy" "memorystore" {
  project       = var.project_id
  location      = var.region
  name          = "${var.name}-${var.region}-${var.psc_policy.service_class}"
  description   = "PSC endpoints for Memorystore for Redis Cluster."
  service_class = var.psc_policy.service_class
  network       = google_compute_network.this.id
  labels        = var.labels
  psc_config {
    subnetworks = [google_compute_subnetwork.psc.id]
    limit       = var.psc_policy.limit
  }
}
