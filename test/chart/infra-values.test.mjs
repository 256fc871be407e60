// scripts/infra-values.mjs, the real CLI: Terraform outputs in, the environment file's infra
// block out; bad outputs are refused with a message and change nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "./lib/helm.mjs";
import { terraformOutputs, writeOutputs, runInfraValues } from "./lib/infra.mjs";

const committed = (env) => readFileSync(join(repoRoot, "helmfile.d/environments", `${env}.yaml`), "utf8");

test("writes the infra block from the outputs, keeps every comment, and is then current", () => {
  const dir = writeOutputs(terraformOutputs("production"));
  const r = runInfraValues("production", dir);
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(r.file, "utf8");
  const v = parse(text);
  assert.deepEqual(v.infra.redis.host, "10.10.16.3");
  assert.equal(v.infra.redis.port, 6379);
  assert.match(v.infra.redis.ca, /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
  assert.deepEqual(v.infra.redis.pscCidrs, ["10.10.16.0/26"]);
  assert.equal(v.infra.workloadServiceAccount, "kv-api@kv-api-prod.iam.gserviceaccount.com");
  assert.deepEqual(v.infra.ingress, { host: "kv.production.example.net", address: "203.0.113.10" });
  assert.deepEqual([v.infra.projectId, v.infra.cluster.name, v.infra.cluster.location], ["kv-api-prod", "kv-api-prod", "europe-west1"]);
  assert.equal(v.kvApi.image.digest, parse(committed("production")).kvApi.image.digest, "the digest is not infra's");
  for (const line of committed("production").split("\n").filter((l) => l.trim().startsWith("#"))) assert.ok(text.includes(line), `comment lost: ${line}`);
  // --check: the committed file (no infra yet) is not current; the written one is.
  const again = runInfraValues("production", dir, ["--check"]);
  assert.equal(again.code, 1, "the committed file must differ from the outputs");
  assert.equal(readFileSync(again.file, "utf8"), committed("production"), "--check changes nothing");
  const check = spawnSync(process.execPath, [join(repoRoot, "scripts/infra-values.mjs"), "--env", "production", "--outputs", dir, "--file", r.file, "--check"], { encoding: "utf8" });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /infra is current/);
});

const bad = {
  "a missing unit file": [{ drop: "edge" }, /edge\.json is missing: run `terragrunt output -json > edge\.json`/],
  "a missing output": [{ memorystore: { ca_certificates: undefined } }, /memorystore: output ca_certificates is missing/],
  "no CA yet": [{ memorystore: { ca_certificates: { sensitive: false, type: ["list", "string"], value: [] } } }, /ca_certificates is empty/],
  "a CA that is not PEM": [{ memorystore: { ca_certificates: { sensitive: false, value: ["hello"] } } }, /not a PEM certificate/],
  "a host that is not an IP": [{ memorystore: { discovery_endpoint_address: { sensitive: false, value: "redis.local" } } }, /discovery_endpoint_address "redis\.local" is not an IP address/],
  "a sensitive output": [{ identity: { workload_service_account_email: { sensitive: true, value: "x" } } }, /is sensitive; only public values belong in Git/],
  "a malformed SA email": [{ identity: { workload_service_account_email: { sensitive: false, value: "kv-api@example.com" } } }, /is not a service-account email/],
  "a CIDR list that is not": [{ network: { psc_subnet_cidrs: { sensitive: false, value: "10.0.0.0/8" } } }, /is not a list of IPv4 CIDRs/],
  "a bad hostname": [{ edge: { ingress_hostname: { sensitive: false, value: "not a host" } } }, /is not a DNS name/],
};
for (const [what, [change, message]] of Object.entries(bad)) {
  test(`refuses ${what} with a message and exit 2, changing nothing`, () => {
    const units = terraformOutputs("production");
    if (change.drop) delete units[change.drop];
    for (const [unit, outs] of Object.entries(change)) {
      if (unit === "drop") continue;
      for (const [k, v] of Object.entries(outs)) if (v === undefined) delete units[unit][k]; else units[unit][k] = v;
    }
    const dir = writeOutputs(units);
    const r = runInfraValues("production", dir);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    assert.equal(readFileSync(r.file, "utf8"), committed("production"));
    rmSync(dir, { recursive: true, force: true });
  });
}

test("usage errors name the flags and the environment", () => {
  const cli = (args) => spawnSync(process.execPath, [join(repoRoot, "scripts/infra-values.mjs"), ...args], { encoding: "utf8" });
  const none = cli([]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /usage: infra-values\.mjs --env <environment> --outputs/);
  const unknown = cli(["--env", "nowhere", "--outputs", writeOutputs(terraformOutputs("production"))]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown environment nowhere/);
});
