# Root configuration of the bootstrap, applied by bootstrap.sh (never by Terragrunt: the
# state bucket it creates does not exist yet when it first runs). The backend is written by
# bootstrap.sh: local on the first run, then the new bucket.
module "bootstrap" {
  source     = "../../modules/bootstrap"
  project_id = var.project_id
  labels     = var.labels
  state      = var.state
}
