// .gitlab/scripts/infra-values-mr.mjs against the fake GitLab, with Terraform outputs in the
// shape `terragrunt output -json` prints (test/chart/lib/infra.mjs), and the two jobs' place
// in the pipeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { fakeGitLab } from './fakes.mjs';
import { repo } from './harness.mjs';
import { proposeInfra } from '../scripts/infra-values-mr.mjs';
import { terraformOutputs, writeOutputs } from '../../test/chart/lib/infra.mjs';

const FILE = 'helmfile.d/environments/production.yaml';
const committed = readFileSync(join(repo, FILE), 'utf8');
const envFor = (gitlab, dir, extra = {}) => ({
  CI_API_V4_URL: `${gitlab.base}/api/v4`, CI_PROJECT_ID: '42', PROMOTION_TOKEN: 'glpat-test', CI_DEFAULT_BRANCH: 'main',
  INFRA_ENVIRONMENT: 'production', INFRA_OUTPUTS_DIR: dir, CI_PIPELINE_URL: 'https://gitlab.example.com/p/1', ...extra,
});

test('proposes the outputs as one MR on infra/production, then has nothing to propose', async () => {
  const gitlab = await fakeGitLab({ projectId: '42', token: 'glpat-test', filePath: FILE, content: committed, head: 'a'.repeat(40) });
  try {
    const dir = writeOutputs(terraformOutputs('production'));
    const first = await proposeInfra(envFor(gitlab, dir));
    assert.equal(first.status, 'proposed');
    assert.equal(gitlab.state.commits.length, 1);
    assert.equal(gitlab.state.commits[0].branch, 'infra/production');
    const infra = parse(gitlab.state.content).infra;
    assert.equal(infra.redis.host, '10.10.16.3');
    assert.equal(infra.workloadServiceAccount, 'kv-api@kv-api-prod.iam.gserviceaccount.com');
    assert.equal(parse(gitlab.state.content).kvApi.image.digest, parse(committed).kvApi.image.digest, 'the digest is left alone');
    const [mr] = gitlab.state.mrs;
    assert.deepEqual([mr.source_branch, mr.target_branch, mr.labels], ['infra/production', 'main', ['infra::production']]);
    assert.match(mr.description, /Redis: `10\.10\.16\.3:6379`, 1 CA certificate/);
    // The fake's file now holds the outputs (as main would after the merge): nothing to do.
    const again = await proposeInfra(envFor(gitlab, dir));
    assert.equal(again.status, 'current');
    assert.equal(gitlab.state.commits.length, 1);
    // New outputs (a CA rotation: two certificates) refresh the same MR.
    const rotated = terraformOutputs('production');
    rotated.memorystore.ca_certificates.value.push(terraformOutputs('production').memorystore.ca_certificates.value[0]);
    const third = await proposeInfra(envFor(gitlab, writeOutputs(rotated)));
    assert.equal(third.status, 'proposed');
    assert.equal(gitlab.state.mrs.length, 1, 'the open MR is reused');
    assert.equal((parse(gitlab.state.content).infra.redis.ca.match(/BEGIN CERTIFICATE/g) ?? []).length, 2);
  } finally {
    await gitlab.close();
  }
});

test('malformed outputs are refused before any API call', async () => {
  let calls = 0;
  const gitlab = await fakeGitLab({ projectId: '42', token: 'glpat-test', filePath: FILE, content: committed, head: 'a'.repeat(40) });
  const orig = globalThis.fetch;
  globalThis.fetch = (...a) => { calls += 1; return orig(...a); };
  try {
    const bad = terraformOutputs('production', { memorystore: { discovery_endpoint_address: { sensitive: false, value: '' } } });
    await assert.rejects(proposeInfra(envFor(gitlab, writeOutputs(bad))), /discovery_endpoint_address "" is not an IP address/);
    assert.equal(calls, 0);
  } finally {
    globalThis.fetch = orig;
    await gitlab.close();
  }
});

test('a wrong token fails with the HTTP status, changing nothing', async () => {
  const gitlab = await fakeGitLab({ projectId: '42', token: 'glpat-test', filePath: FILE, content: committed, head: 'a'.repeat(40) });
  try {
    await assert.rejects(proposeInfra(envFor(gitlab, writeOutputs(terraformOutputs('production')), { PROMOTION_TOKEN: 'wrong' })), /HTTP 401/);
    assert.equal(gitlab.state.commits.length, 0);
  } finally {
    await gitlab.close();
  }
});
