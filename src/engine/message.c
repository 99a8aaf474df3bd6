/* message.c — the national message log (R4.8): one stored answer per (institution, msgid), so a
 * retry returns the first answer and a reversal (2601) finds what the original did.
 *
 * A settlement's answer is not stored twice: its output is the settlement row's `output` with
 * the row's `explain` as member gj_explain (settle_answer.c), so the message keeps the envelope
 * without its output and names the settlement (message.output_setl_id, schema 9); loading
 * splices the output back in, byte for byte the text the first answer encoded to. Messages
 * stored before schema 9, and every other command's, hold the whole answer. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "message.h"

gj_err message_remember(gj_engine *e, const nhsa_ctx *ctx, const char *request_hash,
                        const char *response, const char *head, const char *output_setl_id,
                        gj_status *st) {
    bool referenced = output_setl_id != NULL && output_setl_id[0] != '\0';
    return gj_store_exec(e->store, "INSERT INTO message (fixmedins_code, msgid, infno, request_hash, "
                                   "response, at, output_setl_id) VALUES ($1,$2,$3,$4,$5,$6,$7)",
                         GJ_PARAMS(P_TEXT(ctx->fixmedins_code), P_TEXT(ctx->msgid), P_TEXT(ctx->infno),
                                   P_TEXT(request_hash), P_TEXT(referenced ? head : response),
                                   P_INT(gj_now()), referenced ? P_TEXT(output_setl_id) : P_NULL),
                         NULL, st);
}

/* An object's compact text at least in shape ('{' … '}'), as gj_json_append_member needs. */
static bool object_shaped(const char *text) {
    size_t n = strlen(text);
    return n >= 2 && text[0] == '{' && text[n - 1] == '}';
}

/* The whole answer of a row: the stored text, or the envelope with the settlement's output.
 * INTERNAL when a part is not an object's text (a damaged store): never spliced. */
static gj_err row_response(gj_rows *rows, char **response, gj_status *st) {
    const char *head = gj_rows_text(rows, 2);
    if (!object_shaped(head) ||
        (!gj_rows_null(rows, 3) && !gj_rows_null(rows, 4) && !object_shaped(gj_rows_text(rows, 4))))
        return gj_fail(st, GJ_E_INTERNAL, "stored response unreadable");
    if (gj_rows_null(rows, 3)) {
        *response = strdup(head);
    } else if (gj_rows_null(rows, 4)) {
        return gj_fail(st, GJ_E_INTERNAL, "stored response: settlement %s missing", gj_rows_text(rows, 3));
    } else {
        char *output = gj_json_append_member(gj_rows_text(rows, 4), "gj_explain", gj_rows_text(rows, 5));
        *response = gj_json_append_member(head, "output", output);
        free(output);
    }
    return *response != NULL ? GJ_E_OK : gj_fail(st, GJ_E_INTERNAL, "out of memory");
}

gj_err message_load(gj_engine *e, const char *fixmedins_code, const char *msgid,
                    stored_message *out, gj_status *st) {
    gj_rows *rows = NULL;
    memset(out, 0, sizeof *out);
    gj_err err = gj_store_query(e->store, "SELECT m.infno, m.request_hash, m.response, m.output_setl_id, "
                                          "s.output, s.explain FROM message m LEFT JOIN settlement s "
                                          "ON s.setl_id = m.output_setl_id "
                                          "WHERE m.fixmedins_code = $1 AND m.msgid = $2",
                                GJ_PARAMS(P_TEXT(fixmedins_code), P_TEXT(msgid)), &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) {
        out->found = true;
        gj_copy_text(out->infno, sizeof out->infno, gj_rows_text(rows, 0));
        gj_copy_text(out->request_hash, sizeof out->request_hash, gj_rows_text(rows, 1));
        err = row_response(rows, &out->response, st);
    } else {
        err = gj_rows_error(rows, st);
    }
    gj_rows_end(rows);
    return err;
}

void message_free(stored_message *m) {
    free(m->response);
    m->response = NULL;
}
