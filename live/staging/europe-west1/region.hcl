# Settings shared by every staging unit in europe-west1 (smaller than prod).
locals {
  region = "europe-west1"
  zones  = ["europe-west1-b", "europe-west1-c", "europe-west1-d"]

  network_name = "kv-api"

  # IP plan of the region: nodes, pods (/24 per node), services, and the PSC endpoints
  # that Memorystore creates through the service connection policy.
  cidrs = {
    nodes    = "10.110.0.0/20"
    psc      = "10.110.16.0/26"
    pods     = "10.116.0.0/14"
    services = "10.120.0.0/20"
  }
  cluster_name = "kv-api-staging"

  # Sizes: the one GKE node pool (autoscaled over the zones) and the Memorystore cluster.
  node_pool = {
    machine_type         = "n2-standard-2"
    total_min_node_count = 3
    total_max_node_count = 6
  }
  redis = {
    shard_count   = 1
    replica_count = 1
    node_type     = "REDIS_STANDARD_SMALL"
  }

  # Network tag on the GKE nodes; the health-check firewall rule targets it.
  gke_node_tag = "kv-api-gke-node"

  # Ports the Google load balancer health-checks on the pods: API and management.
  health_check_ports = ["8080", "9464"]
}
