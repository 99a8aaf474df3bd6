-- 001_init.sql — the first schema of gongji, shared by SQLite and PostgreSQL.
-- Standard SQL only: TEXT, BIGINT, INTEGER; no AUTOINCREMENT/SERIAL (ids come from `counter`).
-- Money columns end in _fen (BIGINT). Dates are days since 1970-01-01, times seconds (BIGINT).

CREATE TABLE counter (
  name TEXT PRIMARY KEY,
  next_value BIGINT NOT NULL
);

-- R1.1 people
CREATE TABLE person (
  psn_no TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  cert_type TEXT NOT NULL,
  certno TEXT NOT NULL,
  birth_date BIGINT NOT NULL,
  gender TEXT NOT NULL,
  admdvs TEXT NOT NULL,
  insutype TEXT NOT NULL,
  status TEXT NOT NULL,
  ecert_no TEXT,
  card_no TEXT,
  UNIQUE (cert_type, certno)
);
CREATE INDEX person_ecert ON person (ecert_no);
CREATE INDEX person_card ON person (card_no);

-- designated institutions (R4.7)
CREATE TABLE institution (
  fixmedins_code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  admdvs TEXT NOT NULL
);

-- ledger accounts; balance_fen caches the sum of postings and is checked by verify
CREATE TABLE account (
  code TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  owner TEXT NOT NULL,
  balance_fen BIGINT NOT NULL,
  frozen INTEGER NOT NULL,
  frozen_reason TEXT
);
CREATE INDEX account_owner ON account (owner);

CREATE TABLE entry (
  entry_id BIGINT PRIMARY KEY,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  at BIGINT NOT NULL,
  journal_seq BIGINT NOT NULL
);

CREATE TABLE posting (
  entry_id BIGINT NOT NULL,
  line INTEGER NOT NULL,
  acct_code TEXT NOT NULL,
  amount_fen BIGINT NOT NULL,
  PRIMARY KEY (entry_id, line)
);
CREATE INDEX posting_acct ON posting (acct_code);

-- R3 family networks and bindings
CREATE TABLE network (
  network_id TEXT PRIMARY KEY,
  creator TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  verify_method TEXT NOT NULL,
  verify_ref TEXT NOT NULL,
  channel TEXT NOT NULL
);

CREATE TABLE binding (
  binding_id TEXT PRIMARY KEY,
  network_id TEXT NOT NULL,
  donor TEXT NOT NULL,
  member TEXT NOT NULL,
  relation TEXT NOT NULL,
  mode_payment INTEGER NOT NULL,
  mode_contribution INTEGER NOT NULL,
  temporary INTEGER NOT NULL,
  authorized_fen BIGINT,
  limit_fen BIGINT,
  priority INTEGER NOT NULL,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  active_from BIGINT,
  active_until BIGINT,
  ended_at BIGINT,
  declared_by TEXT NOT NULL,
  channel TEXT NOT NULL,
  proof TEXT NOT NULL,
  frozen INTEGER NOT NULL,
  frozen_reason TEXT
);
CREATE INDEX binding_donor ON binding (donor);
CREATE INDEX binding_member ON binding (member);

-- R3.7 offline applications
CREATE TABLE application (
  app_id TEXT PRIMARY KEY,
  donor TEXT NOT NULL,
  member TEXT NOT NULL,
  request TEXT NOT NULL,
  status TEXT NOT NULL,
  submitted_by TEXT NOT NULL,
  submitted_at BIGINT NOT NULL,
  reviewed_by TEXT,
  reviewed_at BIGINT,
  reason TEXT,
  binding_id TEXT
);

-- R4 settlements
CREATE TABLE settlement (
  setl_id TEXT PRIMARY KEY,
  fixmedins_code TEXT NOT NULL,
  msgid TEXT NOT NULL,
  infno TEXT NOT NULL,
  psn_no TEXT NOT NULL,
  mdtrt_id TEXT NOT NULL,
  med_type TEXT NOT NULL,
  insutype TEXT NOT NULL,
  insu_admdvs TEXT NOT NULL,
  mdtrtarea_admvs TEXT NOT NULL,
  setl_time BIGINT NOT NULL,
  setl_year INTEGER NOT NULL,
  fund_bucket TEXT NOT NULL,
  medfee_sumamt_fen BIGINT NOT NULL,
  deductible_fen BIGINT NOT NULL,
  fund_pay_fen BIGINT NOT NULL,
  own_pay_fen BIGINT NOT NULL,
  mulaid_pay_fen BIGINT NOT NULL,
  cash_pay_fen BIGINT NOT NULL,
  status TEXT NOT NULL,
  entry_id BIGINT NOT NULL,
  cancel_entry_id BIGINT,
  cancel_time BIGINT,
  policy_version TEXT NOT NULL,
  explain TEXT NOT NULL,
  output TEXT NOT NULL
);
CREATE INDEX settlement_psn ON settlement (psn_no, setl_year);
CREATE INDEX settlement_inst ON settlement (fixmedins_code, setl_time);

-- which donor paid how much of a settlement, from which layer (R6.1, R3.5 limits)
CREATE TABLE settlement_source (
  setl_id TEXT NOT NULL,
  line INTEGER NOT NULL,
  donor TEXT NOT NULL,
  binding_id TEXT NOT NULL,
  layer TEXT NOT NULL,
  amount_fen BIGINT NOT NULL,
  PRIMARY KEY (setl_id, line)
);
CREATE INDEX settlement_source_donor ON settlement_source (donor);
CREATE INDEX settlement_source_binding ON settlement_source (binding_id);

-- R4.8 idempotency: one answer per (institution, msgid)
CREATE TABLE message (
  fixmedins_code TEXT NOT NULL,
  msgid TEXT NOT NULL,
  infno TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  response TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (fixmedins_code, msgid)
);

-- R5 contributions
CREATE TABLE premium (
  premium_id TEXT PRIMARY KEY,
  donor TEXT NOT NULL,
  member TEXT NOT NULL,
  kind TEXT NOT NULL,
  product TEXT NOT NULL,
  year INTEGER NOT NULL,
  amount_fen BIGINT NOT NULL,
  paid_at BIGINT NOT NULL,
  benefit_from BIGINT NOT NULL,
  benefit_to BIGINT NOT NULL,
  binding_id TEXT NOT NULL,
  entry_id BIGINT NOT NULL,
  UNIQUE (member, kind, product, year)
);
CREATE INDEX premium_donor ON premium (donor);

-- R9.3 hash-chained journal of every command that changes money or bindings
CREATE TABLE journal (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  channel TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
