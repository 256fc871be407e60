# The memorystore unit of every environment: live/<env>/<region>/memorystore/terragrunt.hcl includes
# the root and this file; env.hcl and region.hcl of that path hold what differs.
locals {
  env    = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  region = read_terragrunt_config(find_in_parent_folders("region.hcl")).locals
}

terraform {
  source = "${get_repo_root()}/modules/memorystore-cluster"
}

# The network unit also creates the service connection policy the cluster needs.
dependency "network" {
  config_path = "${get_terragrunt_dir()}/../network"
  mock_outputs = {
    network_id = "projects/mock-project/global/networks/mock"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

inputs = {
  name          = local.region.cluster_name
  network       = dependency.network.outputs.network_id
  shard_count   = local.region.redis.shard_count
  replica_count = local.region.redis.replica_count
  node_type     = local.region.redis.node_type

  # Stored keys are the service's data: at most one second of writes at risk.
  persistence = {
    mode = "AOF"
    aof  = { append_fsync = "EVERYSEC" }
  }

  maintenance_window = {
    day        = "SUNDAY"
    start_hour = 3
  }
}
