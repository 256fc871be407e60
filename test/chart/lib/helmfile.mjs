// Reproduces what `helmfile -e <env> template --include-crds` passes to `helm template`
// for helmfile.d/helmfile.yaml.gotmpl. Helmfile itself cannot be installed here, so the
// state file is limited to {{ .Environment.Name }} and {{ .Values.a.b | quote }}:
// any other template expression makes this parser (and the test) fail.
import { readFileSync } from "node:fs";
import { dirname, join, resolve, isAbsolute } from "node:path";
import { parse } from "yaml";
import { repoRoot, valuesFile } from "./helm.mjs";

export const helmfilePath = join(repoRoot, "helmfile.d/helmfile.yaml.gotmpl");

const get = (obj, path) => path.split(".").reduce((o, k) => {
  if (o === undefined || o === null || !(k in o)) throw new Error(`helmfile: missing value .Values.${path}`);
  return o[k];
}, obj);

export function renderGotmpl(text, envName, values) {
  return text.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (_, expr) => {
    const m = expr.match(/^\.(Environment\.Name|Values\.[A-Za-z0-9_.]+)(\s*\|\s*quote)?$/);
    if (!m) throw new Error(`helmfile: unsupported template expression {{ ${expr} }}`);
    const v = m[1] === "Environment.Name" ? envName : get(values, m[1].slice("Values.".length));
    return m[2] ? JSON.stringify(String(v)) : String(v);
  });
}

const isObj = (v) => v && typeof v === "object" && !Array.isArray(v);
export function deepMerge(a, b) {
  const out = { ...a };
  for (const [k, v] of Object.entries(b ?? {})) out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k], v) : v;
  return out;
}

/**
 * Parses the state for one environment: {state, envValues, releases}. stateValues (objects)
 * are merged over the environment values, as `helmfile --state-values-file` does.
 */
export function loadHelmfile(envName, file = helmfilePath, stateValues = []) {
  const dir = dirname(file);
  const parts = readFileSync(file, "utf8").split(/^---\s*$/m);
  const first = parse(renderGotmpl(parts[0], envName, {}));
  const env = first.environments?.[envName];
  if (!env) throw new Error(`helmfile: unknown environment ${envName}`);
  let envValues = {};
  for (const v of env.values ?? []) {
    envValues = deepMerge(envValues, typeof v === "string" ? parse(readFileSync(join(dir, v), "utf8")) : v);
  }
  for (const v of stateValues) envValues = deepMerge(envValues, v);
  const state = parts.slice(1).reduce((acc, p) => deepMerge(acc, parse(renderGotmpl(p, envName, envValues)) ?? {}), first);
  const releases = (state.releases ?? []).map((r) => ({
    ...r,
    local: r.chart.startsWith("./") || r.chart.startsWith("../"),
    chartPath: r.chart.startsWith(".") ? resolve(dir, r.chart) : r.chart,
    valueFiles: (r.values ?? []).map((v) => (typeof v === "string" ? (isAbsolute(v) ? v : join(dir, v)) : valuesFile(v))),
  }));
  return { state, envValues, releases, dir };
}

/** The `helm template` argument list helmfile would use for a release. */
export function helmArgs(state, release) {
  const args = ["template", release.name, release.chartPath, "--namespace", release.namespace, "--include-crds", "--skip-tests"];
  if (!release.local) args.push("--version", release.version);
  if (state.kubeVersion) args.push("--kube-version", state.kubeVersion);
  for (const a of state.apiVersions ?? []) args.push("--api-versions", a);
  for (const f of release.valueFiles) args.push("--values", f);
  for (const s of release.set ?? []) args.push("--set", `${s.name}=${s.value}`);
  return args;
}

/** Merged values of a release (later files win), for asserting external charts' settings. */
export function mergedValues(release) {
  return release.valueFiles.reduce((acc, f) => deepMerge(acc, parse(readFileSync(f, "utf8")) ?? {}), {});
}
