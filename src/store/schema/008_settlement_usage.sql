-- 008_settlement_usage.sql — the person's year-to-date fund use, read by every settlement (the
-- deductible and fund already used in the year, per fund bucket), from the index alone: the
-- index on (psn_no, setl_year) led to each settlement row for its bucket, status and amounts —
-- a table lookup per earlier settlement of the year, among rows of kilobytes. The wider index
-- replaces it (the records by person use its prefix), so a settlement still writes one index
-- entry here.
DROP INDEX IF EXISTS settlement_psn;
CREATE INDEX settlement_psn_usage ON settlement (psn_no, setl_year, fund_bucket, status,
                                                 deductible_fen, fund_pay_fen);
