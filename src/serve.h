/* serve.h - internal interface of the web server (serve.c, serve_api.c,
 * serve_util.c and the generated web_assets.c); not installed.
 *
 * The server answers with the public API only (khotin.h), the same calls
 * the command line makes, so the page and the CLI always agree.
 */
#ifndef KHOTIN_SERVE_H
#define KHOTIN_SERVE_H

#include "khotin.h"

#include <stddef.h>
#include <stdint.h>

/* ---- embedded files (web_assets.c, generated from src/web/) ---- */

typedef struct kh_web_asset {
    const char *path;         /* "/", "/app.js", "/app.css" */
    const char *content_type;
    const unsigned char *data;
    size_t len;
    const char *etag;         /* quoted strong validator */
} kh_web_asset;

extern const kh_web_asset kh_web_assets[];
extern const size_t kh_web_asset_count;

/* ---- requests (serve_util.c) ---- */

/* Longest request target accepted (path and query string); longer is 414. */
#define KH_SERVE_MAX_URI 8192

typedef struct kh_param {
    char *name;
    char *value;
} kh_param;

typedef struct kh_request {
    char *path;        /* decoded path, "/api/search" */
    kh_param *params;  /* decoded query parameters, in order */
    size_t nparams;
    size_t uri_len;    /* length of the request target as received */
    int bad;           /* 1: a bad %-escape, NUL or invalid UTF-8 */
    char bad_what[96]; /* which part was bad, for the error message */
} kh_request;

/* Split and decode a request target ("/path?a=1&b=x+y"): %XX escapes,
 * '+' as a space in the query string, every part checked to be UTF-8
 * without NUL. Returns 0, or KHOTIN_ENOMEM. A malformed target sets
 * req->bad (and is answered with 400). */
int kh_request_parse(const char *target, kh_request *req);
void kh_request_free(kh_request *req);
/* The first value of parameter `name`, or NULL when absent. */
const char *kh_request_param(const kh_request *req, const char *name);

/* Decode %XX escapes (and '+' when plus_is_space) into a new string.
 * Returns NULL on a malformed escape, an escaped NUL, invalid UTF-8 or out
 * of memory (*oom set). */
char *kh_url_decode(const char *s, size_t len, int plus_is_space, int *oom);

/* 1 when s[0..len) is valid UTF-8 (shortest forms, no surrogates). */
int kh_utf8_valid(const char *s, size_t len);

/* A snippet with private marks around matches -> plain text and spans.
 * `text` receives a new string without the marks; `spans` receives
 * 2 * *nspans offsets (start, end) in characters (Unicode code points) of
 * the plain text. Unbalanced marks are tolerated. Returns 0 or
 * KHOTIN_ENOMEM. */
int kh_snippet_marks(const char *marked, const char *open, const char *close,
                     char **text, size_t **spans, size_t *nspans);

/* 1 when s is a date filter value: YYYY, YYYY-MM or YYYY-MM-DD. */
int kh_valid_date_filter(const char *s);

/* ---- responses (serve_api.c) ---- */

typedef struct kh_response {
    int status;
    const char *content_type;      /* static string */
    char *body;                    /* malloc'd, or NULL */
    size_t len;
    const char *disposition;       /* Content-Disposition or NULL (static) */
    int retry_after;               /* seconds, 0: none */
} kh_response;

/* Answer an /api/... request with the archive `db` (NULL: the archive
 * could not be opened on this thread; `open_error` says why). Always fills
 * `res` (an error is a JSON {"error": ...} with its status). */
void kh_api_handle(khotin_db *db, const char *open_error,
                   const kh_request *req, kh_response *res);

/* A JSON error body {"error": message} with `status`. */
void kh_api_error(kh_response *res, int status, const char *message);

#endif
