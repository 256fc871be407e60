# expect: psc_policy.service_class must be a Memorystore service class
psc_policy = { service_class = "gcp-cloudsql" }
