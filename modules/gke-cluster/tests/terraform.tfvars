# Valid production-like inputs shared by every test file of this module (terraform test
# loads tests/terraform.tfvars); a run block changes only what it names.
project_id     = "kv-api-prod"
name           = "kv-api-prod"
region         = "europe-west1"
node_locations = ["europe-west1-b", "europe-west1-c", "europe-west1-d"]
vpc_config = {
  network               = "projects/kv-api-prod/global/networks/kv-api"
  subnetwork            = "projects/kv-api-prod/regions/europe-west1/subnetworks/kv-api-europe-west1"
  secondary_range_names = { pods = "pods", services = "services" }
}
node_pools = {
  kv-api = {
    autoscaling = { total_min_node_count = 3, total_max_node_count = 30 }
  }
}
