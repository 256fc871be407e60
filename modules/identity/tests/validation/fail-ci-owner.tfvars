# expect: The CI service account must not hold owner, editor or token-creator roles.
ci_service_account = { project_roles = ["roles/owner"] }
