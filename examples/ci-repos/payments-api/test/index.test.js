'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { refundableCents, validateRefund } = require('../src/index');

const payment = { amountCents: 5000, refunds: [{ amountCents: 1500 }] };

test('refundable is the amount minus refunds', () => {
  assert.strictEqual(refundableCents(payment), 3500);
});

test('refund validation', () => {
  assert.deepStrictEqual(validateRefund(payment, 3500), { ok: true });
  assert.deepStrictEqual(validateRefund(payment, 4000), {
    ok: false,
    reason: 'only 3500 cents left to refund',
  });
  assert.strictEqual(validateRefund(payment, 0).ok, false);
});
