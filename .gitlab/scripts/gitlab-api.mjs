// The GitLab REST calls the merge-request jobs share (promotion-mr.mjs, infra-values-mr.mjs):
// a project-scoped client, and "commit this file to a branch and open or reuse its MR".
export const requiredEnv = (e, name, fallback) => {
  const v = e[name] ?? fallback;
  if (v === undefined || v === '') throw new Error(`${name} is not set`);
  return v;
};

/** call(method, path, body) against /projects/:id of CI_API_V4_URL, as PROMOTION_TOKEN. */
export function projectApi(e = process.env) {
  const api = requiredEnv(e, 'CI_API_V4_URL');
  const project = encodeURIComponent(requiredEnv(e, 'CI_PROJECT_ID'));
  const token = requiredEnv(e, 'PROMOTION_TOKEN');
  return async (method, path, body) => {
    const res = await fetch(`${api}/projects/${project}${path}`, {
      method,
      headers: { 'PRIVATE-TOKEN': token, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  };
}

/** The file at the head of ref: {text, lastCommitId}. */
export async function readFile(call, file, ref) {
  const current = await call('GET', `/repository/files/${encodeURIComponent(file)}?ref=${encodeURIComponent(ref)}`);
  return { text: Buffer.from(current.content, 'base64').toString('utf8'), lastCommitId: current.last_commit_id };
}

/**
 * Commits `text` to `file` on `branch` (from targetBranch; last_commit_id guards against a
 * concurrent edit), then returns the open MR of that branch among `open`, or a new one.
 */
export async function commitAndOpen(call, { branch, targetBranch, file, text, lastCommitId, message, title, labels, description, open }) {
  await call('POST', '/repository/commits', {
    branch,
    start_branch: targetBranch,
    force: true, // a retried job rewrites its own branch
    commit_message: message,
    actions: [{ action: 'update', file_path: file, content: text, last_commit_id: lastCommitId }],
  });
  return open.find((m) => m.source_branch === branch) ?? call('POST', '/merge_requests', {
    source_branch: branch, target_branch: targetBranch, title, labels, remove_source_branch: true, description,
  });
}
