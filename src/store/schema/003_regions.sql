-- 003_regions.sql — regional fund models and violations (R7, R8, R9.2): recoveries of misused
-- mutual-aid amounts and family pools (their movements are the postings on pool accounts).
-- Standard SQL for SQLite and PostgreSQL.

-- R9.2 recovery (追回): a donor's account credited back from the user's recovery receivable
CREATE TABLE recovery (
  recovery_id TEXT PRIMARY KEY,
  setl_id TEXT NOT NULL,
  donor TEXT NOT NULL,
  member TEXT NOT NULL,
  amount_fen BIGINT NOT NULL,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  at BIGINT NOT NULL,
  entry_id BIGINT NOT NULL
);
CREATE INDEX recovery_donor ON recovery (donor);
CREATE INDEX recovery_setl ON recovery (setl_id);

-- R7.2 family pool (家庭共济账户): one open pool per network; money sits in ledger accounts
-- pool:<pool_id>:<contributor>:<layer>, so its provenance is the ledger itself
CREATE TABLE family_pool (
  pool_id TEXT PRIMARY KEY,
  network_id TEXT NOT NULL,
  creator TEXT NOT NULL,
  status TEXT NOT NULL,
  opened_at BIGINT NOT NULL,
  closed_at BIGINT
);
CREATE INDEX family_pool_network ON family_pool (network_id);

-- R8.2 remote-care registration (异地就医备案) with its period (days since 1970-01-01)
CREATE TABLE remote_care (
  reg_id TEXT PRIMARY KEY,
  psn_no TEXT NOT NULL,
  place_admdvs TEXT NOT NULL,
  valid_from BIGINT NOT NULL,
  valid_to BIGINT NOT NULL,
  registered_at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  channel TEXT NOT NULL
);
CREATE INDEX remote_care_psn ON remote_care (psn_no);
