/* serve_util.c - request targets for the web server: split a target into
 * its path and query parameters, decode them (%XX, '+' as space), check
 * that everything is UTF-8 without NUL; turn a marked snippet into text
 * and match spans. No I/O, no libmicrohttpd: tested on its own. */
#include "internal.h"
#include "serve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kh_utf8_valid(const char *str, size_t len)
{
    return kh_utf8_invalid_offset(str, len) == (size_t)-1;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *kh_url_decode(const char *s, size_t len, int plus_is_space, int *oom)
{
    *oom = 0;
    char *out = malloc(len + 1);
    if (!out) {
        *oom = 1;
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '%') {
            if (len - i < 3 || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0) {
                free(out);
                return NULL;
            }
            c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        }
        if (c == '\0') {
            free(out);
            return NULL;
        }
        out[o++] = c;
    }
    out[o] = '\0';
    if (!kh_utf8_valid(out, o)) {
        free(out);
        return NULL;
    }
    return out;
}

void kh_request_free(kh_request *req)
{
    if (!req)
        return;
    free(req->path);
    for (size_t i = 0; i < req->nparams; i++) {
        free(req->params[i].name);
        free(req->params[i].value);
    }
    free(req->params);
    memset(req, 0, sizeof *req);
}

static void set_bad(kh_request *req, const char *what)
{
    if (!req->bad)
        snprintf(req->bad_what, sizeof req->bad_what, "%s", what);
    req->bad = 1;
}

int kh_request_parse(const char *target, kh_request *req)
{
    memset(req, 0, sizeof *req);
    size_t len = strlen(target);
    req->uri_len = len;
    size_t plen = strcspn(target, "?#");
    int oom = 0;
    req->path = kh_url_decode(target, plen, 0, &oom);
    if (oom)
        return KHOTIN_ENOMEM;
    if (!req->path) {
        set_bad(req, "the path");
        req->path = strdup("");
        if (!req->path)
            return KHOTIN_ENOMEM;
    }
    if (target[plen] != '?')
        return 0;
    const char *q = target + plen + 1;
    size_t qlen = strcspn(q, "#");
    size_t cap = 0;
    for (size_t i = 0; i <= qlen;) {
        size_t n = 0;
        while (i + n < qlen && q[i + n] != '&' && q[i + n] != ';')
            n++;
        if (n > 0) {
            const char *part = q + i;
            const char *eq = memchr(part, '=', n);
            size_t nl = eq ? (size_t)(eq - part) : n;
            char *name = kh_url_decode(part, nl, 1, &oom);
            char *value = name ? kh_url_decode(eq ? eq + 1 : "", eq ? n - nl - 1 : 0, 1, &oom)
                               : NULL;
            if (oom) {
                free(name);
                free(value);
                return KHOTIN_ENOMEM;
            }
            if (!name || !value) {
                char what[64];
                snprintf(what, sizeof what, "the parameter \"%.*s\"",
                         (int)(nl < 24 ? nl : 24), part);
                set_bad(req, what);
                free(name);
                free(value);
            } else {
                if (req->nparams == cap) {
                    size_t ncap = cap ? cap * 2 : 8;
                    kh_param *p = realloc(req->params, ncap * sizeof *p);
                    if (!p) {
                        free(name);
                        free(value);
                        return KHOTIN_ENOMEM;
                    }
                    req->params = p;
                    cap = ncap;
                }
                req->params[req->nparams].name = name;
                req->params[req->nparams].value = value;
                req->nparams++;
            }
        }
        i += n + 1;
    }
    return 0;
}

const char *kh_request_param(const kh_request *req, const char *name)
{
    for (size_t i = 0; i < req->nparams; i++)
        if (strcmp(req->params[i].name, name) == 0)
            return req->params[i].value;
    return NULL;
}

int kh_snippet_marks(const char *marked, const char *open, const char *close,
                     char **text, size_t **spans, size_t *nspans)
{
    *text = NULL;
    *spans = NULL;
    *nspans = 0;
    size_t len = strlen(marked), olen = strlen(open), clen = strlen(close);
    char *out = malloc(len + 1);
    if (!out)
        return KHOTIN_ENOMEM;
    size_t *sp = NULL, cap = 0, n = 0;
    size_t o = 0, chars = 0, start = 0;
    int in = 0;
    for (size_t i = 0; i < len;) {
        int is_open = olen && strncmp(marked + i, open, olen) == 0;
        int is_close = clen && strncmp(marked + i, close, clen) == 0;
        if (is_open || is_close) {
            if (is_open && !in) {
                in = 1;
                start = chars;
            } else if (is_close && in) {
                in = 0;
                if (chars > start) {
                    if (n == cap) {
                        cap = cap ? cap * 2 : 8;
                        size_t *p = realloc(sp, 2 * cap * sizeof *p);
                        if (!p) {
                            free(sp);
                            free(out);
                            return KHOTIN_ENOMEM;
                        }
                        sp = p;
                    }
                    sp[2 * n] = start;
                    sp[2 * n + 1] = chars;
                    n++;
                }
            }
            i += is_open ? olen : clen;
            continue;
        }
        unsigned char c = (unsigned char)marked[i];
        if ((c & 0xC0) != 0x80)
            chars++;
        out[o++] = marked[i++];
    }
    if (in && chars > start) {
        if (n == cap) {
            size_t *p = realloc(sp, 2 * (cap + 1) * sizeof *p);
            if (!p) {
                free(sp);
                free(out);
                return KHOTIN_ENOMEM;
            }
            sp = p;
        }
        sp[2 * n] = start;
        sp[2 * n + 1] = chars;
        n++;
    }
    out[o] = '\0';
    *text = out;
    *spans = sp;
    *nspans = n;
    return 0;
}

int kh_valid_date_filter(const char *s)
{
    static const char *const shapes[] = {"dddd", "dddd-dd", "dddd-dd-dd"};
    for (size_t k = 0; k < 3; k++) {
        const char *p = shapes[k];
        size_t i = 0;
        for (; p[i] && s[i]; i++) {
            if (p[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != p[i])
                break;
        }
        if (!p[i] && !s[i])
            return 1;
    }
    return 0;
}
