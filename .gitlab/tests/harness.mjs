// Test harness for the pipeline suites: a throwaway copy of the repository for
// gitlab-ci-local, and stand-ins of the busybox-based job images (BuildKit,
// Trivy, crane) with the fakes of fake-tools.mjs on their PATH.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, '..', '..');
export const gcl = join(repo, 'node_modules', '.bin', 'gitlab-ci-local');

// Local includes kept in other files of the repository. When one is absent
// (not merged yet), the copy gets a stub with the job names it is known to
// define, so the job graph stays checkable either way.
export const LOCAL_INCLUDE_STUBS = {
  '.gitlab/ci/terraform.yml': ['terraform:test', 'terragrunt:validate', 'terragrunt:plan'],
  '.gitlab/ci/infra-values.yml': ['infra:outputs', 'infra:values'],
};

export function git(cwd, ...args) {
  const r = spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

// A copy of the repository as a git checkout whose origin/main is its first
// commit (gitlab-ci-local evaluates rules:changes against origin/<default>).
export function copyProject({ ciText } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kv-api-pipeline-'));
  const skip = new Set(['node_modules', '.git', '.cache', 'dist', 'coverage', '.gitlab-ci-local', '.terraform', '.tools']);
  cpSync(repo, dir, { recursive: true, filter: (src) => !src.slice(repo.length).split('/').some((part) => skip.has(part)) });
  // gitlab-ci-local fetches `include: template:` from gitlab.com, unreachable
  // offline: the copy drops exactly those entries.
  const text = ciText ?? readFileSync(join(repo, '.gitlab-ci.yml'), 'utf8');
  writeFileSync(join(dir, '.gitlab-ci.yml'), text.replace(/^ {2}- template: .*\n/gm, ''));
  const stubbed = [];
  for (const [file, jobs] of Object.entries(LOCAL_INCLUDE_STUBS)) {
    if (existsSync(join(dir, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    const doc = Object.fromEntries(jobs.map((j) => [j, { stage: 'test', needs: [], script: ['echo stub'] }]));
    writeFileSync(join(dir, file), stringify(Object.keys(doc).length ? doc : { '.stub': { script: ['echo stub'] } }));
    stubbed.push(file);
  }
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'remote', 'add', 'origin', 'git@gitlab.example.com:platform/kv-api.git');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'snapshot');
  git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
  return { dir, stubbed, close: () => rmSync(dir, { recursive: true, force: true }) };
}

export function runGcl(cwd, args, env = {}) {
  const r = spawnSync(process.execPath, [gcl, ...args], { cwd, encoding: 'utf8', timeout: 180_000, env: { ...process.env, ...env } });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}`, stdout: r.stdout };
}

// ------------------------------------------------------ busybox stand-in --

const busybox = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim();
export const haveBusybox = Boolean(busybox);

// A PATH holding busybox's applets and nothing else of the host, plus the
// fakes: what the shell of the BuildKit, Trivy and crane:debug images offers.
export function standin({ fakes = ['buildctl-daemonless.sh', 'trivy', 'crane'] } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'kv-api-standin-'));
  const bin = join(root, 'bin');
  const state = join(root, 'state');
  const work = join(root, 'work');
  mkdirSync(bin); mkdirSync(state); mkdirSync(work);
  const applets = spawnSync(busybox, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const a of applets) symlinkSync(busybox, join(bin, a));
  for (const f of fakes) writeFake(join(bin, f), f);
  writeFileSync(join(state, 'state.json'), JSON.stringify({ immutable: [], tags: {}, manifests: {}, signatures: [], attestations: [] }));
  const env = { PATH: bin, HOME: join(root, 'home'), FAKE_STATE: state, DOCKER_CONFIG: join(root, 'docker') };
  return {
    root, bin, state, work, env,
    // Asynchronous: the fake HTTP servers live in this process.
    run(script, extra = {}) { return runAsync(join(bin, 'sh'), [script], { cwd: work, env: { ...env, ...extra } }); },
    registry: () => JSON.parse(readFileSync(join(state, 'state.json'), 'utf8')),
    setRegistry(fn) { const s = this.registry(); fn(s); writeFileSync(join(state, 'state.json'), JSON.stringify(s)); },
    calls: () => (existsSync(join(state, 'calls.jsonl')) ? readFileSync(join(state, 'calls.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []),
    close: () => rmSync(root, { recursive: true, force: true }),
  };
}

export function runAsync(cmd, args, { cwd, env, timeout = 120_000 }) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env });
    let stdout = ''; let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr, out: `${stdout}\n${stderr}` }); });
  });
}

// A wrapper script that runs one fake with this very Node binary.
export function writeFake(path, tool) {
  writeFileSync(path, `#!/bin/sh\nexec '${process.execPath}' '${join(here, 'fake-tools.mjs')}' '${tool}' "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

// Serves files from memory on 127.0.0.1 (release downloads for install-tool.sh).
export function serveFiles(files) {
  const server = createServer((req, res) => {
    const body = files[req.url];
    if (body === undefined) { res.writeHead(404); res.end('not found'); return; }
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    base: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => server.close(r)),
  })));
}

export const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

// A GitLab ID token as Fulcio reads it (only the claims matter to the fake).
export function idToken(claims) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'RS256' })}.${b64(claims)}.sig`;
}
