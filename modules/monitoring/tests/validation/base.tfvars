project_id            = "kv-api-prod"
region                = "europe-west1"
gke_cluster_name      = "kv-api-prod"
notification_channels = { page = ["projects/kv-api-prod/notificationChannels/1234567890"] }
uptime_check          = { host = "kv.example.com" }
