-- 006_xa_decision.sql — the decision log of two-phase commits across province databases
-- (src/engine/xa.c). A row is written, in its own committed transaction, in the coordinating
-- province's database once every participant is prepared: 'commit' by the coordinator, or
-- 'abort' by `gongji recover --in-doubt` for a transaction whose coordinator never decided.
-- The first row for a gid wins (primary key), so a coordinator and a recovery never disagree.
-- done = 1 once the transaction was seen ended on every participant (informational).
CREATE TABLE IF NOT EXISTS xa_decision (
    gid TEXT PRIMARY KEY,
    decision TEXT NOT NULL CHECK (decision IN ('commit', 'abort')),
    at BIGINT NOT NULL,
    participants TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0
);
