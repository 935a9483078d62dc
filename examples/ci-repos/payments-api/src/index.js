'use strict';

/** How much of a payment can still be refunded, in cents. */
function refundableCents(payment) {
  const refunded = payment.refunds.reduce((sum, r) => sum + r.amountCents, 0);
  return Math.max(0, payment.amountCents - refunded);
}

/** A refund request is valid when positive and within what is refundable. */
function validateRefund(payment, amountCents) {
  if (!Number.isInteger(amountCents) || amountCents <= 0) {
    return { ok: false, reason: 'amount must be a positive integer of cents' };
  }
  const left = refundableCents(payment);
  if (amountCents > left) {
    return { ok: false, reason: `only ${left} cents left to refund` };
  }
  return { ok: true };
}

module.exports = { refundableCents, validateRefund };
