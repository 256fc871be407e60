// Argument-checking fakes of the job images' tools that cannot be fetched here:
// buildctl-daemonless.sh (BuildKit), trivy, crane and cosign. Each reproduces
// the documented behaviour of the real tool on the inputs the pipeline gives it,
// and all of them share one fake registry and sign store (FAKE_STATE/state.json),
// so the pushed, scanned and signed digests can be compared afterwards.
//
//   node fake-tools.mjs <tool> args...     (tools.mjs writes per-tool wrappers)
//
// What they reproduce, and where the real behaviour is documented:
// - BuildKit's OCI exporter writes a tar holding oci-layout, index.json and
//   blobs/, without the docker-archive manifest.json; --metadata-file carries
//   containerimage.digest; rewrite-timestamp=true with the SOURCE_DATE_EPOCH
//   build arg makes the output byte-identical, otherwise the creation time is
//   now; --export-cache type=registry overwrites its tag on every export.
// - trivy image --input opens an OCI layout only as a directory, and a tar only
//   as a docker archive with manifest.json (an OCI tar fails); --exit-code N is
//   returned when a finding passes --severity and --ignore-unfixed.
// - crane push DIR opens DIR as an OCI layout and prints repo@digest; crane
//   digest fails with MANIFEST_UNKNOWN for a missing tag.
// - Artifact Registry with immutable tags refuses to move an existing tag.
// - cosign (keyless) needs an identity token and, non-interactively, --yes or
//   COSIGN_YES; the certificate subject is https://<ci_config_ref_uri claim>
//   and the issuer the token's iss; verify succeeds only for a signature with
//   exactly that identity and issuer. attest --type maps to a predicate type.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PREDICATE_TYPES = {
  cyclonedx: 'https://cyclonedx.org/bom',
  slsaprovenance1: 'https://slsa.dev/provenance/v1',
  slsaprovenance: 'https://slsa.dev/provenance/v0.2',
  spdxjson: 'https://spdx.dev/Document',
};

const stateDir = process.env.FAKE_STATE;
const stateFile = () => join(stateDir, 'state.json');
const load = () => (existsSync(stateFile()) ? JSON.parse(readFileSync(stateFile(), 'utf8'))
  : { immutable: [], tags: {}, manifests: {}, signatures: [], attestations: [] });
const save = (s) => writeFileSync(stateFile(), JSON.stringify(s, null, 2));
const sha = (buf) => `sha256:${createHash('sha256').update(buf).digest('hex')}`;

function die(msg, code = 1) { process.stderr.write(`${msg}\n`); finish(code); }
let tool; let argv;
function finish(code) {
  if (stateDir) appendFileSync(join(stateDir, 'calls.jsonl'), `${JSON.stringify({ tool, argv, code })}\n`);
  process.exit(code);
}

// --flag value / --flag=value / positional, with the boolean flags each tool knows.
function parse(args, booleans) {
  const opts = {}; const pos = [];
  for (let i = 0; i < args.length; i += 1) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') { pos.push(a); continue; }
    const [k, inline] = a.replace(/^--?/, '').split(/=(.*)/s);
    let v = inline;
    if (v === undefined) v = booleans.includes(k) ? 'true' : args[++i];
    if (v === undefined) die(`flag needs an argument: ${a}`, 2);
    (opts[k] ??= []).push(v);
  }
  return { opts, pos, one: (k) => opts[k]?.at(-1) };
}

function splitRef(ref) { // host/path/repo[:tag][@digest]
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : null;
  const base = at >= 0 ? ref.slice(0, at) : ref;
  const colon = base.lastIndexOf(':');
  const slash = base.lastIndexOf('/');
  const tag = colon > slash ? base.slice(colon + 1) : null;
  const repo = colon > slash ? base.slice(0, colon) : base;
  if (!/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+$/.test(repo)) die(`could not parse reference: ${ref}`);
  return { repo, tag, digest, host: repo.split('/')[0] };
}

function requireLogin(host) { // reads $DOCKER_CONFIG/config.json as the real clients do
  const file = join(process.env.DOCKER_CONFIG ?? join(process.env.HOME ?? '/nonexistent', '.docker'), 'config.json');
  const auth = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).auths?.[host]?.auth : undefined;
  if (!auth || !Buffer.from(auth, 'base64').toString().startsWith('oauth2accesstoken:')) {
    die(`UNAUTHORIZED: authentication required for ${host}`);
  }
}

function resolve(s, ref) { // -> digest or null
  const r = splitRef(ref);
  if (r.digest) return s.manifests[`${r.repo}@${r.digest}`] ? r.digest : null;
  return s.tags[`${r.repo}:${r.tag ?? 'latest'}`] ?? null;
}

function setTag(s, repo, tag, digest) {
  const key = `${repo}:${tag}`;
  const old = s.tags[key];
  if (old && old !== digest && s.immutable.some((p) => repo.startsWith(p))) {
    die(`FAILED_PRECONDITION: tag ${key} is immutable and already points to ${old}`);
  }
  s.tags[key] = digest;
}

function readLayout(dir) { // -> { digest, manifest } of the single image in an OCI layout
  if (!existsSync(join(dir, 'oci-layout')) || !existsSync(join(dir, 'index.json'))) die(`${dir}: not an OCI image layout`);
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  if (index.manifests?.length !== 1) die(`${dir}: expected one manifest in index.json, found ${index.manifests?.length}`);
  const { digest } = index.manifests[0];
  const blob = join(dir, 'blobs', 'sha256', digest.replace('sha256:', ''));
  if (!existsSync(blob) || sha(readFileSync(blob)) !== digest) die(`${dir}: blob ${digest} missing or corrupt`);
  return { digest, manifest: JSON.parse(readFileSync(blob, 'utf8')) };
}

// ------------------------------------------------------------------ BuildKit --
function buildctl(args) {
  if (args[0] !== 'build') die('buildctl: only "build" is faked', 2);
  const p = parse(args.slice(1), []);
  if (p.one('frontend') !== 'dockerfile.v0') die('buildctl: --frontend dockerfile.v0 expected', 2);
  const locals = Object.fromEntries((p.opts.local ?? []).map((l) => l.split(/=(.*)/s)));
  if (!locals.context || !locals.dockerfile) die('buildctl: --local context= and --local dockerfile= are required', 2);
  if (!existsSync(join(locals.dockerfile, 'Dockerfile'))) die('failed to read dockerfile: open Dockerfile: no such file or directory');
  const opts = Object.fromEntries((p.opts.opt ?? []).map((o) => o.split(/=(.*)/s)));
  const out = Object.fromEntries((p.one('output') ?? die('buildctl: --output is required', 2)).split(',').map((kv) => kv.split(/=(.*)/s)));
  if (out.type !== 'oci') die(`buildctl: this fake exports type=oci only, got ${out.type}`, 2);
  const metadataFile = p.one('metadata-file');
  const s = load();
  for (const c of [...(p.opts['import-cache'] ?? []), ...(p.opts['export-cache'] ?? [])]) {
    const ref = /(?:^|,)ref=([^,]+)/.exec(c)?.[1] ?? die(`cache without ref: ${c}`, 2);
    requireLogin(splitRef(ref).host);
  }
  for (const c of p.opts['export-cache'] ?? []) { // every export writes a new cache manifest
    const r = splitRef(/(?:^|,)ref=([^,]+)/.exec(c)[1]);
    const digest = sha(`cache ${Date.now()} ${Math.random()}`);
    s.manifests[`${r.repo}@${digest}`] = { cache: true };
    setTag(s, r.repo, r.tag ?? 'latest', digest);
  }
  // The image: a layer from the build context, a config with labels and dates.
  const files = execFileSync('find', [locals.context, '-type', 'f', '-not', '-path', '*/.git/*', '-not', '-path', '*/image-oci/*', '-not', '-name', 'build*.json', '-not', '-name', 'build.env', '-not', '-name', 'image.oci.tar'], { encoding: 'utf8' })
    .split('\n').filter(Boolean).sort();
  const layer = Buffer.from(files.map((f) => `${f.slice(locals.context.length)} ${sha(readFileSync(f))}`).join('\n'));
  const epoch = opts['build-arg:SOURCE_DATE_EPOCH'];
  const reproducible = out['rewrite-timestamp'] === 'true' && epoch !== undefined;
  const created = new Date(reproducible ? Number(epoch) * 1000 : Date.now()).toISOString();
  const labels = Object.fromEntries(Object.entries(opts).filter(([k]) => k.startsWith('build-arg:')).map(([k, v]) => [k.slice(10), v]));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created, config: { Labels: labels, User: '65532:65532' }, rootfs: { type: 'layers', diff_ids: [sha(layer)] } }));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha(layer), size: layer.length }] }));
  const digest = sha(manifest);
  const work = mkdtempSync(join(tmpdir(), 'fake-buildkit-'));
  mkdirSync(join(work, 'blobs', 'sha256'), { recursive: true });
  for (const b of [layer, config, manifest]) writeFileSync(join(work, 'blobs', 'sha256', sha(b).slice(7)), b);
  writeFileSync(join(work, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const name = out.name ?? '';
  writeFileSync(join(work, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: manifest.length,
      annotations: { 'io.containerd.image.name': name, 'org.opencontainers.image.ref.name': name.split(':').at(-1) } }] }));
  if (!out.dest) die('buildctl: type=oci needs dest=', 2);
  if (out.tar === 'false') execFileSync('cp', ['-r', `${work}/.`, out.dest]);
  else execFileSync('tar', ['-cf', join(process.cwd(), out.dest), '-C', work, 'oci-layout', 'index.json', 'blobs']);
  rmSync(work, { recursive: true });
  save(s);
  if (metadataFile) writeFileSync(metadataFile, JSON.stringify({ 'containerimage.digest': digest, 'containerimage.descriptor': { digest, size: manifest.length }, 'image.name': name }, null, 2));
  process.stderr.write(`#1 exporting to oci image format\n#1 exporting manifest ${digest} done\n`);
  finish(0);
}

// --------------------------------------------------------------------- Trivy --
function trivy(args) {
  if (args[0] !== 'image') die('trivy: only "image" is faked', 2);
  const p = parse(args.slice(1), ['ignore-unfixed', 'quiet', 'no-progress']);
  const input = p.one('input');
  let target;
  if (input) {
    if (!existsSync(input)) die(`FATAL unable to open ${input}: no such file or directory`);
    if (statSync(input).isDirectory()) {
      target = `${input}@${readLayout(input).digest}`;
    } else {
      const entries = execFileSync('tar', ['-tf', input], { encoding: 'utf8' }).split('\n').map((e) => e.replace(/^\.\//, ''));
      if (!entries.includes('manifest.json')) {
        die(`FATAL image scan error: unable to open ${input} as a Docker image archive: file manifest.json not found in tar; an OCI image layout can be opened as a directory only`);
      }
      target = input;
    }
  } else {
    const ref = p.pos[0] ?? die('trivy: image name or --input is required', 2);
    requireLogin(splitRef(ref).host);
    const digest = resolve(load(), ref) ?? die(`FATAL unable to find the specified image "${ref}" in the registry`);
    target = `${ref}#${digest}`;
  }
  // FAKE_TRIVY_VULNS: "SEVERITY:fixed|unfixed,..." findings planted in the image.
  const vulns = (process.env.FAKE_TRIVY_VULNS ?? '').split(',').filter(Boolean).map((v, i) => {
    const [severity, fix] = v.split(':');
    return { id: `CVE-2099-${1000 + i}`, severity, fixed: fix === 'fixed' };
  });
  const severities = (p.one('severity') ?? 'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL').split(',');
  const shown = vulns.filter((v) => severities.includes(v.severity) && (!p.opts['ignore-unfixed'] || v.fixed));
  const format = p.one('format') ?? 'table';
  let text;
  if (format === 'cyclonedx') text = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', metadata: { component: { name: target } }, components: [] });
  else if (format === 'template') {
    if (!p.one('template')?.startsWith('@')) die('trivy: --template @file expected', 2);
    text = JSON.stringify({ version: '15.0.7', scan: { type: 'container_scanning' }, vulnerabilities: shown.map((v) => ({ id: v.id, severity: v.severity })) });
  } else text = shown.map((v) => `${v.id} ${v.severity}`).join('\n');
  if (p.one('output')) writeFileSync(p.one('output'), text); else process.stdout.write(`${text}\n`);
  const rec = load();
  (rec.scans ??= []).push({ target, format, shown: shown.length });
  save(rec);
  finish(shown.length > 0 ? Number(p.one('exit-code') ?? 0) : 0);
}

// --------------------------------------------------------------------- crane --
function crane(args) {
  const [cmd, ...rest] = args;
  const s = load();
  if (cmd === 'push') {
    const [dir, ref] = rest;
    if (!dir || !ref) die('crane push PATH IMAGE', 2);
    if (!statSync(dir).isDirectory()) die(`${dir}: this fake pushes OCI layouts (directories) only`, 2);
    const r = splitRef(ref);
    requireLogin(r.host);
    const { digest } = readLayout(dir);
    s.manifests[`${r.repo}@${digest}`] = { pushed: true };
    setTag(s, r.repo, r.tag ?? 'latest', digest);
    save(s);
    process.stdout.write(`${r.repo}@${digest}\n`);
    finish(0);
  }
  if (cmd === 'digest') {
    const ref = rest[0] ?? die('crane digest IMAGE', 2);
    requireLogin(splitRef(ref).host);
    const d = resolve(s, ref) ?? die(`MANIFEST_UNKNOWN: manifest unknown: ${ref}`);
    process.stdout.write(`${d}\n`);
    finish(0);
  }
  if (cmd === 'tag') {
    const [ref, newTag] = rest;
    if (!ref || !newTag || newTag.includes(':')) die('crane tag IMG TAG', 2);
    const r = splitRef(ref);
    requireLogin(r.host);
    const d = resolve(s, ref) ?? die(`MANIFEST_UNKNOWN: ${ref}`);
    setTag(s, r.repo, newTag, d);
    save(s);
    finish(0);
  }
  die(`crane: command ${cmd} not faked`, 2);
}

// -------------------------------------------------------------------- cosign --
function tokenClaims() {
  const tok = process.env.SIGSTORE_ID_TOKEN;
  if (!tok) die('error: getting signer: no identity token: set SIGSTORE_ID_TOKEN (GitLab id_tokens, aud sigstore)');
  const [, payload] = tok.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString() || '{}');
  if (claims.aud !== 'sigstore') die(`error: Fulcio refused the token: audience ${claims.aud}, expected sigstore`);
  if (!claims.iss || !claims.ci_config_ref_uri) die('error: Fulcio refused the token: no iss or ci_config_ref_uri claim');
  return { issuer: claims.iss, subject: `https://${claims.ci_config_ref_uri}` };
}

function cosign(args) {
  const [cmd, ...rest] = args;
  if (cmd === 'version') { process.stdout.write('GitVersion: v2.4.3 (fake)\n'); finish(0); }
  const p = parse(rest, ['yes', 'y', 'recursive']);
  const failing = (process.env.FAKE_COSIGN_FAIL ?? '').split(',');
  const ref = p.pos[0] ?? die(`cosign ${cmd}: image reference required`, 2);
  const r = splitRef(ref);
  requireLogin(r.host);
  const s = load();
  const digest = resolve(s, ref) ?? die(`error: accessing entity: GET ${ref}: MANIFEST_UNKNOWN`);
  if (cmd === 'sign' || cmd === 'attest') {
    if (!(p.opts.yes || p.opts.y || process.env.COSIGN_YES === 'true')) {
      die('Are you sure you would like to continue? [y/N] error: no input (non-interactive): pass --yes or COSIGN_YES=true');
    }
    if (failing.includes(cmd)) die(`error: signing ${ref}: POST https://rekor.sigstore.dev/api/v1/log/entries: 503 Service Unavailable`);
    const id = tokenClaims();
    const rec = { repo: r.repo, digest, ...id, byTag: !r.digest };
    if (cmd === 'sign') s.signatures.push(rec);
    else {
      const type = p.one('type') ?? 'custom';
      const predicateType = PREDICATE_TYPES[type] ?? die(`invalid predicate type ${type}`, 2);
      const file = p.one('predicate') ?? die('cosign attest: --predicate is required', 2);
      let pred;
      try { pred = JSON.parse(readFileSync(file, 'utf8')); } catch (e) { die(`error: predicate ${file}: ${e.message}`); }
      if (type === 'cyclonedx' && pred.bomFormat !== 'CycloneDX') die(`error: ${file} is not a CycloneDX document`);
      if (type === 'slsaprovenance1' && !(pred.buildDefinition?.buildType && pred.runDetails?.builder?.id)) {
        die(`error: ${file} lacks buildDefinition.buildType or runDetails.builder.id (SLSA v1)`);
      }
      s.attestations.push({ ...rec, predicateType, predicate: pred });
    }
    save(s);
    process.stderr.write(`tlog entry created with index: ${s.signatures.length + s.attestations.length}\n`);
    finish(0);
  }
  if (cmd === 'verify' || cmd === 'verify-attestation') {
    if (failing.includes(cmd)) die(`error: ${cmd}: no matching signatures`);
    const identity = p.one('certificate-identity'); const issuer = p.one('certificate-oidc-issuer');
    if (!identity || !issuer) die('--certificate-identity and --certificate-oidc-issuer are required for keyless verification', 2);
    const match = (x) => x.repo === r.repo && x.digest === digest && x.subject === identity && x.issuer === issuer;
    const ok = cmd === 'verify' ? s.signatures.some(match)
      : s.attestations.some((a) => match(a) && a.predicateType === PREDICATE_TYPES[p.one('type') ?? 'custom']);
    if (!ok) die(`Error: no matching ${cmd === 'verify' ? 'signatures' : 'attestations'}: none for ${identity} from ${issuer}`);
    process.stdout.write(JSON.stringify([{ critical: { image: { 'docker-manifest-digest': digest } } }]));
    finish(0);
  }
  die(`cosign: command ${cmd} not faked`, 2);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  [tool, ...argv] = process.argv.slice(2);
  if (!stateDir) die('FAKE_STATE is not set', 2);
  const tools = { 'buildctl-daemonless.sh': buildctl, trivy, crane, cosign };
  (tools[tool] ?? (() => die(`unknown fake ${tool}`, 2)))(argv);
}
