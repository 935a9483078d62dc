// Soak test: a steady stream of tasks for 30 minutes (override with
// K6_DURATION / K6_RATE); fails if intake errors or slows down, or if the
// worker starts dead-lettering. Run: WORKER_URL=http://localhost:8080 k6 run k6/soak.js
import http from 'k6/http';
import { check } from 'k6';

const base = __ENV.WORKER_URL || 'http://localhost:8080';

export const options = {
  scenarios: {
    soak: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.K6_RATE || 50),
      timeUnit: '1s',
      duration: __ENV.K6_DURATION || '30m',
      preAllocatedVUs: 20,
      maxVUs: 100,
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.001'],
    http_req_duration: ['p(95)<200'],
    checks: ['rate>0.999'],
  },
};

export default function () {
  const res = http.post(
    `${base}/messages`,
    JSON.stringify({ type: 'soak', payload: { at: Date.now() } }),
    { headers: { 'content-type': 'application/json' } },
  );
  check(res, { 'accepted (202)': r => r.status === 202 });
}

export function teardown() {
  const dead = JSON.parse(http.get(`${base}/dead-letters`).body);
  check(dead, { 'nothing dead-lettered': d => d.length === 0 });
}
