// Opens (or refreshes) the merge request that promotes an image digest to an
// environment. Works only through the GitLab REST API, so the job needs no git
// credentials in a remote URL and no checkout of the target branch:
//   1. stop if main has moved past this commit to one that changes the image
//      (that commit's pipeline promotes its own digest),
//   2. stop if an open promotion MR comes from a newer pipeline,
//   3. read the values file at the head of the default branch, set the digest
//      (set-image-digest.mjs); stop if already promoted,
//   4. commit to promote/<env>/kv-api-<sha> (last_commit_id guards against a
//      concurrent edit of the file),
//   5. open the MR, or reuse the open one for this branch,
//   6. close the other open promotion MRs, all from older pipelines (step 2;
//      resource_group: production runs one promotion at a time).
// Pipelines are ordered by CI_PIPELINE_ID, recorded in each MR's description.
// Argo CD deploys once the MR is merged; nothing here touches the cluster.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { setScalar, DIGEST_RE } from './set-image-digest.mjs';
import { requiredEnv, projectApi, readFile, commitAndOpen } from './gitlab-api.mjs';

const MARKER = /<!-- kv-api-promotion pipeline=(\d+) -->/;

// The build inputs: the Dockerfile, .dockerignore and its allow-list. A commit
// touching none of them builds the same image, so it does not outdate ours.
export function imageInputs(dockerignore) {
  const allow = dockerignore.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('!')).map((l) => l.slice(1));
  return ['Dockerfile', '.dockerignore', ...allow];
}
const touches = (inputs, path) => inputs.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p));

export async function promote(e = process.env) {
  const env = (name, fallback) => requiredEnv(process.env, name, fallback);
  const call = projectApi(process.env);
  const targetBranch = env('CI_DEFAULT_BRANCH', 'main');
  const environment = env('PROMOTION_ENVIRONMENT', 'production');
  const file = env('PROMOTION_VALUES_FILE', `helmfile.d/environments/${environment}.yaml`);
  const keyPath = env('PROMOTION_KEY_PATH', 'kvApi.image.digest');
  const digest = env('IMAGE_DIGEST');
  const repository = env('IMAGE_REPOSITORY');
  const sha = env('CI_COMMIT_SHA');
  const pipelineId = Number(env('CI_PIPELINE_ID'));
  if (!Number.isInteger(pipelineId)) throw new Error(`CI_PIPELINE_ID is not a number: ${e.CI_PIPELINE_ID}`);
  if (!DIGEST_RE.test(digest)) throw new Error(`IMAGE_DIGEST is not a sha256 digest: ${digest}`);
  const short = sha.slice(0, 8);
  const label = `promotion::${environment}`;
  const branchPrefix = `promote/${environment}/kv-api-`;
  const branch = `${branchPrefix}${short}`;

  const head = await call('GET', `/repository/branches/${encodeURIComponent(targetBranch)}`);
  if (head.commit.id !== sha) {
    const inputs = imageInputs(readFileSync(new URL('../../.dockerignore', import.meta.url), 'utf8'));
    const cmp = await call('GET', `/repository/compare?from=${sha}&to=${head.commit.id}&straight=true`);
    const changed = (cmp.diffs ?? []).flatMap((d) => [d.old_path, d.new_path]).filter((p) => touches(inputs, p));
    if (cmp.compare_same_ref || changed.length > 0 || !(cmp.commits ?? []).length) {
      console.log(`${targetBranch} moved on to ${head.commit.id.slice(0, 8)}${changed.length ? `, which changes ${changed[0]}` : ''}: its pipeline promotes, nothing to do`);
      return { status: 'stale' };
    }
  }

  const open = await call('GET', `/merge_requests?state=opened&labels=${encodeURIComponent(label)}&per_page=100`);
  const pipelineOf = (m) => Number(MARKER.exec(m.description ?? '')?.[1] ?? 0);
  const newer = open.find((m) => pipelineOf(m) > pipelineId);
  if (newer) {
    console.log(`!${newer.iid} comes from the newer pipeline ${pipelineOf(newer)}: nothing to do`);
    return { status: 'superseded', by: newer.iid };
  }

  const current = await readFile(call, file, targetBranch);
  const result = setScalar(current.text, keyPath, digest);
  if (!result.changed) {
    console.log(`${environment} already runs ${digest}: nothing to promote`);
    return { status: 'unchanged' };
  }

  const pipeline = e.CI_PIPELINE_URL ?? '(local run)';
  const mr = await commitAndOpen(call, {
    branch,
    targetBranch,
    file,
    text: result.text,
    lastCommitId: current.lastCommitId,
    message: `Promote kv-api ${short} to ${environment}\n\nImage: ${repository}@${digest}\nPipeline: ${pipeline}\n`,
    title: `Promote kv-api ${short} to ${environment}`,
    labels: label,
    open,
    description: [
      `Sets \`${keyPath}\` in \`${file}\` so that Argo CD rolls out:`,
      '',
      `- image: \`${repository}@${digest}\``,
      `- previous digest: \`${result.previous || '(none)'}\``,
      `- source commit: ${sha}`,
      `- built, scanned and signed by: ${pipeline}`,
      '',
      'Verify before merging: `cosign verify` (see docs/pipeline.md). Merging deploys; reverting this MR rolls back.',
      '',
      `<!-- kv-api-promotion pipeline=${pipelineId} -->`,
    ].join('\n'),
  });
  for (const old of open) {
    if (old.iid === mr.iid || !old.source_branch.startsWith(branchPrefix)) continue;
    await call('POST', `/merge_requests/${old.iid}/notes`, { body: `Superseded by !${mr.iid}.` });
    await call('PUT', `/merge_requests/${old.iid}`, { state_event: 'close' });
    console.log(`closed superseded !${old.iid}`);
  }
  console.log(`promotion MR: ${mr.web_url}`);
  return { status: 'proposed', iid: mr.iid, branch };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  promote().catch((err) => {
    console.error(`promotion failed: ${err.message}`);
    process.exit(1);
  });
}
