#!/usr/bin/env bash
# Argo CD Config Management Plugin for helmfile.d/ (argocd/values/argo-cd.yaml.gotmpl runs
# it from the checked-out revision, so the plugin is reviewed and versioned with the
# releases it renders). Modelled on travisghansen/argo-cd-helmfile, reduced to what this
# repository needs:
#   - one Helm home per Application, so concurrent renders never share repository
#     indexes or caches;
#   - `helmfile repos` once per revision and Application, and never for a release whose
#     charts are all local (kv-api, platform), so those render without any chart repository;
#   - the target cluster's KUBE_VERSION and KUBE_API_VERSIONS (set by Argo CD) become the
#     state values cluster.kubeVersion / cluster.apiVersions, which helmfile.d passes to
#     helm as --kube-version / --api-versions.
# Usage: helmfile-plugin.sh init|generate
# Env (Argo CD): ARGOCD_APP_NAME, ARGOCD_APP_REVISION, KUBE_VERSION, KUBE_API_VERSIONS,
#   ARGOCD_ENV_HELMFILE_ENV, ARGOCD_ENV_HELMFILE_SELECTOR. Optional: HELMFILE_BIN,
#   HELMFILE_FILE (helmfile.d/helmfile.yaml.gotmpl), PLUGIN_STATE_DIR (/tmp/helmfile-plugin).
set -euo pipefail

die() { echo "helmfile-plugin: $*" >&2; exit 1; }

phase=${1:-}
env_name=${ARGOCD_ENV_HELMFILE_ENV:-}
selector=${ARGOCD_ENV_HELMFILE_SELECTOR:-}
app=${ARGOCD_APP_NAME:-}
[[ $phase == init || $phase == generate ]] || die "usage: $0 init|generate"
[[ -n $env_name ]] || die "the Application sets no HELMFILE_ENV (spec.source.plugin.env)"
[[ -n $selector ]] || die "the Application sets no HELMFILE_SELECTOR (spec.source.plugin.env)"
[[ -n $app ]] || die "ARGOCD_APP_NAME is not set: not run by Argo CD?"
helmfile_bin=${HELMFILE_BIN:-helmfile}
file=${HELMFILE_FILE:-helmfile.d/helmfile.yaml.gotmpl}

# Application names may hold a namespace prefix (apps in any namespace): keep it a path.
home="${PLUGIN_STATE_DIR:-/tmp/helmfile-plugin}/apps/${app//[^A-Za-z0-9._-]/_}"
mkdir -p "$home"
export HOME="$home" \
  HELM_CACHE_HOME="$home/helm/cache" HELM_CONFIG_HOME="$home/helm/config" HELM_DATA_HOME="$home/helm/data" \
  HELMFILE_CACHE_HOME="$home/helmfile/cache" HELMFILE_TEMPDIR="$home/helmfile/tmp"
mkdir -p "$HELMFILE_TEMPDIR"

state_args=()
if [[ -n ${KUBE_VERSION:-} ]]; then
  # Argo CD reports e.g. 1.33.4-gke.1245000; helm wants major.minor[.patch].
  [[ $KUBE_VERSION =~ ^v?([0-9]+\.[0-9]+(\.[0-9]+)?) ]] || die "KUBE_VERSION is not a Kubernetes version: $KUBE_VERSION"
  state_args+=(--state-values-set "cluster.kubeVersion=v${BASH_REMATCH[1]}")
fi
if [[ -n ${KUBE_API_VERSIONS:-} ]]; then
  [[ $KUBE_API_VERSIONS != *[{}=]* ]] || die "KUBE_API_VERSIONS holds characters that are not API versions: $KUBE_API_VERSIONS"
  state_args+=(--state-values-set "cluster.apiVersions={${KUBE_API_VERSIONS}}")
fi
hf=("$helmfile_bin" --no-color --file "$file" --environment "$env_name" --selector "$selector" "${state_args[@]}")

case $phase in
  init)
    stamp="$home/repos-${ARGOCD_APP_REVISION:-unknown}"
    if [[ -e $stamp ]]; then
      echo "helmfile-plugin: repositories already updated for revision ${ARGOCD_APP_REVISION:-unknown}" >&2
      exit 0
    fi
    charts=$("${hf[@]}" list --output json) || die "helmfile list failed for $selector in $env_name"
    # Local charts (../charts/...) need no repository at all.
    if grep -Eq '"chart": *"[^./"][^"]*"' <<<"$charts"; then
      "${hf[@]}" repos >&2
    else
      echo "helmfile-plugin: only local charts selected; no repositories needed" >&2
    fi
    rm -f "$home"/repos-*
    : >"$stamp"
    ;;
  generate)
    exec "${hf[@]}" --quiet template --include-crds --skip-tests --skip-deps
    ;;
esac
