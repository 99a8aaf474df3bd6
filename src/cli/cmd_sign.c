/* cmd_sign.c — `sign`: the signature headers of one national-interface request to gongjid
 * (docs/nhsa.md, "Signing"), so an integrator can try the interface with curl:
 *   curl … $(gongji sign --paasid PA… --secret-file pharmacy.secret --body req.json) \
 *     --data-binary @req.json
 * The secret is read from a file or stdin, never from the command line. The computation is
 * the server's own (gongji/signature.h). Needs no database. */
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/hex.h"
#include "cli.h"
#include "gongji/signature.h"

enum { SECRET_LINE_MAX = 256, NONCE_BYTES = 16, BODY_MAX = 1 << 20, TIMESTAMP_TEXT_MAX = 24 };

/* The first line of a file ("-": stdin) without its end; empty is BAD_FIELD naming `what`. */
static gj_err read_line(const char *path, const char *what, char *buf, size_t len, gj_status *st) {
    FILE *f = NULL;
    gj_err err = cli_open_input(path, &f, st);
    if (err != GJ_E_OK) return err;
    bool got = fgets(buf, (int)len, f) != NULL;
    cli_close_input(f);
    buf[got ? strcspn(buf, "\r\n") : 0] = '\0';
    return buf[0] ? GJ_E_OK : gj_fail(st, GJ_E_BAD_FIELD, "%s: nothing to read", what);
}

/* The whole body file, exactly its bytes (the signature covers them). */
static gj_err read_body(const char *path, char **body, size_t *len, gj_status *st) {
    FILE *f = NULL;
    gj_err err = cli_open_input(path, &f, st);
    if (err != GJ_E_OK) return err;
    *body = malloc(BODY_MAX + 1);
    *len = *body ? fread(*body, 1, BODY_MAX + 1, f) : 0;
    cli_close_input(f);
    if (*body == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    if (*len > BODY_MAX) return gj_fail(st, GJ_E_TOO_LARGE, "--body: more than %d bytes", BODY_MAX);
    return GJ_E_OK;
}

static gj_err nonce_or_random(const cli_ctx *c, char *buf, size_t len, gj_status *st) {
    const char *given = cli_opt(c, "nonce");
    unsigned char raw[NONCE_BYTES];
    if (given != NULL) return snprintf(buf, len, "%s", given) < (int)len ? GJ_E_OK
                                 : gj_fail(st, GJ_E_BAD_FIELD, "--nonce: too long");
    if (RAND_bytes(raw, sizeof raw) != 1) return gj_fail(st, GJ_E_INTERNAL, "no randomness available");
    gj_hex_encode(raw, sizeof raw, buf);
    return GJ_E_OK;
}

static gj_err scheme_of(const cli_ctx *c, gj_sig_scheme *scheme, gj_status *st) {
    const char *name = cli_opt(c, "scheme");
    if (name == NULL || strcmp(name, "hmac") == 0) *scheme = GJ_SIG_HMAC;
    else if (strcmp(name, "tif") == 0) *scheme = GJ_SIG_TIF;
    else return gj_fail(st, GJ_E_BAD_CODE, "--scheme: hmac or tif expected");
    if (*scheme == GJ_SIG_HMAC && cli_opt(c, "body") == NULL)
        return gj_fail(st, GJ_E_USAGE, "--scheme hmac signs the body: give --body FILE");
    return GJ_E_OK;
}

static json_t *headers_json(gj_sig_scheme scheme, const char *paasid, const char *ts,
                            const char *nonce, const char *sig) {
    const char *const *names = gj_signature_headers(scheme);
    return json_pack("{s:s, s:{s:s, s:s, s:s, s:s}}", "scheme", scheme == GJ_SIG_HMAC ? "hmac" : "tif",
                     "headers", names[0], paasid, names[1], ts, names[2], nonce, names[3], sig);
}

static gj_err run_sign(cli_ctx *c, json_t **out, gj_status *st) {
    char secret[SECRET_LINE_MAX], nonce[2 * NONCE_BYTES + 1 + 64], ts[TIMESTAMP_TEXT_MAX];
    char sig[GJ_SIGNATURE_HEX + 1], *body = NULL;
    size_t body_len = 0;
    gj_sig_scheme scheme = GJ_SIG_HMAC;
    const char *method = cli_opt(c, "method") ? cli_opt(c, "method") : "POST";
    const char *path = cli_opt(c, "path") ? cli_opt(c, "path") : "/fsi/api/callService";
    gj_err err = scheme_of(c, &scheme, st);
    if (err == GJ_E_OK) err = read_line(cli_opt(c, "secret-file"), "secret", secret, sizeof secret, st);
    if (err == GJ_E_OK && cli_opt(c, "body")) err = read_body(cli_opt(c, "body"), &body, &body_len, st);
    if (err == GJ_E_OK) err = nonce_or_random(c, nonce, sizeof nonce, st);
    if (err == GJ_E_OK) {
        snprintf(ts, sizeof ts, "%lld", gj_unix_now());
        if (cli_opt(c, "timestamp")) snprintf(ts, sizeof ts, "%s", cli_opt(c, "timestamp"));
        if (gj_signature(scheme, secret, ts, nonce, method, path, body, body_len, sig) != 0)
            err = gj_fail(st, GJ_E_INTERNAL, "out of memory");
    }
    if (err == GJ_E_OK) *out = headers_json(scheme, cli_opt(c, "paasid"), ts, nonce, sig);
    OPENSSL_cleanse(secret, sizeof secret);
    free(body);
    return err;
}

/* Text mode: curl arguments on one line, `-H name:value` each (no spaces, so $(…) splits). */
static void print_sign(FILE *f, const json_t *out) {
    const char *name;
    json_t *value;
    const char *sep = "";
    json_object_foreach(json_object_get(out, "headers"), name, value) {
        fprintf(f, "%s-H %s:%s", sep, name, json_string_value(value));
        sep = " ";
    }
    fputc('\n', f);
}

const cli_command cli_sign_commands[] = {
    {"sign", NULL, "Signature headers for a gongjid request / 生成接口签名请求头",
     "Prints curl arguments (-H name:value …) carrying the signature of one request to\n"
     "POST /fsi/api/callService, computed as gongjid checks it (docs/nhsa.md, Signing): the\n"
     "recommended HMAC scheme (x-gj-*, covers method, path and body) or the Guangdong gateway\n"
     "style (x-tif-*, --scheme tif, does not cover the body). Timestamp: now (--now, GONGJI_NOW);\n"
     "nonce: 32 random hex characters. Each signed request needs a fresh nonce: sign again for\n"
     "every request. --json prints {scheme, headers}. Needs no database.",
     NULL,
     CLI_OPTS({"paasid", "PAASID", "the credential's paasid (gongji institution credential)", true},
              {"secret-file", "FILE", "file whose first line is the secret; - for stdin", true},
              {"body", "FILE", "the exact body bytes to send (required for hmac)", false},
              {"scheme", "SCHEME", "hmac (default) | tif", false},
              {"method", "METHOD", "HTTP method (default POST)", false},
              {"path", "PATH", "request path (default /fsi/api/callService)", false},
              {"nonce", "NONCE", "nonce to use instead of a random one (16-64 of A-Z a-z 0-9 - _)", false},
              {"timestamp", "SECONDS", "Unix timestamp to use instead of now", false}),
     "gongji sign --paasid PA0123456789abcdef --secret-file pharmacy.secret --body req.json\n"
     "curl -sS http://127.0.0.1:8080/fsi/api/callService -H 'Content-Type: application/json' \\\n"
     "  $(gongji sign --paasid \"$PAASID\" --secret-file pharmacy.secret --body req.json) \\\n"
     "  --data-binary @req.json",
     NULL, run_sign, print_sign},
    CLI_END,
};
