# The network unit of every environment: live/<env>/<region>/network/terragrunt.hcl includes
# the root and this file; env.hcl and region.hcl of that path hold what differs.
locals {
  env    = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  region = read_terragrunt_config(find_in_parent_folders("region.hcl")).locals
}

terraform {
  source = "${get_repo_root()}/modules/net-vpc"
}

# The APIs are enabled by live/bootstrap before the first run.
inputs = {
  name = local.region.network_name
  subnet = {
    ip_cidr_range = local.region.cidrs.nodes
    secondary_ip_ranges = {
      pods     = { ip_cidr_range = local.region.cidrs.pods }
      services = { ip_cidr_range = local.region.cidrs.services }
    }
  }
  psc_subnet = {
    ip_cidr_range = local.region.cidrs.psc
  }
  health_check_ingress = {
    target_tags = [local.region.gke_node_tag]
    ports       = local.region.health_check_ports
  }
}
