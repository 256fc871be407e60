#!/usr/bin/env bash
# The one manual step of an environment, run once by someone who may create buckets in the
# state project and enable APIs in the environment's project (gcloud auth application-default login):
#   bash live/bootstrap/bootstrap.sh prod|staging [--dry-run]
# 1. terraform apply of live/bootstrap (modules/bootstrap): the state bucket and the APIs, with a
#    local state on the first run; 2. that state moves into the new bucket (prefix bootstrap/);
# 3. the service agents that CMEK grants and Memorystore need are created (idempotent).
# Afterwards: cd live/<env> && terragrunt run --all apply. Reads the values from live/<env>/env.hcl.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
env="${1:-}"
dry_run=0
[[ "${2:-}" == "--dry-run" ]] && dry_run=1
env_file="${here}/../${env}/env.hcl"
if [[ -z "${env}" || ! -f "${env_file}" ]]; then
  echo "usage: bash live/bootstrap/bootstrap.sh prod|staging [--dry-run]" >&2
  exit 2
fi

# local NAME of env.hcl (a one-line string value)
env_local() {
  local v
  v="$(sed -n "s/^  $1 *= *\"\([^\"]*\)\"\$/\1/p" "${env_file}")"
  if [[ -z "${v}" ]]; then
    echo "error: ${env_file} has no string local $1" >&2
    exit 2
  fi
  printf '%s' "${v}"
}
project="$(env_local project_id)"
state_project="$(env_local state_project_id)"
bucket="$(env_local state_bucket)"
location="$(env_local state_location)"
# Service agents that must exist before a CMEK grant or a first resource can name them.
agents=(artifactregistry.googleapis.com redis.googleapis.com secretmanager.googleapis.com container.googleapis.com)

run() {
  echo "+ $*"
  ((dry_run)) || "$@"
}

export TF_DATA_DIR="${here}/.terraform/${env}" TF_IN_AUTOMATION=1
tf=(terraform -chdir="${here}")
vars=(-var "project_id=${project}" -var "state={project_id=\"${state_project}\",bucket=\"${bucket}\",location=\"${location}\"}")
backend="${here}/backend_override.tf"
trap 'rm -f "${backend}"' EXIT

echo "bootstrap ${env}: project ${project}, state gs://${bucket} (project ${state_project}, ${location})"
if ((dry_run)) || ! gcloud storage buckets describe "gs://${bucket}" --project "${state_project}" >/dev/null 2>&1; then
  echo "first run: local state in ${TF_DATA_DIR}/bootstrap.tfstate, moved into gs://${bucket} afterwards"
  printf 'terraform {\n  backend "local" {\n    path = "%s"\n  }\n}\n' "${TF_DATA_DIR}/bootstrap.tfstate" >"${backend}"
  run "${tf[@]}" init -reconfigure -input=false
  run "${tf[@]}" apply -input=false "${vars[@]}"
fi
printf 'terraform {\n  backend "gcs" {\n    bucket = "%s"\n    prefix = "bootstrap"\n  }\n}\n' "${bucket}" >"${backend}"
run "${tf[@]}" init -migrate-state -force-copy -input=false
run "${tf[@]}" apply -input=false "${vars[@]}"
for a in "${agents[@]}"; do
  run gcloud beta services identity create --service="${a}" --project="${project}"
done
echo "done: next, cd live/${env} && terragrunt run --all apply"
