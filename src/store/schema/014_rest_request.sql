-- 014_rest_request.sql — REST writes remembered by their Idempotency-Key header (docs/api.md,
-- "Retries"): per caller ("person:<psn_no>" or "staff:<operator_id>") and key, a hash of the
-- request (method, path, body) and the answer sent (status and compact JSON text). Stored in
-- the same transaction as the request's effect, only for answers that changed something
-- (2xx), so a retry gets the first answer again and changes nothing (src/engine/rest_request.c).
CREATE TABLE rest_request (
    caller TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (caller, idem_key)
);
