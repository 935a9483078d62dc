'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { tenantReport } = require('../src/index');

const now = new Date('2026-11-26T00:00:00Z');
const orders = [
  { tenantId: 't1', at: '2026-11-25T10:00:00Z', totalCents: 1200 },
  { tenantId: 't1', at: '2026-11-01T10:00:00Z', totalCents: 800 },
  { tenantId: 't2', at: '2026-11-25T10:00:00Z', totalCents: 999 },
];

test('a day and a month of one tenant', () => {
  assert.deepStrictEqual(tenantReport(orders, 't1', 'DAY', now), {
    tenantId: 't1',
    period: 'DAY',
    orders: 1,
    revenueCents: 1200,
  });
  assert.strictEqual(
    tenantReport(orders, 't1', 'MONTH', now).revenueCents,
    2000,
  );
});

test('an unknown period is refused', () => {
  assert.throws(
    () => tenantReport(orders, 't1', 'YEAR', now),
    /period must be one of DAY, WEEK, MONTH/,
  );
});
