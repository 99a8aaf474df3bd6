-- 015_rest_request_at.sql — answers remembered by Idempotency-Key (014) are kept for gongjid's
-- idempotency_retention_s (default a day), no longer for ever: each new answer first deletes
-- those remembered at or before now - retention_s (src/engine/rest_request.c, prune.c, as
-- used_nonce and session rows are pruned). This index lets that DELETE find the expired rows
-- without reading the table. Rows kept before this version keep their time (`at`) and go at
-- the first keyed write after their retention. Building it reads rest_request once.
CREATE INDEX rest_request_at ON rest_request (at);
