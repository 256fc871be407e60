redis                 = { cluster_id = "kv-api-prod", memory_utilization_ratio = 0.85 }
notification_channels = { page = ["projects/kv-api-prod/notificationChannels/1"], ticket = ["projects/kv-api-prod/notificationChannels/2"] }
