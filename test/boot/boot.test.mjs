// The production render boots: for every Helmfile environment, kv-api is rendered exactly as
// Helmfile would, and its single container is started from the image built from the
// Dockerfile with the rendered argv, env, files, UID/GID and read-only root, against a
// Memorystore-like Redis Cluster (TLS, IAM token auth), then probed as the kubelet would.
//
// Run by test/boot/run.sh, inside a private network namespace (all traffic stays on its lo):
// the rendered Redis discovery address, the metadata server address and a pod IP are
// added to lo there, so the render is used unchanged. The only inputs substituted are
// the environment-layer values Terraform and CI will provide (the CA bundle and the image
// digest), given as Helmfile state values over helmfile.d/environments/<env>.yaml.
//
// Env: BOOT_ROOTFS (the built image's mounted root), BOOT_IMAGE_CONFIG (its OCI config JSON),
//      BOOT_IMAGE_DIGEST (sha256:...), BOOT_HELMFILE (state file; default helmfile.d's),
//      BOOT_ENVIRONMENTS (default: every environment of the state file), HELM_BIN.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { helmfilePath } from "../chart/lib/helmfile.mjs";
import { Pod } from "./lib/kubelet.mjs";
import { addAddress, makeCa, Memorystore } from "./lib/memorystore.mjs";
import { externalObjects, helmfileEnvironments, podPlan, renderRelease } from "./lib/pod.mjs";
import { provisionedEnv } from "../chart/lib/infra.mjs";

const need = (name) => process.env[name] || assert.fail(`${name} is not set: run test/boot/run.sh`);
const rootfs = need("BOOT_ROOTFS");
const image = JSON.parse(readFileSync(need("BOOT_IMAGE_CONFIG"), "utf8"));
const digest = need("BOOT_IMAGE_DIGEST");
const helmfile = process.env.BOOT_HELMFILE || helmfilePath;
// The service's default GCE_METADATA_HOST (src/config/environment.ts), the GKE metadata server.
const METADATA_DEFAULT = "169.254.169.254";
// TEST-NET-1: the pod's IP, which the kubelet probes (not loopback: the service must listen on it).
const POD_IP = "192.0.2.10";

/** The text of a file the plan mounts, by its path in the container. */
function mountedFile(plan, path) {
  for (const m of plan.mounts) {
    const f = m.files?.find((x) => `${m.path.replace(/\/$/, "")}/${x.path}` === path);
    if (f) return Buffer.from(f.data, "base64").toString("utf8");
  }
  return undefined;
}

const only = process.env.BOOT_ENVIRONMENTS?.split(/\s+/).filter(Boolean);
const environments = helmfileEnvironments(helmfile).filter((e) => !only || only.includes(e));
assert.ok(environments.length > 0, `no environment to boot (BOOT_ENVIRONMENTS=${process.env.BOOT_ENVIRONMENTS})`);

for (const envName of environments) {
  describe(`${envName}: the rendered kv-api container boots`, { concurrency: false }, () => {
    const dir = mkdtempSync(join(tmpdir(), `kv-boot-${envName}-`));
    const ca = makeCa(join(dir, "tls"));
    let docs, plan, redis, pod, external, started;

    before(() => {
      // The environment file as scripts/infra-values.mjs writes it from Terraform outputs (with
      // this test's CA as Memorystore's), and the digest the promotion writes: nothing else.
      docs = renderRelease(envName, "kv-api", { helmfile, stateValues: [provisionedEnv(envName, { ca: ca.caPem, digest })] });
    });
    after(async () => {
      if (pod?.running) await pod.stop();
      await redis?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("the render names the image that was built, by digest", () => {
      const dep = docs.find((d) => d.kind === "Deployment");
      assert.match(dep.spec.template.spec.containers[0].image, new RegExp(`@${digest}$`));
    });

    it("the pod resolves: every referenced ConfigMap, Secret and key exists", () => {
      external = externalObjects(docs);
      plan = podPlan(docs, { image, rootfs, external });
      assert.ok(plan.argv.length > 0, "no command");
      console.log(`  # ${envName}: argv ${JSON.stringify(plan.argv)}, uid ${plan.uid}:${plan.gid} fsGroup ${plan.fsGroup}, ` +
        `read-only root ${plan.readOnlyRoot}, mounts ${plan.mounts.map((m) => `${m.path}(${m.kind})`).join(" ")}; ` +
        `objects the cluster provides (External Secrets from Secret Manager): ${[...Object.keys(external.secret).map((n) => `Secret ${n}`), ...Object.keys(external.configMap).map((n) => `ConfigMap ${n}`)].join(", ") || "none"}`);
    });

    it("a Memorystore-like Redis Cluster answers at the rendered address (TLS, IAM token)", async () => {
      needs(plan, "resolving the pod");
      assert.equal(plan.env.REDIS_MODE, "cluster");
      assert.equal(plan.env.REDIS_AUTH_MODE, "iam");
      redis = await Memorystore.start({ host: plan.env.REDIS_HOST, port: Number(plan.env.REDIS_PORT), ca, dir: join(dir, "redis") });
      await redis.startMetadata(plan.env.GCE_METADATA_HOST || METADATA_DEFAULT);
      addAddress(POD_IP);
      assert.match(redis.cli(redis.ports[0], "CLUSTER", "INFO"), /cluster_known_nodes:3/);
    });

    // A later step after a failed one says so, instead of a TypeError.
    const needs = (value, what) => assert.ok(value, `not run: ${what} failed above`);

    it("the startup probe passes on its rendered port and path", async () => {
      needs(redis, "the Redis Cluster");
      pod = new Pod(plan, POD_IP, dir);
      pod.start();
      const r = await pod.probe(plan.probes.startup);
      started = true;
      console.log(`  # ${r.detail} after ${r.attempts} attempt(s)`);
    });

    it("the readiness probe passes", async () => {
      needs(started, "the startup probe");
      await pod.probe(plan.probes.readiness);
    });

    it("the liveness probe passes", async () => {
      needs(started, "the startup probe");
      await pod.probe(plan.probes.liveness);
    });

    it("the process runs as the rendered UID/GID, with fsGroup as supplementary group", () => {
      needs(started, "the startup probe");
      const status = readFileSync(`/proc/${pod.containerPid()}/status`, "utf8");
      const field = (n) => status.match(new RegExp(`^${n}:\\s*(.*)$`, "m"))[1].trim().split(/\s+/).map(Number);
      assert.equal(field("Uid")[0], plan.uid);
      assert.equal(field("Gid")[0], plan.gid);
      if (plan.fsGroup !== undefined) assert.deepEqual(field("Groups"), [plan.fsGroup]);
    });

    const api = (path, init = {}) => needs(started, "the startup probe") || fetch(`http://${POD_IP}:${plan.ports.http}${path}`, { ...init, signal: AbortSignal.timeout(5000) });
    const apiKey = () => {
      const file = plan.env.API_KEYS_FILE;
      assert.ok(file, "the render sets no API_KEYS_FILE");
      const text = mountedFile(plan, file);
      assert.ok(text, `API_KEYS_FILE ${file} is not a mounted file`);
      return text.trim().split("\n")[0];
    };
    const write = (body, key = apiKey()) => api("/write", {
      method: "POST", body: JSON.stringify(body),
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    });

    it("GET / answers through the rendered http containerPort", async () => {
      const res = await api("/");
      assert.equal(res.status, 200);
      assert.equal(await res.text(), "Hello Redis!");
    });

    it("every Service port's targetPort is a containerPort that answers", async () => {
      needs(started, "the startup probe");
      const services = docs.filter((d) => d.kind === "Service");
      assert.ok(services.length > 0, "no Service rendered");
      for (const svc of services) for (const sp of svc.spec.ports) {
        const port = typeof sp.targetPort === "string" ? plan.ports[sp.targetPort] : sp.targetPort ?? sp.port;
        assert.ok(port, `Service ${svc.metadata.name} port ${sp.name}: targetPort ${sp.targetPort} is no containerPort`);
        const res = await fetch(`http://${POD_IP}:${port}/`, { signal: AbortSignal.timeout(5000) });
        assert.ok(res.status < 500, `Service ${svc.metadata.name} port ${sp.name} -> ${port}: ${res.status}`);
      }
    });

    it("POST /write without the mounted API key is refused (401)", async () => {
      assert.equal((await write({ key: "k", value: "v" }, null)).status, 401);
    });

    it("POST /write stores the pair in the cluster; GET /list returns it", async () => {
      const key = `boot-${envName}`, value = `value-${randomBytes(4).toString("hex")}`;
      const res = await write({ key, value });
      assert.equal(res.status, 200, await res.text());
      assert.equal(redis.cli(redis.ports[0], "GET", key).trim(), value);
      const list = await api("/list", { headers: { authorization: `Bearer ${apiKey()}` } });
      assert.equal(list.status, 200);
      assert.equal((await list.json())[key], value);
    });

    it("a value of exactly MAX_VALUE_BYTES is stored, one byte more is refused", async () => {
      const max = Number(plan.env.MAX_VALUE_BYTES);
      assert.ok(Number.isInteger(max), `MAX_VALUE_BYTES ${plan.env.MAX_VALUE_BYTES}`);
      assert.equal((await write({ key: "big", value: "x".repeat(max) })).status, 200);
      const over = await write({ key: "big", value: "x".repeat(max + 1) });
      assert.ok(over.status >= 400 && over.status < 500, `got ${over.status}`);
    });

    it("the password was the metadata server's access token", () => {
      needs(started, "the startup probe");
      assert.ok(redis.metadataRequests.some((r) => r.flavor === "Google"), "the metadata server was never asked");
    });

    it("the read-only root saw no write attempt (EROFS)", () => {
      needs(started, "the startup probe");
      assert.doesNotMatch(pod.log, /EROFS|read-only file system/i);
    });

    it("SIGTERM to PID 1 ends it with exit code 0 within terminationGracePeriodSeconds", async () => {
      needs(started, "the startup probe");
      const r = await pod.stop();
      assert.equal(r.code, 0, `exit ${JSON.stringify(r)}; log:\n${pod.tail()}`);
      assert.ok(r.seconds < plan.terminationGracePeriodSeconds, `${r.seconds}s`);
    });
  });
}
