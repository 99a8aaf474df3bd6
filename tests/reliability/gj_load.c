/* gj_load.c — load client of the reliability tests (the tests in tests/reliability). Sends a plan of
 * HTTP requests to gongjid in order, one at a time, each until it is answered: a request whose
 * connection fails or whose answer is incomplete (the server was killed, refused the connection)
 * is sent again — same body, same msgid, a fresh signature nonce — until a complete answer
 * arrives. Every answer is appended to the answer log; every attempt to the attempt log, so the
 * test knows which requests were retried across a crash.
 *
 *   gj_load ADDR_FILE PLAN ANSWERS ATTEMPTS
 *
 * ADDR_FILE holds "HOST:PORT" (reread before every attempt: the server may come back elsewhere).
 * PLAN: one request a line, four tab-separated fields: ID, PATH, AUTH, BODY. AUTH is
 * "tif:PAASID:SECRET:TIMESTAMP" (x-tif-* signature, docs/nhsa.md) or "bearer:TOKEN" or "-".
 * BODY may contain "@SETL:ID@", replaced by the setl_id of the answer to the earlier request ID
 * (a 2208 cancelling a 2207 of the same plan). ANSWERS gets "ID<TAB>HTTP-STATUS<TAB>BODY" lines;
 * ATTEMPTS gets "ID" per attempt. A plan resumes after the IDs already in ANSWERS.
 * Exit 0 when every request was answered, 2 on bad usage, 3 when the server stayed away for
 * GJ_LOAD_GIVE_UP_S seconds (default 120). */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum { LINE_MAX_BYTES = 1 << 16, ANSWER_MAX_BYTES = 1 << 20, IDS_MAX = 1 << 14, RETRY_PAUSE_MS = 20 };

typedef struct {
    char *id;
    char *setl_id;
} answered;

static answered done[IDS_MAX];
static size_t done_count;

static const char *setl_of(const char *id) {
    for (size_t i = 0; i < done_count; i++)
        if (strcmp(done[i].id, id) == 0) return done[i].setl_id ? done[i].setl_id : "";
    return NULL;
}

/* Remember an answer: its ID and the setl_id inside a national answer, if any. */
static void remember(const char *id, const char *body) {
    if (done_count == IDS_MAX) {
        fprintf(stderr, "gj_load: more than %d requests\n", IDS_MAX);
        exit(2);
    }
    json_t *j = json_loads(body, 0, NULL);
    const char *s = json_string_value(json_object_get(json_object_get(json_object_get(j, "output"), "setlinfo"), "setl_id"));
    done[done_count].id = strdup(id);
    done[done_count].setl_id = s ? strdup(s) : NULL;
    done_count++;
    json_decref(j);
}

static void load_answers(const char *path) {
    FILE *f = fopen(path, "r");
    if (f == NULL) return;
    static char line[ANSWER_MAX_BYTES];
    while (fgets(line, sizeof line, f)) {
        char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (tab2 == NULL) continue;
        *tab1 = '\0';
        remember(line, tab2 + 1);
    }
    fclose(f);
}

/* BODY with every "@SETL:ID@" replaced; NULL when an ID has no answer yet. */
static char *substitute(const char *body) {
    size_t cap = strlen(body) + 1024, len = 0;
    char *out = malloc(cap);
    const char *p = body;
    for (;;) {
        const char *mark = strstr(p, "@SETL:"), *end = mark ? strchr(mark + 6, '@') : NULL;
        size_t plain = end ? (size_t)(mark - p) : strlen(p);
        const char *value = "";
        if (end) {
            char ref[128];
            snprintf(ref, sizeof ref, "%.*s", (int)(end - mark - 6), mark + 6);
            if ((value = setl_of(ref)) == NULL) return free(out), NULL;
        }
        if (len + plain + strlen(value) + 1 > cap) out = realloc(out, cap = 2 * (len + plain + strlen(value) + 1));
        memcpy(out + len, p, plain);
        len += plain;
        memcpy(out + len, value, strlen(value));
        len += strlen(value);
        if (!end) break;
        p = end + 1;
    }
    out[len] = '\0';
    return out;
}

static void hex(const unsigned char *raw, size_t n, char *out) {
    for (size_t i = 0; i < n; i++) snprintf(out + 2 * i, 3, "%02x", raw[i]);
}

/* The authentication headers of AUTH, each ending in CRLF. */
static void auth_headers(const char *auth, char *out, size_t cap) {
    out[0] = '\0';
    if (strncmp(auth, "bearer:", 7) == 0) {
        snprintf(out, cap, "Authorization: Bearer %s\r\n", auth + 7);
    } else if (strncmp(auth, "tif:", 4) == 0) {
        char paasid[128], secret[256], ts[32], nonce_hex[33], text[512], sig[65];
        unsigned char nonce[16], md[32];
        unsigned md_len = 0;
        if (sscanf(auth + 4, "%127[^:]:%255[^:]:%31s", paasid, secret, ts) != 3) return;
        RAND_bytes(nonce, sizeof nonce);
        hex(nonce, sizeof nonce, nonce_hex);
        int n = snprintf(text, sizeof text, "%s%s%s%s", ts, secret, nonce_hex, ts);
        EVP_Digest(text, (size_t)n, md, &md_len, EVP_sha256(), NULL);
        hex(md, sizeof md, sig);
        snprintf(out, cap, "x-tif-paasid: %s\r\nx-tif-timestamp: %s\r\nx-tif-nonce: %s\r\nx-tif-signature: %s\r\n",
                 paasid, ts, nonce_hex, sig);
    }
}

static int connect_to(const char *addr_file) {
    char host[64] = "", line[128] = "";
    unsigned port = 0;
    FILE *f = fopen(addr_file, "r");
    if (f == NULL) return -1;
    int ok = fgets(line, sizeof line, f) != NULL && sscanf(line, "%63[^:]:%u", host, &port) == 2;
    fclose(f);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (!ok || inet_pton(AF_INET, host, &a.sin_addr) != 1) return -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct timeval tv = {.tv_sec = 60};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0) close(fd);
        return -1;
    }
    return fd;
}

/* One attempt: the HTTP status and body of a complete answer, or -1. */
static int attempt(const char *addr_file, const char *path, const char *auth, const char *body,
                   char *answer, size_t cap) {
    static char request[LINE_MAX_BYTES + 2048];
    char headers[1024];
    auth_headers(auth, headers, sizeof headers);
    int n = snprintf(request, sizeof request,
                     "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n%s\r\n%s",
                     path, strlen(body), headers, body);
    int fd = connect_to(addr_file);
    if (fd < 0) return -1;
    for (int sent = 0; sent < n;) {
        ssize_t w = send(fd, request + sent, (size_t)(n - sent), MSG_NOSIGNAL);
        if (w <= 0) return close(fd), -1;
        sent += (int)w;
    }
    size_t got = 0;
    for (ssize_t r; got + 1 < cap && (r = recv(fd, answer + got, cap - 1 - got, 0)) > 0;) got += (size_t)r;
    close(fd);
    answer[got] = '\0';
    int status = 0;
    char *head_end = strstr(answer, "\r\n\r\n");
    const char *cl = strcasestr(answer, "\r\nContent-Length:");
    if (sscanf(answer, "HTTP/1.%*d %d", &status) != 1 || head_end == NULL || cl == NULL || cl > head_end)
        return -1;
    size_t want = strtoul(cl + 17, NULL, 10), have = got - (size_t)(head_end + 4 - answer);
    if (have != want) return -1;   /* cut off: not an answer */
    memmove(answer, head_end + 4, have + 1);
    return status;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fputs("usage: gj_load ADDR_FILE PLAN ANSWERS ATTEMPTS\n", stderr);
        return 2;
    }
    const char *give_up_env = getenv("GJ_LOAD_GIVE_UP_S");
    long give_up_s = give_up_env ? atol(give_up_env) : 120;
    load_answers(argv[3]);
    FILE *plan = fopen(argv[2], "r"), *answers = fopen(argv[3], "a"), *attempts = fopen(argv[4], "a");
    if (!plan || !answers || !attempts) return perror("gj_load"), 2;
    static char line[LINE_MAX_BYTES], answer[ANSWER_MAX_BYTES];
    while (fgets(line, sizeof line, plan)) {
        line[strcspn(line, "\n")] = '\0';
        char *id = strtok(line, "\t"), *path = strtok(NULL, "\t"), *auth = strtok(NULL, "\t"),
             *body = strtok(NULL, "");
        if (!id || !path || !auth || !body) continue;
        if (setl_of(id) != NULL) continue;   /* answered before a restart of this client */
        char *text = substitute(body);
        if (text == NULL) {
            fprintf(stderr, "gj_load: %s refers to a request without an answer\n", id);
            return 2;
        }
        time_t first_failure = 0;
        int status;
        for (;;) {
            fprintf(attempts, "%s\n", id);
            fflush(attempts);
            status = attempt(argv[1], path, auth, text, answer, sizeof answer);
            if (status > 0) break;
            if (first_failure == 0) first_failure = time(NULL);
            if (time(NULL) - first_failure > give_up_s) {
                fprintf(stderr, "gj_load: %s: no answer for %ld s\n", id, give_up_s);
                return 3;
            }
            usleep(RETRY_PAUSE_MS * 1000);
        }
        for (char *c = answer; *c; c++)
            if (*c == '\n' || *c == '\t') *c = ' ';
        fprintf(answers, "%s\t%d\t%s\n", id, status, answer);
        fflush(answers);
        remember(id, answer);
        free(text);
    }
    return 0;
}
