output "id" {
  description = "Cluster id (projects/P/locations/L/clusters/N)."
  value       = google_container_cluster.this.id
}

output "name" {
  description = "Cluster name."
  value       = google_container_cluster.this.name
}

output "location" {
  description = "Cluster location (region)."
  value       = google_container_cluster.this.location
}

output "endpoint" {
  description = "IP endpoint of the control plane (private when ip_endpoint.private_only)."
  value       = google_container_cluster.this.endpoint
}

output "dns_endpoint" {
  description = "DNS endpoint of the control plane, authorised by IAM."
  value       = one(one(google_container_cluster.this.control_plane_endpoints_config).dns_endpoint_config).endpoint
}

output "ca_certificate" {
  description = "Base64 cluster CA certificate."
  value       = one(google_container_cluster.this.master_auth).cluster_ca_certificate
  sensitive   = true
}

output "workload_pool" {
  description = "Workload Identity pool of the cluster (PROJECT.svc.id.goog)."
  value       = one(google_container_cluster.this.workload_identity_config).workload_pool
}

output "node_service_account_email" {
  description = "Email of the node service account."
  value       = google_service_account.nodes.email
}

output "node_service_account_member" {
  description = "IAM member of the node service account (serviceAccount:EMAIL), for the registry reader grant."
  value       = google_service_account.nodes.member
}

output "node_pools" {
  description = "Node pool names."
  value       = [for p in google_container_node_pool.this : p.name]
}

output "node_network_tags" {
  description = "Network tags carried by every node."
  value       = var.node_network_tags
}
