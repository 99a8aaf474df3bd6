/* import_row.h — one person row of `gongji import persons` (columns: docs/import.md). */
#ifndef GONGJI_IMPORT_ROW_H
#define GONGJI_IMPORT_ROW_H

#include "gongji/csv.h"
#include "gongji/domain.h"
#include "gongji/gjtime.h"
#include "gongji/money.h"

enum { IMPORT_COLUMNS = 14 };

typedef struct {
    char psn_no[32], name[64], cert_type[3], certno[32], admdvs[7], insutype[4], status[12];
    char ecert_no[64], card_no[32];
    gj_date birth;
    int gender;
    gj_fen layer_fen[GJ_LAYER_COUNT];
    gj_fen card_fen;
} import_row;

/* The first line may be the header row (first field "psn_no"). */
bool import_is_header(const gj_csv_record *rec);
/* Validate and convert one record; the reason names the column. */
gj_err import_parse_row(const gj_csv_record *rec, gj_date today, import_row *out, gj_status *st);

#endif
