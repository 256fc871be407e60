// A Redis configured like Memorystore for Redis Cluster, inside the test's own network
// namespace: real redis-server primaries in cluster mode at the rendered discovery address,
// TLS only (server certificate from a CA made here with openssl), IAM auth (the password is
// an access token), and a stand-in of the GKE metadata server that hands that token out.
import { execFile, execFileSync, spawn } from "node:child_process";
import { promisify } from "node:util";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const TOKEN_PATH = "/computeMetadata/v1/instance/service-accounts/default/token";

const openssl = (args, cwd) => execFileSync("openssl", args, { cwd, stdio: ["ignore", "pipe", "pipe"] });

/** A throwaway CA (never committed): stands in for the Memorystore server CA. */
export function makeCa(dir) {
  mkdirSync(dir, { recursive: true });
  openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
    "-subj", "/CN=kv-boot test Memorystore CA", "-keyout", "ca.key", "-out", "ca.crt"], dir);
  return { dir, ca: join(dir, "ca.crt"), caPem: readFileSync(join(dir, "ca.crt"), "utf8") };
}

/** A node certificate for ip, signed by the CA in ca.dir; clientAuth too, for the TLS cluster bus. */
function issueServerCert(ca, ip) {
  const { dir } = ca;
  openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-subj", "/CN=redis", "-keyout", "server.key", "-out", "server.csr"], dir);
  writeFileSync(join(dir, "ext.cnf"), `subjectAltName=IP:${ip}\nextendedKeyUsage=serverAuth,clientAuth\n`);
  openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
    "-days", "1", "-extfile", "ext.cnf", "-out", "server.crt"], dir);
  return { ...ca, cert: join(dir, "server.crt"), key: join(dir, "server.key") };
}

/** Adds an address to lo of this (private) network namespace. */
export function addAddress(ip) {
  execFileSync("ip", ["link", "set", "lo", "up"]);
  const have = execFileSync("ip", ["-o", "addr", "show", "dev", "lo"], { encoding: "utf8" });
  if (!have.includes(` ${ip}/`)) execFileSync("ip", ["addr", "add", `${ip}/32`, "dev", "lo"]);
}

export async function waitFor(check, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export class Memorystore {
  constructor(host, ports, certs, token, dir) {
    Object.assign(this, { host, ports, certs, token, dir, procs: [], metadataRequests: [] });
  }

  /** Primaries at host:port (the discovery port) and the next ports; IAM token as requirepass. */
  static async start({ host, port, ca, dir, primaries = 3 }) {
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(host)) throw new Error(`REDIS_HOST ${host}: Memorystore gives an IPv4 address`);
    addAddress(host);
    const certs = issueServerCert(ca, host);
    const token = `ya29.boot-${randomBytes(12).toString("hex")}`;
    // Memorystore's node endpoints sit on 11000+ beside the discovery port.
    const ports = [port, ...Array.from({ length: primaries - 1 }, (_, i) => 11000 + i)];
    const m = new Memorystore(host, ports, certs, token, dir);
    for (const p of ports) {
      const nodeDir = join(dir, `node-${p}`);
      mkdirSync(nodeDir, { recursive: true });
      const proc = spawn("redis-server", [
        "--bind", host, "--port", "0", "--tls-port", String(p),
        "--tls-cert-file", certs.cert, "--tls-key-file", certs.key, "--tls-ca-cert-file", certs.ca,
        // Memorystore verifies the server side only: clients present no certificate.
        "--tls-auth-clients", "no", "--tls-cluster", "yes", "--tls-replication", "yes",
        "--cluster-enabled", "yes", "--cluster-config-file", join(nodeDir, "nodes.conf"), "--cluster-node-timeout", "2000",
        "--cluster-announce-ip", host, "--requirepass", token, "--masterauth", token,
        "--dir", nodeDir, "--logfile", join(nodeDir, "redis.log"), "--save", "", "--appendonly", "no",
      ], { stdio: "ignore" });
      m.procs.push(proc);
    }
    try {
      await waitFor(async () => ports.every((p) => m.cli(p, "PING").trim() === "PONG"), "redis-server TLS ports", 10_000);
      await promisify(execFile)("redis-cli", [...m.tlsArgs(), "--cluster", "create", ...ports.map((p) => `${host}:${p}`),
        "--cluster-replicas", "0", "--cluster-yes"], { timeout: 30_000, env: { ...process.env, REDISCLI_AUTH: token } });
      await waitFor(async () => ports.every((p) => m.cli(p, "CLUSTER", "INFO").includes("cluster_state:ok")), "cluster_state:ok on every node", 30_000);
    } catch (error) {
      await m.stop();
      const log = readFileSync(join(dir, `node-${port}`, "redis.log"), "utf8").trim().split("\n").slice(-10).join("\n    ");
      throw new Error(`${error.message}\n  last lines of ${host}:${port}'s log:\n    ${log}`);
    }
    return m;
  }

  tlsArgs() {
    return ["--tls", "--cacert", this.certs.ca];
  }

  /** redis-cli against one node (cluster-aware with -c), authenticated with the token. */
  cli(port, ...args) {
    return execFileSync("redis-cli", [...this.tlsArgs(), "-h", this.host, "-p", String(port), "-c", ...args],
      { encoding: "utf8", env: { ...process.env, REDISCLI_AUTH: this.token }, stdio: ["ignore", "pipe", "pipe"] });
  }

  /** The GKE metadata server stand-in at host:80 (default GCE_METADATA_HOST is 169.254.169.254). */
  async startMetadata(hostPort) {
    const [host, port = "80"] = hostPort.split(":");
    addAddress(host);
    this.metadata = createServer((req, res) => {
      this.metadataRequests.push({ url: req.url, flavor: req.headers["metadata-flavor"] });
      if (req.url !== TOKEN_PATH || req.headers["metadata-flavor"] !== "Google") {
        res.writeHead(403).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json", "metadata-flavor": "Google" })
        .end(JSON.stringify({ access_token: this.token, expires_in: 3599, token_type: "Bearer" }));
    });
    await new Promise((resolve, reject) => this.metadata.once("error", reject).listen(Number(port), host, resolve));
  }

  async stop() {
    this.metadata?.close();
    await Promise.all(this.procs.map((p) => new Promise((resolve) => {
      if (p.exitCode !== null || p.signalCode !== null) return resolve();
      p.once("exit", resolve);
      p.kill("SIGTERM");
    })));
  }
}
