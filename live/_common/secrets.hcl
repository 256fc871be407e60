# The secrets unit of every environment: live/<env>/<region>/secrets/terragrunt.hcl includes
# the root and this file; env.hcl and region.hcl of that path hold what differs.
terraform {
  source = "${get_repo_root()}/modules/secret-manager"
}

dependency "identity" {
  config_path = "${get_terragrunt_dir()}/../identity"
  mock_outputs = {
    workload_service_account_email = "kv-api@mock-project.iam.gserviceaccount.com"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

# Containers for External Secrets Operator; values are added with gcloud (docs/terraform.md).
inputs = {
  secrets = {
    kv-api-api-keys                    = { member = "serviceAccount:${dependency.identity.outputs.workload_service_account_email}" }
    grafana-admin-password             = { kubernetes_service_account = { namespace = "monitoring", name = "kube-prometheus-stack-grafana" } }
    alertmanager-pagerduty-routing-key = { kubernetes_service_account = { namespace = "monitoring", name = "kube-prometheus-stack-alertmanager" } }
    alertmanager-slack-webhook-url     = { kubernetes_service_account = { namespace = "monitoring", name = "kube-prometheus-stack-alertmanager" } }
    argocd-repo-token                  = { kubernetes_service_account = { namespace = "argocd", name = "argocd-repo-server" } }
  }
}
