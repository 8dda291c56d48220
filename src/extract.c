/* extract.c - the "extract" stage: plain-text article -> fields.
 *
 * Input is clean text from read.c (UTF-8, NFC, LF). The shape is the one of a
 * saved article: headline (first non-empty line), lead (next paragraph), body
 * paragraphs, then optional attribution lines ("(Theo Reuters)", "Nguồn Tổ
 * Quốc: http://...") that become source fields and leave the body.
 *
 * Parts, in order: paragraphs -> attribution and captions -> agencies ->
 * publication date -> people (people.c). Dates never get an invented year:
 * "ngày 20/7" is stored as "--07-20" with precision month_day.
 *
 * Not for: reading files (read.c), storing (store.c).
 */
#include "extract.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- small string helpers ---- */

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Trim ASCII space and NBSP (C2 A0) from both ends of [*s, *s+*n). */
static void trim(const char **s, size_t *n)
{
    while (*n > 0) {
        unsigned char c = (unsigned char)**s;
        if (c == ' ' || c == '\t' || c == '\f' || c == '\v') {
            (*s)++;
            (*n)--;
        } else if (*n >= 2 && c == 0xC2 && (unsigned char)(*s)[1] == 0xA0) {
            *s += 2;
            *n -= 2;
        } else {
            break;
        }
    }
    while (*n > 0) {
        unsigned char c = (unsigned char)(*s)[*n - 1];
        if (c == ' ' || c == '\t' || c == '\f' || c == '\v')
            (*n)--;
        else if (*n >= 2 && c == 0xA0 && (unsigned char)(*s)[*n - 2] == 0xC2)
            *n -= 2;
        else
            break;
    }
}

/* ---- paragraphs ---- */

typedef struct para {
    char *text;
    int kind; /* PARA_* */
} para;

enum { PARA_TEXT, PARA_DATELINE, PARA_ATTRIBUTION };

typedef struct paras {
    para *v;
    size_t n, cap;
} paras;

static int paras_push(paras *ps, const char *s, size_t n)
{
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 16;
        para *p = realloc(ps->v, cap * sizeof *p);
        if (!p)
            return KHOTIN_ENOMEM;
        ps->v = p;
        ps->cap = cap;
    }
    char *t = kh_strndup(s, n);
    if (!t)
        return KHOTIN_ENOMEM;
    ps->v[ps->n].text = t;
    ps->v[ps->n].kind = PARA_TEXT;
    ps->n++;
    return 0;
}

static void paras_free(paras *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        free(ps->v[i].text);
    free(ps->v);
}

static int split_paragraphs(const char *text, size_t len, paras *ps)
{
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *s = text + i;
        size_t n = end - i;
        trim(&s, &n);
        if (n > 0 && paras_push(ps, s, n))
            return KHOTIN_ENOMEM;
        i = end + 1;
    }
    return 0;
}

/* ---- agencies and publishers ---- */

/* Wire and news agencies. Longer names first so "RIA Novosti" wins over "RIA". */
static const char *const agencies[] = {
    "RIA Novosti", "Tân Hoa xã", "Reuters", "AFP", "AP", "RIA", "TASS",
    "TTXVN", "Kyodo", "Yonhap", "Bloomberg", "CNN", "BBC", "Sputnik",
    "Bernama", "Interfax", NULL};

static const struct host_map {
    const char *host;
    const char *name;
} hosts[] = {
    {"toquoc.vn", "Tổ Quốc"},         {"vnexpress.net", "VnExpress"},
    {"tuoitre.vn", "Tuổi Trẻ"},       {"thanhnien.vn", "Thanh Niên"},
    {"dantri.com.vn", "Dân trí"},     {"vietnamnet.vn", "VietNamNet"},
    {"baochinhphu.vn", "Báo Chính phủ"}, {"chinhphu.vn", "Báo Chính phủ"},
    {"nld.com.vn", "Người Lao Động"}, {"laodong.vn", "Lao Động"},
    {"vov.vn", "VOV"},                {"vtv.vn", "VTV"},
    {"tienphong.vn", "Tiền Phong"},   {"vietnamplus.vn", "VietnamPlus"},
    {"zingnews.vn", "Zing News"},     {"znews.vn", "Zing News"},
    {"baomoi.com", "Báo Mới"},        {"nhandan.vn", "Nhân Dân"},
    {"qdnd.vn", "Quân đội nhân dân"}, {"cand.com.vn", "Công an nhân dân"},
    {"kenh14.vn", "Kênh 14"},         {"soha.vn", "Soha"},
    {"vietnamfinance.vn", "VietnamFinance"}, {"cafef.vn", "CafeF"},
    {NULL, NULL}};

static int is_word_byte(unsigned char c)
{
    return c >= 0x80 || isalnum(c);
}

/* The agency whose name starts exactly at s (with word boundaries), or NULL. */
static const char *agency_at(const char *text, const char *s)
{
    if (s > text && is_word_byte((unsigned char)s[-1]))
        return NULL;
    for (size_t i = 0; agencies[i]; i++) {
        size_t n = strlen(agencies[i]);
        if (strncmp(s, agencies[i], n) == 0 && !is_word_byte((unsigned char)s[n]))
            return agencies[i];
    }
    return NULL;
}

/* Agency named exactly by [s, s+n) (after trimming), or NULL. */
static const char *agency_named(const char *s, size_t n)
{
    trim(&s, &n);
    for (size_t i = 0; agencies[i]; i++)
        if (strlen(agencies[i]) == n && strncmp(s, agencies[i], n) == 0)
            return agencies[i];
    return NULL;
}

const char *kh_publisher_for_url(const char *url)
{
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    size_t n = strcspn(h, "/:?#");
    for (size_t i = 0; hosts[i].host; i++) {
        size_t hn = strlen(hosts[i].host);
        if (n >= hn && strncmp(h + n - hn, hosts[i].host, hn) == 0 &&
            (n == hn || h[n - hn - 1] == '.'))
            return hosts[i].name;
    }
    return NULL;
}

static int scan_agencies(khotin_article *a, const char *text)
{
    for (const char *s = text; *s; s++) {
        if (!isupper((unsigned char)*s) && (unsigned char)*s < 0x80)
            continue;
        const char *ag = agency_at(text, s);
        if (ag) {
            if (kh_article_add_agency(a, ag))
                return KHOTIN_ENOMEM;
            s += strlen(ag) - 1;
        }
    }
    return 0;
}

/* ---- attribution lines ---- */

static const char *find_url(const char *s)
{
    const char *u = strstr(s, "http://");
    const char *v = strstr(s, "https://");
    if (!u || (v && v < u))
        u = v;
    if (!u)
        u = strstr(s, "www.");
    return u;
}

static int set_publisher(khotin_article *a, const char *s, size_t n)
{
    struct kh_article_fields *f = kh_article_fields(a);
    trim(&s, &n);
    if (n == 0 || *f->publisher)
        return 0;
    char *p = kh_strndup(s, n);
    if (!p)
        return KHOTIN_ENOMEM;
    free(f->publisher);
    f->publisher = p;
    return 0;
}

static int set_url(khotin_article *a, const char *u)
{
    struct kh_article_fields *f = kh_article_fields(a);
    size_t n = strcspn(u, " \t\n)");
    while (n > 0 && (u[n - 1] == '.' || u[n - 1] == ','))
        n--;
    if (*f->url)
        return 0;
    char *p = kh_strndup(u, n);
    if (!p)
        return KHOTIN_ENOMEM;
    free(f->url);
    f->url = p;
    const char *pub = kh_publisher_for_url(p);
    return pub ? set_publisher(a, pub, strlen(pub)) : 0;
}

/* A source value: "AFP/TTXVN", "Reuters", "Dân trí", or a URL. */
static int take_source_value(khotin_article *a, const char *s, size_t n)
{
    trim(&s, &n);
    char *v = kh_strndup(s, n);
    if (!v)
        return KHOTIN_ENOMEM;
    int rc = 0;
    const char *u = find_url(v);
    if (u) {
        rc = set_url(a, u);
        free(v);
        return rc;
    }
    /* Split on '/', ',' and " - ": each part an agency, or the publisher. */
    char *p = v;
    while (*p && rc == 0) {
        size_t k = strcspn(p, "/,;");
        const char *ag = agency_named(p, k);
        if (ag)
            rc = kh_article_add_agency(a, ag);
        else
            rc = set_publisher(a, p, k);
        p += k;
        if (*p)
            p++;
    }
    free(v);
    return rc;
}

static size_t count_words(const char *s)
{
    size_t n = 0;
    int in = 0;
    for (; *s; s++) {
        if (*s == ' ') {
            in = 0;
        } else if (!in) {
            in = 1;
            n++;
        }
    }
    return n;
}

/* If `t` is an attribution line, record its fields and return 1. */
static int attribution(khotin_article *a, const char *t, int *rc)
{
    size_t n = strlen(t);
    const char *s = t;
    int paren = 0;
    if (n >= 2 && t[0] == '(' && t[n - 1] == ')') {
        paren = 1;
        s = t + 1;
        n -= 2;
    }
    const char *rest = NULL;
    size_t restn = 0;
    if (starts_with(s, "Theo ") || starts_with(s, "theo ")) {
        rest = s + 5;
        restn = n - 5;
        /* a short line, not a sentence of the body */
        if (count_words(t) > 8 || memchr(rest, '.', restn) != NULL ||
            memchr(rest, ',', restn) != NULL)
            return 0;
    } else if (starts_with(s, "Nguồn") && n > strlen("Nguồn")) {
        const char *p = s + strlen("Nguồn");
        const char *colon = memchr(p, ':', n - (size_t)(p - s));
        /* "Nguồn: X" or "Nguồn Tổ Quốc: http://..." */
        if (!colon)
            return 0;
        if (colon > p) {
            const char *after = colon + 1;
            size_t an = n - (size_t)(after - s);
            /* A URL colon ("Nguồn: http://") is not the separator. */
            if (starts_with(p, ":")) {
                rest = p + 1;
                restn = n - (size_t)(rest - s);
            } else if (*p == ' ' && colon - p < 40) {
                *rc = set_publisher(a, p, (size_t)(colon - p));
                if (*rc == 0) {
                    const char *ag = agency_named(p, (size_t)(colon - p));
                    if (ag) /* "Nguồn Reuters: ..." names an agency */
                        *rc = kh_article_add_agency(a, ag);
                }
                rest = after;
                restn = an;
            } else {
                return 0;
            }
        } else {
            rest = p + 1;
            restn = n - (size_t)(rest - s);
        }
    } else if (!paren && (starts_with(t, "http://") || starts_with(t, "https://")) &&
               !strchr(t, ' ')) {
        rest = t;
        restn = n;
    } else {
        return 0;
    }
    if (*rc == 0)
        *rc = take_source_value(a, rest, restn);
    return 1;
}

/* An author line: "Tác giả: X", "Bài: X", "Bài và ảnh: X", "Nhóm PV", or a
 * short line of capitalised words that looks like a personal name. Sets
 * the name (*name, *n). */
static int author_line(const char *t, const char **name, size_t *n)
{
    static const char *const prefixes[] = {"Tác giả:", "Bài và ảnh:", "Bài, ảnh:",
                                           "Bài:", "Ảnh và bài:", NULL};
    for (size_t i = 0; prefixes[i]; i++)
        if (starts_with(t, prefixes[i])) {
            *name = t + strlen(prefixes[i]);
            *n = strlen(*name);
            trim(name, n);
            return *n > 0 && *n < 80;
        }
    if (strcmp(t, "Nhóm PV") == 0 || strcmp(t, "PV") == 0 ||
        strcmp(t, "Nhóm phóng viên") == 0) {
        *name = t;
        *n = strlen(t);
        return 1;
    }
    /* a byline in capitals: "ANH HẢO", "MAI VĂN BẢO" */
    {
        size_t words = 0, letters = 0, bad = 0;
        for (const char *q = t; *q;) {
            int32_t cp;
            utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)q, -1, &cp);
            if (k <= 0)
                return 0;
            utf8proc_category_t c = utf8proc_category(cp);
            if (cp == ' ') {
                if (q > t && q[-1] != ' ')
                    words++;
            } else if (c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_MN) {
                letters++;
            } else {
                bad++;
            }
            q += k;
        }
        words++;
        if (!bad && letters >= 4 && words >= 2 && words <= 4 && strlen(t) <= 40) {
            *name = t;
            *n = strlen(t);
            return 1;
        }
    }
    /* 2-4 words, each capitalised, letters only, no sentence punctuation */
    size_t words = 0;
    const char *p = t;
    while (*p) {
        int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);
        if (k <= 0)
            return 0;
        if (utf8proc_category(cp) != UTF8PROC_CATEGORY_LU)
            return 0; /* every word starts with a capital */
        words++;
        p += k;
        while (*p && *p != ' ') {
            k = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);
            if (k <= 0)
                return 0;
            utf8proc_category_t c = utf8proc_category(cp);
            if (c != UTF8PROC_CATEGORY_LL && c != UTF8PROC_CATEGORY_MN)
                return 0; /* lower-case letters after the capital */
            p += k;
        }
        while (*p == ' ')
            p++;
    }
    if (words < 2 || words > 4 || strlen(t) > 60 || kh_is_place_name(t))
        return 0;
    *name = t;
    *n = strlen(t);
    return 1;
}

/* Cut a trailing "(Nguồn: X)" picture credit from a body paragraph. */
static int cut_caption_credit(khotin_article *a, char *t)
{
    size_t n = strlen(t);
    if (n < 3 || t[n - 1] != ')')
        return 0;
    char *open = NULL;
    for (char *p = t + n - 1; p >= t; p--)
        if (*p == '(') {
            open = p;
            break;
        }
    if (!open)
        return 0;
    const char *inner = open + 1;
    const char *credit = NULL;
    if (starts_with(inner, "Nguồn:"))
        credit = inner + strlen("Nguồn:");
    else if (starts_with(inner, "Ảnh:"))
        credit = inner + strlen("Ảnh:");
    if (!credit)
        return 0;
    const char *ag = agency_named(credit, (size_t)(t + n - 1 - credit));
    if (ag && kh_article_add_agency(a, ag))
        return KHOTIN_ENOMEM;
    /* trim the paragraph before the credit */
    char *e = open;
    while (e > t && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *e = '\0';
    return 0;
}

static int add_event(void *ctx, const kh_date *d)
{
    return kh_article_add_event_date(ctx, d->iso, d->precision) ? 1 : 0;
}

/* ---- article assembly ---- */

static int join_body(khotin_article *a, const paras *ps, size_t lead)
{
    kh_buf b;
    kh_buf_init(&b);
    for (size_t i = lead + 1; i < ps->n; i++) {
        if (ps->v[i].kind != PARA_TEXT || !ps->v[i].text[0])
            continue;
        if (b.len)
            kh_buf_puts(&b, "\n\n");
        kh_buf_puts(&b, ps->v[i].text);
    }
    char *body = kh_buf_take(&b);
    if (!body)
        return KHOTIN_ENOMEM;
    struct kh_article_fields *f = kh_article_fields(a);
    free(f->body);
    f->body = body;
    return 0;
}

int khotin_article_parse(const char *text, size_t len, khotin_article **out)
{
    *out = NULL;
    paras ps = {0};
    khotin_article *a = kh_article_new();
    int rc = a ? split_paragraphs(text, len, &ps) : KHOTIN_ENOMEM;
    if (rc)
        goto fail;
    if (ps.n == 0) {
        rc = kh_error(KHOTIN_EINPUT, "no text: an article needs a headline");
        goto fail;
    }
    struct kh_article_fields *f = kh_article_fields(a);
    /* Agencies anywhere in the text, in order of appearance (before the
     * attribution lines and picture credits are taken apart). */
    {
        kh_buf all;
        kh_buf_init(&all);
        for (size_t i = 0; i < ps.n; i++) {
            kh_buf_puts(&all, ps.v[i].text);
            kh_buf_putc(&all, '\n');
        }
        rc = all.oom ? KHOTIN_ENOMEM : scan_agencies(a, kh_buf_cstr(&all));
        kh_buf_free(&all);
        if (rc)
            goto fail;
    }
    /* Trailing attribution lines and at most one author line, from the
     * end; the lead (paragraph 1) is never one of them. */
    for (size_t i = ps.n; i-- > 2;) {
        int arc = 0;
        const char *name;
        size_t namelen;
        if (attribution(a, ps.v[i].text, &arc)) {
            if (arc) {
                rc = arc;
                goto fail;
            }
            ps.v[i].kind = PARA_ATTRIBUTION;
        } else if (!*f->author && author_line(ps.v[i].text, &name, &namelen)) {
            char *au = kh_strndup(name, namelen);
            if (!au) {
                rc = KHOTIN_ENOMEM;
                goto fail;
            }
            free(f->author);
            f->author = au;
            ps.v[i].kind = PARA_ATTRIBUTION;
        } else {
            break;
        }
    }
    /* Datelines: a paragraph that is only a date; the first one is the
     * publication date. */
    kh_date pub = {0};
    for (size_t i = 1; i < ps.n; i++) {
        if (ps.v[i].kind != PARA_TEXT)
            continue;
        kh_date d;
        if (kh_date_line(ps.v[i].text, &d)) {
            ps.v[i].kind = PARA_DATELINE;
            if (!pub.precision)
                pub = d;
        }
    }
    /* Picture credits at the end of body paragraphs. */
    size_t lead = 0;
    for (size_t i = 1; i < ps.n; i++)
        if (ps.v[i].kind == PARA_TEXT) {
            lead = i;
            break;
        }
    for (size_t i = 1; i < ps.n; i++)
        if (ps.v[i].kind == PARA_TEXT && (rc = cut_caption_credit(a, ps.v[i].text)))
            goto fail;
    if ((rc = kh_article_set(&f->headline, ps.v[0].text)) ||
        (rc = kh_article_set(&f->lead, lead ? ps.v[lead].text : "")) ||
        (rc = join_body(a, &ps, lead ? lead : ps.n)))
        goto fail;
    /* Publication date: the dateline, else the first day+month in the
     * lead or body. */
    if (!pub.precision) {
        for (size_t i = 1; i < ps.n && !pub.precision; i++)
            if (ps.v[i].kind == PARA_TEXT)
                kh_date_find(ps.v[i].text, &pub);
    }
    /* A dated URL gives the date when the text has none, or the year of a
     * day and month the text gives ("ngày 24/8" + ".../...-20220824.htm"). */
    kh_date ud;
    if (*f->url && kh_url_date(f->url, &ud)) {
        if (!pub.precision)
            pub = ud;
        else if (pub.precision == KHOTIN_DATE_MONTH_DAY && strcmp(pub.iso + 2, ud.iso + 5) == 0)
            pub = ud;
    }
    if (pub.precision) {
        if ((rc = kh_article_set(&f->date, pub.iso)))
            goto fail;
        f->precision = pub.precision;
    }
    /* the dates of the events the text mentions */
    for (size_t i = 0; i < ps.n; i++)
        if (ps.v[i].kind == PARA_TEXT && (rc = kh_date_find_all(ps.v[i].text, add_event, a)))
            goto fail;
    if ((rc = kh_extract_people(a)))
        goto fail;
    paras_free(&ps);
    *out = a;
    return KHOTIN_OK;
fail:
    paras_free(&ps);
    khotin_article_free(a);
    if (rc == KHOTIN_ENOMEM)
        kh_error(rc, "out of memory while parsing an article");
    return rc;
}
