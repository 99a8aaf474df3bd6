-- 016_settlement_mid.sql — whether a settlement was a stay's mid-settlement (2304 input
-- mid_setl_flag "1", 中途结算: part of a long stay settled, the stay open for later ones), so
-- that a stay has at most one final settlement in force. Until now the flag was ignored and
-- a second 2304 with a new msgid for a stay already settled paid again, from a donor's account
-- too. From this version a 2303/2304 for a stay whose final settlement (mid_setl 0) is in force
-- is refused WRONG_STATE until that one is cancelled (2305, 2601): src/engine/nhsa_visit.c.
-- Existing rows take the default 0: every 2304 before this version is read as final, as
-- institutions sent it (the flag defaults to "0"); outpatient and pharmacy settlements keep 0
-- and are never checked (a visit may settle several charge batches).
--
-- The check runs on every 2303/2304; the index holds only what it asks for — 2304 settlements
-- in force that are final, one per settled stay — so it finds them without reading the
-- institution's settlements, and other settlements only evaluate its condition. Not UNIQUE:
-- a stay settled twice before this version must not fail the upgrade. Building it reads the
-- settlement table once. Written in SQL both SQLite and PostgreSQL read.
ALTER TABLE settlement ADD COLUMN mid_setl INTEGER NOT NULL DEFAULT 0;
CREATE INDEX settlement_stay_final ON settlement (mdtrt_id, fixmedins_code)
  WHERE infno = '2304' AND mid_setl = 0 AND status = 'settled';
