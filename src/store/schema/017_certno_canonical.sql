-- 017_certno_canonical.sql — a resident ID number (cert_type 01) stored with its check letter
-- as "x" is rewritten with "X", the one form the import and the national interface write and
-- compare since b2533b1 (gj_idcard_canonical). Before this, such a person, imported with "x"
-- before b2533b1, was found by an ID number sent with "x"; since b2533b1 the national interface
-- turns "x" into "X" and compares exactly, so neither form found them (IMPERSONATION on every
-- settlement by ID number, NOT_FOUND in 1101). A number also stored with "X" (another person,
-- refused since by the import's duplicate check) is left as it is: the unique index
-- person_cert must not fail the upgrade. Reads the person table once; written in SQL both
-- SQLite and PostgreSQL read.
UPDATE person SET certno = substr(certno, 1, 17) || 'X'
 WHERE cert_type = '01' AND length(certno) = 18 AND substr(certno, 18, 1) = 'x'
   AND NOT EXISTS (SELECT 1 FROM person p WHERE p.cert_type = '01'
                   AND p.certno = substr(person.certno, 1, 17) || 'X');
