-- 012_binding_member_order.sql — a member's bindings in the order a settlement takes them
-- (R4.4: the earliest binding first, src/engine/settle_facts.c): the index on (member) found
-- the rows and every settlement then sorted them by (created_at, binding_id) in a temporary
-- B-tree, about 12,600 instructions per settlement (callgrind, 2026-12-01). With the order in
-- the index the rows come out sorted; member lookups elsewhere use its prefix, so a binding
-- still writes one index entry here.
DROP INDEX IF EXISTS binding_member;
CREATE INDEX binding_member_order ON binding (member, created_at, binding_id);
