/* message.h — the national message log (message.c): a write command's answer, stored in its
 * transaction, found again by (institution, msgid) for a retry (nhsa.c) or a reversal
 * (nhsa_reversal.c). */
#ifndef GONGJI_MESSAGE_H
#define GONGJI_MESSAGE_H

#include "gongji/strcopy.h"
#include "nhsa_settle.h"

enum { MESSAGE_INFNO_MAX = 8 };

typedef struct {
    bool found;
    char infno[MESSAGE_INFNO_MAX];
    char request_hash[GJ_HASH_HEX];
    char *response;   /* the whole answer's compact text (malloc'd; message_free) */
} stored_message;

/* Store the answer to ctx's message: `response`, its compact text, or — when output_setl_id
 * names the settlement whose row holds the response's output (nhsa_ctx.answer_setl_id) —
 * `head`, the response without its output, with that reference. */
gj_err message_remember(gj_engine *e, const nhsa_ctx *ctx, const char *request_hash,
                        const char *response, const char *head, const char *output_setl_id,
                        gj_status *st);

/* The stored message of (fixmedins_code, msgid): out->found false when there is none.
 * INTERNAL when a referenced settlement is missing. */
gj_err message_load(gj_engine *e, const char *fixmedins_code, const char *msgid,
                    stored_message *out, gj_status *st);

/* Free what message_load allocated (m->response); m may be reused. */
void message_free(stored_message *m);

#endif
