// Thin wrapper over the real helm binary (HELM_BIN, set by test/chart/run.sh).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, stringify } from "yaml";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const chartDir = join(repoRoot, "charts/kv-api");
export const helmBin = process.env.HELM_BIN || "helm";
export const KUBE_VERSION = "1.33.0";
// The CRD APIs present in the target clusters (installed by kube-prometheus-stack, GKE).
export const API_VERSIONS = [
  "monitoring.coreos.com/v1",
  "gateway.networking.k8s.io/v1",
  "networking.gke.io/v1",
  "argoproj.io/v1alpha1",
];

export const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

export function helm(args) {
  const r = spawnSync(helmBin, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tmp;
/** Writes an object as a values file and returns its path. */
export function valuesFile(obj) {
  tmp ??= mkdtempSync(join(tmpdir(), "kv-helm-"));
  const p = join(tmp, `values-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(p, stringify(obj));
  return p;
}

/** helm template; returns {code, stderr, docs}. */
export function template({ chart = chartDir, release = "kv-api", namespace = "kv-api", values = [], set = [] } = {}) {
  const args = ["template", release, chart, "--namespace", namespace, "--kube-version", KUBE_VERSION];
  for (const a of API_VERSIONS) args.push("--api-versions", a);
  for (const v of values) args.push("--values", typeof v === "string" ? v : valuesFile(v));
  for (const s of set) args.push("--set", s);
  const r = helm(args);
  const docs = r.code === 0 ? parseAllDocuments(r.stdout).map((d) => d.toJS()).filter(Boolean) : [];
  return { ...r, docs };
}

export const find = (docs, kind) => docs.filter((d) => d.kind === kind);
export const one = (docs, kind) => {
  const f = find(docs, kind);
  if (f.length !== 1) throw new Error(`expected exactly one ${kind}, got ${f.length}`);
  return f[0];
};
