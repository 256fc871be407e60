# Production invariants of the planned and applied resources (mock_provider: nothing is created).

mock_provider "google" {}

# Inputs: tests/terraform.tfvars.

run "network" {
  command = plan

  assert {
    condition     = google_compute_network.this.auto_create_subnetworks == false
    error_message = "Custom-mode VPC."
  }
  assert {
    condition     = google_compute_subnetwork.nodes.private_ip_google_access && google_compute_subnetwork.psc.private_ip_google_access
    error_message = "Private Google access on both subnets (private nodes)."
  }
  assert {
    condition     = google_compute_router_nat.this.source_subnetwork_ip_ranges_to_nat == "LIST_OF_SUBNETWORKS" && length(google_compute_router_nat.this.subnetwork) == 1 && google_compute_router_nat.this.log_config[0].filter == "ERRORS_ONLY"
    error_message = "NAT for the node subnet only, errors logged."
  }
  assert {
    condition     = google_compute_firewall.allow_health_checks.source_ranges == toset(["35.191.0.0/16", "130.211.0.0/22"]) && google_compute_firewall.allow_health_checks.target_tags == toset(["kv-api-gke-node"])
    error_message = "Health checks only from Google's ranges, only to the node tag."
  }
  assert {
    condition     = google_compute_firewall.deny_all_ingress.priority == 65534 && google_compute_firewall.deny_all_ingress.source_ranges == toset(["0.0.0.0/0"])
    error_message = "Logged default deny."
  }
}

run "psc_policy" {
  command = apply

  assert {
    condition     = google_network_connectivity_service_connection_policy.memorystore.service_class == "gcp-memorystore-redis"
    error_message = "The policy is for Memorystore for Redis Cluster."
  }
  assert {
    condition     = google_network_connectivity_service_connection_policy.memorystore.psc_config[0].subnetworks == tolist([google_compute_subnetwork.psc.id]) && google_network_connectivity_service_connection_policy.memorystore.network == google_compute_network.this.id
    error_message = "PSC endpoints only in the PSC subnet of this VPC."
  }
  assert {
    condition     = length(output.psc_subnet_cidrs) == 1 && output.psc_subnet_cidrs[0] == "10.10.16.0/26"
    error_message = "psc_subnet_cidrs lists the PSC subnet range."
  }
}
