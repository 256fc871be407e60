locals {
  zone_name = var.dns.create_zone ? google_dns_managed_zone.this["zone"].name : var.dns.managed_zone
  fqdn      = "${trimsuffix(var.dns.hostname, ".")}."
}

# Global address for the ingress load balancer: kept across re-creations of the ingress
# so that the DNS record and the uptime check never chase a new IP.
resource "google_compute_global_address" "ingress" {
  project      = var.project_id
  name         = var.name
  description  = "Ingress address of ${var.dns.hostname}."
  address_type = "EXTERNAL"
  ip_version   = "IPV4"
  labels       = var.labels
}

resource "google_dns_managed_zone" "this" {
  for_each    = var.dns.create_zone ? { zone = var.dns } : {}
  project     = var.project_id
  name        = each.value.managed_zone
  dns_name    = "${trimsuffix(each.value.zone_dns_name, ".")}."
  description = "Public zone of the kv-api hosts."
  visibility  = "public"
  labels      = var.labels
  dnssec_config {
    state = "on"
  }
}

resource "google_dns_record_set" "ingress" {
  project      = var.project_id
  managed_zone = local.zone_name
  name         = local.fqdn
  type         = "A"
  ttl          = var.dns.ttl
  rrdatas      = [google_compute_global_address.ingress.address]
}
