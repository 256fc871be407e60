# expect: runbook_base_url must be an https URL ending with /.
runbook_base_url = "https://gitlab.com/example/kv-api/-/blob/main/docs/runbooks"
