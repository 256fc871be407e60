# Settings shared by every unit in europe-west1.
locals {
  region = "europe-west1"
  zones  = ["europe-west1-b", "europe-west1-c", "europe-west1-d"]

  network_name = "kv-api"

  # IP plan of the region: nodes, pods (/24 per node), services, and the PSC endpoints
  # that Memorystore creates through the service connection policy.
  cidrs = {
    nodes    = "10.10.0.0/20"
    psc      = "10.10.16.0/26"
    pods     = "10.16.0.0/14"
    services = "10.20.0.0/20"
  }
  cluster_name = "kv-api-prod"

  # Sizes: the one GKE node pool (autoscaled over the zones) and the Memorystore cluster.
  node_pool = {
    machine_type         = "n2-standard-4"
    total_min_node_count = 3
    total_max_node_count = 30
  }
  redis = {
    shard_count   = 3
    replica_count = 1
    node_type     = "REDIS_HIGHMEM_MEDIUM"
  }

  # Network tag on the GKE nodes; the health-check firewall rule targets it.
  gke_node_tag = "kv-api-gke-node"

  # Ports the Google load balancer health-checks on the pods: API and management.
  health_check_ports = ["8080", "9464"]
}
