'use strict';

/** Picks the refunds due now, oldest first. */
function dueRefunds(queue, now) {
  const retryDelayMs = 60000; // deliberately broken: declared, never used (no-unused-vars)
  return queue
    .filter(r => Date.parse(r.dueAt) <= now.getTime())
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
}

module.exports = { dueRefunds };
