# expect: The node service account must not hold basic roles
node_service_account = { project_roles = ["roles/editor"] }
