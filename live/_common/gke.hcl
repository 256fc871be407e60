# The gke unit of every environment: live/<env>/<region>/gke/terragrunt.hcl includes
# the root and this file; env.hcl and region.hcl of that path hold what differs.
locals {
  env    = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  region = read_terragrunt_config(find_in_parent_folders("region.hcl")).locals
}

terraform {
  source = "${get_repo_root()}/modules/gke-cluster"
}

dependency "network" {
  config_path = "${get_terragrunt_dir()}/../network"
  mock_outputs = {
    network_id                   = "projects/mock-project/global/networks/mock"
    subnet_id                    = "projects/mock-project/regions/europe-west1/subnetworks/mock"
    subnet_secondary_range_names = { pods = "pods", services = "services" }
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

inputs = {
  name              = local.region.cluster_name
  node_locations    = local.region.zones
  node_network_tags = [local.region.gke_node_tag]
  release_channel   = "REGULAR"

  vpc_config = {
    network               = dependency.network.outputs.network_id
    subnetwork            = dependency.network.outputs.subnet_id
    secondary_range_names = dependency.network.outputs.subnet_secondary_range_names
  }

  # Operators and CI reach the API through the IAM-authorised DNS endpoint; the IP
  # endpoint stays private and open to the node subnet only.
  access_config = {
    dns_endpoint = { allow_external_traffic = true }
    ip_endpoint = {
      enabled           = true
      private_only      = true
      authorized_ranges = { nodes = local.region.cidrs.nodes }
    }
  }

  node_pools = {
    kv-api = {
      machine_type = local.region.node_pool.machine_type
      autoscaling = {
        total_min_node_count = local.region.node_pool.total_min_node_count
        total_max_node_count = local.region.node_pool.total_max_node_count
      }
      upgrade_settings = {
        max_surge       = 1
        max_unavailable = 0
      }
    }
  }
}
