# Valid production-like inputs shared by every test file of this module (terraform test
# loads tests/terraform.tfvars); a run block changes only what it names.
project_id = "kv-api-prod"
region     = "europe-west1"
name       = "kv-api"
subnet = {
  ip_cidr_range = "10.10.0.0/20"
  secondary_ip_ranges = {
    pods     = { ip_cidr_range = "10.16.0.0/14" }
    services = { ip_cidr_range = "10.20.0.0/20" }
  }
}
psc_subnet = { ip_cidr_range = "10.10.16.0/26" }
health_check_ingress = {
  target_tags = ["kv-api-gke-node"]
  ports       = ["8080", "9464"]
}
