// Shared helpers for the SLO checks: file locations, PromQL parsing, metric allow-list.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parser } from '@prometheus-io/lezer-promql';
import YAML from 'yaml';

export const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '../..');
export const chartDir = join(repo, 'charts/kv-api');
export const rulesDir = join(chartDir, 'files/rules');
export const dashboardsDir = join(chartDir, 'files/dashboards');
// promtool's own tests sit beside the rules they test.
export const promtoolTestsDir = join(rulesDir, 'tests');
export const runbooksDir = join(repo, 'docs/runbooks');
export const runbookBase = 'https://gitlab.com/example/kv-api/-/blob/main/docs/runbooks/';

export const listYaml = (dir) => readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
export const readYaml = (path) => YAML.parse(readFileSync(path, 'utf8'));
export const ruleFiles = () => listYaml(rulesDir).map((f) => ({ file: f, doc: readYaml(join(rulesDir, f)) }));
export const dashboards = () =>
  readdirSync(dashboardsDir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => ({ file: f, raw: readFileSync(join(dashboardsDir, f), 'utf8') }));

const allow = JSON.parse(readFileSync(join(here, 'allowed-metrics.json'), 'utf8'));
// Metric names by source (service, recording_rules, kube_state_metrics, ...).
export const allowGroups = Object.fromEntries(Object.entries(allow).filter(([k]) => !k.startsWith('$')));
export const allowedMetrics = new Set(Object.values(allowGroups).flat());

// Grafana macros and template variables are not PromQL: replace them before parsing.
export function expandGrafana(expr) {
  return expr
    .replace(/\$__(rate_interval|interval|range)\b/g, '5m')
    .replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*(:[a-z]+)?\}?/g, 'x');
}

// Parses a PromQL expression; returns { errors: [offsets], metrics: [names] }.
export function analyse(expr) {
  const tree = parser.parse(expr);
  const errors = [];
  const metrics = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(node.from);
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) metrics.push(expr.slice(id.from, id.to));
        else {
          // {__name__="x"} selectors
          const m = /__name__\s*=\s*"([^"]+)"/.exec(expr.slice(node.from, node.to));
          metrics.push(m ? m[1] : '<no metric name>');
        }
      }
    },
  });
  return { errors, metrics };
}

export const unknownMetrics = (expr) => analyse(expr).metrics.filter((m) => !allowedMetrics.has(m));

export function dashboardExprs(dash) {
  const out = [];
  const walk = (panels) => {
    for (const p of panels ?? []) {
      for (const t of p.targets ?? []) out.push({ panel: p.title, refId: t.refId, expr: t.expr });
      walk(p.panels);
    }
  };
  walk(dash.panels);
  return out;
}
