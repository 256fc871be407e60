// The kv-api pod as the cluster would start it, from the render Helmfile would produce:
// container argv, environment, volumes, identity and probes, resolved the kubelet's way.
// Anything the pod uses that this resolver does not model fails loudly instead of being
// ignored, so a new template feature cannot slip past the boot test unexercised.
import { randomBytes } from "node:crypto";
import { parseAllDocuments } from "yaml";
import { helm } from "../../chart/lib/helm.mjs";
import { helmArgs, loadHelmfile } from "../../chart/lib/helmfile.mjs";

/** helm template of one release exactly as Helmfile would run it; throws with helm's message. */
export function renderRelease(envName, releaseName, { helmfile, stateValues = [] } = {}) {
  const { state, releases } = loadHelmfile(envName, helmfile, stateValues);
  const release = releases.find((r) => r.name === releaseName);
  if (!release) throw new Error(`helmfile: no release ${releaseName} in environment ${envName}`);
  const r = helm(helmArgs(state, release));
  if (r.code !== 0) throw new Error(`helm template (${envName}) failed: ${r.stderr.trim()}`);
  return parseAllDocuments(r.stdout).map((d) => d.toJS()).filter(Boolean);
}

/** Environments declared by the Helmfile state. */
export function helmfileEnvironments(helmfile) {
  return Object.keys(loadHelmfile("production", helmfile).state.environments ?? {});
}

/**
 * The Secrets and ConfigMaps the pod references that the render does not create, filled as
 * the cluster would hold them (External Secrets, objects made outside the chart): each
 * referenced key gets a random one-line value. {secret: {name: {key: text}}, configMap: ...}
 */
export function externalObjects(docs) {
  const out = { secret: {}, configMap: {} };
  const rendered = { secret: new Set(), configMap: new Set() };
  for (const d of docs) if (d.kind === "Secret" || d.kind === "ConfigMap") rendered[d.kind === "Secret" ? "secret" : "configMap"].add(d.metadata.name);
  const want = (kind, name, key) => {
    if (!rendered[kind].has(name)) (out[kind][name] ??= {})[key] = `boot-${randomBytes(16).toString("hex")}\n`;
  };
  const pod = docs.find((d) => d.kind === "Deployment").spec.template.spec;
  for (const v of pod.volumes ?? []) {
    for (const i of v.secret?.items ?? []) want("secret", v.secret.secretName, i.key);
    for (const i of v.configMap?.items ?? []) want("configMap", v.configMap.name, i.key);
  }
  for (const c of pod.containers) for (const e of c.env ?? []) {
    if (e.valueFrom?.secretKeyRef) want("secret", e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key);
    if (e.valueFrom?.configMapKeyRef) want("configMap", e.valueFrom.configMapKeyRef.name, e.valueFrom.configMapKeyRef.key);
  }
  return out;
}

const b64 = (s) => Buffer.from(s, "utf8").toString("base64");

/** {name: {key: base64}} of the rendered ConfigMaps or Secrets, plus external ones. */
function objectData(docs, kind, external = {}) {
  const out = {};
  for (const d of docs.filter((x) => x.kind === kind)) {
    const data = {};
    for (const [k, v] of Object.entries(d.data ?? {})) data[k] = kind === "Secret" ? v : b64(v);
    for (const [k, v] of Object.entries(d.binaryData ?? {})) data[k] = v;
    for (const [k, v] of Object.entries(d.stringData ?? {})) data[k] = b64(v);
    out[d.metadata.name] = data;
  }
  for (const [name, data] of Object.entries(external)) {
    if (!(name in out)) out[name] = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)]));
  }
  return out;
}

// $(VAR) references, as the kubelet expands them in env values, command and args; $$ escapes.
const expand = (text, env) => text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name) =>
  m === "$$" ? "$" : name in env ? env[name] : m);

function parseQuantity(q) {
  if (q === undefined) return undefined;
  const m = String(q).match(/^(\d+)(Ki|Mi|Gi|k|M|G)?$/);
  if (!m) throw new Error(`unsupported quantity ${q}`);
  const mult = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, k: 1e3, M: 1e6, G: 1e9 }[m[2]] ?? 1;
  return Number(m[1]) * mult;
}

/**
 * The plan test/boot/kubelet.py executes, for the single container of the single Deployment.
 * image: {Entrypoint, Cmd, Env, WorkingDir, User} (OCI config); external: objects the cluster
 * holds that the render only references (externalObjects).
 */
export function podPlan(docs, { image, rootfs, external = { secret: {}, configMap: {} } }) {
  const deployments = docs.filter((d) => d.kind === "Deployment");
  if (deployments.length !== 1) throw new Error(`expected one Deployment, got ${deployments.length}`);
  const pod = deployments[0].spec.template.spec;
  if (pod.initContainers?.length) throw new Error("initContainers are not modelled by the boot test");
  if (pod.containers.length !== 1) throw new Error(`expected one container, got ${pod.containers.length}`);
  const c = pod.containers[0];
  const configMaps = objectData(docs, "ConfigMap", external.configMap);
  const secrets = objectData(docs, "Secret", external.secret);
  const source = (kind, name) => {
    const data = (kind === "configMap" ? configMaps : secrets)[name];
    // The kubelet's CreateContainerConfigError / FailedMount.
    if (!data) throw new Error(`${kind} ${name} is referenced by the pod but neither rendered nor provided`);
    return data;
  };
  const text = (s) => Buffer.from(s, "base64").toString("utf8");

  // Image Env first, then envFrom in order, then env: later entries win.
  const env = Object.fromEntries((image.Env ?? []).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
  for (const from of c.envFrom ?? []) {
    const [kind, ref] = from.configMapRef ? ["configMap", from.configMapRef] : ["secret", from.secretRef];
    if (!ref) throw new Error(`unsupported envFrom ${JSON.stringify(from)}`);
    if (ref.optional && !(kind === "configMap" ? configMaps : secrets)[ref.name]) continue;
    for (const [k, v] of Object.entries(source(kind, ref.name))) env[`${from.prefix ?? ""}${k}`] = text(v);
  }
  for (const e of c.env ?? []) {
    if ("value" in e) env[e.name] = expand(String(e.value), env);
    else if (e.valueFrom?.configMapKeyRef || e.valueFrom?.secretKeyRef) {
      const kind = e.valueFrom.configMapKeyRef ? "configMap" : "secret";
      const ref = e.valueFrom.configMapKeyRef ?? e.valueFrom.secretKeyRef;
      const data = (kind === "configMap" ? configMaps : secrets)[ref.name];
      if (!data && ref.optional) continue;
      if (!(ref.key in source(kind, ref.name))) throw new Error(`${kind} ${ref.name} has no key ${ref.key} (env ${e.name})`);
      env[e.name] = text(data[ref.key]);
    } else throw new Error(`unsupported env entry ${JSON.stringify(e)}`);
  }

  const volumes = Object.fromEntries((pod.volumes ?? []).map((v) => [v.name, v]));
  const mounts = (c.volumeMounts ?? []).map((m) => {
    const v = volumes[m.name];
    if (!v) throw new Error(`volumeMount ${m.name} names no volume`);
    if (m.subPath || m.subPathExpr) throw new Error("subPath mounts are not modelled by the boot test");
    if (v.emptyDir) {
      return { path: m.mountPath, kind: "emptyDir", readOnly: Boolean(m.readOnly), sizeBytes: v.emptyDir.medium === "Memory" ? parseQuantity(v.emptyDir.sizeLimit) : undefined };
    }
    const [kind, spec] = v.configMap ? ["configMap", v.configMap] : v.secret ? ["secret", v.secret] : [];
    if (!kind) throw new Error(`volume ${v.name}: only emptyDir, configMap and secret are modelled`);
    const data = source(kind, kind === "configMap" ? spec.name : spec.secretName);
    const mode = spec.defaultMode ?? 0o644;
    const items = spec.items ?? Object.keys(data).map((key) => ({ key, path: key }));
    const files = items.map((i) => {
      if (!(i.key in data)) throw new Error(`${kind} volume ${v.name}: no key ${i.key}`);
      return { path: i.path, data: data[i.key], mode: i.mode ?? mode };
    });
    return { path: m.mountPath, kind, readOnly: true, files };
  });

  const psc = pod.securityContext ?? {};
  const csc = c.securityContext ?? {};
  const [imgUid, imgGid] = String(image.User ?? "0").split(":");
  const uid = csc.runAsUser ?? psc.runAsUser ?? Number(imgUid);
  const gid = csc.runAsGroup ?? psc.runAsGroup ?? Number(imgGid ?? 0);
  if ((csc.runAsNonRoot ?? psc.runAsNonRoot) && uid === 0) throw new Error("runAsNonRoot with UID 0: the kubelet refuses to start it");

  // command replaces the image Entrypoint (and drops its Cmd), args replace Cmd.
  const argv = [...(c.command ?? image.Entrypoint ?? []), ...(c.args ?? (c.command ? [] : image.Cmd ?? []))]
    .map((a) => expand(a, env));

  const ports = Object.fromEntries((c.ports ?? []).map((p) => [p.name, p.containerPort]));
  const probe = (p, name) => {
    if (!p) return undefined;
    if (!p.httpGet) throw new Error(`${name}: only httpGet probes are modelled`);
    const port = typeof p.httpGet.port === "string" ? ports[p.httpGet.port] : p.httpGet.port;
    if (port === undefined) throw new Error(`${name}: port ${p.httpGet.port} is no named containerPort`);
    if (p.httpGet.host) throw new Error(`${name}: httpGet.host is not modelled (the kubelet would probe ${p.httpGet.host}, not the pod)`);
    return {
      name, scheme: (p.httpGet.scheme ?? "HTTP").toLowerCase(), path: p.httpGet.path ?? "/", port,
      headers: Object.fromEntries((p.httpGet.httpHeaders ?? []).map((h) => [h.name, h.value])),
      initialDelaySeconds: p.initialDelaySeconds ?? 0, periodSeconds: p.periodSeconds ?? 10,
      timeoutSeconds: p.timeoutSeconds ?? 1, failureThreshold: p.failureThreshold ?? 3, successThreshold: p.successThreshold ?? 1,
    };
  };

  return {
    rootfs,
    argv,
    env,
    workingDir: c.workingDir ?? image.WorkingDir ?? "/",
    uid,
    gid,
    fsGroup: psc.fsGroup,
    readOnlyRoot: csc.readOnlyRootFilesystem === true,
    mounts,
    ports,
    image: c.image,
    terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds ?? 30,
    probes: {
      startup: probe(c.startupProbe, "startupProbe"),
      readiness: probe(c.readinessProbe, "readinessProbe"),
      liveness: probe(c.livenessProbe, "livenessProbe"),
    },
  };
}
