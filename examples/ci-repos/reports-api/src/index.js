'use strict';

const PERIODS = { DAY: 1, WEEK: 7, MONTH: 30 };

/** Orders and revenue of one tenant over a period ending at `now`. */
function tenantReport(orders, tenantId, period, now) {
  const days = PERIODS[period];
  if (!days)
    throw new Error(`period must be one of ${Object.keys(PERIODS).join(', ')}`);
  const since = now.getTime() - days * 86400000;
  const mine = orders.filter(
    o => o.tenantId === tenantId && Date.parse(o.at) >= since,
  );
  return {
    tenantId,
    period,
    orders: mine.length,
    revenueCents: mine.reduce((sum, o) => sum + o.totalCents, 0),
  };
}

module.exports = { tenantReport };
