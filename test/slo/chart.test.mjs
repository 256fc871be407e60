// Renders the chart with the real helm binary (HELM_BIN) and compares the PrometheusRule
// and dashboard ConfigMaps with the files promtool and the dashboard checks test.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { chartDir, dashboards, dashboardsDir, ruleFiles, runbookBase } from './lib.mjs';

const helmBin = process.env.HELM_BIN || 'helm';
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

function render(set = [], show = ['templates/prometheusrule.yaml', 'templates/dashboards-configmap.yaml']) {
  const args = ['template', 'kv-api', chartDir, '--namespace', 'kv-api', '--set', `image.digest=${DIGEST}`,
    '--api-versions', 'monitoring.coreos.com/v1'];
  for (const s of set) args.push('--set', s);
  const r = spawnSync(helmBin, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, r.stderr);
  const docs = YAML.parseAllDocuments(r.stdout).map((d) => d.toJS()).filter(Boolean);
  return docs.filter((d) => show.some((s) => d && d.kind && (s.includes('prometheusrule') ? d.kind === 'PrometheusRule' : d.kind === 'ConfigMap' && d.metadata.name.includes('-dashboard-'))));
}
const rulesOf = (docs) => docs.filter((d) => d.kind === 'PrometheusRule');
const cmsOf = (docs) => docs.filter((d) => d.kind === 'ConfigMap');

describe('PrometheusRule template', () => {
  const docs = render();
  const [pr] = rulesOf(docs);

  test('renders exactly one PrometheusRule in the release namespace', () => {
    assert.equal(rulesOf(docs).length, 1);
    assert.equal(pr.apiVersion, 'monitoring.coreos.com/v1');
    assert.equal(pr.metadata.namespace, 'kv-api');
  });
  test('rule groups equal the raw rule files', () => {
    const raw = ruleFiles().flatMap(({ doc }) => doc.groups);
    assert.ok(raw.length > 0);
    assert.deepEqual(pr.spec.groups, raw);
  });
  test('carries the kube-prometheus-stack ruleSelector label, configurable', () => {
    assert.equal(pr.metadata.labels.release, 'kube-prometheus-stack');
    const [custom] = rulesOf(render(['prometheusRule.release=monitoring', 'prometheusRule.labels.team=sre']));
    assert.equal(custom.metadata.labels.release, 'monitoring');
    assert.equal(custom.metadata.labels.team, 'sre');
  });
  test('runbook base URL is configurable and applied to every alert', () => {
    const base = 'https://gitlab.internal/sre/kv-api/-/blob/v1/docs/runbooks/';
    const [custom] = rulesOf(render([`prometheusRule.runbookBaseUrl=${base}`]));
    const alerts = custom.spec.groups.flatMap((g) => g.rules).filter((r) => r.alert);
    assert.ok(alerts.length > 0);
    for (const a of alerts) assert.equal(a.annotations.runbook_url, `${base}${a.alert}.md`);
    assert.ok(!JSON.stringify(custom).includes(runbookBase));
  });
  test('can be disabled', () => {
    assert.equal(rulesOf(render(['prometheusRule.enabled=false'])).length, 0);
  });
});

describe('dashboard ConfigMaps template', () => {
  const cms = cmsOf(render());
  const files = dashboards();

  test('one ConfigMap per dashboard file, with the Grafana sidecar label', () => {
    assert.equal(cms.length, files.length);
    for (const cm of cms) {
      assert.equal(cm.metadata.labels.grafana_dashboard, '1');
      assert.equal(cm.metadata.annotations.grafana_folder, 'kv-api');
    }
  });
  test('ConfigMap data is the dashboard file byte for byte', () => {
    for (const { file } of files) {
      const cm = cms.find((c) => c.data?.[file] !== undefined);
      assert.ok(cm, `no ConfigMap holds ${file}`);
      assert.equal(cm.data[file], readFileSync(join(dashboardsDir, file), 'utf8').trimEnd());
      JSON.parse(cm.data[file]);
    }
  });
  test('label, namespace and folder are configurable; can be disabled', () => {
    const custom = cmsOf(render(['dashboards.label=dash', 'dashboards.labelValue=yes', 'dashboards.namespace=monitoring', 'dashboards.folder=SLO']));
    for (const cm of custom) {
      assert.equal(cm.metadata.labels.dash, 'yes');
      assert.equal(cm.metadata.namespace, 'monitoring');
      assert.equal(cm.metadata.annotations.grafana_folder, 'SLO');
    }
    assert.equal(cmsOf(render(['dashboards.enabled=false'])).length, 0);
  });
  test('an empty folder renders no annotation', () => {
    const cms = cmsOf(render(['dashboards.folder=']));
    assert.equal(cms.length, dashboards().length);
    for (const cm of cms) assert.equal(cm.metadata.annotations, undefined);
  });
});
