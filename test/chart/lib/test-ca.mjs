// Throwaway self-signed CA made at test time with the real openssl (never committed):
// stands in for the Memorystore server CA that an environment file receives by merge request.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function testCa(cn = "test") {
  const dir = mkdtempSync(join(tmpdir(), "kv-ca-"));
  try {
    const out = join(dir, "ca.crt");
    const r = spawnSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
      "-subj", `/CN=${cn}`, "-keyout", join(dir, "key.pem"), "-out", out,
    ], { encoding: "utf8" });
    if (r.error) throw new Error(`openssl: ${r.error.message} (apt-get install -y openssl)`);
    if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
    return readFileSync(out, "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
