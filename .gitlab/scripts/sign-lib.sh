# shellcheck shell=sh
# Shared by publish-image.sh and release-image.sh (sourced): registry login,
# the pinned cosign, and this pipeline's keyless signing identity.
set -eu
: "${CI_SERVER_URL:?}" "${CI_PROJECT_PATH:?}" "${IMAGE_REPOSITORY:?}"
: "${SIGSTORE_ID_TOKEN:?id_tokens: SIGSTORE_ID_TOKEN (aud sigstore) is not set for this job}"
lib_dir=$(cd "$(dirname "$0")" && pwd)
sh "$lib_dir/gcp-wif-login.sh"
cosign_bin=$(sh "$lib_dir/install-tool.sh" cosign)
cosign() { "$cosign_bin" "$@"; }
export COSIGN_YES=true
# Fulcio's certificate for a GitLab ID token names the pipeline config at a ref
# as the subject and the GitLab instance as the issuer (docs/adr/0035).
if [ -n "${CI_COMMIT_TAG:-}" ]; then git_ref="refs/tags/$CI_COMMIT_TAG"; else git_ref="refs/heads/${CI_COMMIT_BRANCH:?}"; fi
identity="$CI_SERVER_URL/$CI_PROJECT_PATH//.gitlab-ci.yml@$git_ref"
main_identity="$CI_SERVER_URL/$CI_PROJECT_PATH//.gitlab-ci.yml@refs/heads/${CI_DEFAULT_BRANCH:-main}"
verify() { # ref identity: the signature must exist for exactly this identity
  cosign verify --certificate-identity "$2" --certificate-oidc-issuer "$CI_SERVER_URL" "$1" >/dev/null
}
