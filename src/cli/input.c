/* input.c — turning command-line values into engine inputs (amounts, dates, integers,
 * verification references, invitations), and opening the engine or policy set on demand. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gongji/access.h"

const char *cli_pos(const cli_ctx *c, int i) {
    return i >= 0 && i < c->args.pos_count ? c->args.pos[i] : NULL;
}

const char *cli_opt(const cli_ctx *c, const char *name) { return cli_args_value(&c->args, name); }

bool cli_flag(const cli_ctx *c, const char *name) { return cli_args_flag(&c->args, name); }

static void set_present(bool *present, bool value) {
    if (present != NULL) *present = value;
}

gj_err cli_amount(const cli_ctx *c, const char *name, bool allow_none, bool *present,
                  gj_fen *out_fen, gj_status *st) {
    const char *text = cli_opt(c, name);
    set_present(present, text != NULL);
    if (text == NULL) return GJ_E_OK;
    if (allow_none && strcmp(text, "none") == 0) {
        *out_fen = -1;
        return GJ_E_OK;
    }
    gj_err err = gj_money_parse(text, strlen(text), out_fen);
    if (err != GJ_E_OK) return gj_fail(st, err, "--%s: \"%s\"", name, text);
    return GJ_E_OK;
}

gj_err cli_date(const cli_ctx *c, const char *name, bool *present, gj_date *out, gj_status *st) {
    const char *text = cli_opt(c, name);
    set_present(present, text != NULL);
    if (text == NULL) return GJ_E_OK;
    gj_err err = gj_date_parse(text, out);
    if (err != GJ_E_OK) return gj_fail(st, err, "--%s: \"%s\" (yyyy-MM-dd)", name, text);
    return GJ_E_OK;
}

gj_err cli_int(const cli_ctx *c, const char *name, int lo, int hi, bool *present, int *out,
               gj_status *st) {
    const char *text = cli_opt(c, name);
    set_present(present, text != NULL);
    if (text == NULL) return GJ_E_OK;
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < lo || v > hi)
        return gj_fail(st, GJ_E_BAD_FIELD, "--%s: \"%s\" (integer %d..%d)", name, text, lo, hi);
    *out = (int)v;
    return GJ_E_OK;
}

gj_err cli_verify(const cli_ctx *c, char *buf, size_t buf_len, const char **method,
                  const char **ref, gj_status *st) {
    const char *text = cli_opt(c, "verify");
    *method = *ref = NULL;
    if (text == NULL) return GJ_E_OK;
    const char *colon = strchr(text, ':');
    if (colon == NULL || colon == text || colon[1] == '\0' || strlen(text) >= buf_len)
        return gj_fail(st, GJ_E_BAD_FIELD, "--verify: \"%s\" (METHOD:REF, e.g. face:F123)", text);
    memcpy(buf, text, strlen(text) + 1);
    buf[colon - text] = '\0';
    *method = buf;
    *ref = buf + (colon - text) + 1;
    return GJ_E_OK;
}

gj_err cli_invite(const cli_ctx *c, gj_invite *inv, gj_status *st) {
    const char *declared_by = cli_opt(c, "declared-by");
    const char *proof = cli_opt(c, "proof");
    *inv = (gj_invite){
        .donor = cli_pos(c, 0),
        .member = cli_pos(c, 1),
        .relation = cli_opt(c, "relation"),
        .modes = cli_opt(c, "modes"),
        .temporary = cli_flag(c, "temporary"),
        .declared_by = declared_by != NULL ? declared_by : c->actor.actor,
        .proof = proof != NULL ? proof : "",
    };
    gj_err err = cli_amount(c, "authorized", false, &inv->has_authorized, &inv->authorized_fen, st);
    if (err == GJ_E_OK) err = cli_amount(c, "limit", false, &inv->has_limit, &inv->limit_fen, st);
    return err;
}

gj_err cli_open_input(const char *path, FILE **out, gj_status *st) {
    if (strcmp(path, "-") == 0) {
        *out = stdin;
        return GJ_E_OK;
    }
    *out = fopen(path, "rb");
    if (*out != NULL) return GJ_E_OK;
    return gj_fail(st, errno == ENOENT ? GJ_E_NOT_FOUND : GJ_E_BAD_FIELD, "%s: %s", path,
                   strerror(errno));
}

void cli_close_input(FILE *f) {
    if (f != NULL && f != stdin) fclose(f);
}

gj_err cli_engine(cli_ctx *c, gj_engine **out, gj_status *st) {
    if (c->engine == NULL) {
        gj_err err = gj_engine_open(c->db_url, c->policy_dir, &c->engine, st);
        if (err == GJ_E_OK && c->provinces != NULL)
            err = gj_engine_set_provinces(c->engine, c->db_url, c->provinces, st);
        if (err != GJ_E_OK) {
            gj_engine_close(c->engine);
            c->engine = NULL;
            return err;
        }
    }
    *out = c->engine;
    return GJ_E_OK;
}

static bool app_channel(const cli_ctx *c) {
    return c->actor.channel != NULL && strcmp(c->actor.channel, "app") == 0;
}

gj_err cli_engine_for_person(cli_ctx *c, const char *psn_no, gj_engine **out, gj_status *st) {
    if (app_channel(c) && (psn_no == NULL || strcmp(c->actor.actor, psn_no) != 0))
        return gj_fail(st, GJ_E_FORBIDDEN, "in the app a person reads only their own records");
    return cli_engine(c, out, st);
}

gj_err cli_engine_for_settlement(cli_ctx *c, const char *setl_id, gj_engine **out, gj_status *st) {
    gj_err err = cli_engine(c, out, st);
    if (err == GJ_E_OK && app_channel(c))
        err = gj_settlement_visible(*out, setl_id, c->actor.actor, st);
    return err;
}

gj_err cli_policies(cli_ctx *c, gj_policy_set **out, gj_status *st) {
    if (c->engine != NULL) {
        *out = gj_engine_policies(c->engine);
        return GJ_E_OK;
    }
    if (c->policies == NULL) {
        gj_err err = gj_policy_set_load(c->policy_dir, &c->policies, st);
        if (err != GJ_E_OK) return err;
    }
    *out = c->policies;
    return GJ_E_OK;
}
