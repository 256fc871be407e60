include "root" {
  path   = find_in_parent_folders("terragrunt.hcl")
  expose = true
}

terraform {
  source = "${get_repo_root()}/modules/edge"
}

# The APIs are enabled by live/bootstrap before the first run.
inputs = {
  name = "kv-api-ingress"
  dns = {
    hostname      = include.root.locals.env.ingress_hostname
    managed_zone  = include.root.locals.env.dns_zone.name
    create_zone   = true
    zone_dns_name = include.root.locals.env.dns_zone.dns_name
  }
}
