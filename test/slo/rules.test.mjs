import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import {
  allowedMetrics, analyse, listYaml, promtoolTestsDir, readYaml, ruleFiles, rulesDir, runbookBase, runbooksDir, unknownMetrics,
} from './lib.mjs';

const run = promisify(execFile);
const promtool = process.env.PROMTOOL ?? 'promtool';
const files = ruleFiles();
const rules = files.flatMap(({ file, doc }) => doc.groups.flatMap((g) => g.rules.map((r) => ({ file, group: g.name, ...r }))));
const alerts = rules.filter((r) => r.alert);
const alertNames = [...new Set(alerts.map((a) => a.alert))];

// Runs promtool test rules on one test group; rule_files are made absolute so the
// temporary file can live anywhere. Returns { ok, output }.
async function promtoolCase(testFile, group, rulesRoot = rulesDir) {
  const doc = readYaml(join(promtoolTestsDir, testFile));
  const dir = mkdtempSync(join(tmpdir(), 'slo-promtool-'));
  try {
    const one = {
      ...doc,
      rule_files: doc.rule_files.map((f) => join(rulesRoot, resolve(promtoolTestsDir, f).split('/').pop())),
      tests: group === undefined ? doc.tests : [group],
    };
    const path = join(dir, 'case.test.yaml');
    writeFileSync(path, YAML.stringify(one));
    try {
      const { stdout, stderr } = await run(promtool, ['test', 'rules', path], { maxBuffer: 16 << 20 });
      return { ok: true, output: stdout + stderr };
    } catch (e) {
      return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}${e.message}` };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('rule files', () => {
  for (const { file } of files) {
    test(`promtool check rules ${file}`, async () => {
      const { stdout } = await run(promtool, ['check', 'rules', join(rulesDir, file)]);
      assert.match(stdout, /SUCCESS: \d+ rules found/);
    });
  }

  test('every expression parses and uses only allow-listed metrics', () => {
    for (const r of rules) {
      const { errors } = analyse(r.expr);
      assert.deepEqual(errors, [], `${r.record ?? r.alert}: parse error`);
      assert.deepEqual(unknownMetrics(r.expr), [], `${r.record ?? r.alert}`);
    }
  });

  test('the allow-list names exactly the recording rules that exist', () => {
    const recorded = new Set(rules.filter((r) => r.record).map((r) => r.record));
    const listed = JSON.parse(readFileSync(new URL('./allowed-metrics.json', import.meta.url))).recording_rules;
    assert.deepEqual([...recorded].sort(), [...listed].sort());
  });

  test('SLI ratios exist for every window, SLO and layer', () => {
    for (const w of ['5m', '30m', '1h', '2h', '6h', '1d', '3d']) {
      for (const slo of ['availability', 'latency']) {
        for (const layer of ['service', 'ingress']) {
          const n = rules.filter((r) => r.record === `slo:sli_error:ratio_rate${w}` && r.labels?.slo === slo && r.labels?.layer === layer).length;
          assert.equal(n, 1, `${w} ${slo} ${layer}`);
        }
      }
    }
    assert.ok(rules.some((r) => r.record === 'slo:sli_error:ratio_rate30d'));
  });

  for (const a of alerts) {
    test(`alert ${a.alert} (${a.labels?.long ?? a.group}) has severity, summary, description and a runbook`, () => {
      assert.ok(['page', 'ticket'].includes(a.labels?.severity), `severity ${a.labels?.severity}`);
      assert.ok(a.annotations?.summary?.length > 10);
      assert.ok(a.annotations?.description?.length > 20);
      assert.equal(a.annotations?.runbook_url, `${runbookBase}${a.alert}.md`);
      assert.ok(existsSync(join(runbooksDir, `${a.alert}.md`)), `docs/runbooks/${a.alert}.md missing`);
    });
  }

  test('burn-rate tiers follow the SRE workbook (14.4x/6x page, 3x/1x ticket)', () => {
    const expected = { '1h/5m': [14.4, 'page'], '6h/30m': [6, 'page'], '1d/2h': [3, 'ticket'], '3d/6h': [1, 'ticket'] };
    for (const [name, budget] of [['KvApiAvailabilityErrorBudgetBurn', '0.0001'], ['KvApiLatencyErrorBudgetBurn', '0.001']]) {
      const tiers = alerts.filter((a) => a.alert === name);
      assert.equal(tiers.length, 4, name);
      for (const t of tiers) {
        const [factor, severity] = expected[`${t.labels.long}/${t.labels.short}`];
        assert.equal(t.labels.severity, severity);
        const thr = `> (${factor} * ${budget})`;
        assert.ok(t.expr.includes(`ratio_rate${t.labels.long}{`) && t.expr.includes(`ratio_rate${t.labels.short}{`), t.expr);
        assert.equal(t.expr.split(thr).length - 1, 2, `${name} ${t.labels.long}: both windows compare against ${thr}`);
      }
    }
  });
});

describe('promtool unit tests', { concurrency: 2 }, () => {
  const testFiles = listYaml(promtoolTestsDir);
  const firing = new Set();
  const silent = new Set();
  for (const f of testFiles) {
    for (const group of readYaml(join(promtoolTestsDir, f)).tests) {
      for (const t of group.alert_rule_test ?? []) (t.exp_alerts?.length ? firing : silent).add(t.alertname);
      test(`${f}: ${group.name}`, async () => {
        const { ok, output } = await promtoolCase(f, group);
        assert.ok(ok, output);
        assert.match(output, /SUCCESS/);
      });
    }
  }
  test('every alert has a case where it fires and one where it stays silent', () => {
    assert.deepEqual(alertNames.filter((a) => !firing.has(a)), [], 'never seen firing');
    assert.deepEqual(alertNames.filter((a) => !silent.has(a)), [], 'never seen silent');
  });
});

// The threshold cases must notice a threshold moved by 1% either way.
describe('promtool cases catch a shifted threshold (mutation)', { concurrency: 2 }, () => {
  for (const [label, scale, expectFailing] of [['lowered 1%', 0.99, 'just below stays silent'], ['raised 1%', 1.01, 'just above fires']]) {
    test(`burn-rate thresholds ${label}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'slo-mutant-'));
      try {
        cpSync(rulesDir, dir, { recursive: true });
        const path = join(dir, 'slo-alerts.yaml');
        const src = readFileSync(path, 'utf8');
        const mutated = src.replace(/> \(([0-9.]+) \* /g, (_, f) => `> (${+(f * scale).toFixed(4)} * `);
        assert.notEqual(mutated, src);
        writeFileSync(path, mutated);
        const { ok, output } = await promtoolCase('burn-rate-service.test.yaml', undefined, dir);
        assert.equal(ok, false, 'promtool passed against mutated thresholds');
        const cases = readYaml(join(promtoolTestsDir, 'burn-rate-service.test.yaml')).tests.filter((t) => t.name.includes(expectFailing));
        assert.equal(cases.length, 8);
        for (const c of cases) assert.ok(output.includes(c.name), `not caught: ${c.name}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

test('allow-list has no duplicate entries', () => {
  const all = Object.entries(JSON.parse(readFileSync(new URL('./allowed-metrics.json', import.meta.url))))
    .filter(([k]) => !k.startsWith('$')).flatMap(([, v]) => v);
  assert.equal(all.length, allowedMetrics.size);
});

// PromQL in fenced ```promql blocks of the runbooks and docs/slo.md: parse and allow-list.
// Lines starting with whitespace continue the previous expression; # lines are comments.
export function promqlBlocks(markdown) {
  const exprs = [];
  for (const [, body] of markdown.matchAll(/```promql\n([\s\S]*?)```/g)) {
    for (const line of body.split('\n')) {
      if (!line.trim() || line.trim().startsWith('#')) continue;
      if (/^\s/.test(line) && exprs.length) exprs[exprs.length - 1] += ` ${line.trim()}`;
      else exprs.push(line.trim());
    }
  }
  return exprs;
}

describe('runbooks and docs', () => {
  const docs = [...readdirSync(runbooksDir).map((f) => join(runbooksDir, f)), join(runbooksDir, '../slo.md')];
  for (const path of docs) {
    test(`PromQL in ${path.split('/docs/')[1]} parses and uses known metrics`, () => {
      const text = readFileSync(path, 'utf8');
      for (const e of promqlBlocks(text)) {
        assert.deepEqual(analyse(e).errors, [], e);
        assert.deepEqual(unknownMetrics(e), [], e);
      }
    });
  }
  test('promqlBlocks finds expressions and the checks reject a bogus one', () => {
    const md = '```promql\n# comment\nsum(rate(kv_requests_total[5m]))\n  / 2\n```\n';
    assert.deepEqual(promqlBlocks(md), ['sum(rate(kv_requests_total[5m])) / 2']);
    assert.deepEqual(unknownMetrics(promqlBlocks(md)[0]), ['kv_requests_total']);
  });
  test('every Cloud Monitoring policy of modules/monitoring has a runbook', () => {
    const main = readFileSync(join(runbooksDir, '../../modules/monitoring/main.tf'), 'utf8');
    const keys = [...main.matchAll(/^\s+((?:Gcp|Gke)[A-Za-z]+) = \{/gm)].map((m) => m[1]);
    assert.ok(keys.length >= 7, `found ${keys}`);
    for (const k of keys) assert.ok(existsSync(join(runbooksDir, `${k}.md`)), `docs/runbooks/${k}.md missing`);
    assert.match(main, /KvApi\$\{title\(each\.value\.slo\)\}ErrorBudgetBurn\.md/);
  });
});
