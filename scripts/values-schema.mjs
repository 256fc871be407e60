// Source of charts/kv-api/values.schema.json. Regenerate with:
//   node scripts/values-schema.mjs > charts/kv-api/values.schema.json
// A test fails when the committed JSON drifts from this file.
const obj = (properties, required = Object.keys(properties), extra = {}) => ({ type: "object", additionalProperties: false, required, properties, ...extra });
const int = (min, max, extra = {}) => ({ type: "integer", minimum: min, ...(max !== undefined ? { maximum: max } : {}), ...extra });
const str = (extra = {}) => ({ type: "string", ...extra });
const bool = { type: "boolean" };
const port = int(1, 65535);
const quantity = str({ pattern: "^[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$" });
const duration = str({ pattern: "^[0-9]+(ms|s|m|h)$" });
const cidr = str({ pattern: "^([0-9]{1,3}\\.){3}[0-9]{1,3}/[0-9]{1,2}$" });
const labels = { type: "object", additionalProperties: { type: "string" } };
const dnsName = str({ pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 63 });
// One or more PEM certificates and nothing else (a pasted private key is rejected).
const pemCertificates = str({ pattern: "^(\\s*-----BEGIN CERTIFICATE-----\\r?\\n[A-Za-z0-9+/=\\r\\n]+-----END CERTIFICATE-----)+\\s*$", maxLength: 65536 });
const probe = (success) => obj({
  path: str({ pattern: "^/health/(live|ready|startup)$" }),
  periodSeconds: int(1, 300), timeoutSeconds: int(1, 60), failureThreshold: int(1, 120),
  ...(success ? { successThreshold: int(1, 1) } : {}),
});
const selectorRef = obj({ namespace: dnsName, podLabels: { ...labels, minProperties: 1 } });

const schema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "kv-api chart values",
  ...obj({
    nameOverride: str({ maxLength: 40 }),
    fullnameOverride: str({ maxLength: 63 }),
    image: {
      ...obj({
        repository: str({ minLength: 1, pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9._-]+)+$" }),
        digest: { anyOf: [{ const: "" }, str({ pattern: "^sha256:[a-f0-9]{64}$" })] },
        tag: str({ pattern: "^$|^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", not: { const: "latest" } }),
        pullPolicy: { enum: ["IfNotPresent", "Always"] },
        allowTagWithoutDigest: bool,
      }),
    },
    replicaCount: int(1, 100),
    autoscaling: obj({
      enabled: bool, minReplicas: int(1, 100), maxReplicas: int(1, 500),
      targetCPUUtilizationPercentage: int(10, 95),
      behavior: obj({
        scaleUp: obj({ stabilizationWindowSeconds: int(0, 3600), percentPerPeriod: int(1, 1000), podsPerPeriod: int(1, 100), periodSeconds: int(1, 1800) }),
        scaleDown: obj({ stabilizationWindowSeconds: int(0, 3600), percentPerPeriod: int(1, 100), periodSeconds: int(1, 1800) }),
      }),
    }),
    podDisruptionBudget: obj({ enabled: bool, maxUnavailable: int(1, 100) }),
    resources: obj({
      requests: obj({ cpu: quantity, memory: quantity }),
      limits: obj({ cpu: quantity, memory: quantity }, ["memory"]),
    }),
    // Young generation of V8, MB per semi-space: up to 3 of them live, well inside the limit.
    node: obj({ maxSemiSpaceSizeMb: int(1, 64) }),
    probes: obj({ startup: probe(false), readiness: probe(true), liveness: probe(false) }),
    ports: obj({ http: int(1024, 65535), management: int(1024, 65535) }),
    service: obj({ type: { enum: ["ClusterIP"] }, port, managementPort: port }),
    config: obj({
      logLevel: { enum: ["fatal", "error", "warn", "info", "debug", "trace"] },
      // Within the service's parser (src/config/environment.ts): a body never exceeds
      // MAX_INFLIGHT_BODY_BYTES (32 MiB), and must hold key + value (a template fail says so).
      limits: obj({ maxKeyBytes: int(1, 65536), maxValueBytes: int(1, 16777216), bodyLimitBytes: int(1024, 33554432) }),
      shutdown: obj({ drainDelayMs: int(0, 60000), timeoutMs: int(1000, 120000), killMarginSeconds: int(1, 60) }),
    }),
    redis: obj({
      mode: { enum: ["standalone", "cluster"] },
      // iam also needs workloadIdentity.enabled and no password secret: a template `fail` says so.
      authMode: { enum: ["password", "iam"] },
      // Empty is caught by templates/checks.yaml, which names the Terraform output.
      host: str({ pattern: "^([A-Za-z0-9.:-]+)?$" }),
      port,
      username: str(),
      clusterNodes: str({ pattern: "^$|^[^\\s,:]+:[0-9]{1,5}(,[^\\s,:]+:[0-9]{1,5})*$" }),
      // The service's REDIS_*_TIMEOUT_MS ranges (test/chart/config-edges.test.mjs).
      commandTimeoutMs: int(10, 10000),
      connectTimeoutMs: int(100, 60000),
      tls: obj({
        enabled: bool,
        ca: {
          ...obj({
            enabled: bool,
            source: { enum: ["secret", "configMap", "inline"] },
            name: str(),
            key: str({ pattern: "^[-._a-zA-Z0-9]+$" }),
            // Empty passes the schema so that the template's fail can say where the CA comes from.
            pem: { anyOf: [{ const: "" }, pemCertificates] },
            mountPath: str({ pattern: "^/[^:]*$" }),
          }),
          allOf: [
            { if: { properties: { enabled: { const: true }, source: { enum: ["secret", "configMap"] } } }, then: { properties: { name: dnsName } } },
            // inline: the chart names the ConfigMap; a name would be silently ignored.
            { if: { properties: { source: { const: "inline" } } }, then: { properties: { name: { const: "" } } } },
          ],
        },
      }),
      password: obj({ existingSecret: str(), key: str({ minLength: 1 }) }),
    }),
    apiKeys: obj({
      existingSecret: str(), key: str({ minLength: 1 }), mountPath: str({ pattern: "^/[^:]*$" }),
      externalSecret: obj({
        enabled: bool,
        remoteKey: str({ pattern: "^[a-zA-Z0-9_-]{1,255}$" }),
        refreshInterval: duration,
        projectId: str({ pattern: "^([a-z][-a-z0-9]{4,28}[a-z0-9])?$" }),
        clusterName: str(),
        clusterLocation: str(),
      }),
    }),
    serviceAccount: obj({ create: bool, name: str(), annotations: labels }),
    workloadIdentity: {
      ...obj({ enabled: bool, gcpServiceAccount: str() }),
      if: { properties: { enabled: { const: true } } },
      // Empty is caught by templates/checks.yaml, which names the Terraform output.
      then: { properties: { gcpServiceAccount: str({ pattern: "^([a-z][-a-z0-9]{4,28}[a-z0-9]@[a-z][-a-z0-9]{4,28}[a-z0-9]\\.iam\\.gserviceaccount\\.com)?$" }) } },
    },
    podAnnotations: labels,
    podLabels: labels,
    priorityClassName: str(),
    nodeSelector: labels,
    tolerations: { type: "array", items: { type: "object" } },
    affinity: { type: "object" },
    topologySpread: obj({
      zone: obj({ maxSkew: int(1, 10), whenUnsatisfiable: { enum: ["DoNotSchedule", "ScheduleAnyway"] } }),
      node: obj({ maxSkew: int(1, 10), whenUnsatisfiable: { enum: ["DoNotSchedule", "ScheduleAnyway"] } }),
    }),
    networkPolicy: obj({
      enabled: bool,
      ingressController: selectorRef,
      // Empty would render a rule with no peers, which Kubernetes reads as "from anywhere".
      gatewaySourceCIDRs: { type: "array", minItems: 1, items: cidr },
      prometheus: selectorRef,
      dns: obj({ namespace: dnsName, podLabels: { ...labels, minProperties: 1 }, extraCIDRs: { type: "array", items: cidr } }),
      redis: obj({
        cidrs: { type: "array", items: cidr },
        ports: { type: "array", minItems: 1, items: obj({ port, endPort: port }, ["port"]) },
      }),
    }),
    ingress: {
      ...obj({
        enabled: bool,
        className: str({ minLength: 1 }),
        host: str(),
        annotations: labels,
        tls: obj({ secretName: str(), clusterIssuer: str() }),
        rateLimit: obj({ rps: int(1, 100000), burstMultiplier: int(1, 100), connections: int(1, 100000) }),
        timeouts: obj({ connectSeconds: int(1, 75), readSeconds: int(1, 3600), sendSeconds: int(1, 3600) }),
      }),
      if: { properties: { enabled: { const: true } } },
      then: { properties: { host: str({ pattern: "^([a-z0-9.-]+)?$" }), tls: { properties: { secretName: dnsName } } } },
    },
    gateway: {
      ...obj({
        enabled: bool,
        hostnames: { type: "array", items: str({ pattern: "^[a-z0-9.-]+$" }) },
        parentRefs: { type: "array", items: obj({ name: dnsName, namespace: dnsName, sectionName: str() }, ["name", "namespace"]) },
        healthCheckPolicy: obj({ enabled: bool }),
        backendPolicy: obj({ enabled: bool, timeoutSec: int(1, 86400), securityPolicy: str() }),
      }),
      if: { properties: { enabled: { const: true } } },
      then: { properties: { hostnames: { minItems: 1 }, parentRefs: { minItems: 1 } } },
    },
    serviceMonitor: obj({ enabled: bool, interval: duration, scrapeTimeout: duration, labels }),
    prometheusRule: obj({
      enabled: bool,
      release: str({ minLength: 1 }),
      labels,
      runbookBaseUrl: str({ pattern: "^https://.+/$" }),
    }),
    dashboards: obj({
      enabled: bool,
      label: str({ minLength: 1 }),
      labelValue: str(),
      namespace: str(),
      // A Grafana folder title; empty renders no annotation.
      folder: str({ pattern: "^([A-Za-z0-9][A-Za-z0-9 ._-]{0,62})?$" }),
      // An annotation key: optional DNS-subdomain prefix, then a name segment.
      folderAnnotation: str({ pattern: "^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$" }),
    }),
  }),
};
process.stdout.write(JSON.stringify(schema, null, 2) + "\n");
