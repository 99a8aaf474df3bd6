-- 007_sqlite_keys.sql — SQLite only (PostgreSQL records the version and changes nothing): the
-- tables written for every settlement and every imported person keep their rows in their
-- primary key's B-tree instead of in a rowid B-tree plus a separate key index. `entry` and
-- `journal` get INTEGER PRIMARY KEY (their ids become the rowid; "BIGINT PRIMARY KEY" is not an
-- alias of it in SQLite); `counter`, `account` and `posting` (small rows keyed by text or by
-- two columns) become WITHOUT ROWID tables. `person` stays a rowid table: measured WITHOUT
-- ROWID, its wide rows made a 3-million-person import 20 % slower (bench/README.md). Columns,
-- types, constraints and secondary indexes stay those of 001_init.sql and 005_verify_index.sql;
-- every row is copied in key order.

CREATE TABLE counter_007 (
  name TEXT PRIMARY KEY,
  next_value BIGINT NOT NULL
) WITHOUT ROWID;
INSERT INTO counter_007 SELECT name, next_value FROM counter ORDER BY name;
DROP TABLE counter;
ALTER TABLE counter_007 RENAME TO counter;

CREATE TABLE account_007 (
  code TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  owner TEXT NOT NULL,
  balance_fen BIGINT NOT NULL,
  frozen INTEGER NOT NULL,
  frozen_reason TEXT
) WITHOUT ROWID;
INSERT INTO account_007 SELECT code, kind, owner, balance_fen, frozen, frozen_reason FROM account
  ORDER BY code;
DROP TABLE account;
ALTER TABLE account_007 RENAME TO account;
CREATE INDEX account_owner ON account (owner);

CREATE TABLE entry_007 (
  entry_id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  at BIGINT NOT NULL,
  journal_seq BIGINT NOT NULL
);
INSERT INTO entry_007 SELECT entry_id, kind, ref, at, journal_seq FROM entry ORDER BY entry_id;
DROP TABLE entry;
ALTER TABLE entry_007 RENAME TO entry;
CREATE INDEX entry_journal ON entry (journal_seq);

CREATE TABLE posting_007 (
  entry_id BIGINT NOT NULL,
  line INTEGER NOT NULL,
  acct_code TEXT NOT NULL,
  amount_fen BIGINT NOT NULL,
  PRIMARY KEY (entry_id, line)
) WITHOUT ROWID;
INSERT INTO posting_007 SELECT entry_id, line, acct_code, amount_fen FROM posting
  ORDER BY entry_id, line;
DROP TABLE posting;
ALTER TABLE posting_007 RENAME TO posting;
CREATE INDEX posting_acct ON posting (acct_code);

CREATE TABLE journal_007 (
  seq INTEGER PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  channel TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO journal_007 SELECT seq, at, actor, channel, action, subject, detail, prev_hash, hash
  FROM journal ORDER BY seq;
DROP TABLE journal;
ALTER TABLE journal_007 RENAME TO journal;
