# expect: gitlab.issuer_uri must be an https URL.
gitlab = { project_path = "platform/kv-api", issuer_uri = "http://gitlab.com" }
