include "root" {
  path = find_in_parent_folders("terragrunt.hcl")
}

include "unit" {
  path = "${get_repo_root()}/live/_common/gke.hcl"
}
