// Checks .gitlab-ci.yml with gitlab-ci-local (GitLab schema, rules, needs,
// rules:changes) on a throwaway copy of the repository, and exercises the
// scripts of the Node-image jobs against local fakes of the remote APIs.
// The image jobs' scripts are tested in jobs.test.mjs. Run through
// .gitlab/tests/run.sh (Node >= 22).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile as execFileCb } from 'node:child_process';
import { promisify } from 'node:util';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { fakeGitLab, fakeGoogle } from './fakes.mjs';
import { copyProject, git, LOCAL_INCLUDE_STUBS, repo, runGcl } from './harness.mjs';
import { imageInputs } from '../scripts/promotion-mr.mjs';

const execFile = promisify(execFileCb);
const realCi = parse(readFileSync(join(repo, '.gitlab-ci.yml'), 'utf8'));
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const DIGEST2 = `sha256:${'cd'.repeat(32)}`;
let project;

before(() => {
  project = copyProject();
  // gitlab-ci-local applies workflow:rules only for their variables, not to
  // drop a pipeline; a probe job carrying the same rules exposes the decision
  // through its own (identical) rules evaluation.
  writeFileSync(join(project.dir, 'workflow-probe.yml'), stringify({ probe: { script: ['true'], rules: realCi.workflow.rules } }));
  git(project.dir, 'add', '-A');
  git(project.dir, 'commit', '-q', '-m', 'probe');
  git(project.dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
});
after(() => project.close());

// The working tree differs from origin/main by exactly these files, which is
// what gitlab-ci-local 4.75 compares rules:changes against.
function changeOnly(files) {
  git(project.dir, 'checkout', '-q', '--', '.');
  for (const f of files) appendFileSync(join(project.dir, f), '\n');
}

function listJobs(extra, { vars = {}, unset = [] }) {
  const args = ['--list-json', ...extra, '--ignore-predefined-vars', 'CI_PIPELINE_SOURCE,CI_COMMIT_BRANCH,CI_COMMIT_TAG,CI_OPEN_MERGE_REQUESTS,CI_MERGE_REQUEST_IID'];
  for (const [k, v] of Object.entries(vars)) args.push('--variable', `${k}=${v}`);
  for (const k of unset) args.push('--unset-variable', k);
  const r = runGcl(project.dir, args);
  assert.equal(r.status, 0, r.out);
  const start = r.stdout.indexOf('\n[');
  return JSON.parse(start >= 0 ? r.stdout.slice(start) : r.stdout.slice(r.stdout.indexOf('[')));
}

// Jobs that would run (when != never) for one pipeline context, after the
// workflow:rules decision, with the files the push changed.
function jobsFor(context = {}, changed = ['src/main.ts']) {
  changeOnly(changed);
  const [probe] = listJobs(['--file', 'workflow-probe.yml'], context);
  if (probe.when === 'never') return new Map();
  const list = listJobs([], context);
  return new Map(list.filter((j) => j.when !== 'never').map((j) => [j.name, j]));
}
const needsOf = (job) => (job.needs ?? []).map((n) => n.job ?? n);

// The jobs this file defines (included ones are asserted on their own).
const OWN = new Set(Object.keys(realCi).filter((k) => !k.startsWith('.') && realCi[k]?.script));
const own = (jobs) => [...jobs.keys()].filter((j) => OWN.has(j)).sort();
const checks = ['lint', 'test', 'test:redis-processes', 'pipeline', 'helm', 'slo-rules']
  .filter((j) => !realCi[j]?.rules?.[0]?.exists || realCi[j].rules[0].exists.every((f) => existsSync(join(repo, f))));
const sorted = (xs) => [...xs].sort();
const MAIN = { vars: { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main' } };
const IMAGE_JOBS = ['build:image', 'scan:image', 'publish:image', 'release:image', 'promote:production'];

test('includes SAST, Secret Detection and the Terraform and infra-values files, SAST on MRs', () => {
  assert.deepEqual(sorted((realCi.include ?? []).map((i) => i.template ?? i.local)),
    sorted(['Jobs/SAST.gitlab-ci.yml', 'Jobs/Secret-Detection.gitlab-ci.yml', ...Object.keys(LOCAL_INCLUDE_STUBS)]));
  assert.equal(realCi.variables.AST_ENABLE_MR_PIPELINES, 'true');
});

test('passes gitlab-ci-local JSON-schema validation, with the local includes', () => {
  const r = runGcl(project.dir, ['--preview']);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /json schema validated/);
  const merged = parse(r.stdout.slice(r.stdout.indexOf('---')));
  for (const job of LOCAL_INCLUDE_STUBS['.gitlab/ci/terraform.yml']) assert.ok(job in merged, `${job} not included`);
});

test('schema validation rejects a misspelt keyword (the check can fail)', () => {
  const broken = readFileSync(join(project.dir, '.gitlab-ci.yml'), 'utf8').replace(/^lint:\n/m, 'lint:\n  scriptt: [echo]\n');
  writeFileSync(join(project.dir, 'broken-ci.yml'), broken);
  const r = runGcl(project.dir, ['--preview', '--file', 'broken-ci.yml']);
  rmSync(join(project.dir, 'broken-ci.yml'));
  assert.notEqual(r.status, 0, 'gitlab-ci-local accepted an unknown keyword');
});

test('infra values: scheduled and manual main pipelines read the outputs and propose them; pushes and MRs do not', () => {
  for (const source of ['schedule', 'web']) {
    const jobs = jobsFor({ vars: { CI_PIPELINE_SOURCE: source, CI_COMMIT_BRANCH: 'main' } });
    assert.ok(jobs.has('infra:values'), `${source}: no infra:values`);
    assert.ok([...jobs.keys()].some((j) => j.startsWith('infra:outputs')), `${source}: no infra:outputs`);
    assert.deepEqual(needsOf(jobs.get('infra:values')), ['infra:outputs']);
  }
  for (const context of [MAIN, { vars: { CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_IID: '7' }, unset: ['CI_COMMIT_BRANCH'] },
    { vars: { CI_PIPELINE_SOURCE: 'schedule', CI_COMMIT_BRANCH: 'feature/x' } }]) {
    const jobs = jobsFor(context);
    assert.ok(![...jobs.keys()].some((j) => j.startsWith('infra:')), `infra jobs in ${JSON.stringify(context.vars)}`);
  }
});

test('feature-branch push: checks, build and scan; nothing published', () => {
  const jobs = jobsFor({ vars: { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'feature/x' } });
  assert.deepEqual(own(jobs), sorted([...checks, 'build:image', 'scan:image']));
});

test('push to a branch with an open MR creates no duplicate branch pipeline', () => {
  const jobs = jobsFor({ vars: { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'feature/x', CI_OPEN_MERGE_REQUESTS: 'platform/kv-api!7' } });
  assert.equal(jobs.size, 0, `unexpected jobs: ${[...jobs.keys()]}`);
});

test('merge-request pipeline: checks, build and scan, even when no build input changed; no publish, no promotion', () => {
  for (const changed of [['src/main.ts'], ['README.md']]) {
    const jobs = jobsFor({ vars: { CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_IID: '7' }, unset: ['CI_COMMIT_BRANCH'] }, changed);
    assert.deepEqual(own(jobs), sorted([...checks, 'build:image', 'scan:image']), changed.join());
  }
});

test('default-branch push that changes the image: build, scan, publish, promote with the right needs', () => {
  const jobs = jobsFor(MAIN, ['src/main.ts']);
  assert.deepEqual(own(jobs), sorted([...checks, 'build:image', 'scan:image', 'publish:image', 'promote:production']));
  assert.deepEqual(sorted(needsOf(jobs.get('build:image'))), ['lint', 'test', 'test:redis-processes']);
  assert.deepEqual(needsOf(jobs.get('scan:image')), ['build:image']);
  assert.deepEqual(sorted(needsOf(jobs.get('publish:image'))), ['build:image', 'scan:image']);
  const promote = jobs.get('promote:production');
  assert.ok(needsOf(promote).includes('publish:image'));
  assert.equal(promote.needs.find((n) => n.job === 'publish:image').artifacts, true, 'IMAGE_DIGEST comes from publish.env');
  for (const n of promote.needs) assert.ok(n.job === 'publish:image' || n.optional, `promote needs ${n.job} without optional`);
  const included = Object.values(LOCAL_INCLUDE_STUBS).flat();
  for (const n of needsOf(promote)) assert.ok(!included.includes(n) && !/^terra/.test(n), `promote waits for ${n}`);
  for (const job of checks) assert.deepEqual(needsOf(jobs.get(job)), [], `${job} should start immediately`);
});

test('default-branch push that changes every image input one by one builds each time', () => {
  for (const f of ['Dockerfile', '.dockerignore', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src/main.ts']) {
    const jobs = jobsFor(MAIN, [f]);
    assert.ok(jobs.has('build:image') && jobs.has('promote:production'), `${f} does not rebuild`);
  }
});

test('a merged promotion (only helmfile.d/environments/) or a docs change builds and promotes nothing', () => {
  for (const changed of [['helmfile.d/environments/production.yaml'], ['helmfile.d/environments/production.yaml', 'helmfile.d/environments/staging.yaml'], ['README.md', 'docs/pipeline.md']]) {
    const jobs = jobsFor(MAIN, changed);
    for (const job of IMAGE_JOBS) assert.ok(!jobs.has(job), `${job} runs for ${changed.join(', ')}`);
    assert.deepEqual(own(jobs), sorted(checks), changed.join());
  }
});

test('semver tag: release:image re-tags, no build, scan, publish or promotion', () => {
  const jobs = jobsFor({ vars: { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_TAG: 'v1.4.0' }, unset: ['CI_COMMIT_BRANCH'] });
  assert.deepEqual(own(jobs), sorted([...checks, 'release:image']));
  assert.deepEqual(needsOf(jobs.get('release:image')), []);
});

test('a tag that is not a semantic version starts no pipeline', () => {
  const jobs = jobsFor({ vars: { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_TAG: 'nightly' }, unset: ['CI_COMMIT_BRANCH'] });
  assert.equal(jobs.size, 0);
});

test('no image or promotion job may fail silently or wait for a click', () => {
  const main = jobsFor(MAIN, ['src/main.ts']);
  const tag = jobsFor({ vars: { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_TAG: 'v1.4.0' }, unset: ['CI_COMMIT_BRANCH'] });
  for (const name of IMAGE_JOBS) {
    const job = main.get(name) ?? tag.get(name);
    assert.ok(job, `${name} missing`);
    assert.equal(job.allow_failure, false, `${name} allow_failure`);
    assert.equal(job.when, 'on_success', `${name} when`);
  }
});

test('the build inputs of rules:changes are the .dockerignore allow-list plus Dockerfile and .dockerignore', () => {
  const inputs = imageInputs(readFileSync(join(repo, '.dockerignore'), 'utf8'));
  const asGlobs = inputs.map((p) => (p.endsWith('/') ? `${p}**/*` : p));
  for (const name of ['build:image', 'publish:image', 'promote:production']) {
    const rules = realCi[name].rules ?? [].concat(realCi[name].extends ?? []).map((e) => realCi[e]?.rules).find(Boolean);
    assert.deepEqual(sorted(rules[0].changes), sorted(asGlobs), name);
  }
});

test('hygiene: rules not only/except, interruptible, resource_group, pinned images and tools', () => {
  const r = runGcl(project.dir, ['--preview']);
  const ci = parse(r.stdout.slice(r.stdout.indexOf('---')));
  const jobs = Object.entries(ci).filter(([name, v]) => v && typeof v === 'object' && 'script' in v && OWN.has(name));
  assert.ok(jobs.length >= 10);
  assert.equal(realCi.default.interruptible, true);
  for (const [name, job] of jobs) {
    assert.ok(!('only' in job) && !('except' in job), `${name} uses only/except`);
    assert.equal(job.interruptible ?? realCi.default.interruptible, name !== 'promote:production', `${name} interruptible`);
  }
  assert.equal(ci['promote:production'].resource_group, 'production');
  for (const [name, value] of Object.entries(realCi.variables).filter(([k]) => k.endsWith('_IMAGE'))) {
    assert.match(value, /^[\w./-]+:[\w.-]+@sha256:[a-f0-9]{64}$/, `${name} not pinned by digest`);
  }
  for (const tool of ['COSIGN']) {
    assert.match(realCi.variables[`${tool}_VERSION`], /^v\d+\.\d+\.\d+$/);
    assert.match(realCi.variables[`${tool}_SHA256`], /^[a-f0-9]{64}$/);
  }
  const images = [realCi.default.image, ...Object.values(realCi).flatMap((j) => [j?.image?.name ?? j?.image, ...(j?.services ?? []).map((s) => s.name ?? s)])]
    .filter(Boolean);
  for (const img of images) assert.match(img, /^\$\{[A-Z_]+_IMAGE\}$/, `image ${img} bypasses the pinned variables`);
  const all = Object.values(realCi).flatMap((j) => j?.before_script ?? []).join('\n');
  assert.doesNotMatch(all, /apk add/, 'tools come pinned, not from apk');
});

test('supply chain: keyless signing identity tokens, WIF audience, no keys, no cluster access', () => {
  const aud = 'https://iam.googleapis.com/${GCP_WORKLOAD_IDENTITY_PROVIDER}';
  for (const name of ['publish:image', 'release:image']) {
    assert.equal(realCi[name].id_tokens.SIGSTORE_ID_TOKEN.aud, 'sigstore', name);
    assert.equal(realCi[name].id_tokens.GCP_ID_TOKEN.aud, aud, name);
  }
  assert.equal(realCi['.gcp-auth'].id_tokens.GCP_ID_TOKEN.aud, aud);
  assert.equal(realCi['scan:image'].id_tokens, undefined, 'the scan reads local bytes and needs no registry token');
  assert.equal(realCi['build:image'].variables.BUILDKITD_FLAGS, '--oci-worker-no-process-sandbox');
  const texts = ['.gitlab-ci.yml', '.gitlab/scripts/gcp-wif-login.sh', '.gitlab/scripts/publish-image.sh', '.gitlab/scripts/release-image.sh', '.gitlab/scripts/build-image.sh']
    .map((f) => readFileSync(join(repo, f), 'utf8')).join('\n');
  assert.doesNotMatch(texts, /GOOGLE_APPLICATION_CREDENTIALS|private_key|service[_-]account[_-]key|\.json.*base64 -d/i);
  const scripts = Object.values(realCi).flatMap((j) => j?.script ?? []).join('\n');
  assert.doesNotMatch(scripts, /\bkubectl\b|helm (upgrade|install)|helmfile (apply|sync)|argocd app sync/);
});

// ------------------------------------------------ scripts run by the jobs --

test('gcp-wif-login.sh exchanges the OIDC token and writes the registry login', async () => {
  const idToken = 'header.payload.sig';
  const provider = 'projects/123/locations/global/workloadIdentityPools/gitlab/providers/gitlab-com';
  const audience = `//iam.googleapis.com/${provider}`;
  const google = await fakeGoogle({ audience, idToken, serviceAccount: 'ci@p.iam.gserviceaccount.com' });
  try {
    const base = { PATH: process.env.PATH, GCP_ID_TOKEN: idToken, GCP_WORKLOAD_IDENTITY_PROVIDER: provider, GAR_REGISTRY: 'europe-west1-docker.pkg.dev', GCP_STS_URL: `${google.base}/v1/token`, GCP_IAMCREDENTIALS_URL: `${google.base}/v1` };
    const login = async (extra) => {
      const dir = mkdtempSync(join(tmpdir(), 'dockercfg-'));
      const { stdout } = await execFile('sh', [join(repo, '.gitlab/scripts/gcp-wif-login.sh')], { env: { ...base, DOCKER_CONFIG: dir, ...extra } });
      assert.doesNotMatch(stdout, /federated-token|impersonated-token/, 'token printed');
      const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
      rmSync(dir, { recursive: true });
      return Buffer.from(cfg.auths['europe-west1-docker.pkg.dev'].auth, 'base64').toString();
    };
    assert.equal(await login({}), 'oauth2accesstoken:federated-token');
    assert.equal(await login({ GCP_SERVICE_ACCOUNT: 'ci@p.iam.gserviceaccount.com' }), 'oauth2accesstoken:impersonated-token');
    await assert.rejects(login({ GCP_WORKLOAD_IDENTITY_PROVIDER: 'projects/999/locations/global/workloadIdentityPools/x/providers/y' }), /STS token exchange failed/);
    await assert.rejects(login({ GCP_ID_TOKEN: 'someone-elses-token' }), /STS token exchange failed/);
  } finally { await google.close(); }
});

const VALUES = `# Production environment values (Helmfile)
kvApi:
  replicas: 6
  image:
    repository: europe-west1-docker.pkg.dev/prod/kv/kv-api   # Artifact Registry
    digest: "${DIGEST}"   # promoted by scripts/promote.sh
  redis:
    digest: keep-me
`;

test('set-image-digest.mjs changes exactly one line and refuses missing or duplicate keys', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'values-'));
  const file = join(dir, 'production.yaml');
  const cli = join(repo, '.gitlab/scripts/set-image-digest.mjs');
  try {
    writeFileSync(file, VALUES);
    await execFile(process.execPath, [cli, file, 'kvApi.image.digest', DIGEST2]);
    const before = VALUES.split('\n');
    const afterLines = readFileSync(file, 'utf8').split('\n');
    const changed = afterLines.filter((l, i) => l !== before[i]);
    assert.deepEqual(changed, [`    digest: "${DIGEST2}" # promoted by scripts/promote.sh`]);
    await assert.rejects(execFile(process.execPath, [cli, file, 'kvApi.image.tag', DIGEST2]), /not found/);
    writeFileSync(file, `${VALUES}kvApi:\n  image:\n    digest: x\n`);
    await assert.rejects(execFile(process.execPath, [cli, file, 'kvApi.image.digest', DIGEST2]), /occurs 2 times/);
    await assert.rejects(execFile(process.execPath, [cli, file, 'kvApi.image.digest', 'latest']), /usage/);
  } finally { rmSync(dir, { recursive: true }); }
});

test('the real production values file carries the promotion key', async () => {
  const { setScalar } = await import('../../.gitlab/scripts/set-image-digest.mjs');
  const text = readFileSync(join(repo, 'helmfile.d/environments/production.yaml'), 'utf8');
  const result = setScalar(text, 'kvApi.image.digest', DIGEST2);
  assert.equal(result.changed, true);
  assert.equal(result.text.split('\n').filter((l, i) => l !== text.split('\n')[i]).length, 1);
});

function promoteEnv(gitlab, extra = {}) {
  return {
    PATH: process.env.PATH, CI_API_V4_URL: `${gitlab.base}/api/v4`, CI_PROJECT_ID: '42', CI_DEFAULT_BRANCH: 'main',
    CI_COMMIT_SHA: SHA, CI_PIPELINE_ID: '77', CI_PIPELINE_URL: 'https://gitlab.example.com/p/-/pipelines/77',
    IMAGE_REPOSITORY: 'europe-west1-docker.pkg.dev/prod/kv/kv-api', IMAGE_DIGEST: DIGEST2, PROMOTION_TOKEN: 'glpat-test', ...extra,
  };
}
const SHA = '0123456789abcdef0123456789abcdef01234567';
const FILE = 'helmfile.d/environments/production.yaml';
const mrOf = (iid, pipeline, short = 'deadbeef') => ({ iid, state: 'opened', labels: ['promotion::production'], source_branch: `promote/production/kv-api-${short}`,
  web_url: `https://gitlab.example.com/mr/${iid}`, description: `x\n\n<!-- kv-api-promotion pipeline=${pipeline} -->` });
const promoteWith = (gitlab, extra) => execFile('bash', [join(repo, 'scripts/promote.sh')], { env: promoteEnv(gitlab, extra) });

test('promote.sh proposes the digest as an MR, supersedes older pipelines\' MRs, and is idempotent', async () => {
  const gitlab = await fakeGitLab({ projectId: '42', token: 'glpat-test', filePath: FILE, content: VALUES, head: SHA, openMrs: [mrOf(7, 50)] });
  try {
    const { stdout } = await promoteWith(gitlab);
    assert.match(stdout, /promotion MR: https:\/\/gitlab\.example\.com\/mr\/100/);
    assert.equal(gitlab.state.commits.length, 1);
    const commit = gitlab.state.commits[0];
    assert.equal(commit.branch, 'promote/production/kv-api-01234567');
    assert.equal(commit.start_branch, 'main');
    assert.equal(commit.actions[0].file_path, FILE);
    assert.equal(commit.actions[0].last_commit_id, 'c0');
    assert.match(commit.actions[0].content, new RegExp(`digest: "${DIGEST2}"`));
    assert.match(commit.actions[0].content, /digest: keep-me/);
    const mr = gitlab.state.mrs.find((m) => m.iid === 100);
    assert.equal(mr.target_branch, 'main');
    assert.equal(mr.remove_source_branch, true);
    assert.match(mr.description, new RegExp(`@${DIGEST2}`));
    assert.match(mr.description, /<!-- kv-api-promotion pipeline=77 -->/);
    assert.equal(gitlab.state.mrs.find((m) => m.iid === 7).state, 'closed');
    assert.deepEqual(gitlab.state.notes, [{ iid: 7, body: 'Superseded by !100.' }]);

    const again = await promoteWith(gitlab);
    assert.match(again.stdout, /nothing to promote/);
    assert.equal(gitlab.state.commits.length, 1, 'second run must not commit');

    await assert.rejects(promoteWith(gitlab, { PROMOTION_TOKEN: '' }), /PROMOTION_TOKEN is not available/);
    await assert.rejects(promoteWith(gitlab, { IMAGE_DIGEST: 'sha256:short' }), /IMAGE_DIGEST missing or malformed/);
    await assert.rejects(promoteWith(gitlab, { PROMOTION_TOKEN: 'wrong' }), /HTTP 401/);
  } finally { await gitlab.close(); }
});

test('an older pipeline never supersedes a newer promotion MR', async () => {
  const gitlab = await fakeGitLab({ projectId: '42', token: 'glpat-test', filePath: FILE, content: VALUES, head: SHA, openMrs: [mrOf(8, 90, 'feedf00d')] });
  try {
    const { stdout } = await promoteWith(gitlab);
    assert.match(stdout, /!8 comes from the newer pipeline 90: nothing to do/);
    assert.equal(gitlab.state.commits.length, 0);
    assert.equal(gitlab.state.mrs.find((m) => m.iid === 8).state, 'opened');
    assert.equal(gitlab.state.mrs.length, 1);
  } finally { await gitlab.close(); }
});

test('a promotion whose commit main has moved past with a new image does nothing', async () => {
  const gitlab = await fakeGitLab({ projectId: '42', token: 'glpat-test', filePath: FILE, content: VALUES, head: 'f'.repeat(40), changedSince: ['README.md', 'src/main.ts'] });
  try {
    const { stdout } = await promoteWith(gitlab);
    assert.match(stdout, /moved on to ffffffff, which changes src\/main\.ts: its pipeline promotes, nothing to do/);
    assert.equal(gitlab.state.commits.length, 0);
    assert.equal(gitlab.state.mrs.length, 0);
  } finally { await gitlab.close(); }
});

test('a promotion proceeds when main moved on only by promotions or docs (same image)', async () => {
  const gitlab = await fakeGitLab({ projectId: '42', token: 'glpat-test', filePath: FILE, content: VALUES, head: 'f'.repeat(40), changedSince: [FILE, 'docs/pipeline.md'] });
  try {
    const { stdout } = await promoteWith(gitlab);
    assert.match(stdout, /promotion MR:/);
    assert.equal(gitlab.state.commits.length, 1);
  } finally { await gitlab.close(); }
});

async function gclPromote(gitlab) {
  const env = promoteEnv(gitlab);
  const args = ['promote:production', '--force-shell-executor', '--no-color',
    '--ignore-predefined-vars', 'CI_PIPELINE_SOURCE,CI_COMMIT_BRANCH,CI_API_V4_URL,CI_PROJECT_ID,CI_COMMIT_SHA,CI_PIPELINE_ID',
    '--variable', 'CI_PIPELINE_SOURCE=push', '--variable', 'CI_COMMIT_BRANCH=main'];
  for (const k of ['CI_API_V4_URL', 'CI_PROJECT_ID', 'CI_COMMIT_SHA', 'CI_PIPELINE_ID', 'IMAGE_REPOSITORY', 'IMAGE_DIGEST', 'PROMOTION_TOKEN']) args.push('--variable', `${k}=${env[k]}`);
  changeOnly(['src/main.ts']);
  const { gcl } = await import('./harness.mjs');
  try {
    const { stdout } = await execFile(process.execPath, [gcl, ...args], { cwd: project.dir, timeout: 120_000 });
    return { status: 0, out: stdout };
  } catch (err) { return { status: err.code, out: `${err.stdout}\n${err.stderr}` }; }
}

test('promote:production job runs in the shell executor against the fake API, and fails when the API does', async () => {
  const gitlab = await fakeGitLab({ projectId: '42', token: 'glpat-test', filePath: FILE, content: VALUES, head: SHA });
  try {
    const r = await gclPromote(gitlab);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /promotion MR: https:\/\/gitlab\.example\.com\/mr\/100/);
    assert.equal(gitlab.state.commits.length, 1);
  } finally { await gitlab.close(); }
  const broken = await fakeGitLab({ projectId: '42', token: 'glpat-test', filePath: FILE, content: VALUES, head: SHA, fail: true });
  try {
    const r = await gclPromote(broken);
    assert.notEqual(r.status, 0, `the job passed although the API failed:\n${r.out}`);
    assert.match(r.out, /promotion failed: GET \/repository\/branches\/main: HTTP 500/);
  } finally { await broken.close(); }
});

test('renovate.json: its managers find every pinned image, base and tool version', () => {
  const config = JSON.parse(readFileSync(join(repo, 'renovate.json'), 'utf8'));
  const found = {};
  for (const m of config.customManagers) {
    const files = ['.gitlab-ci.yml', 'Dockerfile'].filter((f) => m.managerFilePatterns.some((p) => new RegExp(p.slice(1, -1)).test(f)));
    for (const f of files) {
      const text = readFileSync(join(repo, f), 'utf8');
      for (const re of m.matchStrings) {
        for (const hit of text.matchAll(new RegExp(re, 'g'))) {
          const name = hit.groups.depName ?? m.depNameTemplate;
          (found[f] ??= []).push(`${name}:${hit.groups.currentValue}${hit.groups.currentDigest ? '@' : ''}`);
        }
      }
    }
  }
  const ciImages = Object.entries(realCi.variables).filter(([k]) => k.endsWith('_IMAGE')).map(([, v]) => v.replace(/@.*/, '@'));
  assert.deepEqual(sorted(found['.gitlab-ci.yml']), sorted([...ciImages,
    `sigstore/cosign:${realCi.variables.COSIGN_VERSION}`]));
  const bases = [...readFileSync(join(repo, 'Dockerfile'), 'utf8').matchAll(/^ARG [A-Z_]+_IMAGE=(.*)@sha256:/gm)].map((m) => `${m[1]}@`);
  assert.equal(bases.length, 2);
  assert.deepEqual(sorted(found.Dockerfile), sorted(bases));
});
