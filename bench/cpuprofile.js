/* eslint-disable */
// Summarises a V8 .cpuprofile: busy time, the files with the most self time,
// and the inclusive time of functions whose name or file contains one of the
// given patterns.
//   node bench/cpuprofile.js /tmp/gate-paced.cpuprofile plugin-catalog-backend conductor-backend
const fs = require('node:fs');
const [file, ...patterns] = process.argv.slice(2);
const p = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map(n => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
const self = new Map();
p.samples.forEach((s, i) =>
  self.set(s, (self.get(s) || 0) + (p.timeDeltas[i] || 0)),
);
const name = f =>
  `${f.functionName || '(anonymous)'} ${f.url
    .replace(/.*node_modules\//, '')
    .replace(/^file:\/\/.*?\/(plugins|packages)\//, '$1/')}:${
    f.lineNumber + 1
  }`;
const area = f =>
  f.url
    ? f.url
        .replace(/.*node_modules\//, '')
        .replace(/^file:\/\/.*?\/(plugins|packages)\//, '$1/')
        .split('/')
        .slice(0, 2)
        .join('/')
    : f.functionName;
const inclusive = new Map();
const byArea = new Map();
let total = 0;
let idle = 0;
for (const [id, t] of self) {
  total += t;
  const f = byId.get(id).callFrame;
  if (f.functionName === '(idle)') {
    idle += t;
    continue;
  }
  byArea.set(area(f), (byArea.get(area(f)) || 0) + t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const key = name(byId.get(cur).callFrame);
    if (!seen.has(key)) inclusive.set(key, (inclusive.get(key) || 0) + t);
    seen.add(key);
  }
}
const ms = t => `${(t / 1000).toFixed(0).padStart(7)} ms`;
console.log(`profile ${ms(total)}, busy ${ms(total - idle)}`);
console.log('\nself time by package/area:');
[...byArea]
  .sort((a, b) => b[1] - a[1])
  .slice(0, 15)
  .forEach(([k, t]) => console.log(`${ms(t)}  ${k}`));
if (patterns.length) {
  console.log(`\ninclusive time of functions matching ${patterns.join(', ')}:`);
  [...inclusive]
    .filter(([k]) => patterns.some(x => k.includes(x)))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 30)
    .forEach(([k, t]) => console.log(`${ms(t)}  ${k}`));
}
