// Checks .gitlab-ci.yml with gitlab-ci-local (GitLab schema, rules, needs) and
// exercises the scripts its jobs run against local fakes of the remote APIs.
// Run through .gitlab/tests/run.sh (Node >= 22).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile as execFileCb, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { fakeGitLab, fakeGoogle } from './fakes.mjs';

const execFile = promisify(execFileCb);
const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const gcl = join(repo, 'node_modules', '.bin', 'gitlab-ci-local');
const realCi = parse(readFileSync(join(repo, '.gitlab-ci.yml'), 'utf8'));
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const DIGEST2 = `sha256:${'cd'.repeat(32)}`;
let project;

// gitlab-ci-local resolves `include: template:` from gitlab.com, which is not
// reachable offline: the copy under test drops exactly that key.
function withoutTemplateIncludes(text) {
  return text.replace(/^include:\n(?:[ \t]+.*\n|\n)*/m, '');
}

before(() => {
  project = mkdtempSync(join(tmpdir(), 'kv-api-pipeline-'));
  const skip = new Set(['node_modules', '.git', '.cache', 'dist', 'coverage', '.gitlab-ci-local', '.terraform']);
  cpSync(repo, project, { recursive: true, filter: (src) => !src.split('/').some((part) => skip.has(part)) });
  writeFileSync(join(project, '.gitlab-ci.yml'), withoutTemplateIncludes(readFileSync(join(repo, '.gitlab-ci.yml'), 'utf8')));
  const git = (...args) => {
    const r = spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: project });
    assert.equal(r.status, 0, r.stderr?.toString());
  };
  // gitlab-ci-local applies workflow:rules only for their variables, not to
  // drop a pipeline; a probe job carrying the same rules exposes the decision
  // through its own (identical) rules evaluation.
  writeFileSync(join(project, 'workflow-probe.yml'), stringify({ probe: { script: ['true'], rules: realCi.workflow.rules } }));
  git('init', '-q', '-b', 'main');
  git('remote', 'add', 'origin', 'git@gitlab.example.com:platform/kv-api.git');
  git('add', '-A');
  git('commit', '-q', '-m', 'snapshot');
});
after(() => rmSync(project, { recursive: true, force: true }));

function runGcl(args, { cwd = project } = {}) {
  const r = spawnSync(process.execPath, [gcl, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` , stdout: r.stdout };
}

function listJobs(extra, { vars = {}, unset = [] }) {
  const args = ['--list-json', ...extra, '--ignore-predefined-vars', 'CI_PIPELINE_SOURCE,CI_COMMIT_BRANCH,CI_COMMIT_TAG,CI_OPEN_MERGE_REQUESTS,CI_MERGE_REQUEST_IID'];
  for (const [k, v] of Object.entries(vars)) args.push('--variable', `${k}=${v}`);
  for (const k of unset) args.push('--unset-variable', k);
  const r = runGcl(args);
  assert.equal(r.status, 0, r.out);
  const start = r.stdout.indexOf('\n[');
  return JSON.parse(start >= 0 ? r.stdout.slice(start) : r.stdout.slice(r.stdout.indexOf('[')));
}

// Jobs that would run (when != never) for one pipeline context, after the
// workflow:rules decision.
function jobsFor(context = {}) {
  const [probe] = listJobs(['--file', 'workflow-probe.yml'], context);
  if (probe.when === 'never') return new Map();
  const list = listJobs([], context);
  return new Map(list.filter((j) => j.when !== 'never').map((j) => [j.name, (j.needs ?? []).map((n) => n.job ?? n)]));
}

const infraJobs = [['terraform', 'test/terraform/run.sh'], ['helm', 'test/chart/run.sh'], ['slo-rules', 'test/slo/run.sh']]
  .filter(([, script]) => existsSync(join(repo, script))).map(([job]) => job);
const testJobs = ['lint', 'test', 'test:redis-processes', 'pipeline', ...infraJobs];
const sorted = (xs) => [...xs].sort();

test('the real file includes the SAST and Secret-Detection templates', () => {
  const templates = (realCi.include ?? []).map((i) => i.template);
  assert.deepEqual(sorted(templates), ['Jobs/SAST.gitlab-ci.yml', 'Jobs/Secret-Detection.gitlab-ci.yml']);
});

test('passes gitlab-ci-local JSON-schema validation', () => {
  const r = runGcl(['--preview']);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /json schema validated/);
});

test('schema validation rejects a misspelt keyword (the check can fail)', () => {
  const broken = readFileSync(join(project, '.gitlab-ci.yml'), 'utf8').replace(/^lint:\n/m, 'lint:\n  scriptt: [echo]\n');
  writeFileSync(join(project, 'broken-ci.yml'), broken);
  const r = runGcl(['--preview', '--file', 'broken-ci.yml']);
  rmSync(join(project, 'broken-ci.yml'));
  assert.notEqual(r.status, 0, 'gitlab-ci-local accepted an unknown keyword');
});

test('feature-branch push: tests and an unpublished image build only', () => {
  const jobs = jobsFor({ vars: { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'feature/x' } });
  assert.deepEqual(sorted(jobs.keys()), sorted([...testJobs, 'build:image', 'scan:image']));
});

test('push to a branch with an open MR creates no duplicate branch pipeline', () => {
  const jobs = jobsFor({ vars: { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'feature/x', CI_OPEN_MERGE_REQUESTS: 'platform/kv-api!7' } });
  assert.equal(jobs.size, 0, `unexpected jobs: ${[...jobs.keys()]}`);
});

test('merge-request pipeline: tests, build and scan; no signing or promotion', () => {
  const jobs = jobsFor({ vars: { CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_IID: '7' }, unset: ['CI_COMMIT_BRANCH'] });
  assert.deepEqual(sorted(jobs.keys()), sorted([...testJobs, 'build:image', 'scan:image']));
});

test('default-branch push: publish, scan, sign and promote with the right needs', () => {
  const jobs = jobsFor({ vars: { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main' } });
  assert.deepEqual(sorted(jobs.keys()), sorted([...testJobs, 'build:image', 'scan:image', 'sign:image', 'promote:production']));
  assert.deepEqual(sorted(jobs.get('build:image')), ['lint', 'test', 'test:redis-processes']);
  assert.deepEqual(jobs.get('scan:image'), ['build:image']);
  assert.deepEqual(sorted(jobs.get('sign:image')), ['build:image', 'scan:image']);
  const promoteNeeds = jobs.get('promote:production');
  for (const need of ['build:image', 'scan:image', 'sign:image', ...infraJobs]) assert.ok(promoteNeeds.includes(need), `promote lacks need ${need}`);
  for (const job of testJobs) assert.deepEqual(jobs.get(job), [], `${job} should start immediately`);
});

test('semver tag: publish, scan and sign, but no promotion', () => {
  const jobs = jobsFor({ vars: { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_TAG: 'v1.4.0' }, unset: ['CI_COMMIT_BRANCH'] });
  assert.deepEqual(sorted(jobs.keys()), sorted([...testJobs, 'build:image', 'scan:image', 'sign:image']));
});

test('a tag that is not a semantic version starts no pipeline', () => {
  const jobs = jobsFor({ vars: { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_TAG: 'nightly' }, unset: ['CI_COMMIT_BRANCH'] });
  assert.equal(jobs.size, 0);
});

test('hygiene: rules not only/except, interruptible, resource_group, pinned images', () => {
  const r = runGcl(['--preview']);
  const ci = parse(r.stdout.slice(r.stdout.indexOf('---')));
  const jobs = Object.entries(ci).filter(([name, v]) => v && typeof v === 'object' && 'script' in v && !name.startsWith('.'));
  assert.ok(jobs.length >= 8);
  assert.equal(realCi.default.interruptible, true);
  for (const [name, job] of jobs) {
    assert.ok(!('only' in job) && !('except' in job), `${name} uses only/except`);
    assert.equal(job.interruptible ?? realCi.default.interruptible, name !== 'promote:production', `${name} interruptible`);
  }
  assert.equal(ci['promote:production'].resource_group, 'production');
  for (const [name, value] of Object.entries(ci.variables).filter(([k]) => k.endsWith('_IMAGE'))) {
    assert.match(value, /^[\w./-]+:[\w.-]+@sha256:[a-f0-9]{64}$/, `${name} not pinned by digest`);
  }
  const images = [realCi.default.image, ...Object.values(realCi).flatMap((j) => [j?.image?.name ?? j?.image, ...(j?.services ?? []).map((s) => s.name ?? s)])]
    .filter(Boolean);
  for (const img of images) assert.match(img, /^\$\{[A-Z_]+_IMAGE\}$/, `image ${img} bypasses the pinned variables`);
  assert.deepEqual(realCi.lint.cache.key ?? realCi['.npm'].cache.key, { files: ['package-lock.json'], prefix: 'npm' });
});

test('supply chain: scan gate, keyless signing by digest, WIF, no keys, no cluster access', () => {
  const scan = realCi['scan:image'].script.join('\n');
  assert.match(scan, /--exit-code 1 --severity HIGH,CRITICAL --ignore-unfixed/);
  assert.match(scan, /--format cyclonedx/);
  const sign = realCi['sign:image'];
  assert.equal(sign.id_tokens.SIGSTORE_ID_TOKEN.aud, 'sigstore');
  assert.match(sign.script.join('\n'), /cosign sign "\$ref"/);
  assert.match(sign.script.join('\n'), /ref="\$\{IMAGE_REPOSITORY\}@\$\{IMAGE_DIGEST\}"/);
  assert.match(sign.script.join('\n'), /cosign attest --type cyclonedx/);
  const aud = 'https://iam.googleapis.com/${GCP_WORKLOAD_IDENTITY_PROVIDER}';
  assert.equal(realCi['.gcp-auth'].id_tokens.GCP_ID_TOKEN.aud, aud);
  assert.equal(sign.id_tokens.GCP_ID_TOKEN.aud, aud);
  const build = realCi['build:image'];
  assert.equal(build.variables.BUILDKITD_FLAGS, '--oci-worker-no-process-sandbox');
  assert.match(build.script.join('\n'), /buildctl-daemonless\.sh build[\s\S]*--metadata-file build-metadata\.json/);
  const all = readFileSync(join(repo, '.gitlab-ci.yml'), 'utf8') + readFileSync(join(repo, '.gitlab/scripts/gcp-wif-login.sh'), 'utf8');
  assert.doesNotMatch(all, /GOOGLE_APPLICATION_CREDENTIALS|private_key|service[_-]account[_-]key|\.json.*base64 -d/i);
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
    CI_COMMIT_SHA: '0123456789abcdef0123456789abcdef01234567', CI_PIPELINE_URL: 'https://gitlab.example.com/p/-/pipelines/1',
    IMAGE_REPOSITORY: 'europe-west1-docker.pkg.dev/prod/kv/kv-api', IMAGE_DIGEST: DIGEST2, PROMOTION_TOKEN: 'glpat-test', ...extra,
  };
}

test('promote.sh proposes the digest as an MR, supersedes older ones, and is idempotent', async () => {
  const file = 'helmfile.d/environments/production.yaml';
  const stale = { iid: 7, state: 'opened', labels: ['promotion::production'], source_branch: 'promote/production/kv-api-deadbeef', web_url: 'x' };
  const gitlab = await fakeGitLab({ projectId: '42', token: 'glpat-test', filePath: file, content: VALUES, openMrs: [stale] });
  const promote = (extra) => execFile('bash', [join(repo, 'scripts/promote.sh')], { env: promoteEnv(gitlab, extra) });
  try {
    const { stdout } = await promote();
    assert.match(stdout, /promotion MR: https:\/\/gitlab\.example\.com\/mr\/100/);
    assert.equal(gitlab.state.commits.length, 1);
    const commit = gitlab.state.commits[0];
    assert.equal(commit.branch, 'promote/production/kv-api-01234567');
    assert.equal(commit.start_branch, 'main');
    assert.equal(commit.actions[0].file_path, file);
    assert.equal(commit.actions[0].last_commit_id, 'c0');
    assert.match(commit.actions[0].content, new RegExp(`digest: "${DIGEST2}"`));
    assert.match(commit.actions[0].content, /digest: keep-me/);
    const mr = gitlab.state.mrs.find((m) => m.iid === 100);
    assert.equal(mr.target_branch, 'main');
    assert.equal(mr.remove_source_branch, true);
    assert.match(mr.description, new RegExp(`@${DIGEST2}`));
    assert.equal(gitlab.state.mrs.find((m) => m.iid === 7).state, 'closed');
    assert.deepEqual(gitlab.state.notes, [{ iid: 7, body: 'Superseded by !100.' }]);

    const again = await promote();
    assert.match(again.stdout, /nothing to promote/);
    assert.equal(gitlab.state.commits.length, 1, 'second run must not commit');

    await assert.rejects(promote({ PROMOTION_TOKEN: '' }), /PROMOTION_TOKEN is not available/);
    await assert.rejects(promote({ IMAGE_DIGEST: 'sha256:short' }), /IMAGE_DIGEST missing or malformed/);
    await assert.rejects(promote({ PROMOTION_TOKEN: 'wrong' }), /HTTP 401/);
  } finally { await gitlab.close(); }
});

test('promote:production job runs in the shell executor against the fake API', async () => {
  const file = 'helmfile.d/environments/production.yaml';
  const gitlab = await fakeGitLab({ projectId: '42', token: 'glpat-test', filePath: file, content: VALUES });
  try {
    const env = promoteEnv(gitlab);
    const args = [gcl, 'promote:production', '--force-shell-executor', '--no-color',
      '--ignore-predefined-vars', 'CI_PIPELINE_SOURCE,CI_COMMIT_BRANCH,CI_API_V4_URL,CI_PROJECT_ID',
      '--variable', 'CI_PIPELINE_SOURCE=push', '--variable', 'CI_COMMIT_BRANCH=main'];
    for (const k of ['CI_API_V4_URL', 'CI_PROJECT_ID', 'IMAGE_REPOSITORY', 'IMAGE_DIGEST', 'PROMOTION_TOKEN']) args.push('--variable', `${k}=${env[k]}`);
    const { stdout } = await execFile(process.execPath, args, { cwd: project, timeout: 120_000 });
    assert.match(stdout, /promotion MR: https:\/\/gitlab\.example\.com\/mr\/100/);
    assert.equal(gitlab.state.commits.length, 1);
  } finally { await gitlab.close(); }
});
