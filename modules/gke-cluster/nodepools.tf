resource "google_container_node_pool" "this" {
  for_each          = var.node_pools
  project           = var.project_id
  cluster           = google_container_cluster.this.id
  location          = var.region
  name              = each.key
  node_locations    = var.node_locations
  max_pods_per_node = each.value.max_pods_per_node
  # Per zone; the autoscaler takes over from here.
  initial_node_count = max(
    1,
    coalesce(each.value.autoscaling.min_node_count, 0),
    ceil(coalesce(each.value.autoscaling.total_min_node_count, 0) / length(var.node_locations)),
  )

  autoscaling {
    min_node_count       = each.value.autoscaling.min_node_count
    max_node_count       = each.value.autoscaling.max_node_count
    total_min_node_count = each.value.autoscaling.total_min_node_count
    total_max_node_count = each.value.autoscaling.total_max_node_count
    location_policy      = each.value.autoscaling.location_policy
  }

  management {
    auto_repair  = true
    auto_upgrade = true
  }

  upgrade_settings {
    strategy        = "SURGE"
    max_surge       = each.value.upgrade_settings.max_surge
    max_unavailable = each.value.upgrade_settings.max_unavailable
  }

  node_config {
    machine_type      = each.value.machine_type
    disk_type         = each.value.disk_type
    disk_size_gb      = each.value.disk_size_gb
    boot_disk_kms_key = var.encryption.boot_disk_kms_key
    image_type        = "COS_CONTAINERD"
    spot              = each.value.spot
    service_account   = google_service_account.nodes.email
    oauth_scopes      = local.oauth_scopes
    labels            = each.value.k8s_labels
    resource_labels   = var.labels
    tags              = distinct(concat(var.node_network_tags, each.value.tags))
    metadata = {
      disable-legacy-endpoints = "true"
    }

    dynamic "taint" {
      for_each = each.value.taints
      content {
        key    = taint.value.key
        value  = taint.value.value
        effect = taint.value.effect
      }
    }

    gvnic {
      enabled = true
    }

    # With a kubelet_config block the provider sends every field it holds: an unset
    # cpu_cfs_quota goes out as false and CPU limits stop being enforced. The read-only
    # port comes from the cluster's node_pool_defaults.
    kubelet_config {
      cpu_cfs_quota = true
    }

    shielded_instance_config {
      enable_secure_boot          = true
      enable_integrity_monitoring = true
    }

    # Pods see the GKE metadata server: Workload Identity, no node credentials.
    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }

  lifecycle {
    ignore_changes = [initial_node_count]
  }
}
