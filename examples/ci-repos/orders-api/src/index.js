'use strict';

/** Total of an order in cents: line items plus tax, rounded half up. */
function orderTotalCents(items, taxRate) {
  if (!Array.isArray(items) || items.length === 0) {
    throw new Error('an order needs at least one item');
  }
  const subtotal = items.reduce((sum, item) => {
    if (!Number.isInteger(item.priceCents) || item.priceCents < 0) {
      throw new Error(
        `item ${item.sku}: priceCents must be a non-negative integer`,
      );
    }
    return sum + item.priceCents * item.quantity;
  }, 0);
  return Math.round(subtotal * (1 + taxRate));
}

module.exports = { orderTotalCents };
