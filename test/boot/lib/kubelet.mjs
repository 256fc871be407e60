// Starts a pod plan with test/boot/kubelet.py and probes it as the kubelet would.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const kubeletPy = join(dirname(fileURLToPath(import.meta.url)), "..", "kubelet.py");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Pod {
  constructor(plan, podIp, dir) {
    Object.assign(this, { plan, podIp, dir, log: "" });
  }

  /** Own mount and PID namespaces: the container's argv becomes PID 1, as in a pod. */
  start() {
    const planFile = join(this.dir, "plan.json");
    writeFileSync(planFile, JSON.stringify({ ...this.plan, workDir: this.dir }));
    this.proc = spawn("unshare", ["--mount", "--pid", "--fork", "--kill-child", "--propagation", "private", "python3", kubeletPy, planFile],
      { stdio: ["ignore", "pipe", "pipe"] });
    const add = (d) => { this.log += d; };
    this.proc.stdout.on("data", add);
    this.proc.stderr.on("data", add);
    this.exited = new Promise((resolve) => this.proc.once("exit", (code, signal) => resolve({ code, signal })));
    this.exitInfo = undefined;
    this.exited.then((e) => { this.exitInfo = e; });
  }

  get running() {
    return this.exitInfo === undefined;
  }

  /** PID of the container's PID 1 (the process unshare forked), seen from this namespace. */
  containerPid() {
    const children = readFileSync(`/proc/${this.proc.pid}/task/${this.proc.pid}/children`, "utf8").trim();
    return Number(children.split(/\s+/)[0]);
  }

  /** One httpGet probe: the kubelet's rules, 200-399 is success, anything else a failure. */
  async probeOnce(p) {
    const url = `${p.scheme}://${this.podIp}:${p.port}${p.path}`;
    try {
      const res = await fetch(url, {
        headers: { "User-Agent": "kube-probe/1.33", Accept: "*/*", ...p.headers },
        redirect: "manual",
        signal: AbortSignal.timeout(p.timeoutSeconds * 1000),
      });
      await res.arrayBuffer();
      return { ok: res.status >= 200 && res.status < 400, detail: `HTTP probe ${url}: ${res.status}` };
    } catch (error) {
      return { ok: false, detail: `HTTP probe ${url}: ${error.cause?.code ?? error.message}` };
    }
  }

  /**
   * Probes every periodSeconds until successThreshold successes in a row (passes) or
   * failureThreshold failures in a row (fails: the kubelet would restart the container for a
   * startup or liveness probe, and keep the pod out of its Service for readiness).
   */
  async probe(p) {
    if (p.initialDelaySeconds) await sleep(p.initialDelaySeconds * 1000);
    let successes = 0, failures = 0, attempts = 0, last;
    for (;;) {
      if (!this.running) throw new Error(`${p.name}: the container exited (${JSON.stringify(this.exitInfo)}) before it passed; log:\n${this.tail()}`);
      const started = Date.now();
      last = await this.probeOnce(p);
      attempts += 1;
      if (last.ok) { successes += 1; failures = 0; } else { failures += 1; successes = 0; }
      if (successes >= p.successThreshold) return { attempts, detail: last.detail };
      if (failures >= p.failureThreshold) {
        throw new Error(`${p.name} failed ${failures} times in a row (${last.detail}); log:\n${this.tail()}`);
      }
      await sleep(Math.max(0, p.periodSeconds * 1000 - (Date.now() - started)));
    }
  }

  tail(lines = 25) {
    return this.log.trim().split("\n").slice(-lines).map((l) => `    ${l}`).join("\n");
  }

  /** SIGTERM to PID 1, SIGKILL after the grace period, as the kubelet stops a pod. */
  async stop() {
    if (!this.running) return { ...this.exitInfo, seconds: 0 };
    const started = Date.now();
    try {
      process.kill(this.containerPid(), "SIGTERM");
    } catch {
      this.proc.kill("SIGTERM");
    }
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), this.plan.terminationGracePeriodSeconds * 1000);
    const info = await this.exited;
    clearTimeout(timer);
    return { ...info, seconds: (Date.now() - started) / 1000 };
  }
}
