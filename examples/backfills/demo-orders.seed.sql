-- Demo only: the table the demo backfill fills in, 100,000 orders whose
-- amount_cents is still empty. Safe to run again (creates and fills once).
CREATE TABLE IF NOT EXISTS demo_orders (
  id INTEGER PRIMARY KEY,
  amount NUMERIC NOT NULL,
  amount_cents INTEGER
);
INSERT INTO demo_orders (id, amount)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
SELECT i, (i % 9973) / 100.0 FROM n
WHERE NOT EXISTS (SELECT 1 FROM demo_orders);
