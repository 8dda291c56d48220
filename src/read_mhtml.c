/* read_mhtml.c - .mhtml/.mht single-file page saves -> read_html.c.
 *
 * What it does: reads the MIME message headers (folded lines, names in any
 * case), takes the boundary from "Content-Type: multipart/related", splits
 * the body into parts, picks the text/html part whose Content-Location is
 * the Snapshot-Content-Location (Chrome's saves) or else the first text/html
 * part (nested multiparts are searched too), undoes its
 * Content-Transfer-Encoding (quoted-printable, base64, 7bit/8bit/binary)
 * and hands the page to kh_read_html(). The part's charset parameter is
 * used when the page is not valid UTF-8 (and the caller named no
 * encoding). When the page itself gives no URL, the part's
 * Content-Location (the saved page's address) becomes the document URL.
 *
 * What it does not: read the other parts (pictures, style sheets, frames),
 * decode RFC 2047 encoded words in headers (no header text is used), or
 * check signatures. A message without a boundary or without an HTML part
 * is refused with KHOTIN_EINPUT.
 */
#include "extract.h" /* kh_publisher_for_url */
#include "reader.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MIME_MAX_DEPTH 4 /* multiparts inside multiparts */
#define HEADER_MAX 1024  /* one unfolded header value */

typedef struct span {
    const char *p;
    size_t n;
} span;

/* ---- headers ---- */

/* Split a MIME entity into its header block and its body (after the first
 * empty line). Without an empty line everything is header. */
static void split_entity(span e, span *head, span *body)
{
    size_t i = 0;
    while (i < e.n) {
        const char *nl = memchr(e.p + i, '\n', e.n - i);
        size_t end = nl ? (size_t)(nl - e.p) : e.n;
        size_t line = end - i;
        if (line > 0 && e.p[end - 1] == '\r')
            line--;
        if (line == 0) {
            *head = (span){e.p, i};
            *body = (span){e.p + end + 1 < e.p + e.n ? e.p + end + 1 : e.p + e.n,
                           end + 1 < e.n ? e.n - end - 1 : 0};
            return;
        }
        i = end + 1;
    }
    *head = e;
    *body = (span){e.p + e.n, 0};
}

/* Copy a header value starting at head.p[j], joining folded continuation
 * lines (they start with a space or a tab) and collapsing spaces. */
static void copy_value(span head, size_t j, char *out, size_t outn)
{
    size_t o = 0;
    for (;;) {
        while (j < head.n && head.p[j] != '\n') {
            char c = head.p[j++];
            if (c == '\r' || c == '\t')
                c = ' ';
            if (o + 1 < outn && !(c == ' ' && (o == 0 || out[o - 1] == ' ')))
                out[o++] = c;
        }
        if (j + 1 < head.n && (head.p[j + 1] == ' ' || head.p[j + 1] == '\t'))
            j++;
        else
            break;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
}

/* The unfolded value of header `name` in a header block ("" if absent). */
static void header(span head, const char *name, char *out, size_t outn)
{
    size_t k = strlen(name);
    out[0] = '\0';
    for (size_t i = 0; i < head.n; i++) {
        if (i > 0 && head.p[i - 1] != '\n')
            continue;
        if (head.n - i > k && strncasecmp(head.p + i, name, k) == 0 && head.p[i + k] == ':') {
            copy_value(head, i + k + 1, out, outn);
            return;
        }
    }
}

/* Parameter `name` of a header value ("text/html; charset=utf-8"),
 * unquoted ("" if absent). */
static void param(const char *value, const char *name, char *out, size_t outn)
{
    size_t k = strlen(name), o = 0;
    out[0] = '\0';
    for (const char *p = strchr(value, ';'); p; p = strchr(p + 1, ';')) {
        const char *q = p + 1;
        while (*q == ' ')
            q++;
        if (strncasecmp(q, name, k) != 0)
            continue;
        q += k;
        while (*q == ' ')
            q++;
        if (*q != '=')
            continue;
        q++;
        while (*q == ' ')
            q++;
        char quote = (*q == '"' || *q == '\'') ? *q++ : 0;
        while (*q && o + 1 < outn && (quote ? *q != quote : (*q != ';' && *q != ' ')))
            out[o++] = *q++;
        out[o] = '\0';
        return;
    }
}

/* The media type of a Content-Type value, lower-cased ("text/html"). */
static void media_type(const char *value, char *out, size_t outn)
{
    size_t o = 0;
    for (const char *p = value; *p && *p != ';' && *p != ' ' && o + 1 < outn; p++)
        out[o++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    out[o] = '\0';
}

/* ---- transfer encodings ---- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Quoted-printable: "=XX" is a byte, "=" at the end of a line joins it
 * with the next one. */
static void decode_qp(span s, kh_buf *out)
{
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c != '=') {
            kh_buf_putc(out, c);
            continue;
        }
        size_t j = i + 1;
        while (j < s.n && (s.p[j] == ' ' || s.p[j] == '\t'))
            j++;
        if (j < s.n && (s.p[j] == '\r' || s.p[j] == '\n')) { /* soft break */
            if (s.p[j] == '\r' && j + 1 < s.n && s.p[j + 1] == '\n')
                j++;
            i = j;
        } else if (i + 2 < s.n && hexval(s.p[i + 1]) >= 0 && hexval(s.p[i + 2]) >= 0) {
            kh_buf_putc(out, (char)(hexval(s.p[i + 1]) * 16 + hexval(s.p[i + 2])));
            i += 2;
        } else if (i + 1 >= s.n) {
            /* a final "=": soft break at the end of the part */
        } else {
            kh_buf_putc(out, c); /* a stray '=': kept as is */
        }
    }
}

static int b64val(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

/* Base64; line breaks and other stray characters are skipped, '=' ends. */
static void decode_base64(span s, kh_buf *out)
{
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < s.n && s.p[i] != '='; i++) {
        int v = b64val(s.p[i]);
        if (v < 0)
            continue;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            kh_buf_putc(out, (char)((acc >> bits) & 0xFF));
        }
    }
}

static void decode_body(const char *cte, span body, kh_buf *out)
{
    if (strcasecmp(cte, "quoted-printable") == 0)
        decode_qp(body, out);
    else if (strcasecmp(cte, "base64") == 0)
        decode_base64(body, out);
    else /* 7bit, 8bit, binary, or nothing said */
        kh_buf_append(out, body.p, body.n);
}

/* ---- multipart ---- */

/* Offset of the next delimiter line "--boundary" at or after `from`, or
 * (size_t)-1. *after is where the line after it starts; *last is set for
 * the closing "--boundary--". */
static size_t next_delimiter(span s, size_t from, const char *b, size_t *after, int *last)
{
    size_t bn = strlen(b);
    for (size_t i = from; i + 2 + bn <= s.n; i++) {
        if ((i > 0 && s.p[i - 1] != '\n') || s.p[i] != '-' || s.p[i + 1] != '-' ||
            memcmp(s.p + i + 2, b, bn) != 0)
            continue;
        size_t j = i + 2 + bn;
        *last = j + 1 < s.n && s.p[j] == '-' && s.p[j + 1] == '-';
        const char *nl = memchr(s.p + j, '\n', s.n - j);
        *after = nl ? (size_t)(nl - s.p) + 1 : s.n;
        return i;
    }
    return (size_t)-1;
}

/* The HTML part found so far. */
typedef struct found {
    span body;
    char cte[64];
    char charset[64];
    char location[HEADER_MAX];
    int exact; /* its location is the snapshot's */
} found;

static void find_html(span entity, const char *snapshot, found *f, int depth);

/* Look at every part of a multipart body. */
static void scan_parts(span body, const char *boundary, const char *snapshot,
                       found *f, int depth)
{
    size_t after, next_after;
    int last = 0, next_last;
    size_t d = next_delimiter(body, 0, boundary, &after, &last);
    while (d != (size_t)-1 && !last && !f->exact) {
        size_t e = next_delimiter(body, after, boundary, &next_after, &next_last);
        size_t end = e == (size_t)-1 ? body.n : e;
        /* the line break before a delimiter belongs to the delimiter */
        if (end > after && body.p[end - 1] == '\n')
            end--;
        if (end > after && body.p[end - 1] == '\r')
            end--;
        find_html((span){body.p + after, end > after ? end - after : 0}, snapshot, f, depth + 1);
        d = e;
        after = next_after;
        last = next_last;
    }
}

/* Search an entity (a message or a part) for the HTML page. */
static void find_html(span entity, const char *snapshot, found *f, int depth)
{
    span head, body;
    char ctype[HEADER_MAX], type[128];
    if (depth > MIME_MAX_DEPTH || f->exact)
        return;
    split_entity(entity, &head, &body);
    header(head, "Content-Type", ctype, sizeof ctype);
    media_type(ctype, type, sizeof type);
    if (strncmp(type, "multipart/", 10) == 0) {
        char boundary[256];
        param(ctype, "boundary", boundary, sizeof boundary);
        if (boundary[0])
            scan_parts(body, boundary, snapshot, f, depth);
        return;
    }
    if (strcmp(type, "text/html") != 0 && strcmp(type, "application/xhtml+xml") != 0)
        return;
    char location[HEADER_MAX];
    header(head, "Content-Location", location, sizeof location);
    int exact = snapshot[0] && strcmp(location, snapshot) == 0;
    if (f->body.p && !exact)
        return; /* keep the first HTML part unless this one is the snapshot */
    f->body = body;
    f->exact = exact;
    header(head, "Content-Transfer-Encoding", f->cte, sizeof f->cte);
    param(ctype, "charset", f->charset, sizeof f->charset);
    snprintf(f->location, sizeof f->location, "%s", location);
}

/* ---- handing the page on ---- */

typedef struct relay {
    kh_doc_cb cb;
    void *ctx;
    const char *location;
} relay;

/* The saved page's address is the URL when the page names none. */
static int relay_doc(void *ctx, int status, kh_doc *d)
{
    relay *r = ctx;
    if (status == 0 && !d->url && strstr(r->location, "://") &&
        strncasecmp(r->location, "http", 4) == 0) {
        d->url = kh_strdup(r->location);
        const char *pub = kh_publisher_for_url(r->location);
        if (!d->publisher && pub)
            d->publisher = kh_strdup(pub);
        if (!d->url || (pub && !d->publisher)) {
            kh_doc_clear(d);
            return kh_error(KHOTIN_ENOMEM, "out of memory");
        }
    }
    return r->cb(r->ctx, status, d);
}

int kh_read_mhtml(const char *name, const void *data, size_t len,
                  const kh_read_opts *opts, kh_doc_cb cb, void *ctx)
{
    span msg = {data, len}, head, body;
    char ctype[HEADER_MAX], type[128], snapshot[HEADER_MAX], boundary[256];
    split_entity(msg, &head, &body);
    header(head, "Content-Type", ctype, sizeof ctype);
    header(head, "Snapshot-Content-Location", snapshot, sizeof snapshot);
    media_type(ctype, type, sizeof type);
    param(ctype, "boundary", boundary, sizeof boundary);
    if (strncmp(type, "multipart/", 10) == 0 && !boundary[0])
        return kh_error(KHOTIN_EINPUT, "%s: MHTML file without a MIME boundary", name);
    found f;
    memset(&f, 0, sizeof f);
    find_html(msg, snapshot, &f, 0);
    if (!f.body.p)
        return kh_error(KHOTIN_EINPUT, "%s: no text/html part in the MHTML file", name);
    kh_buf html;
    kh_buf_init(&html);
    decode_body(f.cte, f.body, &html);
    if (html.oom) {
        kh_buf_free(&html);
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    }
    /* the part's charset, unless the caller named one or the bytes are
     * valid UTF-8 anyway (as read_html.c decides for pages) */
    kh_read_opts o = {opts ? opts->encoding : NULL};
    if (!o.encoding && f.charset[0] &&
        kh_utf8_invalid_offset(kh_buf_cstr(&html), html.len) != (size_t)-1)
        o.encoding = f.charset;
    relay r = {cb, ctx, f.location};
    int rc = kh_read_html(name, html.data ? html.data : "", html.len, &o, relay_doc, &r);
    kh_buf_free(&html);
    return rc;
}
