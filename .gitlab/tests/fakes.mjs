// Local HTTP stand-ins (127.0.0.1 only) for the two remote APIs the pipeline
// scripts call: Google STS/IAM Credentials and the GitLab REST API. They check
// the requests the scripts send and keep enough state to test idempotency.
import { createServer } from 'node:http';

function listen(handler) {
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url, 'http://127.0.0.1');
    let body = null;
    try { body = raw ? JSON.parse(raw) : null; } catch { body = raw; }
    const send = (status, payload) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    try {
      await handler({ method: req.method, url, headers: req.headers, body }, send);
    } catch (err) {
      send(500, { error: String(err) });
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ server, base: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

export async function fakeGoogle({ audience, idToken, serviceAccount, failSts = false }) {
  const calls = [];
  const srv = await listen(({ method, url, headers, body }, send) => {
    calls.push({ method, path: url.pathname, headers, body });
    if (method === 'POST' && url.pathname === '/v1/token') {
      const ok = !failSts
        && body?.audience === audience
        && body?.subjectToken === idToken
        && body?.grantType === 'urn:ietf:params:oauth:grant-type:token-exchange'
        && body?.subjectTokenType === 'urn:ietf:params:oauth:token-type:jwt'
        && body?.requestedTokenType === 'urn:ietf:params:oauth:token-type:access_token'
        && body?.scope === 'https://www.googleapis.com/auth/cloud-platform';
      return ok ? send(200, { access_token: 'federated-token', token_type: 'Bearer', expires_in: 3599 })
        : send(403, { error: 'invalid_grant' });
    }
    const impersonate = `/v1/projects/-/serviceAccounts/${serviceAccount}:generateAccessToken`;
    if (method === 'POST' && url.pathname === impersonate) {
      return headers.authorization === 'Bearer federated-token'
        ? send(200, { accessToken: 'impersonated-token', expireTime: '2099-01-01T00:00:00Z' })
        : send(401, { error: 'unauthenticated' });
    }
    return send(404, { error: 'not found' });
  });
  return { ...srv, calls };
}

// head: the commit at the tip of the default branch; changedSince: the paths
// changed between the job's commit and head (GET /repository/compare).
export async function fakeGitLab({ projectId, token, filePath, content, openMrs = [], head, changedSince = [], fail = false }) {
  const state = { content, lastCommit: 'c0', commits: [], mrs: [...openMrs], notes: [], nextIid: 100, head };
  const prefix = `/api/v4/projects/${encodeURIComponent(projectId)}`;
  const srv = await listen(({ method, url, headers, body }, send) => {
    if (headers['private-token'] !== token) return send(401, { message: '401 Unauthorized' });
    // URL parsing decodes %2F in the pathname only partially; compare raw.
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : null;
    if (path === null) return send(404, { message: 'project not found' });
    if (fail) return send(500, { message: '500 Internal Server Error' });
    if (method === 'GET' && path === '/repository/branches/main') return send(200, { name: 'main', commit: { id: state.head } });
    if (method === 'GET' && path === '/repository/compare') {
      const from = url.searchParams.get('from');
      const same = from === state.head;
      return send(200, { compare_same_ref: same, commits: same ? [] : [{ id: state.head }],
        diffs: same ? [] : changedSince.map((p) => ({ old_path: p, new_path: p })) });
    }
    if (method === 'GET' && path === `/repository/files/${encodeURIComponent(filePath)}`) {
      return send(200, { file_path: filePath, content: Buffer.from(state.content).toString('base64'), encoding: 'base64', last_commit_id: state.lastCommit });
    }
    if (method === 'POST' && path === '/repository/commits') {
      const action = body.actions?.[0];
      if (action?.last_commit_id !== state.lastCommit) return send(400, { message: 'file changed since last_commit_id' });
      state.commits.push(body);
      state.content = action.content;
      state.lastCommit = `c${state.commits.length}`;
      return send(201, { id: state.lastCommit });
    }
    if (method === 'GET' && path === '/merge_requests') {
      const labels = url.searchParams.get('labels');
      return send(200, state.mrs.filter((m) => m.state === 'opened' && (!labels || m.labels.includes(labels))));
    }
    if (method === 'POST' && path === '/merge_requests') {
      const mr = { ...body, iid: state.nextIid++, state: 'opened', labels: body.labels.split(','), web_url: `https://gitlab.example.com/mr/${state.nextIid - 1}` };
      state.mrs.push(mr);
      return send(201, mr);
    }
    let m = /^\/merge_requests\/(\d+)\/notes$/.exec(path);
    if (method === 'POST' && m) { state.notes.push({ iid: Number(m[1]), body: body.body }); return send(201, {}); }
    m = /^\/merge_requests\/(\d+)$/.exec(path);
    if (method === 'PUT' && m) {
      const mr = state.mrs.find((x) => x.iid === Number(m[1]));
      if (!mr) return send(404, {});
      if (body.state_event === 'close') mr.state = 'closed';
      return send(200, mr);
    }
    return send(404, { message: `no route ${method} ${path}` });
  });
  return { ...srv, state };
}
