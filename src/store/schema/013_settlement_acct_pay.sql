-- 013_settlement_acct_pay.sql — the acct_pay a settlement answered, kept on its row, so that
-- reconciliation (3201/3202, gongji recon: src/engine/recon.c) reports what the institution was
-- told (R6.4). Recon summed own_pay_fen + mulaid_pay_fen, but the answer includes the mutual-aid
-- amount only when the policy in force had settlement.mulaid_in_acct_pay (R4.9, domain/settle.c);
-- where it did not, 3201 with the answered figures disagreed. From this version the settlement
-- writes the answered amount here (src/engine/settle_cmd.c); the default serves this ALTER only.
--
-- Existing rows are filled from their stored answer (settlement.output, the setlinfo the
-- institution received, which retries and receipts return unchanged), not from the policy files:
-- a policy version is named by its id, and the file read today need not say what the one in
-- force said then. The answer was own_pay_fen, or own_pay_fen + mulaid_pay_fen; the two differ
-- only when mulaid_pay_fen is not 0, and then the text tells which: the answer is compact JSON
-- (json_writer.h, before it json_dumps with JSON_COMPACT) whose amounts are strings with two
-- decimals (gj_money_format: no sign, no grouping), so own_pay_fen answered reads
-- `"acct_pay":"<yuan>.<d><d>"`. No string value can hold that sequence (its quotes would be
-- escaped), and "acct_mulaid_pay" does not end in it. Otherwise, own_pay_fen + mulaid_pay_fen:
-- the answer under the default, and what recon reported until now. Written in SQL both SQLite
-- and PostgreSQL read (`||` with text on its left, integer division, LIKE … ESCAPE).
ALTER TABLE settlement ADD COLUMN acct_pay_fen BIGINT NOT NULL DEFAULT 0;
UPDATE settlement SET acct_pay_fen = own_pay_fen + CASE
  WHEN mulaid_pay_fen <> 0 AND output LIKE '%"acct\_pay":"' || (own_pay_fen / 100) || '.'
                                           || (own_pay_fen % 100 / 10) || (own_pay_fen % 10) || '"%'
                                      ESCAPE '\'
  THEN 0 ELSE mulaid_pay_fen END;
