output "network_id" {
  description = "VPC id (projects/P/global/networks/N), as Memorystore psc_configs expect it."
  value       = google_compute_network.this.id
}

output "network_name" {
  description = "VPC name."
  value       = google_compute_network.this.name
}

output "network_self_link" {
  description = "VPC self link."
  value       = google_compute_network.this.self_link
}

output "subnet_id" {
  description = "Node subnet id."
  value       = google_compute_subnetwork.nodes.id
}

output "subnet_self_link" {
  description = "Node subnet self link."
  value       = google_compute_subnetwork.nodes.self_link
}

output "subnet_secondary_range_names" {
  description = "Names of the pods and services secondary ranges of the node subnet."
  value = {
    pods     = var.subnet.secondary_ip_ranges.pods.name
    services = var.subnet.secondary_ip_ranges.services.name
  }
}

output "psc_subnet_id" {
  description = "PSC subnet id."
  value       = google_compute_subnetwork.psc.id
}

output "psc_subnet_cidrs" {
  description = "CIDR ranges of the PSC subnet, where the Memorystore endpoints get their addresses (the service's egress NetworkPolicy to Redis)."
  value       = [google_compute_subnetwork.psc.ip_cidr_range]
}

output "service_connection_policy_id" {
  description = "Memorystore service connection policy id; a Redis cluster can be created once it exists."
  value       = google_network_connectivity_service_connection_policy.memorystore.id
}

output "router_name" {
  description = "Cloud Router name."
  value       = google_compute_router.this.name
}

output "nat_name" {
  description = "Cloud NAT name."
  value       = google_compute_router_nat.this.name
}
