// Offline checks of test/slo/panels.mjs (the e2e check runs it against a real Prometheus):
// every panel query is evaluable or listed, and the Grafana arithmetic and verdicts it relies on.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { dashboards } from './lib.mjs';
import {
  dependsOn, evaluateAll, interpolate, intervals, listed, listingProblem, panelQueries, resolveVariables, unavailable,
} from './panels.mjs';

const files = dashboards();
const dashOf = (uid) => JSON.parse(files.find((f) => JSON.parse(f.raw).uid === uid).raw);

describe('panel coverage', () => {
  const queries = files.flatMap((f) => panelQueries(JSON.parse(f.raw)));
  test('every panel has a Prometheus query the e2e check can run', () => {
    assert.ok(queries.length > 20, `${queries.length} queries`);
    assert.deepEqual(queries.filter((q) => q.problem).map((q) => `${q.dashboard}/${q.panel}: ${q.problem}`), []);
  });
  test('every listed query depends on the source its listing names', () => {
    const bad = queries.map((q) => [q, listed(q)]).filter(([, e]) => e).map(([q, e]) => listingProblem(q, e)).filter(Boolean);
    assert.deepEqual(bad, []);
  });
  test('every listing matches a panel query', () => {
    assert.deepEqual(unavailable.panels.filter((u) => !queries.some((q) => listed(q) === u)), []);
  });
});

describe('Grafana arithmetic', () => {
  test('$__interval and $__rate_interval', () => {
    assert.deepEqual(intervals({ gridPos: { w: 12 } }, 6 * 3600e3, 1000), { interval: 20e3, rateInterval: 21e3 });
    assert.deepEqual(intervals({ gridPos: { w: 12 } }, 300e3, 1000), { interval: 1e3, rateInterval: 4e3 });
    assert.deepEqual(intervals({ gridPos: { w: 24 } }, 3600e3, 30e3), { interval: 30e3, rateInterval: 120e3 });
    assert.deepEqual(intervals({ gridPos: { w: 24 }, interval: '1m' }, 300e3, 1000), { interval: 60e3, rateInterval: 61e3 });
    assert.deepEqual(intervals({ gridPos: { w: 6 } }, 30 * 86400e3, 30e3), { interval: 7200e3, rateInterval: 7230e3 });
  });
  test('macros and variables are substituted; an unknown variable is an error', () => {
    const ctx = { interval: 20e3, rateInterval: 21e3, rangeMs: 3600e3 };
    assert.equal(interpolate('rate(x{ns=~"$ns",j="${job}",p="[[pod]]"}[$__rate_interval]) [$__range]', { ns: '(a|b)', job: 'kv-api', pod: 'p' }, ctx),
      'rate(x{ns=~"(a|b)",j="kv-api",p="p"}[21s]) [1h]');
    assert.throws(() => interpolate('x{a="$nope"}', {}, ctx), /unknown template variable \$nope/);
  });
  test('label_values variables ask Prometheus for label values, as Grafana does', async () => {
    const calls = [];
    const api = async (path, params) => { calls.push([path, params['match[]']]); return ['kv-api', 'kv-api-staging', 'other']; };
    const dash = { templating: { list: [
      { name: 'datasource', type: 'datasource', query: 'prometheus' },
      { name: 'namespace', type: 'query', query: { query: 'label_values(up{job="kv-api"}, namespace)' }, regex: '/^kv-api/', current: { value: 'kv-api-staging' } },
      { name: 'all', type: 'query', query: 'label_values(namespace)', includeAll: true, current: { value: ['$__all'] } },
      { name: 'gone', type: 'query', query: 'label_values(up{namespace="$namespace"}, pod)', current: { value: 'old' } },
    ] } };
    const vars = await resolveVariables(dash, api, { now: 1e12, rangeMs: 300e3, interval: 1e3, rateInterval: 4e3 });
    assert.deepEqual(vars, { datasource: 'prometheus', namespace: 'kv-api-staging', all: '(kv-api|kv-api-staging|other)', gone: 'kv-api' });
    assert.deepEqual(calls, [['/api/v1/label/namespace/values', 'up{job="kv-api"}'], ['/api/v1/label/namespace/values', undefined],
      ['/api/v1/label/pod/values', 'up{namespace="kv-api-staging"}']]);
    await assert.rejects(resolveVariables(dash, async () => [], { now: 1e12, rangeMs: 300e3 }), /\$namespace has no value/);
  });
  test('a query depends on the raw metrics behind the recording rules it selects', () => {
    const ingress = dependsOn('1 - slo:sli_error:ratio_rate30d{service="kv-api",slo="availability",layer="ingress"}');
    assert.ok(ingress.includes('nginx_ingress_controller_requests'));
    assert.ok(!ingress.includes('http_request_duration_seconds_count'));
    const service = dependsOn('slo:error_budget:remaining_ratio30d{service="kv-api",slo="availability",layer="service"}');
    assert.ok(service.includes('http_request_duration_seconds_count'));
    assert.ok(!service.some((m) => m.startsWith('nginx_')));
  });
});

describe('verdicts (negative cases)', () => {
  const one = (mutate) => {
    const d = dashOf('kv-api-service');
    mutate(d);
    return [{ file: 'x.json', raw: JSON.stringify(d) }];
  };
  // A Prometheus stand-in: every query returns one series with these labels, every label one value.
  const answering = (metric) => async (path) => (path.includes('query')
    ? { result: [{ metric, values: [[1, '1'], [2, 'NaN']] }] } : ['kv-api']);
  const labels = { route: '/', status_code: '200', pod: 'p', command: 'get', reason: 'timeout', le: '0.1' };
  const verdict = (rows, panel) => rows.filter((r) => r.panel === panel).map((r) => `${r.status}: ${r.note}`);

  test('a panel returning series passes; a listed one returning series fails', async () => {
    const rows = await evaluateAll(answering(labels), { scrapeMs: 1000, rangeMs: 300e3, files: one(() => {}) });
    assert.deepEqual(verdict(rows, 'Request rate by route'), ['ok: ']);
    assert.match(verdict(rows, 'Pods not ready')[0], /^FAIL: listed .* but returns series/);
  });
  test('a panel without series fails', async () => {
    const rows = await evaluateAll(async (p) => (p.includes('query') ? { result: [] } : ['kv-api']), { scrapeMs: 1000, rangeMs: 300e3, files: one(() => {}) });
    assert.match(verdict(rows, 'Request rate by route')[0], /^FAIL: no series: .*\[4s\]/);
    assert.deepEqual(verdict(rows, 'Pods not ready'), [`listed: ${unavailable.sources['kube-state-metrics'].reason}`]);
  });
  test('series without a label the legend names fail', async () => {
    const rows = await evaluateAll(answering({ status_code: '200' }), { scrapeMs: 1000, rangeMs: 300e3, files: one(() => {}) });
    assert.match(verdict(rows, 'Request rate by route')[0], /^FAIL: legend \{\{route\}\} but series without label route/);
    assert.deepEqual(verdict(rows, 'Responses by status code'), ['ok: ']);
  });
  test('a new panel nobody can evaluate, inside a collapsed row, fails', async () => {
    const files = one((d) => d.panels.push({ id: 99, type: 'row', title: 'More', collapsed: true, gridPos: { h: 1, w: 24, x: 0, y: 99 },
      panels: [{ id: 100, type: 'text', title: 'Notes', gridPos: { h: 4, w: 24, x: 0, y: 100 } },
        { id: 101, type: 'timeseries', title: 'Hidden', targets: [{ refId: 'A', expr: 'up{job="kv-api"}' }] }] }));
    const rows = await evaluateAll(answering(labels), { scrapeMs: 1000, rangeMs: 300e3, files });
    assert.match(verdict(rows, 'Notes')[0], /^FAIL: not evaluated \(text panel without a Prometheus query\) and not listed/);
    assert.deepEqual(verdict(rows, 'Hidden'), ['ok: ']);
  });
  test('a variable without values fails the dashboard, not each panel', async () => {
    const rows = await evaluateAll(answering(labels), { scrapeMs: 1000, rangeMs: 300e3, files: one((d) => {
      d.templating.list.find((v) => v.name === 'namespace').regex = '/^nothing$/';
    }) });
    assert.deepEqual(rows.filter((r) => r.status === 'FAIL' && r.dashboard === 'kv-api-service').map((r) => r.panel), ['(variables)']);
  });
  test('a listing for a query that does not need its source is refused', () => {
    const q = panelQueries(dashOf('kv-api-slo')).find((x) => x.panel === 'Availability: SLI over 30 days' && x.refId === 'A');
    assert.match(listingProblem(q, { source: 'ingress-nginx' }), /uses none of its metrics/);
    assert.match(listingProblem(q, { source: 'nowhere' }), /unknown source/);
  });
});
