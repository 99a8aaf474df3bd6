/* static.c — the web console's static files (docs/console.md): GET or HEAD of a path no API
 * route matches is looked up under the web directory (setting web_dir, default GJ_WEB_DIR):
 * "/" is index.html (insured people), "/staff/" is staff/index.html (agency staff), and files
 * under /assets/ and /vendor/ as they are. Nothing else is served: no directory listings, no
 * segment that starts with a dot (so no "..", also when sent as %2e%2e, which libmicrohttpd
 * decodes before routing), no backslash, no symlink at the last component. Content types by
 * extension; HTML is revalidated on every load, assets may be cached for an hour. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server.h"

enum { STATIC_FILE_MAX = 4 << 20, STATIC_PATH_MAX = 1024 };

static const struct {
    const char *ext;
    const char *type;
} content_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *content_type(const char *path) {
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof content_types / sizeof content_types[0]; i++)
        if (strcmp(dot, content_types[i].ext) == 0) return content_types[i].type;
    return NULL;   /* an unknown kind of file is not served */
}

/* Every segment non-empty-or-last, none starting with '.', no backslash or control byte. */
static int safe_relative(const char *rel) {
    if (*rel == '\0' || *rel == '/') return 0;
    for (const char *seg = rel; *seg;) {
        if (*seg == '.' || *seg == '/') return 0;
        size_t len = strcspn(seg, "/");
        for (size_t i = 0; i < len; i++)
            if (seg[i] == '\\' || (unsigned char)seg[i] < 0x20) return 0;
        seg += len;
        if (*seg == '/') seg++;
    }
    return 1;
}

/* The file under the web directory for a URL path, or 0 when none may be served. */
static int web_file(const char *path, char *rel, size_t rel_len) {
    if (strcmp(path, "/") == 0) return snprintf(rel, rel_len, "index.html") > 0;
    if (strcmp(path, "/staff/") == 0 || strcmp(path, "/staff") == 0)
        return snprintf(rel, rel_len, "staff/index.html") > 0;
    static const char *const prefixes[] = {"/assets/", "/vendor/", "/staff/"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(path, prefixes[i], n) != 0) continue;
        if (!safe_relative(path + n)) return 0;
        return (size_t)snprintf(rel, rel_len, "%s", path + 1) < rel_len;
    }
    return 0;
}

char *http_read_file(const char *file, size_t *len) {
    int fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat sb;
    char *buf = NULL;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size <= STATIC_FILE_MAX)
        buf = malloc((size_t)sb.st_size + 1);
    size_t got = 0;
    while (buf && got < (size_t)sb.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)sb.st_size - got);
        if (n <= 0 && errno != EINTR) {
            free(buf);
            buf = NULL;
        } else if (n > 0) {
            got += (size_t)n;
        }
    }
    close(fd);
    *len = got;
    return buf;
}

int http_static_serve(http_request *req, http_response *res) {
    char rel[STATIC_PATH_MAX], file[STATIC_PATH_MAX * 2];
    if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) return 0;
    if (!web_file(req->path, rel, sizeof rel)) return 0;
    const char *type = content_type(rel);
    if (type == NULL) return 0;
    snprintf(file, sizeof file, "%s/%s", req->server->config.web_dir, rel);
    size_t len = 0;
    char *body = http_read_file(file, &len);
    if (body == NULL) return 0;
    req->route = "static";
    res->status = 200;
    res->raw = body;
    res->raw_len = len;
    res->content_type = type;
    res->cache_control = strncmp(type, "text/html", 9) == 0 ? "no-cache" : "public, max-age=3600";
    return 1;
}
