#!/bin/sh
# Exchanges the job's GitLab OIDC token (id_tokens: GCP_ID_TOKEN) for a
# short-lived Google access token through Workload Identity Federation and
# writes a registry login for Artifact Registry to $DOCKER_CONFIG/config.json
# (read by buildctl, trivy and cosign). No service-account key exists anywhere.
#
# POSIX sh with curl or busybox wget only: it runs in the BuildKit, Trivy and
# Node job images alike. The token is never printed.
#
# Required: GCP_ID_TOKEN, GAR_REGISTRY (e.g. europe-west1-docker.pkg.dev),
#   GCP_WORKLOAD_IDENTITY_PROVIDER  projects/<number>/locations/global/
#           workloadIdentityPools/<pool>/providers/<provider> (Terraform output
#           workload_identity_provider of modules/identity)
# Optional: GCP_SERVICE_ACCOUNT  impersonate this account instead of using the
#           federated principal directly (see docs/pipeline.md)
#           GCP_STS_URL, GCP_IAMCREDENTIALS_URL  endpoint overrides for tests
set -eu
: "${GCP_ID_TOKEN:?id_tokens: GCP_ID_TOKEN is not set for this job}"
: "${GCP_WORKLOAD_IDENTITY_PROVIDER:?GCP_WORKLOAD_IDENTITY_PROVIDER is not set (CI/CD variable)}"
: "${GAR_REGISTRY:?GAR_REGISTRY is not set}"
sts_url=${GCP_STS_URL:-https://sts.googleapis.com/v1/token}
iam_url=${GCP_IAMCREDENTIALS_URL:-https://iamcredentials.googleapis.com/v1}
scope=https://www.googleapis.com/auth/cloud-platform
# STS names the provider with a scheme-less prefix; the ID token's aud carries
# the https:// form (the provider's default allowed audience).
audience="//iam.googleapis.com/${GCP_WORKLOAD_IDENTITY_PROVIDER}"

post_json() { # url body [bearer]
  if command -v curl >/dev/null 2>&1; then
    if [ -n "${3:-}" ]; then
      curl -fsS --retry 3 -H 'Content-Type: application/json' -H "Authorization: Bearer $3" -d "$2" "$1"
    else
      curl -fsS --retry 3 -H 'Content-Type: application/json' -d "$2" "$1"
    fi
  elif [ -n "${3:-}" ]; then
    wget -q -O - --header 'Content-Type: application/json' --header "Authorization: Bearer $3" --post-data "$2" "$1"
  else
    wget -q -O - --header 'Content-Type: application/json' --post-data "$2" "$1"
  fi
}
json_field() { # name: first string value of that key in a flat JSON object on stdin
  tr -d '\n' | sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p"
}

federated=$(post_json "$sts_url" "{\"audience\":\"$audience\",\"grantType\":\"urn:ietf:params:oauth:grant-type:token-exchange\",\"requestedTokenType\":\"urn:ietf:params:oauth:token-type:access_token\",\"scope\":\"$scope\",\"subjectTokenType\":\"urn:ietf:params:oauth:token-type:jwt\",\"subjectToken\":\"$GCP_ID_TOKEN\"}" \
  | json_field access_token) || true
[ -n "$federated" ] || { echo "STS token exchange failed: check GCP_WORKLOAD_IDENTITY_PROVIDER, the id_tokens aud and the provider's attribute condition" >&2; exit 1; }

token=$federated
if [ -n "${GCP_SERVICE_ACCOUNT:-}" ]; then
  token=$(post_json "$iam_url/projects/-/serviceAccounts/$GCP_SERVICE_ACCOUNT:generateAccessToken" \
    "{\"scope\":[\"$scope\"],\"lifetime\":\"1800s\"}" "$federated" | json_field accessToken) || true
  [ -n "$token" ] || { echo "impersonation of $GCP_SERVICE_ACCOUNT failed: is roles/iam.workloadIdentityUser granted?" >&2; exit 1; }
fi

config_dir=${DOCKER_CONFIG:-$HOME/.docker}
mkdir -p "$config_dir"
umask 077
auth=$(printf 'oauth2accesstoken:%s' "$token" | base64 | tr -d '\n')
printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$GAR_REGISTRY" "$auth" >"$config_dir/config.json"
echo "registry login written for $GAR_REGISTRY${GCP_SERVICE_ACCOUNT:+ as $GCP_SERVICE_ACCOUNT}"
