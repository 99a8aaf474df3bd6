/* registry.c — people, accounts and institutions (R1): CSV import (all or nothing), person
 * view with balances by layer, insurance status changes, account allocations. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "engine_internal.h"
#include "gongji/admdvs.h"
#include "gongji/csv.h"
#include "gongji/idcard.h"
#include "gongji/progress.h"
#include "import_feed.h"
#include "import_ledger.h"
#include "import_repeat.h"
#include "import_row.h"

static gj_err insert_person(gj_store *s, const import_row *r, gj_status *st) {
    char gender[2] = {(char)('0' + r->gender), '\0'};
    gj_err e = gj_store_exec(
        s, "INSERT INTO person (psn_no, name, cert_type, certno, birth_date, gender, admdvs, "
           "insutype, status, ecert_no, card_no) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
        GJ_PARAMS(P_TEXT(r->psn_no), P_TEXT(r->name), P_TEXT(r->cert_type), P_TEXT(r->certno),
                  P_INT(r->birth), P_TEXT(gender), P_TEXT(r->admdvs), P_TEXT(r->insutype),
                  P_TEXT(r->status), P_TEXT(r->ecert_no[0] ? r->ecert_no : NULL),
                  P_TEXT(r->card_no[0] ? r->card_no : NULL)), NULL, st);
    if (e == GJ_E_DUPLICATE) return gj_fail(st, e, "psn_no or certificate already registered");
    return e;
}

static long count_lines(FILE *f) {
    long lines = 0;
    long start = ftell(f);
    if (start < 0) return 0;
    for (int c; (c = fgetc(f)) != EOF;) lines += c == '\n';
    fseek(f, start, SEEK_SET);
    return lines;
}

/* One checked row: its line remembered, the person, the accounts and the opening entry. */
static gj_err import_row_write(gj_engine *e, import_ledger *ledger, import_lines *lines,
                               const import_fed_row *r, gj_status *st) {
    gj_err err;
    if ((err = import_lines_add(lines, r->line_no, st)) || (err = insert_person(e->store, &r->row, st)))
        return err;
    return import_ledger_row(e->store, ledger, &r->row, gj_now(), st);
}

/* Import every record, read and checked by the feed's thread; stop at the first bad one.
 * `lines` learns where each row began; `bad_line` ends as the line an error names (the last
 * record's when none). */
static gj_err import_records(gj_engine *e, gj_csv_reader *reader, gj_progress *bar,
                             import_ledger *ledger, import_lines *lines, long *imported,
                             long *bad_line, gj_status *st) {
    import_feed *feed = NULL;
    gj_err err = import_feed_start(reader, gj_time_date(gj_now()), &feed, st);
    if (err != GJ_E_OK) return err;
    const import_feed_batch *b;
    while (err == GJ_E_OK && (b = import_feed_next(feed)) != NULL) {
        for (size_t i = 0; err == GJ_E_OK && i < b->count; i++) {
            *bad_line = b->rows[i].line_no;
            err = import_row_write(e, ledger, lines, &b->rows[i], st);
            if (err != GJ_E_OK) break;
            (*imported)++;
            gj_progress_update(bar, (uint64_t)b->rows[i].line_no);
        }
        if (err == GJ_E_OK && b->last) {
            *bad_line = b->err_line;
            err = b->err;
            if (err != GJ_E_OK && st) *st = b->st;
        }
    }
    import_feed_stop(feed);
    return err;
}

/* The ledger's end-of-load work (allocation balances, the indexes). The rebuilt unique index
 * refusing the load means an ID number stands twice in the file: `bad_line` becomes the line of
 * its second row (on the load's empty database rowids follow the file). */
static gj_err finish_load(gj_engine *e, import_ledger *ledger, const import_lines *lines,
                          long *bad_line, gj_status *st) {
    gj_err err = import_ledger_finish(e->store, ledger, st);
    if (err != GJ_E_DUPLICATE) return err;
    int64_t row = 0;
    gj_status found = {0};
    gj_err why = import_find_repeat(e->store, lines, &row, &found);
    if (why == GJ_E_NOT_FOUND) return err;
    if (st) *st = found;
    if (why == GJ_E_DUPLICATE) *bad_line = import_lines_line(lines, row);
    return why;
}

/* The records, then the end of the load. */
static gj_err import_all(gj_engine *e, gj_csv_reader *reader, gj_progress *bar, bool bulk,
                         int64_t seq, gj_digest *digest, long *imported, long *bad_line,
                         gj_status *st) {
    import_ledger ledger;
    import_lines lines = {0};
    gj_err err = import_ledger_begin(e->store, seq, bulk, digest, &ledger, st);
    if (err == GJ_E_OK) err = import_records(e, reader, bar, &ledger, &lines, imported, bad_line, st);
    if (err == GJ_E_OK) err = finish_load(e, &ledger, &lines, bad_line, st);
    import_ledger_free(&ledger);
    import_lines_free(&lines);
    return err;
}

gj_err gj_import_persons(gj_engine *e, const gj_actor *who, FILE *csv, bool progress,
                         json_t **out, gj_status *st) {
    gj_csv_reader reader;
    gj_progress bar;
    gj_digest digest;
    long imported = 0, bad_line = 0;
    int64_t seq = 0;
    char hash[GJ_HASH_HEX];
    gj_csv_open(&reader, csv);
    gj_progress_start(&bar, "import persons", progress ? (uint64_t)count_lines(csv) : 0);
    if (!progress) bar.enabled = false;
    bool bulk = !gj_store_in_batch(e->store);   /* the whole file is one transaction */
    if (bulk) gj_store_bulk(e->store, true);
    gj_err err = eng_begin(e, st);
    if (err != GJ_E_OK) {
        if (bulk) gj_store_bulk(e->store, false);
        return err;
    }
    ledger_digest_init(&digest);
    err = journal_next_seq(e->store, &seq, st);
    if (err == GJ_E_OK)
        err = import_all(e, &reader, &bar, bulk, seq, &digest, &imported, &bad_line, st);
    ledger_digest_final(&digest, hash);
    gj_progress_finish(&bar);
    if (err != GJ_E_OK) {
        char detail[GJ_STATUS_DETAIL_MAX];
        snprintf(detail, sizeof detail, "%s", st ? st->detail : "");
        gj_store_rollback(e->store);
        if (bulk) gj_store_bulk(e->store, false);
        return gj_fail(st, GJ_E_IMPORT_FAILED, "line %ld: %s: %s", bad_line, gj_err_name(err), detail);
    }
    json_t *detail = json_pack("{s:I, s:s}", "imported", (json_int_t)imported, "postings_sha256", hash);
    err = journal_append(e->store, seq, gj_now(), who, "import.persons", "persons", detail, st);
    err = eng_finish(e, err, st);
    if (bulk) gj_store_bulk(e->store, false);
    if (err == GJ_E_OK) *out = json_pack("{s:I}", "imported", (json_int_t)imported);
    return err;
}

static json_t *person_accounts(gj_engine *e, const char *psn_no, gj_status *st, gj_err *err) {
    gj_rows *rows = NULL;
    json_t *accounts = json_object();
    *err = gj_store_query(e->store, "SELECT kind, balance_fen, frozen, frozen_reason FROM account "
                                    "WHERE owner = $1 AND code LIKE 'psn:%' ORDER BY code",
                          GJ_PARAMS(P_TEXT(psn_no)), &rows, st);
    if (*err != GJ_E_OK) return accounts;
    gj_fen shareable_total = 0;
    while (gj_rows_next(rows)) {
        const char *kind = gj_rows_text(rows, 0);
        json_object_set_new(accounts, kind, json_pack("{s:o, s:b}", "balance_yuan",
                                                      gj_json_yuan(gj_rows_int(rows, 1)),
                                                      "frozen", gj_rows_int(rows, 2) != 0));
        if (!gj_rows_null(rows, 3))   /* R9.2: the reason is shown to the person */
            json_object_set_new(json_object_get(accounts, kind), "frozen_reason",
                                json_string(gj_rows_text(rows, 3)));
        if (strcmp(kind, "card") != 0) shareable_total += gj_rows_int(rows, 1);
    }
    *err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    gj_json_set_yuan(accounts, "account_total_yuan", shareable_total);
    return accounts;
}

gj_err gj_person_show(gj_engine *e, const char *psn_no, json_t **out, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, "SELECT name, cert_type, certno, birth_date, gender, "
                                          "admdvs, insutype, status FROM person WHERE psn_no = $1",
                                GJ_PARAMS(P_TEXT(psn_no)), &rows, st);
    if (err != GJ_E_OK) return err;
    if (!gj_rows_next(rows)) {
        err = gj_rows_error(rows, st);
        gj_rows_end(rows);
        return err ? err : gj_fail(st, GJ_E_NOT_FOUND, "person not found");
    }
    char birth[GJ_DATE_TEXT_MAX], masked[32];
    gj_date born = (gj_date)gj_rows_int(rows, 3);
    json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s}", "psn_no", psn_no,
                          "name", gj_rows_text(rows, 0), "psn_cert_type", gj_rows_text(rows, 1),
                          "certno_masked", gj_idcard_mask(gj_rows_text(rows, 2), masked, sizeof masked),
                          "brdy", gj_date_format(born, birth, sizeof birth),
                          "age", gj_age_years(born, gj_time_date(gj_now())),
                          "gend", gj_rows_text(rows, 4), "insuplc_admdvs", gj_rows_text(rows, 5),
                          "insutype", gj_rows_text(rows, 6), "status", gj_rows_text(rows, 7));
    gj_rows_end(rows);
    json_object_set_new(p, "accounts", person_accounts(e, psn_no, st, &err));
    if (err != GJ_E_OK) {
        json_decref(p);
        return err;
    }
    *out = p;
    return GJ_E_OK;
}

gj_err gj_person_set_status(gj_engine *e, const gj_actor *who, const char *psn_no,
                            const char *status, json_t **out, gj_status *st) {
    bool ok = false;
    gj_psn_status_parse(status, &ok);
    if (!ok) return gj_fail(st, GJ_E_BAD_CODE, "status: active, suspended or terminated");
    gj_err err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    int64_t changes = 0;
    err = gj_store_exec(e->store, "UPDATE person SET status = $1 WHERE psn_no = $2",
                        GJ_PARAMS(P_TEXT(status), P_TEXT(psn_no)), &changes, st);
    if (err == GJ_E_OK && changes == 0) err = gj_fail(st, GJ_E_NOT_FOUND, "person not found");
    if (err == GJ_E_OK)
        err = eng_journal(e, who, "person.status", psn_no, json_pack("{s:s}", "status", status),
                          gj_now(), st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK) *out = json_pack("{s:s, s:s}", "psn_no", psn_no, "status", status);
    return err;
}

gj_err gj_account_deposit(gj_engine *e, const gj_actor *who, const char *psn_no,
                          const char *layer, gj_fen amount_fen, json_t **out, gj_status *st) {
    int l = gj_layer_parse(layer);
    if (l < 0) return gj_fail(st, GJ_E_BAD_CODE, "layer: current or prior");
    if (amount_fen <= 0) return gj_fail(st, GJ_E_BAD_AMOUNT, "amount must be positive");
    gj_person_facts person;
    gj_err err = eng_begin(e, st);
    if (err == GJ_E_OK) err = facts_person(e, psn_no, &person, st);
    if (err == GJ_E_OK && strcmp(person.insutype, "310") != 0)
        err = gj_fail(st, GJ_E_DONOR_NOT_EMPLOYEE, "only employee insurance has a personal account");
    char code[GJ_ACCOUNT_CODE_MAX], source[GJ_ACCOUNT_CODE_MAX];
    ledger_personal_code(code, psn_no, (gj_layer)l);
    snprintf(source, sizeof source, "alloc:%s", person.admdvs);
    gj_entry entry = {.count = 0};
    ledger_add(&entry, code, amount_fen);
    ledger_add(&entry, source, -amount_fen);
    int64_t entry_id = 0;
    if (err == GJ_E_OK) err = ledger_ensure(e->store, source, "allocation", person.admdvs, st);
    if (err == GJ_E_OK)
        err = eng_post_and_journal(e, who, "account.deposit", psn_no, &entry,
                                   json_pack("{s:s, s:o}", "layer", layer, "amount_yuan",
                                             gj_json_yuan(amount_fen)), gj_now(), &entry_id, st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK) return gj_person_show(e, psn_no, out, st);
    return err;
}

gj_err gj_institution_add(gj_engine *e, const gj_actor *who, const char *code, const char *name,
                          const char *kind, const char *admdvs, json_t **out, gj_status *st) {
    if (!gj_fixmedins_code_valid(code))
        return gj_fail(st, GJ_E_BAD_FIELD, "fixmedins_code: 12 letters or digits (e.g. H43010000001)");
    if (name == NULL || *name == '\0' || strlen(name) > 200)
        return gj_fail(st, GJ_E_BAD_FIELD, "name: 1..200 bytes");
    if (kind == NULL || (strcmp(kind, "hospital") != 0 && strcmp(kind, "pharmacy") != 0))
        return gj_fail(st, GJ_E_BAD_CODE, "kind: hospital or pharmacy");
    if (admdvs == NULL || !gj_admdvs_valid(admdvs)) return gj_fail(st, GJ_E_BAD_ADMDVS, "admdvs");
    gj_err err = eng_begin(e, st);
    if (err == GJ_E_OK)
        err = gj_store_exec(e->store, "INSERT INTO institution (fixmedins_code, name, kind, admdvs) "
                                      "VALUES ($1, $2, $3, $4)",
                            GJ_PARAMS(P_TEXT(code), P_TEXT(name), P_TEXT(kind), P_TEXT(admdvs)),
                            NULL, st);
    if (err == GJ_E_DUPLICATE) gj_fail(st, err, "institution %s already registered", code);
    char account[GJ_ACCOUNT_CODE_MAX];
    snprintf(account, sizeof account, "inst:%s", code);
    if (err == GJ_E_OK) err = ledger_ensure(e->store, account, "institution", code, st);
    if (err == GJ_E_OK)
        err = eng_journal(e, who, "institution.add", code,
                          json_pack("{s:s, s:s, s:s}", "name", name, "kind", kind, "admdvs", admdvs),
                          gj_now(), st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK)
        *out = json_pack("{s:s, s:s, s:s, s:s}", "fixmedins_code", code, "name", name, "kind", kind,
                         "admdvs", admdvs);
    return err;
}
