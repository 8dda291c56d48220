/* reader.c - the read stage's front door: picks a reader from the content
 * of a file (not only its name) and hands its documents on.
 *
 *   MHTML   "MIME-Version:" / "Content-Type: multipart/related" headers
 *   HTML    "<!doctype html", "<html", "<head" or "<meta" near the start
 *   JSONL   first non-blank byte '{' and the first line a JSON object
 *   text    anything else: UTF-8, or a legacy Vietnamese encoding
 */
#include "extract.h"
#include "reader.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void kh_doc_clear(kh_doc *d)
{
    free(d->text);
    free(d->headline);
    free(d->lead);
    free(d->author);
    free(d->publisher);
    free(d->url);
    free(d->date);
    free(d->name);
    memset(d, 0, sizeof *d);
}

int kh_doc_apply_metadata(khotin_article *a, const kh_doc *d)
{
    struct kh_article_fields *f = kh_article_fields(a);
    if ((d->headline && kh_article_set(&f->headline, d->headline)) ||
        (d->lead && kh_article_set(&f->lead, d->lead)) ||
        (d->author && kh_article_set(&f->author, d->author)) ||
        (d->publisher && kh_article_set(&f->publisher, d->publisher)) ||
        (d->url && kh_article_set(&f->url, d->url)))
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    if (d->date && d->date_precision != KHOTIN_DATE_NONE) {
        if (kh_article_set(&f->date, d->date))
            return kh_error(KHOTIN_ENOMEM, "out of memory");
        f->precision = d->date_precision;
    }
    /* a dated URL completes or gives the date (as for plain text) */
    kh_date ud;
    if (d->url && f->precision < KHOTIN_DATE_DAY && kh_url_date(d->url, &ud) &&
        (f->precision == KHOTIN_DATE_NONE ||
         (f->precision == KHOTIN_DATE_MONTH_DAY && strcmp(f->date + 2, ud.iso + 5) == 0))) {
        if (kh_article_set(&f->date, ud.iso))
            return kh_error(KHOTIN_ENOMEM, "out of memory");
        f->precision = KHOTIN_DATE_DAY;
    }
    return 0;
}

/* ---- khotin_parse_file: every article of a file, without storing ---- */

typedef struct parse_ctx {
    khotin_parse_cb cb;
    void *ctx;
    int failed;
} parse_ctx;

static int parse_doc(void *vctx, int status, kh_doc *d)
{
    parse_ctx *c = vctx;
    khotin_article *a = NULL;
    const char *name = d->name ? d->name : "";
    if (status == 0)
        status = khotin_article_parse(d->text, d->len, &a);
    if (status == 0)
        status = kh_doc_apply_metadata(a, d);
    if (status)
        c->failed++;
    int rc = c->cb(c->ctx, name, status, status ? NULL : a);
    khotin_article_free(a);
    kh_doc_clear(d);
    return rc;
}

int khotin_parse_file(const char *path, const char *encoding, khotin_parse_cb cb,
                      void *ctx)
{
    kh_error_clear();
    kh_mapped map;
    int rc = kh_map_file(path, &map);
    if (rc)
        return rc;
    kh_read_opts o = {encoding};
    parse_ctx c = {cb, ctx, 0};
    rc = kh_read_docs(path, map.data, map.len, &o, parse_doc, &c);
    kh_unmap_file(&map);
    if (rc < 0)
        return rc;
    return c.failed ? kh_error(KHOTIN_EINPUT, "%s: %d document(s) could not be read",
                               path, c.failed)
                    : rc;
}

/* Case-insensitive search for `needle` in the first `n` bytes of s. */
static int has_prefix_within(const unsigned char *s, size_t len, size_t n,
                             const char *needle)
{
    size_t k = strlen(needle);
    if (len < n)
        n = len;
    for (size_t i = 0; i + k <= n; i++)
        if (strncasecmp((const char *)s + i, needle, k) == 0)
            return 1;
    return 0;
}

static size_t skip_space_bom(const unsigned char *s, size_t len)
{
    size_t i = 0;
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        i = 3;
    while (i < len && isspace(s[i]))
        i++;
    return i;
}

static int looks_mhtml(const unsigned char *s, size_t len)
{
    size_t i = skip_space_bom(s, len);
    const char *heads[] = {"MIME-Version:", "From:", "Snapshot-Content-Location:",
                           "Subject:", "Date:", "Content-Type: multipart/related"};
    int header = 0;
    for (size_t k = 0; k < sizeof heads / sizeof heads[0]; k++)
        if (len - i >= strlen(heads[k]) &&
            strncasecmp((const char *)s + i, heads[k], strlen(heads[k])) == 0)
            header = 1;
    return header && has_prefix_within(s, len, 4096, "multipart/related");
}

static int looks_html(const unsigned char *s, size_t len)
{
    size_t i = skip_space_bom(s, len);
    if (i >= len || s[i] != '<')
        return 0;
    return has_prefix_within(s + i, len - i, 2048, "<!doctype html") ||
           has_prefix_within(s + i, len - i, 2048, "<html") ||
           has_prefix_within(s + i, len - i, 2048, "<head") ||
           has_prefix_within(s + i, len - i, 2048, "<meta") ||
           has_prefix_within(s + i, len - i, 2048, "<body");
}

static int looks_jsonl(const unsigned char *s, size_t len)
{
    size_t i = skip_space_bom(s, len);
    if (i >= len || s[i] != '{')
        return 0;
    /* the first line must end with '}' (ignoring trailing spaces) */
    const unsigned char *nl = memchr(s + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - s) : len;
    while (e > i && isspace(s[e - 1]))
        e--;
    return e > i && s[e - 1] == '}';
}

int kh_read_docs(const char *name, const void *data, size_t len,
                 const kh_read_opts *opts, kh_doc_cb cb, void *ctx)
{
    const unsigned char *s = data;
    if (looks_mhtml(s, len))
        return kh_read_mhtml(name, data, len, opts, cb, ctx);
    if (looks_html(s, len))
        return kh_read_html(name, data, len, opts, cb, ctx);
    if (looks_jsonl(s, len))
        return kh_read_jsonl(name, data, len, opts, cb, ctx);
    return kh_read_text_docs(name, data, len, opts, cb, ctx);
}

/* Plain text: UTF-8 as is; otherwise a named or detected legacy encoding. */
int kh_read_text_docs(const char *name, const void *data, size_t len,
                      const kh_read_opts *opts, kh_doc_cb cb, void *ctx)
{
    kh_doc d = {0};
    const char *enc = opts ? opts->encoding : NULL;
    int rc;
    if (enc && strcasecmp(enc, "utf-8") != 0 && strcasecmp(enc, "utf8") != 0) {
        char *utf8 = NULL;
        size_t n = 0;
        rc = kh_convert_to_utf8(enc, data, len, &utf8, &n);
        if (rc)
            return kh_error(rc, "%s: cannot read as %s: %s", name, enc, khotin_last_error());
        rc = khotin_read_buffer(name, utf8, n, &d.text, &d.len);
        free(utf8);
    } else {
        rc = khotin_read_buffer(name, data, len, &d.text, &d.len);
        if (rc == KHOTIN_EINPUT && !enc && kh_utf8_invalid_offset(data, len) != (size_t)-1) {
            /* not UTF-8: maybe an older Vietnamese encoding */
            char saved[1024];
            snprintf(saved, sizeof saved, "%s", khotin_last_error());
            const char *guess = kh_detect_encoding(data, len);
            char *utf8 = NULL;
            size_t n = 0;
            if (guess && kh_convert_to_utf8(guess, data, len, &utf8, &n) == 0) {
                rc = khotin_read_buffer(name, utf8, n, &d.text, &d.len);
                free(utf8);
            } else {
                kh_error(rc, "%s (no Vietnamese legacy encoding fits either; "
                             "name one with --encoding)", saved);
            }
        }
    }
    if (rc)
        return rc;
    d.name = kh_strdup(name);
    if (!d.name) {
        kh_doc_clear(&d);
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    }
    return cb(ctx, 0, &d);
}
