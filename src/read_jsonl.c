/* read_jsonl.c - JSON Lines datasets: one article object per line.
 *
 * Each non-blank line is parsed with jansson; fields are found by name,
 * case-insensitively, the first name of each list that has a value winning:
 *   headline   title | headline | tieu_de
 *   lead       sapo | lead | description | summary | abstract
 *   body       content | body | text | noi_dung   (string, or array of
 *              strings = paragraphs; newlines inside keep paragraphs)
 *   url        url | link | canonical
 *   date       date | published | publish_date | datePublished | pubdate |
 *              time   (ISO 8601, "20/7/2017 14:30" and other dateline forms,
 *              or epoch seconds; milliseconds when the number is that big)
 *   publisher  source | publisher | site | domain  (a host or URL is mapped
 *              to the outlet's name; without one, the url's host is tried)
 *   author     author | authors  (string, array of strings or of {"name"})
 * A document is the plain-article text (headline, blank line, lead, blank
 * line, body paragraphs) normalised by khotin_read_buffer, plus the fields
 * as metadata. Its name is "FILE:LINE".
 *
 * A bad line (invalid JSON, not an object, neither title nor body, longer
 * than 32 MiB) is reported to the callback with KHOTIN_EINPUT and the
 * reading goes on. A UTF-8 BOM, CRLF line ends, blank lines and a last
 * line without a newline are fine.
 */
#include "extract.h"
#include "reader.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define KH_MAX_JSON_LINE (32u * 1024u * 1024u)

static const char *const f_headline[] = {"title", "headline", "tieu_de", NULL};
static const char *const f_lead[] = {"sapo", "lead", "description", "summary",
                                     "abstract", NULL};
static const char *const f_body[] = {"content", "body", "text", "noi_dung", NULL};
static const char *const f_url[] = {"url", "link", "canonical", NULL};
static const char *const f_date[] = {"date", "published", "publish_date",
                                     "datePublished", "pubdate", "time", NULL};
static const char *const f_source[] = {"source", "publisher", "site", "domain", NULL};
static const char *const f_author[] = {"author", "authors", NULL};

/* ---- finding fields ---- */

/* A value worth taking: not null, not an empty string or array. */
static int has_value(json_t *v)
{
    if (json_is_string(v)) {
        for (const char *s = json_string_value(v); *s; s++)
            if (!isspace((unsigned char)*s))
                return 1;
        return 0;
    }
    if (json_is_array(v))
        return json_array_size(v) > 0;
    return v && !json_is_null(v);
}

/* The value of the first of `names` the object has (any case), or NULL. */
static json_t *field(json_t *obj, const char *const *names)
{
    for (size_t i = 0; names[i]; i++) {
        const char *key;
        json_t *v;
        json_object_foreach(obj, key, v) {
            if (strcasecmp(key, names[i]) == 0 && has_value(v))
                return v;
        }
    }
    return NULL;
}

/* A string, or the "name" of an object ({"@type": "Person", "name": ...}). */
static const char *string_or_name(json_t *v)
{
    if (json_is_object(v))
        v = json_object_get(v, "name");
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ---- text helpers ---- */

/* Append s with every run of white space made one space, trimmed. */
static void put_collapsed(kh_buf *b, const char *s, size_t n)
{
    int space = 0;
    size_t start = b->len;
    for (size_t i = 0; i < n; i++) {
        if (isspace((unsigned char)s[i])) {
            space = b->len > start;
            continue;
        }
        if (space)
            kh_buf_putc(b, ' ');
        space = 0;
        kh_buf_putc(b, s[i]);
    }
}

/* s on one line, NFC; NULL when empty (or out of memory). */
static char *one_line(const char *s)
{
    kh_buf b;
    kh_buf_init(&b);
    put_collapsed(&b, s, strlen(s));
    char *out = NULL;
    if (b.len && !b.oom && khotin_text_normalize(b.data, b.len, 0, &out) != 0)
        out = NULL;
    kh_buf_free(&b);
    return out;
}

/* Append a paragraph, after a blank line unless it is the first. */
static void put_paragraph(kh_buf *b, const char *s, size_t n)
{
    if (b->len)
        kh_buf_puts(b, "\n\n");
    put_collapsed(b, s, n);
}

/* Each non-blank line of s is a paragraph. The body's first paragraph is
 * left out when it equals *skip (the lead or headline repeated at the top
 * of the body); *skip is cleared once the first paragraph is seen. */
static void put_paragraphs(kh_buf *b, const char *s, const char **skip)
{
    while (*s) {
        size_t n = strcspn(s, "\n");
        kh_buf one;
        kh_buf_init(&one);
        put_collapsed(&one, s, n);
        if (one.len && !(*skip && strcmp(kh_buf_cstr(&one), *skip) == 0))
            put_paragraph(b, one.data, one.len);
        if (one.len)
            *skip = NULL;
        kh_buf_free(&one);
        s += n;
        if (*s)
            s++;
    }
}

/* Join strings (or {"name": ...} objects) of an array with "; ". */
static char *join_names(json_t *v)
{
    if (!json_is_array(v)) {
        const char *s = string_or_name(v);
        return s ? one_line(s) : NULL;
    }
    kh_buf b;
    kh_buf_init(&b);
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
        char *name = string_or_name(e) ? one_line(string_or_name(e)) : NULL;
        if (name && b.len)
            kh_buf_puts(&b, "; ");
        if (name)
            kh_buf_puts(&b, name);
        free(name);
    }
    char *out = b.len && !b.oom ? kh_buf_take(&b) : NULL;
    kh_buf_free(&b);
    return out;
}

/* ---- dates ---- */

/* Exactly n digits at s. */
static int digits_n(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

/* "Z", "+07:00", "+0700" or "+07" at *p; writes "+07:00" style. */
static int iso_zone(const char **p, char *zone, size_t n)
{
    const char *s = *p;
    int zh, zm = 0;
    if (*s == 'Z' || *s == 'z') {
        snprintf(zone, n, "+00:00");
        *p = s + 1;
        return 1;
    }
    if (*s != '+' && *s != '-')
        return *s == '\0'; /* no zone */
    if (!digits_n(s + 1, 2, &zh) || zh > 14)
        return 0;
    const char *e = s + 3;
    if (*e == ':')
        e++;
    if (isdigit((unsigned char)*e)) {
        if (!digits_n(e, 2, &zm) || zm > 59)
            return 0;
        e += 2;
    }
    snprintf(zone, n, "%c%02d:%02d", *s, zh, zm);
    *p = e;
    return 1;
}

/* The time part of an ISO 8601 date: "14:30[:05[.123]][zone]". */
static int iso_time(const char *p, char *out, size_t n)
{
    int h, mi, sec;
    if (!digits_n(p, 2, &h) || p[2] != ':' || !digits_n(p + 3, 2, &mi) || h > 23 || mi > 59)
        return 0;
    p += 5;
    if (*p == ':') {
        if (!digits_n(p + 1, 2, &sec) || sec > 60)
            return 0;
        p += 3;
        if (*p == '.' || *p == ',')
            for (p++; isdigit((unsigned char)*p); p++)
                ;
    }
    char zone[16] = "";
    if (!iso_zone(&p, zone, sizeof zone) || *p)
        return 0;
    snprintf(out, n, "T%02d:%02d%s", h, mi, zone);
    return 1;
}

/* ISO 8601: 2017, 2017-07, 2017-07-20, 2017-07-20T14:30:00+07:00 (or a
 * space for the T); the precision is the one written. */
static int iso_date(const char *s, kh_date *d)
{
    int y, mo, da;
    char t[32] = "";
    if (!digits_n(s, 4, &y))
        return 0;
    if (s[4] == '\0') {
        snprintf(d->iso, sizeof d->iso, "%04d", y);
        d->precision = KHOTIN_DATE_YEAR;
        return 1;
    }
    if (s[4] != '-' || !digits_n(s + 5, 2, &mo) || mo < 1 || mo > 12)
        return 0;
    if (s[7] == '\0') {
        snprintf(d->iso, sizeof d->iso, "%04d-%02d", y, mo);
        d->precision = KHOTIN_DATE_MONTH;
        return 1;
    }
    if (s[7] != '-' || !digits_n(s + 8, 2, &da) || da < 1 || da > 31)
        return 0;
    if (s[10] != '\0' && !((s[10] == 'T' || s[10] == 't' || s[10] == ' ') &&
                           iso_time(s + 11, t, sizeof t)))
        return 0;
    snprintf(d->iso, sizeof d->iso, "%04d-%02d-%02d%s", y, mo, da, t);
    d->precision = t[0] ? KHOTIN_DATE_TIME : KHOTIN_DATE_DAY;
    return 1;
}

/* Epoch seconds (milliseconds past 1e11) as Vietnam time (UTC+7, no
 * daylight saving since 1975), the zone of the outlets' own datelines. */
static int epoch_date(double secs, kh_date *d)
{
    if (secs > 1e11)
        secs /= 1000.0;
    if (!(secs >= 0 && secs < 253402300799.0)) /* up to 9999-12-31 */
        return 0;
    time_t t = (time_t)secs + 7 * 3600;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return 0;
    snprintf(d->iso, sizeof d->iso, "%04d-%02d-%02dT%02d:%02d+07:00", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
    d->precision = KHOTIN_DATE_TIME;
    return 1;
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

/* A date field: a number (epoch), an ISO string, an all-digit epoch
 * string, or anything a dateline may say ("20/7/2017 14:30",
 * "Thứ năm, 20/7/2017, 14:30 (GMT+7)"). 0 when it is none of these. */
static int date_of(json_t *v, kh_date *d)
{
    memset(d, 0, sizeof *d);
    if (json_is_number(v))
        return epoch_date(json_number_value(v), d);
    if (!json_is_string(v))
        return 0;
    char *s = one_line(json_string_value(v));
    int ok = 0;
    if (s && all_digits(s) && strlen(s) >= 9)
        ok = epoch_date(strtod(s, NULL), d);
    else if (s)
        ok = iso_date(s, d) || kh_date_line(s, d);
    free(s);
    if (!ok)
        memset(d, 0, sizeof *d);
    return ok;
}

/* ---- publisher ---- */

/* "vnexpress.net", "https://tuoitre.vn/..." - not "Dân trí". */
static int looks_like_host(const char *s)
{
    return strstr(s, "://") || (strchr(s, '.') && !strchr(s, ' '));
}

static char *outlet_for(const char *host_or_url)
{
    char *low = kh_strdup(host_or_url);
    if (!low)
        return NULL;
    for (char *p = low; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    const char *name = kh_publisher_for_url(low);
    free(low);
    return name ? kh_strdup(name) : NULL;
}

/* The source field, mapped to the outlet's name when it is a known host;
 * without a source field, the outlet of the url. */
static char *publisher_of(json_t *v, const char *url)
{
    char *s = v ? one_line(string_or_name(v) ? string_or_name(v) : "") : NULL;
    if (s && looks_like_host(s)) {
        char *name = outlet_for(s);
        if (name) {
            free(s);
            return name;
        }
    }
    if (s || !url)
        return s;
    return outlet_for(url);
}

/* ---- one line ---- */

/* Body paragraphs: a string, or an array of strings. The first paragraph
 * is dropped when it repeats the lead (or the headline). */
static void put_body(kh_buf *b, json_t *body, const char *skip)
{
    if (json_is_string(body)) {
        put_paragraphs(b, json_string_value(body), &skip);
        return;
    }
    size_t i;
    json_t *e;
    json_array_foreach(body, i, e) {
        if (json_is_string(e))
            put_paragraphs(b, json_string_value(e), &skip);
    }
}

static int body_has_text(json_t *body)
{
    if (json_is_string(body))
        return has_value(body);
    size_t i;
    json_t *e;
    json_array_foreach(body, i, e) {
        if (json_is_string(e) && has_value(e))
            return 1;
    }
    return 0;
}

/* Fill d from the article object; KHOTIN_EINPUT with *why when it has
 * neither headline nor body. */
static int doc_from_object(json_t *obj, kh_doc *d, const char **why)
{
    json_t *title = field(obj, f_headline), *lead = field(obj, f_lead);
    json_t *body = field(obj, f_body), *url = field(obj, f_url);
    if (!json_is_string(title))
        title = NULL;
    if (body && !body_has_text(body))
        body = NULL;
    if (!title && !body) {
        *why = "no title and no body: an article needs a \"title\" or a \"content\" "
               "(\"body\", \"text\") field";
        return KHOTIN_EINPUT;
    }
    d->headline = title ? one_line(json_string_value(title)) : NULL;
    d->lead = json_is_string(lead) ? one_line(json_string_value(lead)) : NULL;
    d->url = json_is_string(url) ? one_line(json_string_value(url)) : NULL;
    d->publisher = publisher_of(field(obj, f_source), d->url);
    d->author = join_names(field(obj, f_author));
    kh_date date;
    if (date_of(field(obj, f_date), &date)) {
        d->date = kh_strdup(date.iso);
        d->date_precision = date.precision;
    }
    kh_buf text;
    kh_buf_init(&text);
    if (d->headline)
        put_paragraph(&text, d->headline, strlen(d->headline));
    if (d->lead)
        put_paragraph(&text, d->lead, strlen(d->lead));
    if (body)
        put_body(&text, body, d->lead ? d->lead : d->headline);
    kh_buf_putc(&text, '\n');
    int rc = text.oom ? KHOTIN_ENOMEM
                      : khotin_read_buffer(d->name, text.data, text.len, &d->text, &d->len);
    kh_buf_free(&text);
    if (rc)
        *why = NULL; /* khotin_read_buffer said why */
    return rc;
}

/* Report a bad line to the callback; returns the callback's value. */
static int line_fail(kh_doc *d, kh_doc_cb cb, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int line_fail(kh_doc *d, kh_doc_cb cb, void *ctx, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char *name = d->name;
    d->name = NULL;
    kh_doc_clear(d);
    d->name = name;
    kh_error(KHOTIN_EINPUT, "%s: %s", name, msg);
    return cb(ctx, KHOTIN_EINPUT, d);
}

static int read_line(const char *file, size_t lineno, const char *s, size_t n,
                     kh_doc_cb cb, void *ctx)
{
    kh_doc d = {0};
    kh_buf name;
    kh_buf_init(&name);
    kh_buf_printf(&name, "%s:%zu", file, lineno);
    d.name = kh_buf_take(&name);
    if (!d.name)
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    if (n > KH_MAX_JSON_LINE)
        return line_fail(&d, cb, ctx, "line is %zu bytes, more than the %u MiB an "
                         "article line may have", n, KH_MAX_JSON_LINE / (1024 * 1024));
    json_error_t err;
    json_t *obj = json_loadb(s, n, 0, &err);
    if (!obj)
        return line_fail(&d, cb, ctx, "invalid JSON: %s (column %d)", err.text, err.column);
    if (!json_is_object(obj)) {
        json_decref(obj);
        return line_fail(&d, cb, ctx, "not a JSON object: each line must be one "
                         "article {...}");
    }
    const char *why = NULL;
    int rc = doc_from_object(obj, &d, &why);
    json_decref(obj);
    if (rc == KHOTIN_ENOMEM) {
        kh_doc_clear(&d);
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    }
    if (rc) { /* khotin_read_buffer's message starts with the name */
        char saved[1024];
        const char *msg = why ? why : khotin_last_error();
        size_t k = strlen(d.name);
        if (!why && strncmp(msg, d.name, k) == 0 && strncmp(msg + k, ": ", 2) == 0)
            msg += k + 2;
        snprintf(saved, sizeof saved, "%s", msg);
        return line_fail(&d, cb, ctx, "%s", saved);
    }
    return cb(ctx, 0, &d);
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            return 0;
    return 1;
}

int kh_read_jsonl(const char *name, const void *data, size_t len,
                  const kh_read_opts *opts, kh_doc_cb cb, void *ctx)
{
    (void)opts; /* JSON is UTF-8: a named encoding does not apply */
    const char *s = data;
    size_t i = 0, lineno = 0;
    int any = 0;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) : len, n = end - i;
        lineno++;
        if (n && s[i + n - 1] == '\r')
            n--;
        if (!blank(s + i, n)) {
            any = 1;
            int rc = read_line(name, lineno, s + i, n, cb, ctx);
            if (rc)
                return rc;
        }
        i = end + 1;
    }
    if (!any)
        return kh_error(KHOTIN_EINPUT, "%s: file is empty: nothing to import", name);
    return 0;
}
