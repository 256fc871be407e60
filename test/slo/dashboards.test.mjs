import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, dashboardExprs, dashboards, expandGrafana, unknownMetrics } from './lib.mjs';

const files = dashboards();

// Structural rules a provisioned dashboard must meet; returns a list of problems.
export function dashboardProblems(dash) {
  const problems = [];
  for (const key of ['uid', 'title', 'panels', 'schemaVersion', 'templating']) {
    if (dash[key] === undefined) problems.push(`missing ${key}`);
  }
  if (dash.id !== undefined && dash.id !== null) problems.push('id must be absent (Grafana assigns it)');
  if (typeof dash.uid === 'string' && !/^[a-z0-9-]{1,40}$/.test(dash.uid)) problems.push(`bad uid ${dash.uid}`);
  const dsVar = dash.templating?.list?.find((v) => v.type === 'datasource' && v.query === 'prometheus');
  if (!dsVar) problems.push('no prometheus datasource template variable');
  const ids = new Set();
  const walk = (panels) => {
    for (const p of panels ?? []) {
      if (!Number.isInteger(p.id)) problems.push(`panel "${p.title}" has no integer id`);
      else if (ids.has(p.id)) problems.push(`duplicate panel id ${p.id}`);
      ids.add(p.id);
      if (!p.title) problems.push(`panel ${p.id} has no title`);
      if (!p.gridPos || !['h', 'w', 'x', 'y'].every((k) => Number.isInteger(p.gridPos[k]))) problems.push(`panel ${p.id} gridPos`);
      else if (p.gridPos.x + p.gridPos.w > 24) problems.push(`panel ${p.id} wider than the grid`);
      if (p.type !== 'row') {
        if (!dsVar || p.datasource?.uid !== `\${${dsVar.name}}`) problems.push(`panel ${p.id} does not use the datasource variable`);
        if (!p.targets?.length) problems.push(`panel ${p.id} has no query`);
        const refIds = new Set();
        for (const t of p.targets ?? []) {
          if (!t.refId || refIds.has(t.refId)) problems.push(`panel ${p.id} refId ${t.refId}`);
          refIds.add(t.refId);
          if (!t.expr) problems.push(`panel ${p.id} target ${t.refId} has no expr`);
        }
      }
      walk(p.panels);
    }
  };
  walk(dash.panels);
  return problems;
}

describe('dashboards', () => {
  test('there are dashboards covering RED, SLO, Redis and pods/HPA', () => {
    assert.ok(files.length >= 2);
    const exprs = files.flatMap((f) => dashboardExprs(JSON.parse(f.raw)).map((e) => e.expr)).join('\n');
    for (const m of ['http_request_duration_seconds_count', 'slo:error_budget:remaining_ratio30d', 'redis_command_errors_total',
      'redis_connected', 'kube_horizontalpodautoscaler_status_current_replicas', 'kube_deployment_status_replicas_available']) {
      assert.ok(exprs.includes(m), `no panel uses ${m}`);
    }
    assert.match(exprs, /sum by \(route\)/, 'no per-route panel');
  });

  const uids = new Set();
  for (const { file, raw } of files) {
    describe(file, () => {
      const dash = JSON.parse(raw);
      test('structure is valid', () => assert.deepEqual(dashboardProblems(dash), []));
      test('uid is unique across dashboards', () => {
        assert.ok(!uids.has(dash.uid), dash.uid);
        uids.add(dash.uid);
      });
      for (const { panel, refId, expr } of dashboardExprs(dash)) {
        test(`PromQL parses and uses known metrics: ${panel} / ${refId}`, () => {
          const e = expandGrafana(expr);
          const { errors, metrics } = analyse(e);
          assert.deepEqual(errors, [], `parse errors at ${errors} in ${e}`);
          assert.ok(metrics.length > 0, 'expression selects no metric');
          assert.deepEqual(unknownMetrics(e), []);
        });
      }
    });
  }
});

describe('dashboard checks catch mistakes (negative cases)', () => {
  const good = JSON.parse(files[0].raw);
  const clone = () => structuredClone(good);

  test('duplicate panel id', () => {
    const d = clone();
    d.panels[2].id = d.panels[1].id;
    assert.ok(dashboardProblems(d).some((p) => p.startsWith('duplicate panel id')));
  });
  test('hard-coded datasource instead of the variable', () => {
    const d = clone();
    d.panels[1].datasource = { type: 'prometheus', uid: 'prometheus' };
    assert.ok(dashboardProblems(d).some((p) => p.includes('datasource variable')));
  });
  test('missing uid and datasource variable', () => {
    const d = clone();
    delete d.uid;
    d.templating.list = [];
    const problems = dashboardProblems(d);
    assert.ok(problems.includes('missing uid'));
    assert.ok(problems.includes('no prometheus datasource template variable'));
  });
  test('a PromQL syntax error is reported', () => {
    assert.notDeepEqual(analyse('sum(rate(http_request_duration_seconds_count{job="kv-api"[5m]))').errors, []);
    assert.notDeepEqual(analyse('histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))').errors, []);
  });
  test('a bogus metric name is reported', () => {
    assert.deepEqual(unknownMetrics('sum(rate(http_requests_total{job="kv-api"}[5m]))'), ['http_requests_total']);
    assert.deepEqual(unknownMetrics('slo:sli_error:ratio_rate4h{slo="availability"}'), ['slo:sli_error:ratio_rate4h']);
    assert.deepEqual(unknownMetrics('{__name__="redis_up"}'), ['redis_up']);
  });
  test('Grafana macros are expanded before parsing', () => {
    const e = expandGrafana('rate(http_requests_in_flight{pod=~"$pod"}[$__rate_interval]) + ${foo}');
    assert.deepEqual(analyse(e).errors, []);
  });
});
