# Production invariants of the planned and applied resources (mock_provider: nothing is created).

mock_provider "google" {}

variables {
  project_id = "kv-api-prod"
  region     = "europe-west1"
  name       = "kv-api-ingress"
  dns        = { hostname = "kv.example.com", managed_zone = "kv-example-com", create_zone = true, zone_dns_name = "kv.example.com" }
}

run "address_and_record" {
  command = apply

  override_resource {
    target = google_compute_address.ingress
    values = {
      address = "203.0.113.10"
    }
  }

  assert {
    condition     = google_compute_address.ingress.address_type == "EXTERNAL" && google_compute_address.ingress.ip_version == "IPV4" && google_compute_address.ingress.region == "europe-west1" && google_compute_address.ingress.network_tier == "PREMIUM"
    error_message = "A regional external IPv4 address, premium tier, in the cluster's region."
  }
  assert {
    condition     = google_dns_record_set.ingress.name == "kv.example.com." && google_dns_record_set.ingress.type == "A" && google_dns_record_set.ingress.rrdatas == tolist(["203.0.113.10"])
    error_message = "The A record points the host at the address."
  }
  assert {
    condition     = google_dns_record_set.ingress.managed_zone == google_dns_managed_zone.this["zone"].name && google_dns_managed_zone.this["zone"].dns_name == "kv.example.com." && google_dns_managed_zone.this["zone"].dnssec_config[0].state == "on"
    error_message = "The record lives in the zone created here, signed with DNSSEC."
  }
  assert {
    condition     = output.ingress_hostname == "kv.example.com" && output.ingress_ip_address == "203.0.113.10"
    error_message = "ingress_hostname (no trailing dot) and ingress_ip_address outputs."
  }
}

run "existing_zone" {
  command = plan

  variables {
    dns = { hostname = "kv.example.com.", managed_zone = "example-com" }
  }

  assert {
    condition     = length(google_dns_managed_zone.this) == 0 && google_dns_record_set.ingress.managed_zone == "example-com" && google_dns_record_set.ingress.name == "kv.example.com."
    error_message = "Without create_zone the record goes into the named zone."
  }
}
