-- 009_message_reference.sql — a settlement's answer stored once. The message log kept every
-- answer whole, and a settlement's answer is mostly its output and explanation, which the
-- settlement row holds already (settlement.output, settlement.explain): about 2 KB written
-- twice per settlement. From this version a settlement's message keeps the envelope without
-- its output and names the settlement here; the output is spliced back in when the message is
-- read (src/engine/message.c), the same text as before. NULL: the response is whole (every
-- other message, and every message stored before this version).
ALTER TABLE message ADD COLUMN output_setl_id TEXT;
