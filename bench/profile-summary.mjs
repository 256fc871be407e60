// Prints the functions with the most self time in a V8 .cpuprofile (node --cpu-prof):
//   node bench/profile-summary.mjs bench/results/profiles/service-*.cpuprofile [top]
import { readFileSync } from 'node:fs';

const [file, top = '30'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const hits = new Map();
// Samples are node ids, one per sampling interval; timeDeltas give each one's duration.
profile.samples.forEach((id, i) => hits.set(id, (hits.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const total = [...hits.values()].reduce((a, b) => a + b, 0);
const self = new Map();
for (const [id, micros] of hits) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const where = url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(dist|bench)\//, '$1/')}:${lineNumber + 1}` : '';
  const name = `${functionName || '(anonymous)'} ${where}`.trim();
  self.set(name, (self.get(name) ?? 0) + micros);
}
// Group by package too: where the time goes at a glance.
const byPackage = new Map();
for (const [name, micros] of self) {
  const match = /^\S+ (@[^/]+\/[^/]+|[^/@][^/]*)\//.exec(name);
  const key = name.startsWith('(') ? name.split(' ')[0] : match?.[1] ?? 'node internals';
  byPackage.set(key, (byPackage.get(key) ?? 0) + micros);
}
// Inclusive time: each sample counts once for every distinct function on its stack.
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const label = (node) => `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(dist|bench)\//, '$1/')}:${node.callFrame.lineNumber + 1}`;
const inclusive = new Map();
for (const [id, micros] of hits) {
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) seen.add(label(byId.get(at)));
  for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
}
const pct = (micros) => `${((100 * micros) / total).toFixed(1).padStart(5)}%`;
console.log(`total sampled: ${(total / 1e6).toFixed(2)}s\n\nself time by package:`);
for (const [name, micros] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(micros)}  ${name}`);
console.log('\ntop functions by self time:');
for (const [name, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`${pct(micros)}  ${name}`);
console.log('\ntop functions by inclusive time (application code and libraries):');
const interesting = [...inclusive].filter(([name]) => /(dist|bench)\/|^\S+ (@|[a-z-]+\/)/.test(name) && !name.startsWith('(root)'));
for (const [name, micros] of interesting.sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`${pct(micros)}  ${name}`);
