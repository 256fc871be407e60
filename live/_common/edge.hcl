# The edge unit of every environment: live/<env>/<region>/edge/terragrunt.hcl includes
# the root and this file; env.hcl and region.hcl of that path hold what differs.
locals {
  env    = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  region = read_terragrunt_config(find_in_parent_folders("region.hcl")).locals
}

terraform {
  source = "${get_repo_root()}/modules/edge"
}

# The APIs are enabled by live/bootstrap before the first run.
inputs = {
  name   = "kv-api-ingress"
  region = local.region.region
  dns = {
    hostname      = local.env.ingress_hostname
    managed_zone  = local.env.dns_zone.name
    create_zone   = true
    zone_dns_name = local.env.dns_zone.dns_name
  }
}
