output "ingress_ip_address" {
  description = "Regional IPv4 address of the ingress load balancer: ingress-nginx's controller.service.loadBalancerIP (infra.ingress.address)."
  value       = google_compute_address.ingress.address
}

output "ingress_address_name" {
  description = "Name of the regional address."
  value       = google_compute_address.ingress.name
}

output "ingress_hostname" {
  description = "Public host name of the service (no trailing dot), the target of the uptime check."
  value       = trimsuffix(google_dns_record_set.ingress.name, ".")
}

output "name_servers" {
  description = "Name servers of the zone to delegate to, when create_zone; empty otherwise."
  value       = try(google_dns_managed_zone.this["zone"].name_servers, [])
}
