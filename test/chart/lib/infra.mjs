// The environment files' infra block as scripts/infra-values.mjs writes it from Terraform:
// `terragrunt output -json` of each unit (in the format Terraform prints, with a test CA),
// fed to the real script against a copy of the committed environment file.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot, DIGEST } from "./helm.mjs";
import { testCa } from "./test-ca.mjs";

const out = (value, type = "string") => ({ sensitive: false, type, value });

/** Unit outputs of one environment; `override` replaces outputs per unit. */
export function terraformOutputs(env, override = {}) {
  const project = env === "production" ? "kv-api-prod" : `kv-api-${env}`;
  const units = {
    gke: { name: out(project), location: out("europe-west1"), workload_pool: out(`${project}.svc.id.goog`) },
    memorystore: {
      discovery_endpoint_address: out("10.10.16.3"),
      discovery_endpoint_port: out(6379, "number"),
      ca_certificates: out([testCa(`${env}-memorystore-ca`)], ["list", "string"]),
    },
    identity: { workload_service_account_email: out(`kv-api@${project}.iam.gserviceaccount.com`) },
    network: { psc_subnet_cidrs: out(["10.10.16.0/26"], ["list", "string"]) },
    edge: { ingress_ip_address: out("203.0.113.10"), ingress_hostname: out(`kv.${env}.example.net.`) },
  };
  for (const [unit, o] of Object.entries(override)) units[unit] = { ...units[unit], ...o };
  return units;
}

export function writeOutputs(units) {
  const dir = mkdtempSync(join(tmpdir(), "kv-tf-outputs-"));
  for (const [unit, o] of Object.entries(units)) writeFileSync(join(dir, `${unit}.json`), JSON.stringify(o, null, 2));
  return dir;
}

/** Runs scripts/infra-values.mjs; returns {code, stdout, stderr, file}. */
export function runInfraValues(env, dir, args = []) {
  const file = join(mkdtempSync(join(tmpdir(), "kv-env-")), `${env}.yaml`);
  copyFileSync(join(repoRoot, "helmfile.d/environments", `${env}.yaml`), file);
  const r = spawnSync(process.execPath, [join(repoRoot, "scripts/infra-values.mjs"), "--env", env, "--outputs", dir, "--file", file, ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, file };
}

/**
 * State values of a fully provisioned environment: the committed file with the infra block
 * from Terraform outputs, and a promoted digest (what the promotion job writes). `ca` replaces
 * the Memorystore CA certificate of the outputs (PEM), `digest` the promoted digest.
 */
export function provisionedEnv(env, { ca, digest = DIGEST } = {}) {
  const units = terraformOutputs(env, ca ? { memorystore: { ca_certificates: out([ca], ["list", "string"]) } } : {});
  const r = runInfraValues(env, writeOutputs(units));
  if (r.code !== 0) throw new Error(`infra-values failed: ${r.stderr}`);
  const values = parse(readFileSync(r.file, "utf8"));
  values.kvApi.image.digest = digest;
  return values;
}
