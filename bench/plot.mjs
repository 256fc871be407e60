// Latency against offered load, one line per Redis configuration, one panel per scenario:
// a Vega-Lite spec compiled and rendered to SVG headless (no browser, no canvas).
//   node bench/plot.mjs bench/results/<run>.json docs/performance-latency.svg
import { readFileSync, writeFileSync } from 'node:fs';
import { compile } from 'vega-lite';
import { parse, View } from 'vega';

export async function latencySvg(openLoop, titles) {
  const values = openLoop.flatMap((point) => [
    { ...point, percentile: 'p50', ms: point.p50Ms },
    { ...point, percentile: 'p99', ms: point.p99Ms },
  ]).map((point) => ({ ...point, configuration: titles[point.config] ?? point.config }));
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'kv-api open-loop latency (h2load --rps), median over rounds',
    data: { values },
    facet: { column: { field: 'scenarioTitle', type: 'nominal', title: null, sort: ['GET /', 'POST /write', 'mixed'] } },
    spec: {
      width: 260,
      height: 220,
      layer: [
        {
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'percentOfSaturation', type: 'quantitative', title: 'offered load, % of saturation', scale: { domain: [0, 100] } },
            y: { field: 'ms', type: 'quantitative', title: 'latency (ms)', scale: { type: 'log' } },
            color: { field: 'configuration', type: 'nominal', title: 'Redis' },
            strokeDash: { field: 'percentile', type: 'nominal', title: 'percentile' },
          },
        },
        // The p99 target at 50% of saturation.
        { mark: { type: 'rule', color: 'firebrick', strokeDash: [2, 2] }, encoding: { y: { datum: 10 } } },
      ],
    },
    config: { font: 'sans-serif', background: 'white', legend: { labelLimit: 400 } },
  };
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [input, output] = process.argv.slice(2);
  const run = JSON.parse(readFileSync(input, 'utf8'));
  writeFileSync(output, await latencySvg(run.openLoop, run.configTitles));
}
