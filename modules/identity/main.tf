locals {
  # GitLab ID token claims are strings, including project_id and ref_protected. The numeric
  # project_id survives renames and transfers; project_path could be taken over by another
  # project after one.
  attribute_condition = join(" && ", compact([
    "assertion.project_id == \"${var.gitlab.project_id}\"",
    var.gitlab.protected_refs_only ? "assertion.ref_protected == \"true\"" : "",
    "assertion.pipeline_source in ${jsonencode(var.gitlab.pipeline_sources)}",
    "((assertion.ref_type == \"branch\" && assertion.ref in ${jsonencode(var.gitlab.branches)})${var.gitlab.tags ? " || assertion.ref_type == \"tag\"" : ""})",
  ]))
}

# GitLab CI gets short-lived credentials by exchanging its OIDC ID token: no JSON keys.
resource "google_iam_workload_identity_pool" "gitlab" {
  project                   = var.project_id
  workload_identity_pool_id = var.gitlab.pool_id
  display_name              = "GitLab CI"
  description               = "Federation of GitLab CI ID tokens."
}

resource "google_iam_workload_identity_pool_provider" "gitlab" {
  project                            = var.project_id
  workload_identity_pool_id          = google_iam_workload_identity_pool.gitlab.workload_identity_pool_id
  workload_identity_pool_provider_id = var.gitlab.provider_id
  display_name                       = "GitLab OIDC"
  description                        = "Accepts ID tokens of ${var.gitlab.project_path} only."
  attribute_condition                = local.attribute_condition
  attribute_mapping = {
    "google.subject"            = "assertion.sub"
    "attribute.project_id"      = "assertion.project_id"
    "attribute.project_path"    = "assertion.project_path"
    "attribute.namespace_path"  = "assertion.namespace_path"
    "attribute.ref"             = "assertion.ref"
    "attribute.ref_type"        = "assertion.ref_type"
    "attribute.ref_protected"   = "assertion.ref_protected"
    "attribute.pipeline_source" = "assertion.pipeline_source"
  }
  oidc {
    issuer_uri        = var.gitlab.issuer_uri
    allowed_audiences = var.gitlab.allowed_audiences
  }
}
