/* eslint-disable */
// The load generator, in its own process so that it does not share the
// backend's event loop. Reads its options as JSON in argv[2], prints results.
const autocannon = require('autocannon');
const o = JSON.parse(process.argv[2]);
let i = 0;
autocannon(
  {
    url: o.url,
    method: o.body ? 'POST' : 'GET',
    connections: o.connections,
    overallRate: o.rate,
    duration: o.seconds,
    headers: { authorization: `Bearer ${o.token}`, 'content-type': 'application/json' },
    requests: o.body
      ? [{ setupRequest: req => ({ ...req, body: JSON.stringify({ entityRef: `component:default/svc-${(i++ * 7919) % o.entities}`, environment: 'production', version: `1.0.${i}` }) }) }]
      : undefined,
  },
  (err, r) => {
    if (err) throw err;
    process.stdout.write(JSON.stringify({ p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, ok: r['2xx'], errors: r.errors + r.non2xx + r.timeouts }));
  },
);
