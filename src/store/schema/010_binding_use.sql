-- 010_binding_use.sql — each binding's mutual-aid use, kept as a running total per settlement
-- year (R3.5 limits: a member's total and yearly use under a binding). Every settlement that
-- drew on a binding summed all earlier sources of that binding, joined to their settlements for
-- status and year: a table lookup into a settlement row of kilobytes per earlier use, ~9 % of a
-- simulated year's time. Written in the settlement's own transaction (src/engine/binding_use.c):
-- + each source at settlement, − the settlement's sources at cancellation; `gongji verify`
-- checks it against the sources of settled settlements. Filled here from the rows that exist.
CREATE TABLE binding_use (
  binding_id TEXT NOT NULL,
  setl_year INTEGER NOT NULL,
  used_fen BIGINT NOT NULL,
  PRIMARY KEY (binding_id, setl_year)
);
INSERT INTO binding_use (binding_id, setl_year, used_fen)
  SELECT x.binding_id, s.setl_year, SUM(x.amount_fen)
  FROM settlement_source x JOIN settlement s ON s.setl_id = x.setl_id
  WHERE s.status = 'settled'
  GROUP BY x.binding_id, s.setl_year;
