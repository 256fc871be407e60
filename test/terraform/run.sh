#!/usr/bin/env bash
# The Terraform modules and Terragrunt units:
#   1. terraform fmt on modules/ and live/ (including tests/*.tftest.hcl), and the same
#      formatter on every Terragrunt .hcl file
#   2. tfcheck --strict (../shared only): resources, arguments, references and units against
#      the google 6.50 schema
#   3. conventions: module files, version pins, README sections and tables, no service-account
#      keys, unit mocks
#   4. per module, in a temporary copy: terraform init -backend=false, validate, and
#      terraform test (modules/<m>/tests/*.tftest.hcl, mock_provider "google": each run block
#      is one check), then init + validate of the README example (with the examples of the
#      modules it references)
# Step 4 needs the google provider, taken from the first of:
#   tfshim   ../shared/tools/tfshim/terraform, an offline stand-in with the real 6.50 schema
#   registry the real provider, downloaded once into .cache/tf-plugin-cache
#   none     no provider can be installed: step 4 is SKIPPED (so is everything without terraform)
# Usage: bash test/terraform/run.sh    Prints "N passed, M failed, K skipped".
# TF_TEST_JOBS=N runs N modules at once (default: the number of CPUs).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "${HERE}/../../scripts/lib.sh"
cd "${REPO_ROOT}" || exit 2

tfcheck="${TFCHECK:-${REPO_ROOT}/../shared/tools/tfcheck/tfcheck}"
tfcheck_shown="${TFCHECK:-../shared/tools/tfcheck/tfcheck}"
tfshim="${TFSHIM:-${REPO_ROOT}/../shared/tools/tfshim/terraform}"
tfshim_shown="${TFSHIM:-../shared/tools/tfshim/terraform}"
install_url="https://developer.hashicorp.com/terraform/install"
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 TF_INPUT=0
# A CLI config named but absent only makes terraform warn; an existing one (mirrors,
# credentials) is kept. tfshim always sets its own.
if [[ -n "${TF_CLI_CONFIG_FILE:-}" && ! -r "${TF_CLI_CONFIG_FILE}" ]]; then
  export TF_CLI_CONFIG_FILE=/dev/null
fi

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
mkdir -p "${work}/examples" "${work}/res" "${work}/tfdata"

has_terraform=0
command -v terraform >/dev/null 2>&1 && has_terraform=1

# --- 1. formatting ----------------------------------------------------------------------------
if ((has_terraform)); then
  if out=$(terraform fmt -check -recursive -diff modules live 2>&1); then
    ok "terraform fmt -check -recursive modules live"
  else
    ko "terraform fmt -check -recursive modules live"
    printf '%s\n' "${out}"
  fi
  # terraform fmt skips .hcl files; Terragrunt's hclfmt uses the same formatter, so feed them on stdin.
  while IFS= read -r f; do
    # shellcheck disable=SC2094 # both sides only read the file
    if terraform fmt -no-color - <"${f}" 2>/dev/null | diff -u "${f}" - >/dev/null; then
      ok "hcl format ${f}"
    else
      ko "hcl format ${f} (run: terraform fmt - < ${f})"
    fi
  done < <({ echo terragrunt.hcl; find live -name '*.hcl'; } | sort)
else
  skip "terraform fmt and hcl format" "terraform is not on PATH; install it from ${install_url}"
fi

# --- 2. schema and reference checks -----------------------------------------------------------
has_tfcheck=0
if [[ -x "${tfcheck}" ]]; then
  has_tfcheck=1
  if out=$("${tfcheck}" --strict modules live terragrunt.hcl 2>&1); then
    ok "tfcheck --strict modules live terragrunt.hcl: $(tail -n 1 <<<"${out}")"
  else
    ko "tfcheck --strict modules live terragrunt.hcl"
    printf '%s\n' "${out}"
  fi
else
  skip "tfcheck" "no ${tfcheck_shown}: it ships in ../shared beside the repository (schema and reference checks, README example variables)"
fi

# --- 3. conventions ---------------------------------------------------------------------------
modules=()
for dir in modules/*/; do
  m="${dir%/}"
  modules+=("${m#modules/}")
  missing=()
  for f in main.tf variables.tf outputs.tf versions.tf README.md; do [[ -f "${m}/${f}" ]] || missing+=("${f}"); done
  if ((${#missing[@]} == 0)); then ok "${m}: has main/variables/outputs/versions.tf and README.md"; else ko "${m}: missing ${missing[*]}"; fi
  if grep -q 'required_version = ">= 1.9"' "${m}/versions.tf" 2>/dev/null &&
    grep -A2 'source *= *"hashicorp/google"' "${m}/versions.tf" | grep -q 'version *= *"~> 6.50"'; then
    ok "${m}: pins terraform >= 1.9 and google ~> 6.50"
  else
    ko "${m}: versions.tf must pin required_version \">= 1.9\" and hashicorp/google \"~> 6.50\""
  fi
  if [[ -f "${m}/README.md" ]] && grep -q '^## Inputs' "${m}/README.md" && grep -q '^## Outputs' "${m}/README.md" && grep -q '^## Example' "${m}/README.md"; then
    ok "${m}: README has Example, Inputs and Outputs"
  else
    ko "${m}: README.md needs ## Example, ## Inputs and ## Outputs sections"
  fi
done
# Every variable and output appears in the README tables. The README example is extracted to
# ${work}/examples/<m>/main.tf, its source pointing at the temporary copy of modules/ (step 4).
declare -A example_label=() # module block label in an example -> module directory name
for m in "${modules[@]}"; do
  readme="modules/${m}/README.md"
  [[ -f "${readme}" ]] || continue
  undocumented=()
  for n in $(sed -n 's/^variable "\([^"]*\)".*/\1/p' "modules/${m}/variables.tf" 2>/dev/null) $(sed -n 's/^output "\([^"]*\)".*/\1/p' "modules/${m}/outputs.tf" 2>/dev/null); do
    grep -qF "| [${n}](" "${readme}" || undocumented+=("${n}")
  done
  if ((${#undocumented[@]} == 0)); then ok "modules/${m}: README documents every variable and output"; else ko "modules/${m}: README lacks ${undocumented[*]}"; fi
  ex="${work}/examples/${m}"
  mkdir -p "${ex}"
  awk '/^```hcl$/ { on = 1; next } on && /^```$/ { exit } on' "${readme}" |
    sed 's|source *= *"\./modules/|source = "../../modules/|' >"${ex}/main.tf"
  if [[ ! -s "${ex}/main.tf" ]] || ! grep -q "^module " "${ex}/main.tf"; then
    ko "modules/${m}: README has no hcl example calling the module"
    rm -rf "${ex}"
    continue
  fi
  example_label[$(sed -n 's/^module "\([^"]*\)".*/\1/p' "${ex}/main.tf" | head -n 1)]="${m}"
done
cp -r modules "${work}/modules"
find "${work}/modules" -name .terraform -prune -exec rm -rf {} +
if ((has_tfcheck)); then
  for m in "${modules[@]}"; do
    ex="${work}/examples/${m}"
    [[ -f "${ex}/main.tf" ]] || continue
    bad=$("${tfcheck}" "${ex}" 2>&1 | grep -E '^error: .*(is not a variable of|is not set|does not exist|does not parse)')
    if [[ -z "${bad}" ]]; then ok "modules/${m}: README example sets only known and all required variables (tfcheck)"; else ko "modules/${m}: README example (tfcheck)"; printf '%s\n' "${bad}"; fi
  done
fi
# An example refers to other modules' outputs (module.vpc.network_id): the examples of those
# modules join it, as dep-<module>.tf, so that terraform validate sees a whole configuration.
for m in "${modules[@]}"; do
  ex="${work}/examples/${m}"
  [[ -f "${ex}/main.tf" ]] || continue
  queue=("${ex}/main.tf")
  declare -A seen=(["${m}"]=1)
  while ((${#queue[@]} > 0)); do
    while IFS= read -r label; do
      dep="${example_label[${label}]:-}"
      [[ -n "${dep}" && -z "${seen[${dep}]:-}" ]] || continue
      seen[${dep}]=1
      cp "${work}/examples/${dep}/main.tf" "${ex}/dep-${dep}.tf"
      queue+=("${ex}/dep-${dep}.tf")
    done < <(grep -oE 'module\.[A-Za-z0-9_-]+' "${queue[0]}" | cut -d. -f2 | sort -u)
    queue=("${queue[@]:1}")
  done
  unset seen
done
if grep -rqE 'resource +"google_service_account_key"' modules live; then
  ko "a google_service_account_key resource exists: no JSON keys"
else
  ok "no google_service_account_key resources"
fi
while IFS= read -r unit; do
  deps=$(grep -c '^dependency "' "${unit}")
  allowed=$(grep -c 'mock_outputs_allowed_terraform_commands = \["init", "validate", "plan"\]' "${unit}")
  if grep -q 'find_in_parent_folders("terragrunt.hcl")' "${unit}" && ((deps == allowed)); then
    ok "${unit}: includes the root; ${deps} dependency block(s) with plan-only mocks"
  else
    ko "${unit}: must include the root and give every dependency mock_outputs_allowed_terraform_commands = [\"init\", \"validate\", \"plan\"]"
  fi
done < <(find live -name terragrunt.hcl | sort)

# --- 4. init, validate, terraform test, README examples ---------------------------------------
# background WHAT CMD...: runs CMD, saying every 8 s that WHAT still runs (for the probe below).
background() {
  local what="$1" start=${SECONDS} next=8 pid
  shift
  "$@" &
  pid=$!
  while kill -0 "${pid}" 2>/dev/null; do
    sleep 1
    if ((SECONDS - start >= next)); then
      printf '  ... %s still running (%ds)\n' "${what}" $((SECONDS - start))
      next=$((next + 8))
    fi
  done
  wait "${pid}"
}
# Download failures: the registry (or a configured mirror) is out of reach.
offline_re='Failed to query available provider packages|could not connect to registry|failed to request discovery document|Failed to install provider|Error while installing|dial tcp|no such host|i/o timeout|connection refused|TLS handshake timeout|Client\.Timeout|context deadline exceeded|network is unreachable'
tf=()
mode=none
why=""
if ((!has_terraform)); then
  why="terraform is not on PATH; install it from ${install_url}"
elif [[ -x "${tfshim}" ]]; then
  mode=tfshim
  tf=("${tfshim}")
  # The stand-in must never land in the plugin cache the real provider uses.
  unset TF_PLUGIN_CACHE_DIR
  echo "provider: tfshim, ${tfshim_shown} (offline stand-in for hashicorp/google 6.50.0, real schema, no provider-side validation)"
else
  # No tfshim: is the registry reachable? One real init, which also fills the plugin cache.
  export TF_PLUGIN_CACHE_DIR="${CACHE_DIR}/tf-plugin-cache"
  mkdir -p "${TF_PLUGIN_CACHE_DIR}" "${work}/probe"
  cp "modules/${modules[0]}/versions.tf" "${work}/probe/"
  echo "provider: no ${tfshim_shown}; trying the registry (plugin cache ${TF_PLUGIN_CACHE_DIR})"
  background "terraform init (provider probe)" env TF_DATA_DIR="${work}/tfdata/probe" \
    terraform -chdir="${work}/probe" init -backend=false -no-color >"${work}/probe.log" 2>&1
  probe_rc=$?
  if ((probe_rc == 0)); then
    mode=registry
    tf=(terraform)
    ok "terraform init -backend=false: hashicorp/google installed from the registry or the configured mirror ($(grep -oE 'Installed hashicorp/google v[0-9.]+|Using hashicorp/google v[0-9.]+ from the shared cache directory' "${work}/probe.log" | head -n 1))"
  elif grep -qE "${offline_re}" "${work}/probe.log"; then
    why="no ${tfshim_shown} and terraform init cannot download hashicorp/google ($(grep -m1 -oE "${offline_re}" "${work}/probe.log"))"
  else
    mode=broken
    ko "terraform init -backend=false (provider probe) failed for another reason than the network"
    cat "${work}/probe.log"
  fi
fi
echo "terraform step 4 mode: ${mode}${why:+ (${why})}"

# module_job M: init, validate and test modules/M, then init and validate its README example;
# leaves <step>.log and <step>.rc files and "time" in ${work}/res/M, and "done" at the end.
module_job() {
  local m="$1" dir="${work}/modules/$1" ex="${work}/examples/$1" res="${work}/res/$1" start=${SECONDS}
  mkdir -p "${res}"
  step_tf() {
    local name="$1" data="$2"
    shift 2
    TF_DATA_DIR="${work}/tfdata/${data}" "${tf[@]}" "$@" -no-color >"${res}/${name}.log" 2>&1
    echo $? >"${res}/${name}.rc"
    return "$(cat "${res}/${name}.rc")"
  }
  # With the probe's lock file the real provider comes from the plugin cache, not the registry.
  if [[ "${mode}" == registry ]]; then cp "${work}/probe/.terraform.lock.hcl" "${dir}/" 2>/dev/null; fi
  step_tf init "${m}" -chdir="${dir}" init -backend=false &&
    step_tf validate "${m}" -chdir="${dir}" validate &&
    step_tf test "${m}" -chdir="${dir}" test
  if [[ -f "${ex}/main.tf" ]]; then
    if [[ "${mode}" == registry ]]; then cp "${work}/probe/.terraform.lock.hcl" "${ex}/" 2>/dev/null; fi
    step_tf example-init "${m}-example" -chdir="${ex}" init -backend=false &&
      step_tf example-validate "${m}-example" -chdir="${ex}" validate
  fi
  echo $((SECONDS - start)) >"${res}/time"
  touch "${res}/done"
}

# report_step M STEP WHAT: ok or ko (with the output) from a finished step; 1 if it did not pass.
report_step() {
  local res="${work}/res/$1" rc
  rc="$(cat "${res}/$2.rc" 2>/dev/null)"
  [[ -n "${rc}" ]] || return 1
  if ((rc == 0)); then
    ok "modules/$1: $3"
  else
    ko "modules/$1: $3 (exit ${rc})"
    sed 's/^/    /' "${res}/$2.log"
    return 1
  fi
}

report_module() {
  local m="$1" res="${work}/res/$1" line rc np nf ns with=""
  printf -- '--- modules/%s (%ss)\n' "${m}" "$(cat "${res}/time")"
  if report_step "${m}" init "terraform init -backend=false" && report_step "${m}" validate "terraform validate"; then
    rc="$(cat "${res}/test.rc")"
    line="$(grep -E '^(Success|Failure)! [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?\.$' "${res}/test.log" | tail -n 1)"
    if [[ -z "${line}" ]]; then
      ko "modules/${m}: terraform test exited ${rc} without a result line"
      sed 's/^/    /' "${res}/test.log"
    else
      read -r np nf ns <<<"$(sed -E 's/^[A-Za-z]+! ([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?\.$/\1 \2 \4/' <<<"${line}")"
      # Runs that Terraform skipped after a failed one did not run: they count as skipped.
      tally "${np}" "${nf}" "${ns:-0}"
      # This line stands for the counts just added (one per run block): it is no extra check.
      printf '%s modules/%s: terraform test: %s\n' "$( ((nf > 0)) && echo 'FAIL' || echo 'ok  ')" "${m}" "${line}"
      if ((rc != 0 || nf > 0)); then
        ((nf == 0)) && ko "modules/${m}: terraform test exited ${rc}"
        sed 's/^/    /' "${res}/test.log"
      elif ((np == 0)); then
        ko "modules/${m}: terraform test ran no run blocks (tests/*.tftest.hcl)"
      fi
      # A misspelt variable in a run block is only a warning: here it fails.
      if grep -q 'Value for undeclared variable' "${res}/test.log"; then
        ko "modules/${m}: terraform test sets an undeclared variable"
        grep -A6 'Value for undeclared variable' "${res}/test.log" | sed 's/^/    /'
      fi
    fi
  fi
  if [[ -f "${work}/examples/${m}/main.tf" ]]; then
    for f in "${work}/examples/${m}"/dep-*.tf; do
      [[ -f "${f}" ]] && with+="${with:+, }$(basename "${f}" .tf | cut -c5-)"
    done
    report_step "${m}" example-init "README example: terraform init -backend=false" &&
      report_step "${m}" example-validate "README example: terraform validate${with:+ (with the examples of ${with})}"
  fi
}

case "${mode}" in
  none)
    for m in "${modules[@]}"; do
      skip "modules/${m}: terraform init, validate, test and README example validate" "${why}"
    done
    ;;
  broken)
    echo "modules not initialised: the provider probe above failed"
    ;;
  *)
    jobs_max="${TF_TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}"
    ((jobs_max >= 1)) || jobs_max=1
    launched=0 reported=0 start=${SECONDS} next_beat=8
    while ((reported < ${#modules[@]})); do
      done_count=$(find "${work}/res" -maxdepth 2 -name 'done' | wc -l)
      while ((launched < ${#modules[@]} && launched - done_count < jobs_max)); do
        module_job "${modules[launched]}" &
        launched=$((launched + 1))
      done
      if [[ -f "${work}/res/${modules[reported]}/done" ]]; then
        report_module "${modules[reported]}"
        reported=$((reported + 1))
        next_beat=$((SECONDS - start + 8))
        continue
      fi
      sleep 1
      if ((SECONDS - start >= next_beat)); then
        printf '  ... modules/%s still running (%ds in all, %d of %d modules done)\n' \
          "${modules[reported]}" $((SECONDS - start)) "${done_count}" "${#modules[@]}"
        next_beat=$((SECONDS - start + 8))
      fi
    done
    wait
    ;;
esac

finish
