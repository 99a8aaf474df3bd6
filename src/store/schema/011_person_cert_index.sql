-- 011_person_cert_index.sql — SQLite only (PostgreSQL records the version and changes nothing):
-- a person's ID number stays unique, but through a named index, `person_cert`, instead of the
-- table constraint UNIQUE (cert_type, certno) of 001_init.sql. SQLite cannot drop a table
-- constraint's index; a named index it can, so a bulk import into an empty database builds it
-- after the last row, by sorting, like the secondary indexes (src/engine/import_ledger.c):
-- ID numbers arrive in random order, and inserting each into this index cost a 3-million-person
-- import ~20 % of its time (bench/README.md). The indexes of the electronic certificate and the
-- card number hold only the people who have one (a partial index: the lookups `ecert_no = $1`
-- and `card_no = $1` imply NOT NULL, so SQLite still uses them; a province where few people
-- carry a card no longer indexes millions of NULLs). Columns, types and every row (with its
-- rowid) stay as they were.
CREATE TABLE person_011 (
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
  card_no TEXT
);
INSERT INTO person_011 (rowid, psn_no, name, cert_type, certno, birth_date, gender, admdvs,
                        insutype, status, ecert_no, card_no)
  SELECT rowid, psn_no, name, cert_type, certno, birth_date, gender, admdvs, insutype, status,
         ecert_no, card_no
  FROM person ORDER BY rowid;
DROP TABLE person;
ALTER TABLE person_011 RENAME TO person;
CREATE UNIQUE INDEX person_cert ON person (cert_type, certno);
CREATE INDEX person_ecert ON person (ecert_no) WHERE ecert_no IS NOT NULL;
CREATE INDEX person_card ON person (card_no) WHERE card_no IS NOT NULL;
