output "id" {
  description = "Cluster id."
  value       = google_redis_cluster.this.id
}

output "name" {
  description = "Cluster name."
  value       = google_redis_cluster.this.name
}

output "discovery_endpoint_address" {
  description = "Discovery endpoint address (REDIS_HOST, with REDIS_MODE=cluster)."
  value       = google_redis_cluster.this.discovery_endpoints[0].address
}

output "discovery_endpoint_port" {
  description = "Discovery endpoint port (REDIS_PORT)."
  value       = google_redis_cluster.this.discovery_endpoints[0].port
}

output "ca_certificates" {
  description = "PEM certificates of the managed server CA, for REDIS_TLS_CA_FILE (public material, not a secret)."
  value       = flatten([for ca in google_redis_cluster.this.managed_server_ca : [for chain in ca.ca_certs : chain.certificates]])
}

output "psc_connections" {
  description = "PSC connections created by the service connection policy."
  value       = google_redis_cluster.this.psc_connections
}

output "size_gb" {
  description = "Total memory of the cluster, in GB."
  value       = google_redis_cluster.this.size_gb
}
