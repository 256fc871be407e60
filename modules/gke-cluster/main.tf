locals {
  workload_pool = "${var.project_id}.svc.id.goog"
  oauth_scopes  = ["https://www.googleapis.com/auth/cloud-platform"]
}

resource "google_container_cluster" "this" {
  project             = var.project_id
  name                = var.name
  location            = var.region
  node_locations      = var.node_locations
  deletion_protection = var.deletion_protection
  resource_labels     = var.labels

  # Node pools are managed separately; the default pool only exists during creation.
  remove_default_node_pool = true
  initial_node_count       = 1

  network               = var.vpc_config.network
  subnetwork            = var.vpc_config.subnetwork
  networking_mode       = "VPC_NATIVE"
  datapath_provider     = "ADVANCED_DATAPATH" # Dataplane V2: NetworkPolicy enforced by eBPF
  enable_shielded_nodes = true

  ip_allocation_policy {
    cluster_secondary_range_name  = var.vpc_config.secondary_range_names.pods
    services_secondary_range_name = var.vpc_config.secondary_range_names.services
    stack_type                    = "IPV4"
  }

  release_channel {
    channel = var.release_channel
  }

  workload_identity_config {
    workload_pool = local.workload_pool
  }

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = var.access_config.ip_endpoint.enabled ? var.access_config.ip_endpoint.private_only : null
    master_global_access_config {
      enabled = var.access_config.ip_endpoint.global_access
    }
  }

  control_plane_endpoints_config {
    dns_endpoint_config {
      allow_external_traffic = var.access_config.dns_endpoint.allow_external_traffic
    }
    ip_endpoints_config {
      enabled = var.access_config.ip_endpoint.enabled
    }
  }

  dynamic "master_authorized_networks_config" {
    for_each = var.access_config.ip_endpoint.enabled ? [""] : []
    content {
      gcp_public_cidrs_access_enabled      = false
      private_endpoint_enforcement_enabled = true
      dynamic "cidr_blocks" {
        for_each = var.access_config.ip_endpoint.authorized_ranges
        content {
          display_name = cidr_blocks.key
          cidr_block   = cidr_blocks.value
        }
      }
    }
  }

  master_auth {
    client_certificate_config {
      issue_client_certificate = false
    }
  }

  addons_config {
    http_load_balancing {
      disabled = false
    }
    horizontal_pod_autoscaling {
      disabled = false
    }
    dns_cache_config {
      enabled = var.features.dns_cache
    }
    gce_persistent_disk_csi_driver_config {
      enabled = true
    }
    # Dataplane V2 enforces NetworkPolicy itself; the Calico add-on must stay off.
    network_policy_config {
      disabled = true
    }
  }

  dynamic "gateway_api_config" {
    for_each = var.features.gateway_api ? [""] : []
    content {
      channel = "CHANNEL_STANDARD"
    }
  }

  vertical_pod_autoscaling {
    enabled = var.features.vertical_pod_autoscaling
  }

  cost_management_config {
    enabled = var.features.cost_management
  }

  logging_config {
    enable_components = var.observability.logging_components
  }

  monitoring_config {
    enable_components = var.observability.monitoring_components
    managed_prometheus {
      enabled = var.features.managed_prometheus
    }
  }

  maintenance_policy {
    recurring_window {
      start_time = var.maintenance_config.recurring_window.start_time
      end_time   = var.maintenance_config.recurring_window.end_time
      recurrence = var.maintenance_config.recurring_window.recurrence
    }
    dynamic "maintenance_exclusion" {
      for_each = var.maintenance_config.exclusions
      content {
        exclusion_name = maintenance_exclusion.value.name
        start_time     = maintenance_exclusion.value.start_time
        end_time       = maintenance_exclusion.value.end_time
        exclusion_options {
          scope = maintenance_exclusion.value.scope
        }
      }
    }
  }

  # Customer-managed key for Kubernetes Secrets in etcd (application-layer encryption).
  dynamic "database_encryption" {
    for_each = var.encryption.database_kms_key == null ? [] : [var.encryption.database_kms_key]
    content {
      state    = "ENCRYPTED"
      key_name = database_encryption.value
    }
  }

  node_pool_defaults {
    node_config_defaults {
      insecure_kubelet_readonly_port_enabled = "FALSE"
    }
  }

  # Used only by the temporary default pool: it must not run as the Compute default SA.
  node_config {
    service_account   = google_service_account.nodes.email
    oauth_scopes      = local.oauth_scopes
    image_type        = "COS_CONTAINERD"
    boot_disk_kms_key = var.encryption.boot_disk_kms_key
    shielded_instance_config {
      enable_secure_boot          = true
      enable_integrity_monitoring = true
    }
    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }

  lifecycle {
    # node_config belongs to the removed default pool; changing it would recreate the cluster.
    ignore_changes = [node_config, initial_node_count]
  }

  depends_on = [google_project_iam_member.nodes]
}
