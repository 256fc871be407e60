// Reproduces what `helmfile -e <env> [--state-values-set ...] template --include-crds` passes
// to `helm template` for a helmfile state file. Helmfile itself cannot be installed here, so
// its template step is run by Helm's own engine: the same Go text/template with sprig, one
// chart per state part or .gotmpl values file, with `.Values` and `.Environment` bound as
// helmfile binds them. Helmfile-only functions (env, exec, readFile, ...) are absent from
// Helm's engine: a state file that uses one fails here loudly instead of being guessed.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve, isAbsolute } from "node:path";
import { parse } from "yaml";
import { helm, repoRoot, valuesFile } from "./helm.mjs";

export const helmfilePath = join(repoRoot, "helmfile.d/helmfile.yaml.gotmpl");

let engine;
/** Renders Go-template text with helmfile's bindings {Values, Environment{Name, Values}}. */
export function renderGotmpl(text, envName, values) {
  if (!engine) {
    engine = mkdtempSync(join(tmpdir(), "kv-helmfile-"));
    mkdirSync(join(engine, "templates"));
    writeFileSync(join(engine, "Chart.yaml"), "apiVersion: v2\nname: helmfile-state\nversion: 0.0.0\n");
    // Helm only emits Kubernetes-shaped YAML: the text travels as one JSON string.
    writeFileSync(join(engine, "templates", "out.yaml"), 'rendered: {{ include "state" . | toJson }}\n');
  }
  // One template per call; the prelude rebinds dot the way helmfile does.
  const body = `{{- define "state" }}{{- with (dict "Values" .Values.v "Environment" (dict "Name" .Values.env "Values" .Values.v)) }}\n${text}\n{{- end }}{{- end }}\n`;
  writeFileSync(join(engine, "templates", "_state.tpl"), body);
  const r = helm(["template", "state", engine, "--values", valuesFile({ env: envName, v: values })]);
  if (r.code !== 0) throw new Error(`helmfile template step failed: ${r.stderr.trim()}`);
  return parse(r.stdout).rendered;
}

const isObj = (v) => v && typeof v === "object" && !Array.isArray(v);
export function deepMerge(a, b) {
  const out = { ...a };
  for (const [k, v] of Object.entries(b ?? {})) out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k], v) : v;
  return out;
}

/** A values entry of a release or environment: a file (templated when .gotmpl) or inline. */
function valuesEntry(dir, v, envName, envValues) {
  if (typeof v !== "string") return { file: valuesFile(v), obj: v };
  const path = isAbsolute(v) ? v : join(dir, v);
  if (!path.endsWith(".gotmpl")) return { file: path, obj: parse(readFileSync(path, "utf8")) ?? {} };
  const obj = parse(renderGotmpl(readFileSync(path, "utf8"), envName, envValues)) ?? {};
  return { file: valuesFile(obj), obj };
}

/**
 * Parses the state for one environment: {state, envValues, releases}. stateValues (objects)
 * are merged over the environment values, as `helmfile --state-values-set` does.
 */
export function loadHelmfile(envName, file = helmfilePath, stateValues = []) {
  const dir = dirname(file);
  const parts = readFileSync(file, "utf8").split(/^---\s*$/m);
  const first = parse(renderGotmpl(parts[0], envName, {}));
  const env = first.environments?.[envName];
  if (!env) throw new Error(`helmfile: unknown environment ${envName}`);
  let envValues = {};
  for (const v of env.values ?? []) envValues = deepMerge(envValues, valuesEntry(dir, v, envName, {}).obj);
  for (const v of stateValues) envValues = deepMerge(envValues, v);
  const state = parts.slice(1).reduce((acc, p) => deepMerge(acc, parse(renderGotmpl(p, envName, envValues)) ?? {}), first);
  const releases = (state.releases ?? []).map((r) => {
    const entries = (r.values ?? []).map((v) => valuesEntry(dir, v, envName, envValues));
    return {
      ...r,
      local: r.chart.startsWith("./") || r.chart.startsWith("../"),
      chartPath: r.chart.startsWith(".") ? resolve(dir, r.chart) : r.chart,
      valueFiles: entries.map((e) => e.file),
      valueObjects: entries.map((e) => e.obj),
    };
  });
  return { state, envValues, releases, dir };
}

/** The `helm template` argument list helmfile would use for a release. */
export function helmArgs(state, release, { chartPath = release.chartPath } = {}) {
  const args = ["template", release.name, chartPath, "--namespace", release.namespace, "--include-crds", "--skip-tests"];
  if (!release.local && chartPath === release.chartPath) args.push("--version", release.version);
  if (state.kubeVersion) args.push("--kube-version", state.kubeVersion);
  for (const a of state.apiVersions ?? []) args.push("--api-versions", a);
  for (const f of release.valueFiles) args.push("--values", f);
  for (const s of release.set ?? []) args.push("--set", `${s.name}=${s.value}`);
  return args;
}

/** Merged values of a release (later files win). */
export function mergedValues(release) {
  return release.valueObjects.reduce((acc, o) => deepMerge(acc, o), {});
}

