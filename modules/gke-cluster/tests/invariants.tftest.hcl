# Production invariants of the planned and applied resources (mock_provider: nothing is created).

mock_provider "google" {}

# Inputs: tests/terraform.tfvars.

run "cluster" {
  command = plan

  assert {
    condition     = google_container_cluster.this.private_cluster_config[0].enable_private_nodes
    error_message = "Nodes are private."
  }
  assert {
    condition     = google_container_cluster.this.control_plane_endpoints_config[0].dns_endpoint_config[0].allow_external_traffic
    error_message = "The IAM-authorised DNS endpoint is reachable."
  }
  assert {
    condition     = google_container_cluster.this.private_cluster_config[0].enable_private_endpoint == true
    error_message = "The IP endpoint is private."
  }
  assert {
    condition     = google_container_cluster.this.workload_identity_config[0].workload_pool == "kv-api-prod.svc.id.goog"
    error_message = "Workload Identity pool PROJECT.svc.id.goog."
  }
  assert {
    condition     = google_container_cluster.this.datapath_provider == "ADVANCED_DATAPATH" && google_container_cluster.this.addons_config[0].network_policy_config[0].disabled
    error_message = "Dataplane V2, without the Calico add-on."
  }
  assert {
    condition     = google_container_cluster.this.enable_shielded_nodes
    error_message = "Shielded nodes."
  }
  assert {
    condition     = google_container_cluster.this.monitoring_config[0].managed_prometheus[0].enabled
    error_message = "Managed Service for Prometheus (managed collection) is on: the SLOs read its series."
  }
  assert {
    condition     = google_container_cluster.this.maintenance_policy[0].recurring_window[0].recurrence == "FREQ=WEEKLY;BYDAY=SA,SU"
    error_message = "Weekend maintenance window."
  }
  assert {
    condition     = google_container_cluster.this.deletion_protection && google_container_cluster.this.remove_default_node_pool
    error_message = "Deletion protection on, default pool removed."
  }
  assert {
    condition     = google_container_cluster.this.node_pool_defaults[0].node_config_defaults[0].insecure_kubelet_readonly_port_enabled == "FALSE"
    error_message = "The kubelet read-only port is off by default for every pool."
  }
  assert {
    condition     = google_container_cluster.this.master_auth[0].client_certificate_config[0].issue_client_certificate == false
    error_message = "No client certificate."
  }
  assert {
    condition     = length(google_container_cluster.this.database_encryption) == 0
    error_message = "No CMEK unless asked for."
  }
}

run "node_pool" {
  command = plan

  assert {
    condition     = google_container_node_pool.this["kv-api"].node_config[0].kubelet_config[0].cpu_cfs_quota == true
    error_message = "CPU CFS quota is on: CPU limits are enforced."
  }
  assert {
    condition     = google_container_node_pool.this["kv-api"].node_config[0].workload_metadata_config[0].mode == "GKE_METADATA"
    error_message = "Pods see the GKE metadata server."
  }
  assert {
    condition     = google_container_node_pool.this["kv-api"].node_config[0].shielded_instance_config[0].enable_secure_boot && google_container_node_pool.this["kv-api"].node_config[0].shielded_instance_config[0].enable_integrity_monitoring
    error_message = "Secure boot and integrity monitoring."
  }
  assert {
    condition = (google_container_node_pool.this["kv-api"].upgrade_settings[0].strategy == "SURGE" &&
      google_container_node_pool.this["kv-api"].upgrade_settings[0].max_surge == 1 &&
    google_container_node_pool.this["kv-api"].upgrade_settings[0].max_unavailable == 0)
    error_message = "Surge upgrades that never lower capacity."
  }
  assert {
    condition     = google_container_node_pool.this["kv-api"].management[0].auto_repair && google_container_node_pool.this["kv-api"].management[0].auto_upgrade
    error_message = "Auto-repair and auto-upgrade."
  }
  assert {
    condition     = google_container_node_pool.this["kv-api"].initial_node_count == 1
    error_message = "3 nodes in all over 3 zones: 1 per zone at creation."
  }
  assert {
    condition     = google_container_node_pool.this["kv-api"].node_config[0].metadata["disable-legacy-endpoints"] == "true"
    error_message = "Legacy metadata endpoints off."
  }
}

run "node_service_account" {
  command = apply

  assert {
    condition     = google_service_account.nodes.account_id == "kv-api-prod-nodes"
    error_message = "Node SA named after the cluster."
  }
  assert {
    condition     = google_container_node_pool.this["kv-api"].node_config[0].service_account == google_service_account.nodes.email
    error_message = "Nodes run as the dedicated SA, not the Compute default."
  }
  assert {
    condition     = !anytrue([for m in google_project_iam_member.nodes : contains(["roles/owner", "roles/editor"], m.role)]) && length(google_project_iam_member.nodes) == 5
    error_message = "Five least-privilege roles."
  }
}

run "long_cluster_name_fits_the_account_id" {
  command = plan

  variables {
    name = "kv-api-production-europe-west1"
  }

  assert {
    condition     = length(google_service_account.nodes.account_id) <= 30 && google_service_account.nodes.account_id == "kv-api-production-europe-nodes"
    error_message = "Account ids hold at most 30 characters: ${google_service_account.nodes.account_id}."
  }
}

run "cmek" {
  command = plan

  variables {
    encryption = {
      database_kms_key  = "projects/kms-p/locations/europe-west1/keyRings/gke/cryptoKeys/etcd"
      boot_disk_kms_key = "projects/kms-p/locations/europe-west1/keyRings/gke/cryptoKeys/disks"
    }
  }

  assert {
    condition     = google_container_cluster.this.database_encryption[0].state == "ENCRYPTED" && google_container_cluster.this.database_encryption[0].key_name == "projects/kms-p/locations/europe-west1/keyRings/gke/cryptoKeys/etcd"
    error_message = "Secrets in etcd encrypted with the given key."
  }
  assert {
    condition     = google_container_node_pool.this["kv-api"].node_config[0].boot_disk_kms_key == "projects/kms-p/locations/europe-west1/keyRings/gke/cryptoKeys/disks"
    error_message = "Boot disks encrypted with the given key."
  }
}
