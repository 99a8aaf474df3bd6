-- 002_access.sql — who may call gongjid: institution credentials and used nonces, agency
-- operators with roles, sessions (bearer tokens), one-time verification codes; and the visit
-- records of the national interface (registrations, fee details, admissions).

-- an institution's signing credential (secret kept for HMAC / x-tif signatures)
CREATE TABLE institution_credential (
  paasid TEXT PRIMARY KEY,
  fixmedins_code TEXT NOT NULL,
  secret TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked INTEGER NOT NULL
);
CREATE INDEX institution_credential_code ON institution_credential (fixmedins_code);

-- nonces seen within the timestamp window (replay protection)
CREATE TABLE used_nonce (
  paasid TEXT NOT NULL,
  nonce TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (paasid, nonce)
);
CREATE INDEX used_nonce_at ON used_nonce (at);

-- agency staff; password_hash = PBKDF2-HMAC-SHA256 with a per-operator salt
CREATE TABLE operator (
  operator_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  salt TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  iterations INTEGER NOT NULL,
  disabled INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);

-- bearer tokens (stored as their SHA-256, never in clear); subject_kind person | staff;
-- verification_id: the identity verification a person's session was opened with (the
-- verify_ref of what the person signs in it, R3.1/R3.2); NULL for staff
CREATE TABLE session (
  token_hash TEXT PRIMARY KEY,
  subject_kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  role TEXT NOT NULL,
  verification_id TEXT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX session_expires ON session (expires_at);

-- one-time identity-verification codes (demo verifier), stored hashed
CREATE TABLE verification (
  verification_id TEXT PRIMARY KEY,
  psn_no TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL,
  used INTEGER NOT NULL
);
CREATE INDEX verification_psn ON verification (psn_no, expires_at);

-- national interface: visits (2201/2401), fee details (2204/2301), sign-ins (9001)
-- kind: outpatient | inpatient; status: open | discharged | cancelled; diagnoses: JSON array
-- (2203/2401/2402); msgid: the message that created the visit
CREATE TABLE visit (
  mdtrt_id TEXT PRIMARY KEY,
  fixmedins_code TEXT NOT NULL,
  psn_no TEXT NOT NULL,
  kind TEXT NOT NULL,
  med_type TEXT NOT NULL,
  insutype TEXT NOT NULL,
  ipt_otp_no TEXT NOT NULL,
  begntime BIGINT NOT NULL,
  endtime BIGINT,
  status TEXT NOT NULL,
  diagnoses TEXT NOT NULL,
  msgid TEXT NOT NULL
);
CREATE INDEX visit_psn ON visit (psn_no);

-- uploaded fee lines; msgid: the upload message (2601 reverses an upload by it); a cancelled
-- line is deleted (the journal keeps the trail)
CREATE TABLE fee_detail (
  mdtrt_id TEXT NOT NULL,
  feedetl_sn TEXT NOT NULL,
  chrg_bchno TEXT NOT NULL,
  det_item_fee_sumamt_fen BIGINT NOT NULL,
  spend_ctgy TEXT,
  status TEXT NOT NULL,
  msgid TEXT NOT NULL,
  PRIMARY KEY (mdtrt_id, feedetl_sn)
);

CREATE TABLE sign_in (
  sign_no TEXT PRIMARY KEY,
  fixmedins_code TEXT NOT NULL,
  opter TEXT NOT NULL,
  signed_in_at BIGINT NOT NULL,
  signed_out_at BIGINT
);
