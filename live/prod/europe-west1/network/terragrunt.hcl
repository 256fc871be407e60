include "root" {
  path   = find_in_parent_folders("terragrunt.hcl")
  expose = true
}

terraform {
  source = "${get_repo_root()}/modules/net-vpc"
}

# The APIs are enabled by live/bootstrap before the first run.
inputs = {
  name = include.root.locals.region.network_name
  subnet = {
    ip_cidr_range = include.root.locals.region.cidrs.nodes
    secondary_ip_ranges = {
      pods     = { ip_cidr_range = include.root.locals.region.cidrs.pods }
      services = { ip_cidr_range = include.root.locals.region.cidrs.services }
    }
  }
  psc_subnet = {
    ip_cidr_range = include.root.locals.region.cidrs.psc
  }
  health_check_ingress = {
    target_tags = [include.root.locals.region.gke_node_tag]
    ports       = include.root.locals.region.health_check_ports
  }
}
