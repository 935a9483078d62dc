/* eslint-disable */
// The load generator, in its own process so that it does not share the
// backend's event loop. Reads its options as JSON in argv[2], prints results.
//
// Two shapes of "N requests per second", both driven by autocannon:
// - burst: one autocannon run with `overallRate`. autocannon gives each
//   connection its quota at the start of every second and the connection
//   spends it back to back, so the server sees all connections at once
//   until the second's quota is used up: a burst, once a second.
// - paced: one single-connection autocannon run per connection, their
//   seconds staggered evenly, so requests arrive spread over the second as
//   they would from many independent CI jobs.
const autocannon = require('autocannon');
const o = JSON.parse(process.argv[2]);

let i = 0;
const requests = o.body
  ? [
      {
        setupRequest: req => ({
          ...req,
          body: JSON.stringify({
            entityRef: `component:default/svc-${(i++ * 7919) % o.entities}`,
            environment: 'production',
            version: `1.0.${i}`,
          }),
        }),
      },
    ]
  : undefined;

function run(extra) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: o.url,
        method: o.body ? 'POST' : 'GET',
        duration: o.seconds,
        headers: {
          authorization: `Bearer ${o.token}`,
          'content-type': 'application/json',
        },
        requests,
        ...extra,
      },
      (err, r) => (err ? reject(err) : resolve(r)),
    );
    instance.on('response', (_client, statusCode, _bytes, ms) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
    });
  });
}

const latencies = [];
const percentile = p => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return (
    Math.round(
      sorted[
        Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
      ] * 10,
    ) / 10
  );
};

async function main() {
  let results;
  if (o.mode === 'paced') {
    const n = o.connections;
    results = await Promise.all(
      Array.from({ length: n }, (_, k) =>
        new Promise(r => setTimeout(r, (k * 1000) / n)).then(() =>
          run({
            connections: 1,
            overallRate: Math.floor(o.rate / n) + (k < o.rate % n ? 1 : 0),
          }),
        ),
      ),
    );
  } else {
    results = [await run({ connections: o.connections, overallRate: o.rate })];
  }
  const sum = key => results.reduce((s, r) => s + r[key], 0);
  process.stdout.write(
    JSON.stringify({
      p50: percentile(50),
      p90: percentile(90),
      p99: percentile(99),
      max: percentile(100),
      rps: results.reduce((s, r) => s + r.requests.average, 0),
      ok: sum('2xx'),
      errors: sum('errors') + sum('non2xx') + sum('timeouts'),
    }),
  );
}
main();
