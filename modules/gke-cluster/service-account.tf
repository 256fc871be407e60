resource "google_service_account" "nodes" {
  project = var.project_id
  # Account ids hold at most 30 characters: a long cluster name is cut to fit "-nodes".
  account_id   = coalesce(var.node_service_account.account_id, "${trimsuffix(substr(var.name, 0, 24), "-")}-nodes")
  display_name = "GKE nodes of ${var.name}"
  description  = "Least-privilege identity of the ${var.name} nodes (logs, metrics, image pulls)."
}

resource "google_project_iam_member" "nodes" {
  for_each = toset(var.node_service_account.project_roles)
  project  = var.project_id
  role     = each.value
  member   = google_service_account.nodes.member
}
