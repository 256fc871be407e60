// Runs every Grafana panel query of charts/kv-api/files/dashboards against a live Prometheus the way
// Grafana would: template variables resolved from the dashboard's own templating (label_values asked
// of Prometheus), $__interval / $__rate_interval computed from the dashboard's time range and the
// panel's width, range queries over that range, instant queries at now. Every query must return at
// least one series with a value, except those listed in panels-unavailable.json with the reason.
// Usage: node test/slo/panels.mjs --prometheus http://127.0.0.1:9090 [--scrape-interval 1s] [--range 5m]
//   --range: the time picker's "Last <range>" instead of the dashboard's default range.
// Prints a table and "N passed, M failed"; exits 1 on any failure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parser } from '@prometheus-io/lezer-promql';
import { allowGroups, dashboards, here, ruleFiles } from './lib.mjs';

export const unavailable = JSON.parse(readFileSync(join(here, 'panels-unavailable.json'), 'utf8'));

const UNITS = { ms: 1, s: 1000, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3, y: 31536000e3 };
export function parseDuration(s) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$/.exec(String(s).trim());
  if (!m) throw new Error(`not a duration: ${s}`);
  return Number(m[1]) * UNITS[m[2]];
}
export function formatDuration(ms) {
  for (const u of ['y', 'w', 'd', 'h', 'm', 's']) if (ms >= UNITS[u] && ms % UNITS[u] === 0) return `${ms / UNITS[u]}${u}`;
  return `${Math.max(1, Math.round(ms))}ms`;
}
// "now-6h" -> 6h in ms; the dashboards only use relative ranges ending at now.
export function relativeRange(time) {
  const m = /^now-(\d+[smhdwy])$/.exec(time?.from ?? '');
  if (!m || (time.to ?? 'now') !== 'now') throw new Error(`unsupported dashboard time range ${JSON.stringify(time)}`);
  return parseDuration(m[1]);
}

// Grafana's interval rounding (rangeutil.roundInterval): [below this many ms, snap to this many ms].
const ROUND = [[10, 1], [15, 10], [35, 20], [75, 50], [150, 100], [350, 200], [750, 500], [1500, 1e3], [3500, 2e3],
  [7500, 5e3], [12500, 10e3], [17500, 15e3], [25000, 20e3], [45000, 30e3], [90000, 60e3], [210000, 120e3],
  [450000, 300e3], [750000, 600e3], [1050000, 900e3], [1500000, 1200e3], [2700000, 1800e3], [5400000, 3600e3],
  [9000000, 7200e3], [16200000, 10800e3], [32400000, 21600e3], [86400000, 43200e3], [604800000, 86400e3],
  [1814400000, 604800e3], [3628800000, 2592000e3]];
export const roundInterval = (ms) => (ROUND.find(([lt]) => ms < lt) ?? [0, 31536000e3])[1];

// Grafana sizes a panel's query by its pixel width: a 24-column grid on a ~1900 px wide screen.
export const maxDataPoints = (panel) => panel.maxDataPoints ?? Math.round(((panel.gridPos?.w ?? 24) / 24) * 1900);

// $__interval and $__rate_interval for one panel (Grafana: interval = max(range / points, min
// interval), rate interval = max(interval + scrape interval, 4 x scrape interval)).
export function intervals(panel, rangeMs, scrapeMs) {
  const min = panel.interval ? parseDuration(panel.interval) : scrapeMs;
  const interval = roundInterval(Math.max(rangeMs / maxDataPoints(panel), min));
  return { interval, rateInterval: Math.max(interval + scrapeMs, 4 * scrapeMs) };
}

const escapeRegex = (v) => v.replace(/[\\^$*+?.()|[\]{}]/g, '\\$&');
// A variable's value as Grafana writes it into PromQL: one value as is, several as a regex alternation.
export function formatValue(values) {
  return values.length === 1 ? values[0] : `(${values.map(escapeRegex).join('|')})`;
}

// Replaces $var, ${var}, [[var]] and the interval/range macros.
export function interpolate(expr, vars, { interval, rateInterval, rangeMs }) {
  const builtin = {
    __interval: formatDuration(interval), __interval_ms: String(interval),
    __rate_interval: formatDuration(rateInterval), __rate_interval_ms: String(rateInterval),
    __range: formatDuration(rangeMs), __range_s: String(Math.round(rangeMs / 1000)), __range_ms: String(rangeMs),
  };
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g, (all, a, b, c) => {
    const name = a ?? b ?? c;
    if (name in builtin) return builtin[name];
    if (name in vars) return vars[name];
    throw new Error(`unknown template variable $${name}`);
  });
}

// Prometheus HTTP API client: JSON data, or an Error carrying Prometheus's message.
export function prometheus(base) {
  return async (path, params) => {
    const res = await fetch(`${base}${path}?${new URLSearchParams(params)}`, { signal: AbortSignal.timeout(10_000) });
    const body = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
    if (body.status !== 'success') throw new Error(body.error ?? `HTTP ${res.status}`);
    return body.data;
  };
}

// Resolves the dashboard's template variables in order, as Grafana does on load: the current value
// when it is among the options, else the first option (All when includeAll).
export async function resolveVariables(dash, api, ctx) {
  const vars = {};
  const now = ctx.now / 1000;
  for (const v of dash.templating?.list ?? []) {
    let options;
    if (v.type === 'datasource') { vars[v.name] = 'prometheus'; continue; }
    if (v.type === 'constant' || v.type === 'textbox') options = [v.query ?? ''];
    else if (v.type === 'custom' || v.type === 'interval') options = String(v.query ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    else if (v.type === 'query') {
      const q = interpolate(typeof v.query === 'object' ? v.query.query : v.query, vars, ctx);
      const m = /^label_values\((?:(.+),\s*)?(\w+)\)$/.exec(q.trim());
      if (!m) throw new Error(`variable $${v.name}: unsupported query ${q}`);
      const params = { start: String(now - ctx.rangeMs / 1000), end: String(now) };
      if (m[1]) params['match[]'] = m[1];
      options = await api(`/api/v1/label/${m[2]}/values`, params);
    } else throw new Error(`variable $${v.name}: unsupported type ${v.type}`);
    if (v.regex) {
      const re = new RegExp(v.regex.replace(/^\/(.*)\/[a-z]*$/, '$1'));
      options = options.filter((o) => re.test(o)).map((o) => re.exec(o)[1] ?? o);
    }
    if (!options.length) throw new Error(`variable $${v.name} has no value (query ${JSON.stringify(v.query)})`);
    const cur = [v.current?.value].flat().filter((x) => x !== undefined && x !== '');
    let chosen;
    if (cur.length && cur.every((c) => c === '$__all' || options.includes(c))) chosen = cur.includes('$__all') ? options : cur;
    else chosen = v.includeAll ? options : [options[0]];
    vars[v.name] = v.includeAll && chosen === options && v.allValue ? v.allValue : formatValue(chosen);
  }
  return vars;
}

// Every panel, rows' nested panels included, with the reason it cannot be evaluated if any.
export function panelQueries(dash) {
  const out = [];
  const walk = (panels) => {
    for (const p of panels ?? []) {
      if (p.type === 'row') { walk(p.panels); continue; }
      const base = { dashboard: dash.uid, panel: p.title, panelObj: p };
      if (p.libraryPanel) out.push({ ...base, refId: '-', problem: 'library panel: its query is not in the dashboard' });
      else if (!p.targets?.length) out.push({ ...base, refId: '-', problem: `${p.type} panel without a Prometheus query` });
      for (const t of p.targets ?? []) {
        if (!t.expr) out.push({ ...base, refId: t.refId ?? '?', problem: 'target without expr' });
        else out.push({ ...base, refId: t.refId, expr: t.expr, instant: t.instant === true && t.range !== true, legend: t.legendFormat ?? '' });
      }
    }
  };
  walk(dash.panels);
  return out;
}

// Metric names an expression depends on, through the recording rules whose static labels its
// selectors match (slo:*{layer="ingress"} -> nginx_ingress_controller_*).
// Label matchers a rule does not set itself are carried into its expression (the period rules keep
// the labels of the ratios they average).
const recordingRules = () => ruleFiles().flatMap(({ doc }) => doc.groups.flatMap((g) => g.rules)).filter((r) => r.record);
export function dependsOn(expr, rules = recordingRules(), seen = new Set(), outer = {}) {
  const names = new Set();
  const tree = parser.parse(expr);
  tree.iterate({
    enter(node) {
      if (node.name !== 'VectorSelector') return;
      const text = expr.slice(node.from, node.to);
      const id = node.node.getChild('Identifier');
      const name = id ? expr.slice(id.from, id.to) : /__name__\s*=\s*"([^"]+)"/.exec(text)?.[1];
      if (!name) return;
      names.add(name);
      const eq = { ...outer, ...Object.fromEntries([...text.matchAll(/(\w+)\s*=\s*"([^"]*)"/g)].map((x) => [x[1], x[2]])) };
      for (const r of rules) {
        if (r.record !== name || seen.has(r)) continue;
        if (Object.entries(r.labels ?? {}).some(([k, v]) => k in eq && eq[k] !== v)) continue;
        const carried = Object.fromEntries(Object.entries(eq).filter(([k]) => k !== '__name__' && !(k in (r.labels ?? {}))));
        for (const n of dependsOn(r.expr, rules, new Set([...seen, r]), carried)) names.add(n);
      }
    },
  });
  return [...names];
}

// The listed entry for a query, and entries that match no query.
export function listed(q) {
  return unavailable.panels.find((u) => u.dashboard === q.dashboard && u.panel === q.panel && (u.refId ?? q.refId) === q.refId);
}
// A listing must name a source this setup cannot run, and the query must depend on that source's metrics.
export function listingProblem(q, entry) {
  const source = unavailable.sources[entry.source];
  if (!source) return `listed with unknown source "${entry.source}"`;
  const groups = new Set(source.metricGroups);
  const deps = q.expr ? dependsOn(q.expr) : [];
  if (q.expr && !deps.some((m) => [...groups].some((g) => allowGroups[g]?.includes(m)))) {
    return `listed as needing ${entry.source}, but uses none of its metrics (${deps.join(', ')})`;
  }
  return null;
}

const withData = (result) => result.filter((s) => (s.values ?? [s.value]).some(([, v]) => Number.isFinite(Number(v))));
// Labels a legend such as "{{route}}" names: a series without one gets a blank legend entry.
export const legendLabels = (legend) => [...legend.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]);

// Evaluates every query; returns rows { dashboard, panel, refId, series, status, note }.
export async function evaluateAll(api, { scrapeMs, rangeMs: pickedRange, now = Date.now(), files = dashboards(), log = () => {} }) {
  const rows = [];
  const queries = [];
  const unresolved = new Set();
  for (const { file, raw } of files) {
    const dash = JSON.parse(raw);
    const rangeMs = pickedRange ?? relativeRange(dash.time);
    let vars;
    try {
      vars = await resolveVariables(dash, api, { now, rangeMs, interval: scrapeMs, rateInterval: 4 * scrapeMs });
      log(`${dash.uid}: range ${formatDuration(rangeMs)}, ${Object.entries(vars).map(([k, v]) => `$${k}=${v}`).join(' ')}`);
    } catch (e) {
      rows.push({ dashboard: dash.uid ?? file, panel: '(variables)', refId: '-', series: '-', status: 'FAIL', note: e.message });
      unresolved.add(dash.uid);
      continue;
    }
    for (const q of panelQueries(dash)) queries.push({ ...q, rangeMs, vars });
  }
  for (const q of queries) {
    const entry = listed(q);
    const row = { dashboard: q.dashboard, panel: q.panel, refId: q.refId, series: '-' };
    rows.push(row);
    if (q.problem && !entry) { Object.assign(row, { status: 'FAIL', note: `not evaluated (${q.problem}) and not listed` }); continue; }
    if (entry) {
      const why = listingProblem(q, entry);
      if (why) { Object.assign(row, { status: 'FAIL', note: why }); continue; }
    }
    if (q.problem) { Object.assign(row, { status: 'listed', note: entry.source }); continue; }
    const iv = intervals(q.panelObj, q.rangeMs, scrapeMs);
    let expr;
    try {
      expr = interpolate(q.expr, q.vars, { ...iv, rangeMs: q.rangeMs });
      let data;
      if (q.instant) data = await api('/api/v1/query', { query: expr, time: String(now / 1000) });
      else {
        const step = iv.interval / 1000;
        const end = Math.floor(now / 1000 / step) * step;
        data = await api('/api/v1/query_range', { query: expr, start: String(end - q.rangeMs / 1000), end: String(end), step: String(step) });
      }
      const series = withData(data.result);
      row.series = series.length;
      const blank = legendLabels(q.legend).filter((l) => series.some((x) => !(l in x.metric)));
      if (series.length && blank.length && !entry) {
        Object.assign(row, { status: 'FAIL', note: `legend ${q.legend} but series without label ${blank.join(', ')}: ${expr.replace(/\s+/g, ' ')}` });
        continue;
      }
    } catch (e) {
      Object.assign(row, { status: 'FAIL', note: `query error: ${e.message}` });
      continue;
    }
    if (entry) {
      Object.assign(row, row.series > 0
        ? { status: 'FAIL', note: `listed as needing ${entry.source} but returns series: remove it from panels-unavailable.json` }
        : { status: 'listed', note: unavailable.sources[entry.source].reason });
    } else {
      Object.assign(row, row.series > 0 ? { status: 'ok', note: '' } : { status: 'FAIL', note: `no series: ${expr.replace(/\s+/g, ' ')}` });
    }
  }
  for (const u of unavailable.panels) {
    if (!unresolved.has(u.dashboard) && !queries.some((q) => listed(q) === u)) {
      rows.push({ dashboard: u.dashboard, panel: u.panel, refId: u.refId ?? '*', series: '-', status: 'FAIL', note: 'listed in panels-unavailable.json but no such panel query' });
    }
  }
  return rows;
}

export function table(rows) {
  const cols = [['dashboard', 'dashboard'], ['panel', 'panel'], ['refId', 'ref'], ['series', 'series'], ['status', 'result'], ['note', 'note']];
  const width = cols.map(([k, h]) => Math.max(h.length, ...rows.map((r) => String(r[k] ?? '').length)));
  const line = (vals) => vals.map((v, i) => String(v ?? '').padEnd(width[i])).join(' | ').trimEnd();
  return [line(cols.map(([, h]) => h)), width.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map((r) => line(cols.map(([k]) => r[k])))].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { prometheus: { type: 'string' }, 'scrape-interval': { type: 'string', default: '1s' }, range: { type: 'string' } } });
  if (!values.prometheus) {
    console.error('usage: node test/slo/panels.mjs --prometheus URL [--scrape-interval 1s] [--range 5m]');
    process.exit(2);
  }
  const scrapeMs = parseDuration(values['scrape-interval']);
  const rangeMs = values.range ? parseDuration(values.range) : undefined;
  const rows = await evaluateAll(prometheus(values.prometheus), { scrapeMs, rangeMs, log: (l) => console.log(`  ${l}`) });
  console.log(table(rows));
  const failed = rows.filter((r) => r.status === 'FAIL').length;
  const counts = ['ok', 'listed', 'FAIL'].map((s) => `${rows.filter((r) => r.status === s).length} ${s}`).join(', ');
  console.log(`panel queries: ${counts}`);
  process.exit(failed ? 1 : 0);
}
