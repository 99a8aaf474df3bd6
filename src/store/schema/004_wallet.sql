-- 004_wallet.sql — the medical-insurance wallet (医保钱包, R7.3): transfers from a donor's
-- personal account into a relative's wallet, without a binding. The money sits in the ledger
-- account wallet:<recipient>; this table keeps each transfer's provenance (who gave, to whom,
-- as which relation, from which layers via the entry). Standard SQL for SQLite and PostgreSQL.
CREATE TABLE wallet_transfer (
  transfer_id TEXT PRIMARY KEY,
  donor TEXT NOT NULL,
  recipient TEXT NOT NULL,
  relation TEXT NOT NULL,
  amount_fen BIGINT NOT NULL,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  channel TEXT NOT NULL,
  entry_id BIGINT NOT NULL
);
CREATE INDEX wallet_transfer_donor ON wallet_transfer (donor);
CREATE INDEX wallet_transfer_recipient ON wallet_transfer (recipient);
