// helm lint --strict must refuse what helm template refuses, with the same message: in lint
// mode Helm turns `fail` into an [INFO] line, so a chart whose defaults cannot render used to
// lint clean. Each case is run through both commands with the same values.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { chartDir, helm, repoRoot, valuesFile, KUBE_VERSION } from "./lib/helm.mjs";

const ci = join(repoRoot, "test/chart/values/ci.yaml");
const wi = { workloadIdentity: { enabled: true, gcpServiceAccount: "kv-api@kv-api-prod.iam.gserviceaccount.com" } };

const refused = {
  "the chart defaults (no image digest)": { values: [], message: /image\.digest is required/ },
  "an inline Redis CA without a bundle": {
    values: [ci, { redis: { tls: { enabled: true, ca: { enabled: true, source: "inline", pem: "" } } } }],
    message: /redis\.tls\.ca\.source=inline needs redis\.tls\.ca\.pem/,
  },
  "IAM auth without Workload Identity": {
    values: [ci, { redis: { authMode: "iam" } }],
    message: /redis\.authMode=iam needs workloadIdentity\.enabled=true/,
  },
  "IAM auth with a password Secret": {
    values: [ci, wi, { redis: { authMode: "iam", password: { existingSecret: "redis-pw" } } }],
    message: /redis\.authMode=iam excludes redis\.password\.existingSecret/,
  },
  "limits a request cannot fit in": {
    values: [ci, { config: { limits: { maxKeyBytes: 1024, maxValueBytes: 1048576, bodyLimitBytes: 1048576 } } }],
    message: /config\.limits\.bodyLimitBytes must be larger than config\.limits\.maxKeyBytes \+ config\.limits\.maxValueBytes/,
  },
};

const args = (values) => values.flatMap((v) => ["--values", typeof v === "string" ? v : valuesFile(v)]);

for (const [name, { values, message }] of Object.entries(refused)) {
  test(`helm template and helm lint --strict both refuse ${name}`, () => {
    const t = helm(["template", "kv-api", chartDir, "--kube-version", KUBE_VERSION, ...args(values)]);
    assert.notEqual(t.code, 0, "helm template rendered it");
    assert.match(t.stderr, message);
    const l = helm(["lint", "--strict", chartDir, "--kube-version", KUBE_VERSION, ...args(values)]);
    assert.notEqual(l.code, 0, `helm lint --strict passed:\n${l.stdout}`);
    assert.match(l.stdout + l.stderr, /\[ERROR\]/);
    assert.match(l.stdout + l.stderr, message);
  });
}

test("helm lint --strict passes where helm template renders (CI values)", () => {
  assert.equal(helm(["template", "kv-api", chartDir, "--kube-version", KUBE_VERSION, ...args([ci])]).code, 0);
  const l = helm(["lint", "--strict", chartDir, "--kube-version", KUBE_VERSION, ...args([ci])]);
  assert.equal(l.code, 0, l.stdout + l.stderr);
});
