-- 005_verify_index.sql — an index so that `gongji verify` finds the postings of each journal record
-- without rescanning the entry table (verify was quadratic in the number of settlements).
CREATE INDEX IF NOT EXISTS entry_journal ON entry (journal_seq);
