#!/usr/bin/env node
// Writes the `infra` block of helmfile.d/environments/<env>.yaml from Terraform outputs, so
// that no address, CA or service-account email is ever typed by hand. The infra:values job
// (.gitlab/ci/infra-values.yml) runs it on `terragrunt output -json` of each unit and proposes
// the result in a merge request; a person only reviews the diff.
//
// Usage: node scripts/infra-values.mjs --env production --outputs DIR [--check] [--file F]
//   DIR holds <unit>.json, each `terragrunt output -json` of live/<env>/<region>/<unit>:
//   gke, memorystore, identity, network, edge.
//   --check: change nothing; exit 1 if the file is not current.
//   --file: the environment file to update (default helmfile.d/environments/<env>.yaml).
// Exit: 0 written or current, 1 not current (--check), 2 bad input (a clear message).
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { isIP } from "node:net";
import { parseArgs } from "node:util";
import { parseDocument } from "yaml";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export class InputError extends Error {}
const fail = (msg) => { throw new InputError(msg); };

/** One unit's `terragrunt output -json`: {name: {value, type, sensitive}}. */
function readUnit(dir, unit) {
  const file = join(dir, `${unit}.json`);
  if (!existsSync(file)) fail(`${file} is missing: run \`terragrunt output -json > ${unit}.json\` in the ${unit} unit`);
  let json;
  try { json = JSON.parse(readFileSync(file, "utf8")); } catch (e) { fail(`${file} is not JSON: ${e.message}`); }
  return (name) => {
    if (!json || typeof json !== "object" || !(name in json)) fail(`${unit}: output ${name} is missing (was the unit applied?)`);
    if (json[name].sensitive) fail(`${unit}: output ${name} is sensitive; only public values belong in Git`);
    return json[name].value;
  };
}

const PEM = /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE-----$/;
const DNS = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const EMAIL = /^[a-z][-a-z0-9]{4,28}[a-z0-9]@[a-z][-a-z0-9]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/;
const CIDR = /^(\d{1,3}(\.\d{1,3}){3})\/(\d|[12]\d|3[0-2])$/;

/** Maps unit outputs to the environment file's infra block; rejects anything malformed. */
export function infraFromOutputs(dir) {
  const gke = readUnit(dir, "gke");
  const memorystore = readUnit(dir, "memorystore");
  const identity = readUnit(dir, "identity");
  const network = readUnit(dir, "network");
  const edge = readUnit(dir, "edge");

  const pool = gke("workload_pool");
  const projectId = /^([a-z][-a-z0-9]{4,28}[a-z0-9])\.svc\.id\.goog$/.exec(pool)?.[1] ?? fail(`gke: workload_pool ${JSON.stringify(pool)} is not <project>.svc.id.goog`);
  const host = memorystore("discovery_endpoint_address");
  if (!isIP(host)) fail(`memorystore: discovery_endpoint_address ${JSON.stringify(host)} is not an IP address`);
  const port = memorystore("discovery_endpoint_port");
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`memorystore: discovery_endpoint_port ${JSON.stringify(port)} is not a port`);
  const certs = memorystore("ca_certificates");
  if (!Array.isArray(certs) || certs.length === 0) fail("memorystore: ca_certificates is empty: the cluster has no server CA yet");
  const pems = certs.map((c) => String(c).trim());
  for (const p of pems) if (!PEM.test(p)) fail("memorystore: ca_certificates holds something that is not a PEM certificate");
  const sa = identity("workload_service_account_email");
  if (!EMAIL.test(sa)) fail(`identity: workload_service_account_email ${JSON.stringify(sa)} is not a service-account email`);
  const cidrs = network("psc_subnet_cidrs");
  if (!Array.isArray(cidrs) || cidrs.length === 0 || !cidrs.every((c) => CIDR.test(c))) fail(`network: psc_subnet_cidrs ${JSON.stringify(cidrs)} is not a list of IPv4 CIDRs`);
  const address = edge("ingress_ip_address");
  if (!isIP(address)) fail(`edge: ingress_ip_address ${JSON.stringify(address)} is not an IP address`);
  const hostname = String(edge("ingress_hostname")).replace(/\.$/, "");
  if (!DNS.test(hostname)) fail(`edge: ingress_hostname ${JSON.stringify(hostname)} is not a DNS name`);

  return {
    projectId,
    cluster: { name: gke("name"), location: gke("location") },
    redis: { host, port, ca: `${pems.join("\n")}\n`, pscCidrs: cidrs },
    workloadServiceAccount: sa,
    ingress: { host: hostname, address },
  };
}

/** The environment file's text with its infra block replaced; comments elsewhere survive. */
export function withInfra(text, infra) {
  const doc = parseDocument(text);
  if (doc.errors.length) fail(`environment file does not parse: ${doc.errors[0].message}`);
  if (!doc.has("infra")) fail("environment file has no infra block to update");
  const node = doc.get("infra", true);
  const next = doc.createNode(infra);
  next.commentBefore = node.commentBefore;
  doc.set("infra", next);
  return doc.toString({ lineWidth: 0 });
}

function main() {
  const { values } = parseArgs({ options: { env: { type: "string" }, outputs: { type: "string" }, check: { type: "boolean", default: false }, file: { type: "string" } } });
  if (!values.env || !values.outputs) fail("usage: infra-values.mjs --env <environment> --outputs <dir of <unit>.json> [--check]");
  if (!/^[a-z][a-z0-9-]*$/.test(values.env)) fail(`--env ${values.env} is not an environment name`);
  const file = values.file ?? join(repoRoot, "helmfile.d/environments", `${values.env}.yaml`);
  if (!existsSync(file)) fail(`${file} does not exist: unknown environment ${values.env}`);
  const before = readFileSync(file, "utf8");
  const after = withInfra(before, infraFromOutputs(values.outputs));
  if (after === before) { console.log(`${file}: infra is current`); return 0; }
  if (values.check) {
    console.log(`${file}: infra differs from the Terraform outputs; run without --check to update it`);
    return 1;
  }
  writeFileSync(file, after);
  console.log(`${file}: infra updated from ${values.outputs}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try { process.exitCode = main(); } catch (e) {
    if (!(e instanceof InputError)) throw e;
    console.error(`infra-values: ${e.message}`);
    process.exitCode = 2;
  }
}
