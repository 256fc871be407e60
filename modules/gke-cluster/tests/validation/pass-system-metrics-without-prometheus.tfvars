features      = { managed_prometheus = false }
observability = { monitoring_components = ["SYSTEM_COMPONENTS"] }
