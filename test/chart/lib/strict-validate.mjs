// Strict schema validation of rendered manifests.
// kubernetes-models validators (generated from the Kubernetes 1.33 OpenAPI and the
// CRDs' OpenAPI schemas) check types, enums and required fields but accept unknown
// fields. Like `kubectl --validate=strict`, we also reject unknown fields: the data is
// wrapped in a Proxy that records every property the validator looks up; a key that
// exists in an object the validator inspected, but was never looked up, is not in the
// schema. Objects the validator enumerates (maps) or never inspects (free-form
// x-kubernetes-preserve-unknown-fields) are not checked for unknown keys.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";

import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { AppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import { HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { SecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore";
import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { ClusterIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer";

const models = [
  ConfigMap, Service, ServiceAccount, Deployment, HorizontalPodAutoscaler,
  PodDisruptionBudget, NetworkPolicy, Ingress, ServiceMonitor, PrometheusRule,
  Application, AppProject, HTTPRoute, Namespace, SecretStore, ExternalSecret, ClusterIssuer,
];
// The data gets the model's prototype: older models look their schema id up on it,
// and would silently skip validation on a plain object.
const byKind = new Map(models.map((m) => [`${m.apiVersion}/${m.kind}`, {
  proto: m.prototype,
  run: (d) => m.prototype.validate.call(d),
}]));

// CRDs with no published models (GKE policies, Managed Prometheus, Sigstore policy-controller):
// hand-written strict JSON schemas of the subset the charts render, keyed by apiVersion/kind.
const ajv = new Ajv({ allErrors: true, strict: true });
for (const file of ["gke-policies.json", "platform-crds.json"]) {
  const { common, ...kinds } = JSON.parse(readFileSync(fileURLToPath(new URL(`../schemas/${file}`, import.meta.url)), "utf8"));
  if (common) ajv.addSchema(common);
  for (const [key, schema] of Object.entries(kinds)) {
    const fn = ajv.compile(schema);
    byKind.set(key.includes("/") ? key : `networking.gke.io/v1/${key}`, {
      proto: Object.prototype,
      run: (d) => { if (!fn(d)) throw new Error(ajv.errorsText(fn.errors)); },
    });
  }
}

export const supportedKinds = () => [...byKind.keys()];

function tracker() {
  const records = new Map();
  const proxies = new WeakMap();
  const wrap = (value) => {
    if (value === null || typeof value !== "object") return value;
    if (proxies.has(value)) return proxies.get(value);
    const rec = { touched: false, enumerated: false, keys: new Set() };
    records.set(value, rec);
    const note = (t, k) => {
      if (typeof k === "string" && !Array.isArray(t)) {
        rec.touched = true;
        rec.keys.add(k);
      }
    };
    const proxy = new Proxy(value, {
      get(t, k, r) { note(t, k); return wrap(Reflect.get(t, k, r)); },
      has(t, k) { note(t, k); return Reflect.has(t, k); },
      ownKeys(t) { rec.enumerated = true; return Reflect.ownKeys(t); },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  return { wrap, records };
}

// The models' generator strips every "description" key from the OpenAPI schemas, which
// also drops real fields of that name (AppProject.spec.description): never flag it.
const DROPPED_BY_GENERATOR = new Set(["description"]);

function unknownFields(value, records, path, out) {
  if (value === null || typeof value !== "object") return out;
  const rec = records.get(value);
  if (!rec) return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => unknownFields(v, records, `${path}[${i}]`, out));
    return out;
  }
  for (const key of Object.keys(value)) {
    if (rec.touched && !rec.enumerated && !rec.keys.has(key) && !DROPPED_BY_GENERATOR.has(key)) out.push(`${path}.${key}`);
    unknownFields(value[key], records, `${path}.${key}`, out);
  }
  return out;
}

/** Returns a list of error strings (empty when the manifest is valid). */
export function validateManifest(doc) {
  const id = `${doc?.apiVersion}/${doc?.kind}`;
  const name = `${doc?.kind ?? "?"}/${doc?.metadata?.name ?? "?"}`;
  const entry = byKind.get(id);
  if (!entry) return [`${name}: no schema for ${id} (unknown kinds are errors)`];
  const data = Object.setPrototypeOf(structuredClone(doc), entry.proto);
  const { wrap, records } = tracker();
  try {
    entry.run(wrap(data));
  } catch (err) {
    return [`${name}: ${err.message}`];
  }
  return unknownFields(data, records, "", []).map((p) => `${name}: unknown field ${p}`);
}

export function validateAll(docs) {
  return docs.flatMap((d) => validateManifest(d));
}
