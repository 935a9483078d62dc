'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { dueRefunds } = require('../src/index');

test('due refunds, oldest first', () => {
  const now = new Date('2026-11-26T12:00:00Z');
  const queue = [
    { id: 2, dueAt: '2026-11-26T11:00:00Z' },
    { id: 3, dueAt: '2026-11-27T11:00:00Z' },
    { id: 1, dueAt: '2026-11-26T10:00:00Z' },
  ];
  assert.deepStrictEqual(
    dueRefunds(queue, now).map(r => r.id),
    [1, 2],
  );
});
