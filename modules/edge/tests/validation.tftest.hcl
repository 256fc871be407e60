# Input validation cases: the whole module is planned against a mocked google provider.
# fail_* runs change one input and must be rejected by the validation of the variable in
# expect_failures (the expected message is kept as a comment).

mock_provider "google" {}

variables {
  project_id = "kv-api-prod"
  region     = "europe-west1"
  name       = "kv-api-ingress"
  dns        = { hostname = "kv.example.com", managed_zone = "example-com" }
}

run "pass_defaults" {
  command = plan
}

# expect: name must be a lowercase RFC1035 name of at most 63 characters.
run "fail_name" {
  command = plan

  variables {
    name = "kv_api"
  }

  expect_failures = [var.name]
}

# expect: dns.hostname must be a fully qualified host name
run "fail_hostname" {
  command = plan

  variables {
    dns = { hostname = "https://kv.example.com", managed_zone = "example-com" }
  }

  expect_failures = [var.dns]
}

# expect: With dns.create_zone, dns.zone_dns_name must be set and be a suffix of dns.hostname.
run "fail_zone_not_suffix" {
  command = plan

  variables {
    dns = { hostname = "kv.example.com", managed_zone = "example-org", create_zone = true, zone_dns_name = "example.org" }
  }

  expect_failures = [var.dns]
}

# expect: dns.ttl must be between 30 and 86400 seconds.
run "fail_ttl" {
  command = plan

  variables {
    dns = { hostname = "kv.example.com", managed_zone = "example-com", ttl = 5 }
  }

  expect_failures = [var.dns]
}

# expect: region must be a Google Cloud region such as europe-west1.
run "fail_region" {
  command = plan

  variables {
    region = "europe-west1-b"
  }

  expect_failures = [var.region]
}
