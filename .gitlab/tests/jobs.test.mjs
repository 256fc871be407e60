// The image jobs' scripts (build, scan, publish, release) run in stand-ins of
// their busybox-based images, against the fakes of fake-tools.mjs, a fake of
// Google STS for the registry login and a local server for the pinned cosign
// download. Asserted: exit codes, what reached the fake registry and sign store,
// and the order of the calls. Run through .gitlab/tests/run.sh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fakeGoogle } from './fakes.mjs';
import { haveBusybox, idToken, repo, serveFiles, sha256, standin } from './harness.mjs';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const TIMESTAMP = '2026-01-31T16:47:55+01:00';
const EPOCH = String(Date.parse(TIMESTAMP) / 1000);
const REGISTRY = 'europe-west1-docker.pkg.dev';
const IMAGE_REPOSITORY = `${REGISTRY}/prod/kv/kv-api`;
const CACHE_REPOSITORY_URL = `${REGISTRY}/prod/kv-api-cache`;
const SERVER = 'https://gitlab.example.com';
const PROJECT = 'platform/kv-api';
const PROVIDER = 'projects/123/locations/global/workloadIdentityPools/gitlab/providers/gitlab';
const MAIN_ID = `${SERVER}/${PROJECT}//.gitlab-ci.yml@refs/heads/main`;
const TAG_ID = `${SERVER}/${PROJECT}//.gitlab-ci.yml@refs/tags/v1.4.0`;
const scripts = (name) => join('.gitlab', 'scripts', name);

let google; let downloads; let cosignSum;
before(async () => {
  google = await fakeGoogle({ audience: `//iam.googleapis.com/${PROVIDER}`, idToken: 'gitlab-id-token', serviceAccount: 'ci@prod.iam.gserviceaccount.com' });
  // The "release" of cosign served to install-tool.sh is the fake's wrapper.
  const sb = standin({ fakes: [] });
  const { writeFake } = await import('./harness.mjs');
  const body = readFileSync(writeFake(join(sb.root, 'cosign'), 'cosign'));
  sb.close();
  cosignSum = sha256(body);
  downloads = await serveFiles({ '/cosign-linux-amd64': body });
});
after(async () => { await google?.close(); await downloads?.close(); });

function ciEnv(kind, extra = {}) {
  const common = {
    CI_COMMIT_SHA: SHA, CI_COMMIT_SHORT_SHA: SHA.slice(0, 8), CI_COMMIT_TIMESTAMP: TIMESTAMP,
    CI_PROJECT_URL: `${SERVER}/${PROJECT}`, CI_SERVER_URL: SERVER, CI_PROJECT_PATH: PROJECT, CI_DEFAULT_BRANCH: 'main',
    CI_PIPELINE_URL: `${SERVER}/${PROJECT}/-/pipelines/77`, CI_JOB_URL: `${SERVER}/${PROJECT}/-/jobs/901`, CI_JOB_ID: '901',
    IMAGE_REPOSITORY, CACHE_REPOSITORY_URL, GAR_REGISTRY: REGISTRY,
    GCP_WORKLOAD_IDENTITY_PROVIDER: PROVIDER, GCP_ID_TOKEN: 'gitlab-id-token', GCP_SERVICE_ACCOUNT: 'ci@prod.iam.gserviceaccount.com',
    GCP_STS_URL: `${google.base}/v1/token`, GCP_IAMCREDENTIALS_URL: `${google.base}/v1`,
    COSIGN_VERSION: 'v2.4.3', COSIGN_SHA256: cosignSum, COSIGN_URL: `${downloads.base}/cosign-linux-amd64`,
  };
  const kinds = {
    mr: { CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_IID: '7' },
    main: { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main',
      SIGSTORE_ID_TOKEN: idToken({ iss: SERVER, aud: 'sigstore', ci_config_ref_uri: `gitlab.example.com/${PROJECT}//.gitlab-ci.yml@refs/heads/main` }) },
    tag: { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_TAG: 'v1.4.0',
      SIGSTORE_ID_TOKEN: idToken({ iss: SERVER, aud: 'sigstore', ci_config_ref_uri: `gitlab.example.com/${PROJECT}//.gitlab-ci.yml@refs/tags/v1.4.0` }) },
  };
  return { ...common, ...kinds[kind], ...extra };
}

// A job workspace: the files the build context and the scripts need.
function project(sb) {
  for (const f of ['.gitlab/scripts', 'Dockerfile', '.dockerignore', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src']) {
    cpSync(join(repo, f), join(sb.work, f), { recursive: true });
  }
  return sb;
}
const dotenv = (file) => Object.fromEntries(readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
const callsOf = (sb, tool, sub) => sb.calls().filter((c) => c.tool === tool && (!sub || c.argv[0] === sub));

async function build(sb, kind, extra) {
  const r = await sb.run(scripts('build-image.sh'), ciEnv(kind, extra));
  return { ...r, env: existsSync(join(sb.work, 'build.env')) ? dotenv(join(sb.work, 'build.env')) : {} };
}
function scan(sb, env, extra = {}) { return sb.run(scripts('scan-image.sh'), { ...ciEnv('mr'), ...env, ...extra }); }

const skipReason = haveBusybox ? false : 'busybox is not installed (apt-get install busybox-static)';

// -------------------------------------------------------------------- build --

test('build:image (MR) writes an OCI layout whose manifest hashes to IMAGE_DIGEST, without login or cache', { skip: skipReason }, async () => {
  const sb = project(standin());
  try {
    const r = await build(sb, 'mr');
    assert.equal(r.status, 0, r.out);
    const index = JSON.parse(readFileSync(join(sb.work, 'image-oci/index.json'), 'utf8'));
    const blob = readFileSync(join(sb.work, 'image-oci/blobs/sha256', index.manifests[0].digest.slice(7)));
    assert.equal(r.env.IMAGE_DIGEST, `sha256:${sha256(blob)}`);
    assert.equal(r.env.IMAGE_DIGEST, JSON.parse(readFileSync(join(sb.work, 'build-metadata.json'), 'utf8'))['containerimage.digest']);
    assert.equal(r.env.IMAGE_REPOSITORY, IMAGE_REPOSITORY);
    assert.equal(r.env.SOURCE_DATE_EPOCH, EPOCH);
    assert.equal(existsSync(join(sb.work, 'image.oci.tar')), false, 'the tar is unpacked, not kept');
    const [call] = callsOf(sb, 'buildctl-daemonless.sh');
    assert.ok(call.argv.includes(`build-arg:SOURCE_DATE_EPOCH=${EPOCH}`), call.argv.join(' '));
    assert.ok(call.argv.some((a) => /^type=oci,dest=image\.oci\.tar,.*rewrite-timestamp=true/.test(a)), call.argv.join(' '));
    assert.ok(!call.argv.includes('--import-cache') && !call.argv.includes('--export-cache'), 'MR builds have no registry credentials');
    assert.equal(existsSync(join(sb.env.DOCKER_CONFIG, 'config.json')), false, 'no registry login in an MR');
  } finally { sb.close(); }
});

test('build:image is reproducible: the same commit built twice gives one digest', { skip: skipReason }, async () => {
  const sb = project(standin());
  try {
    const first = await build(sb, 'mr');
    const second = await build(sb, 'mr');
    assert.equal(first.status, 0, first.out);
    assert.equal(second.status, 0, second.out);
    assert.equal(second.env.IMAGE_DIGEST, first.env.IMAGE_DIGEST);
  } finally { sb.close(); }
});

test('build:image on main logs in and keeps its cache in the mutable cache repository, twice in a row', { skip: skipReason }, async () => {
  const sb = project(standin());
  try {
    sb.setRegistry((s) => { s.immutable = [IMAGE_REPOSITORY]; });
    for (const run of [1, 2]) {
      const r = await build(sb, 'main');
      assert.equal(r.status, 0, `run ${run}: ${r.out}`);
    }
    const refs = callsOf(sb, 'buildctl-daemonless.sh').flatMap((c) => c.argv.filter((a) => a.startsWith('type=registry')));
    assert.equal(refs.length, 4);
    for (const ref of refs) assert.ok(ref.includes(`ref=${CACHE_REPOSITORY_URL}/`), ref);
  } finally { sb.close(); }
});

test('build:image on main fails, and builds nothing, when the registry login fails', { skip: skipReason }, async () => {
  const sb = project(standin());
  try {
    const r = await build(sb, 'main', { GCP_ID_TOKEN: 'forged' });
    assert.notEqual(r.status, 0);
    assert.match(r.out, /STS token exchange failed/);
    assert.equal(callsOf(sb, 'buildctl-daemonless.sh').length, 0);
  } finally { sb.close(); }
});

test('build:image refuses a timestamp it cannot read', { skip: skipReason }, async () => {
  const sb = project(standin());
  try {
    const r = await build(sb, 'mr', { CI_COMMIT_TIMESTAMP: 'yesterday' });
    assert.notEqual(r.status, 0);
    assert.match(r.out, /not ISO 8601/);
  } finally { sb.close(); }
});

// --------------------------------------------------------------------- scan --

test('scan:image scans the layout directory holding IMAGE_DIGEST, three passes, SBOM written', { skip: skipReason }, async () => {
  const sb = project(standin());
  try {
    const b = await build(sb, 'mr');
    const r = await scan(sb, b.env);
    assert.equal(r.status, 0, r.out);
    const scans = sb.registry().scans;
    assert.deepEqual(scans.map((s) => s.target), Array(3).fill(`image-oci@${b.env.IMAGE_DIGEST}`));
    assert.deepEqual(scans.map((s) => s.format), ['cyclonedx', 'template', 'table']);
    assert.equal(JSON.parse(readFileSync(join(sb.work, 'sbom.cdx.json'), 'utf8')).bomFormat, 'CycloneDX');
    assert.ok(existsSync(join(sb.work, 'gl-container-scanning-report.json')));
  } finally { sb.close(); }
});

test('scan:image fails on a fixable HIGH finding and passes an unfixed CRITICAL one', { skip: skipReason }, async () => {
  const sb = project(standin());
  try {
    const b = await build(sb, 'mr');
    const fixable = await scan(sb, b.env, { FAKE_TRIVY_VULNS: 'LOW:fixed,HIGH:fixed' });
    assert.notEqual(fixable.status, 0, 'a fixable HIGH must fail the gate');
    const unfixed = await scan(sb, b.env, { FAKE_TRIVY_VULNS: 'CRITICAL:unfixed,MEDIUM:fixed' });
    assert.equal(unfixed.status, 0, unfixed.out);
    assert.ok(existsSync(join(sb.work, 'sbom.cdx.json')), 'the report passes run before the gate');
  } finally { sb.close(); }
});

test('scan:image refuses a layout that does not hold IMAGE_DIGEST', { skip: skipReason }, async () => {
  const sb = project(standin());
  try {
    const b = await build(sb, 'mr');
    const r = await scan(sb, { ...b.env, IMAGE_DIGEST: `sha256:${'9'.repeat(64)}` });
    assert.notEqual(r.status, 0);
    assert.match(r.out, /refusing to scan other bytes/);
    assert.equal(sb.registry().scans, undefined);
  } finally { sb.close(); }
});

test("BuildKit's OCI tar itself is no input Trivy can open (why the layout is unpacked)", { skip: skipReason }, async () => {
  const sb = project(standin());
  try {
    await build(sb, 'mr');
    spawnSync('tar', ['-cf', join(sb.work, 'image.oci.tar'), '-C', join(sb.work, 'image-oci'), '.']);
    const r = spawnSync(join(sb.bin, 'trivy'), ['image', '--input', 'image.oci.tar'], { cwd: sb.work, env: sb.env, encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /manifest\.json not found/);
  } finally { sb.close(); }
});

// ------------------------------------------------------------------ publish --

async function publishReady() {
  const sb = project(standin());
  sb.setRegistry((s) => { s.immutable = [IMAGE_REPOSITORY]; });
  const b = await build(sb, 'main');
  assert.equal(b.status, 0, b.out);
  const sc = await scan(sb, b.env);
  assert.equal(sc.status, 0, sc.out);
  const publish = (extra = {}) => sb.run(scripts('publish-image.sh'), ciEnv('main', { ...b.env, ...extra }));
  return { sb, digest: b.env.IMAGE_DIGEST, publish };
}

test('publish:image pushes the scanned digest, signs and attests it in the same job, and verifies', { skip: skipReason }, async () => {
  const { sb, digest, publish } = await publishReady();
  try {
    const r = await publish();
    assert.equal(r.status, 0, r.out);
    const reg = sb.registry();
    assert.equal(reg.tags[`${IMAGE_REPOSITORY}:${SHA}`], digest);
    assert.deepEqual(reg.signatures.map((s) => [s.digest, s.subject, s.issuer, s.byTag]), [[digest, MAIN_ID, SERVER, false]]);
    assert.deepEqual(reg.attestations.map((a) => [a.digest, a.predicateType, a.subject]).sort(), [
      [digest, 'https://cyclonedx.org/bom', MAIN_ID],
      [digest, 'https://slsa.dev/provenance/v1', MAIN_ID],
    ]);
    const prov = reg.attestations.find((a) => a.predicateType.includes('slsa')).predicate;
    assert.equal(prov.buildDefinition.resolvedDependencies[0].digest.gitCommit, SHA);
    assert.equal(prov.buildDefinition.externalParameters.ref, 'refs/heads/main');
    const order = sb.calls().filter((c) => c.tool !== 'trivy' && c.tool !== 'buildctl-daemonless.sh').map((c) => `${c.tool} ${c.argv[0]}`);
    assert.deepEqual(order, ['crane digest', 'crane push', 'cosign sign', 'cosign attest', 'cosign attest', 'cosign verify', 'cosign verify-attestation', 'cosign verify-attestation']);
    assert.equal(dotenv(join(sb.work, 'publish.env')).IMAGE_DIGEST, digest);
  } finally { sb.close(); }
});

test('publish:image rerun: the immutable tag already holds the digest, nothing is pushed twice', { skip: skipReason }, async () => {
  const { sb, publish } = await publishReady();
  try {
    assert.equal((await publish()).status, 0);
    const again = await publish();
    assert.equal(again.status, 0, again.out);
    assert.equal(callsOf(sb, 'crane', 'push').length, 1);
  } finally { sb.close(); }
});

test('publish:image fails when the tag already holds another digest', { skip: skipReason }, async () => {
  const { sb, publish } = await publishReady();
  try {
    const other = `sha256:${'e'.repeat(64)}`;
    sb.setRegistry((s) => { s.tags[`${IMAGE_REPOSITORY}:${SHA}`] = other; s.manifests[`${IMAGE_REPOSITORY}@${other}`] = {}; });
    const r = await publish();
    assert.notEqual(r.status, 0);
    assert.match(r.out, /tags are immutable/);
    assert.equal(sb.registry().signatures.length, 0);
  } finally { sb.close(); }
});

test('publish:image stops at the first failing step: login, cosign download, sign, attest, verify', { skip: skipReason }, async () => {
  const cases = [
    [{ GCP_ID_TOKEN: 'forged' }, /STS token exchange failed/, []],
    [{ COSIGN_SHA256: '0'.repeat(64) }, /refusing it/, []],
    [{ FAKE_COSIGN_FAIL: 'sign' }, /503/, ['crane digest', 'crane push', 'cosign sign']],
    [{ FAKE_COSIGN_FAIL: 'attest' }, /503/, ['crane digest', 'crane push', 'cosign sign', 'cosign attest']],
    [{ FAKE_COSIGN_FAIL: 'verify' }, /no matching signatures/, ['crane digest', 'crane push', 'cosign sign', 'cosign attest', 'cosign attest', 'cosign verify']],
    [{ SIGSTORE_ID_TOKEN: '' }, /SIGSTORE_ID_TOKEN/, []],
  ];
  for (const [extra, message, calls] of cases) {
    const { sb, publish } = await publishReady();
    try {
      const before = sb.calls().length;
      const r = await publish(extra);
      assert.notEqual(r.status, 0, `${JSON.stringify(extra)} passed:\n${r.out}`);
      assert.match(r.out, message);
      assert.deepEqual(sb.calls().slice(before).map((c) => `${c.tool} ${c.argv[0]}`), calls, JSON.stringify(extra));
      assert.equal(existsSync(join(sb.work, 'publish.env')), false);
    } finally { sb.close(); }
  }
});

test('publish:image never signs a digest other than the scanned one', { skip: skipReason }, async () => {
  const { sb, publish } = await publishReady();
  try {
    // The layout on disk changes after the scan: the push reports a new digest.
    const idx = join(sb.work, 'image-oci/index.json');
    const index = JSON.parse(readFileSync(idx, 'utf8'));
    const blobs = join(sb.work, 'image-oci/blobs/sha256');
    const old = readFileSync(join(blobs, index.manifests[0].digest.slice(7)));
    const changed = Buffer.concat([old, Buffer.from(' ')]);
    writeFileSync(join(blobs, sha256(changed)), changed);
    index.manifests[0].digest = `sha256:${sha256(changed)}`;
    writeFileSync(idx, JSON.stringify(index));
    const r = await publish();
    assert.notEqual(r.status, 0);
    assert.match(r.out, /registry reports/);
    assert.equal(sb.registry().signatures.length, 0);
  } finally { sb.close(); }
});

// ------------------------------------------------------------------ release --

async function releaseReady() {
  const { sb, digest, publish } = await publishReady();
  const p = await publish();
  assert.equal(p.status, 0, p.out);
  for (const f of readdirSync(sb.work)) if (!['.gitlab'].includes(f)) rmSync(join(sb.work, f), { recursive: true });
  return { sb, digest, release: (extra = {}) => sb.run(scripts('release-image.sh'), ciEnv('tag', extra)) };
}

test('release:image tags main\'s digest X.Y.Z and signs it with the tag identity, building nothing', { skip: skipReason }, async () => {
  const { sb, digest, release } = await releaseReady();
  try {
    const builds = callsOf(sb, 'buildctl-daemonless.sh').length;
    const r = await release();
    assert.equal(r.status, 0, r.out);
    const reg = sb.registry();
    assert.equal(reg.tags[`${IMAGE_REPOSITORY}:1.4.0`], digest);
    assert.deepEqual(reg.signatures.map((s) => s.subject), [MAIN_ID, TAG_ID]);
    assert.equal(callsOf(sb, 'buildctl-daemonless.sh').length, builds);
    const again = await release();
    assert.equal(again.status, 0, again.out);
  } finally { sb.close(); }
});

test('release:image refuses a commit main never published, and an image main did not sign', { skip: skipReason }, async () => {
  const { sb, release } = await releaseReady();
  try {
    const missing = await release({ CI_COMMIT_SHA: 'f'.repeat(40) });
    assert.notEqual(missing.status, 0);
    assert.match(missing.out, /tag a commit whose image main published/);
    sb.setRegistry((s) => { s.signatures = []; });
    const unsigned = await release();
    assert.notEqual(unsigned.status, 0);
    assert.match(unsigned.out, /carries no signature/);
    assert.equal(sb.registry().tags[`${IMAGE_REPOSITORY}:1.4.0`], undefined);
  } finally { sb.close(); }
});
