# expect: workload.namespace and workload.service_account must be valid Kubernetes names.
workload = { namespace = "KV_API" }
