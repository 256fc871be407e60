#!/usr/bin/env bash
# Static proof of the Terraform modules and Terragrunt units, as far as a machine
# without provider downloads allows (terraform validate/plan run in the GitLab pipeline):
#   1. terraform fmt on modules/ and live/, and the same formatter on every .hcl file
#   2. tfcheck --strict: resources, arguments, references and units against the google 6.50 schema
#   3. module conventions: files, README, provider pins, no service-account keys, unit mocks
#   4. variable validations: each module's variables.tf alone is planned with the cases in
#      modules/<m>/tests/validation/ (no provider needed): pass-* must plan, fail-* must be
#      rejected with the error message named on their "# expect:" line.
# Usage: bash scripts/check-terraform.sh   (exits non-zero when any check fails)
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${root}" || exit 2

tfcheck="${TFCHECK:-${root}/../shared/tools/tfcheck/tfcheck}"
export TF_CLI_CONFIG_FILE=/dev/null TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

passed=0
failed=0
ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
ko() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }

if ! command -v terraform >/dev/null 2>&1; then
  ko "terraform CLI not found on PATH (needed for fmt and validation tests)"
  printf '%d passed, %d failed\n' "${passed}" "${failed}"
  exit 1
fi

# --- 1. formatting ----------------------------------------------------------------------------
if out=$(terraform fmt -check -recursive -diff modules live 2>&1); then
  ok "terraform fmt -check -recursive modules live"
else
  ko "terraform fmt -check -recursive modules live"
  printf '%s\n' "${out}"
fi
# terraform fmt skips .hcl files; Terragrunt's hclfmt uses the same formatter, so feed them on stdin.
while IFS= read -r f; do
  if terraform fmt -no-color - <"${f}" 2>/dev/null | diff -u "${f}" - >/dev/null; then
    ok "hcl format ${f}"
  else
    ko "hcl format ${f} (run: terraform fmt - < ${f})"
  fi
done < <({ echo terragrunt.hcl; find live -name '*.hcl'; } | sort)

# --- 2. schema and reference checks -----------------------------------------------------------
if [[ -x "${tfcheck}" ]]; then
  if out=$("${tfcheck}" --strict modules live terragrunt.hcl 2>&1); then
    ok "tfcheck --strict modules live terragrunt.hcl: $(tail -n 1 <<<"${out}")"
  else
    ko "tfcheck --strict modules live terragrunt.hcl"
    printf '%s\n' "${out}"
  fi
else
  ko "tfcheck not found at ${tfcheck} (../shared must sit beside the repository)"
fi

# --- 3. conventions ---------------------------------------------------------------------------
for dir in modules/*/; do
  m="${dir%/}"
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
# Every variable and output appears in the README tables, and the README example calls the
# module with known variables and every required one (checked by tfcheck on the extracted block).
examples="$(mktemp -d)"
for dir in modules/*/; do
  m="${dir%/}"
  [[ -f "${m}/README.md" ]] || continue
  undocumented=()
  for n in $(sed -n 's/^variable "\([^"]*\)".*/\1/p' "${m}/variables.tf" 2>/dev/null) $(sed -n 's/^output "\([^"]*\)".*/\1/p' "${m}/outputs.tf" 2>/dev/null); do
    grep -qF "| [${n}](" "${m}/README.md" || undocumented+=("${n}")
  done
  if ((${#undocumented[@]} == 0)); then ok "${m}: README documents every variable and output"; else ko "${m}: README lacks ${undocumented[*]}"; fi
  ex="${examples}/${m#modules/}"
  mkdir -p "${ex}"
  awk '/^```hcl$/ { on = 1; next } on && /^```$/ { exit } on' "${m}/README.md" |
    sed "s|source *= *\"\./${m}\"|source = \"${root}/${m}\"|; s|source = \"${root}/|source = \"$(realpath --relative-to="${ex}" "${root}")/|" >"${ex}/main.tf"
  if [[ ! -s "${ex}/main.tf" ]] || ! grep -q "^module " "${ex}/main.tf"; then
    ko "${m}: README has no hcl example calling the module"
  elif [[ -x "${tfcheck}" ]]; then
    bad=$("${tfcheck}" "${ex}" 2>&1 | grep -E '^error: .*(is not a variable of|is not set|does not exist|does not parse)')
    if [[ -z "${bad}" ]]; then ok "${m}: README example sets only known and all required variables"; else ko "${m}: README example"; printf '%s\n' "${bad}"; fi
  fi
done
rm -rf "${examples}"
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

# --- 4. variable validation cases -------------------------------------------------------------
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
# Diagnostics are wrapped and boxed: compare on one line with single spaces.
flatten() { sed 's/│/ /g' | tr '\n' ' ' | tr -s ' ' | sed 's/^ //; s/ $//'; }
for cases in modules/*/tests/validation; do
  m="${cases%/tests/validation}"
  sandbox="${work}/${m//\//_}"
  mkdir -p "${sandbox}"
  # Only the variable declarations: no resources, so no provider is needed to plan.
  cp "${m}/variables.tf" "${sandbox}/"
  base=()
  [[ -f "${cases}/base.tfvars" ]] && base=(-var-file="${root}/${cases}/base.tfvars")
  for case in "${cases}"/pass-*.tfvars "${cases}"/fail-*.tfvars; do
    [[ -f "${case}" ]] || continue
    name="${m#modules/}/$(basename "${case}" .tfvars)"
    out=$(cd "${sandbox}" && terraform plan -input=false -lock=false -refresh=false -no-color \
      "${base[@]}" -var-file="${root}/${case}" 2>&1)
    rc=$?
    case "$(basename "${case}")" in
      pass-*)
        # Terraform only warns about a misspelt variable in a var file: that is a failed case here.
        if ((rc == 0)) && grep -q 'No changes' <<<"${out}" && ! grep -q 'undeclared variable' <<<"${out}"; then
          ok "validation ${name}: accepted"
        else
          ko "validation ${name}: should be accepted"
          printf '%s\n' "${out}" | tail -n 15
        fi
        ;;
      fail-*)
        expect=$(sed -n 's/^# expect: //p' "${case}" | head -n 1)
        if [[ -z "${expect}" ]]; then
          ko "validation ${name}: no '# expect:' line"
        elif flat_out=$(flatten <<<"${out}") && flat_expect=$(flatten <<<"${expect}") &&
          ((rc != 0)) && [[ "${flat_out}" == *"Invalid value for variable"* && "${flat_out}" == *"${flat_expect}"* ]]; then
          ok "validation ${name}: rejected (${expect})"
        else
          ko "validation ${name}: should be rejected with \"${expect}\""
          printf '%s\n' "${out}" | tail -n 15
        fi
        ;;
    esac
  done
done

printf '%d passed, %d failed\n' "${passed}" "${failed}"
((failed == 0))
