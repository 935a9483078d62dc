'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { orderTotalCents } = require('../src/index');

test('sums items with tax', () => {
  assert.strictEqual(
    orderTotalCents(
      [
        { sku: 'a', priceCents: 1000, quantity: 2 },
        { sku: 'b', priceCents: 250, quantity: 1 },
      ],
      0.2,
    ),
    2700,
  );
});

test('refuses an empty order and a bad price', () => {
  assert.throws(() => orderTotalCents([], 0.2), /at least one item/);
  assert.throws(
    () => orderTotalCents([{ sku: 'x', priceCents: 1.5, quantity: 1 }], 0),
    /item x: priceCents/,
  );
});
