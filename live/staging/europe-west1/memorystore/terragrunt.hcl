include "root" {
  path   = find_in_parent_folders("terragrunt.hcl")
  expose = true
}

terraform {
  source = "${get_repo_root()}/modules/memorystore-cluster"
}

# The network unit also creates the service connection policy the cluster needs.
dependency "network" {
  config_path = "../network"
  mock_outputs = {
    network_id = "projects/mock-project/global/networks/mock"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

inputs = {
  name          = include.root.locals.region.cluster_name
  network       = dependency.network.outputs.network_id
  shard_count   = include.root.locals.region.redis.shard_count
  replica_count = include.root.locals.region.redis.replica_count
  node_type     = include.root.locals.region.redis.node_type

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
