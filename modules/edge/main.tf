locals {
  zone_name = var.dns.create_zone ? google_dns_managed_zone.this["zone"].name : var.dns.managed_zone
  fqdn      = "${trimsuffix(var.dns.hostname, ".")}."
}

# Regional address for the ingress controller's Service of type LoadBalancer (an external
# passthrough network load balancer in the cluster's region, loadBalancerIP): kept across
# re-creations of the Service so that the DNS record and the uptime check never chase a new IP.
resource "google_compute_address" "ingress" {
  project      = var.project_id
  region       = var.region
  name         = var.name
  description  = "Ingress address of ${var.dns.hostname}."
  address_type = "EXTERNAL"
  ip_version   = "IPV4"
  network_tier = "PREMIUM"
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
  rrdatas      = [google_compute_address.ingress.address]
}
