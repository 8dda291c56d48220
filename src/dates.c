/* dates.c - dates in Vietnamese news text (part of the extract stage).
 *
 * Works on the folded paragraph (lower case, no diacritics), so "Thứ năm"
 * and "thu nam" are the same. Recognised forms:
 *   20/7/2017, 20-07-2017, 20.7.2017 (+ optional time "14:30", "14h30",
 *   and zone "(GMT+7)")              -> day or time precision
 *   2017-07-20, 2017-07-20T14:30     -> ISO 8601
 *   ngày 20 tháng 7 năm 2017         -> day
 *   ngày 20 tháng 7, ngày 20/7, hôm 20/7, sáng 20/7 -> month_day ("--07-20")
 * Month/year expressions ("tháng 10/2016") are not publication dates.
 * A year is never invented.
 */
#include "extract.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int valid_dm(int d, int m) { return d >= 1 && d <= 31 && m >= 1 && m <= 12; }

/* Read 1..maxd digits at s; returns the count read (0 if none). */
static int digits(const char *s, int maxd, int *val)
{
    int n = 0, v = 0;
    while (n < maxd && isdigit((unsigned char)s[n])) {
        v = v * 10 + (s[n] - '0');
        n++;
    }
    if (isdigit((unsigned char)s[n]))
        return 0; /* too many digits */
    *val = v;
    return n;
}

/* The word that ends just before position i (skipping spaces), copied into
 * w (lower-case ASCII, folded text). */
static void prev_word(const char *text, size_t i, char *w, size_t wn)
{
    size_t e = i;
    while (e > 0 && (text[e - 1] == ' ' || text[e - 1] == '('))
        e--;
    size_t s = e;
    while (s > 0 && isalpha((unsigned char)text[s - 1]))
        s--;
    size_t n = e - s < wn - 1 ? e - s : wn - 1;
    memcpy(w, text + s, n);
    w[n] = '\0';
}

static int is_date_word(const char *w)
{
    static const char *const words[] = {"ngay", "hom", "sang", "chieu", "toi",
                                        "trua", "dem", "khuya", "mai", NULL};
    for (size_t i = 0; words[i]; i++)
        if (strcmp(w, words[i]) == 0)
            return 1;
    return 0;
}

/* Optional time and zone after a date: ", 14:30 (GMT+7)". Returns the
 * number of bytes consumed and writes "THH:MM[+ZZ:00]" into out. */
static size_t read_time(const char *s, char *out, size_t outn)
{
    size_t i = 0;
    while (s[i] == ' ' || s[i] == ',' || s[i] == '-' || s[i] == '|')
        i++;
    if (strncmp(s + i, "luc ", 4) == 0)
        i += 4;
    int h, m;
    int k = digits(s + i, 2, &h);
    if (!k || (s[i + k] != ':' && s[i + k] != 'h'))
        return 0;
    size_t j = i + (size_t)k + 1;
    int k2 = digits(s + j, 2, &m);
    if (k2 != 2 || h > 23 || m > 59)
        return 0;
    j += (size_t)k2;
    if (s[j] == ':' && isdigit((unsigned char)s[j + 1])) { /* seconds: drop */
        int sec;
        int k3 = digits(s + j + 1, 2, &sec);
        if (k3 == 2)
            j += 3;
    }
    char zone[16] = "";
    size_t z = j;
    while (s[z] == ' ' || s[z] == '(')
        z++;
    if (strncmp(s + z, "gmt", 3) == 0 || strncmp(s + z, "utc", 3) == 0)
        z += 3;
    else if (s[z] != '+' && s[z] != '-')
        z = (size_t)-1;
    if (z != (size_t)-1 && (s[z] == '+' || s[z] == '-')) {
        int zh, zm = 0;
        int kz = digits(s + z + 1, 2, &zh);
        if (kz && zh <= 14) {
            size_t e = z + 1 + (size_t)kz;
            if (s[e] == ':' && digits(s + e + 1, 2, &zm) == 2)
                e += 3;
            snprintf(zone, sizeof zone, "%c%02d:%02d", s[z], zh, zm);
            if (s[e] == ')')
                e++;
            j = e;
        }
    }
    snprintf(out, outn, "T%02d:%02d%s", h, m, zone);
    return j;
}

/* Try to read a date starting at text[i]; returns bytes consumed or 0. */
static size_t date_at(const char *text, size_t i, kh_date *d)
{
    const char *s = text + i;
    int a, b, c;
    int ka = digits(s, 4, &a);
    if (!ka)
        return 0;
    /* ISO 8601: 2017-07-20 */
    if (ka == 4 && s[4] == '-' && digits(s + 5, 2, &b) == 2 && s[7] == '-' &&
        digits(s + 8, 2, &c) == 2 && valid_dm(c, b)) {
        char t[24] = "";
        size_t used = 10;
        if (s[10] == 't' || s[10] == ' ') {
            size_t k = read_time(s + 11, t, sizeof t);
            if (k && s[11] != ' ')
                used = 11 + k;
            else
                t[0] = '\0';
        }
        snprintf(d->iso, sizeof d->iso, "%04d-%02d-%02d%s", a, b, c, t);
        d->precision = t[0] ? KHOTIN_DATE_TIME : KHOTIN_DATE_DAY;
        return used;
    }
    if (ka > 2)
        return 0;
    char sep = s[ka];
    if (sep != '/' && sep != '-' && sep != '.')
        return 0;
    int kb = digits(s + ka + 1, 2, &b);
    if (!kb || !valid_dm(a, b))
        return 0;
    size_t used = (size_t)(ka + 1 + kb);
    char prev[16];
    prev_word(text, i, prev, sizeof prev);
    if (strcmp(prev, "thang") == 0)
        return 0; /* "tháng 10/2016" style: not a day */
    int kc = 0;
    if (s[used] == sep)
        kc = digits(s + used + 1, 4, &c);
    if (kc == 4) {
        used += 5;
        char t[24] = "";
        size_t k = read_time(s + used, t, sizeof t);
        used += k;
        snprintf(d->iso, sizeof d->iso, "%04d-%02d-%02d%s", c, b, a, t);
        d->precision = k ? KHOTIN_DATE_TIME : KHOTIN_DATE_DAY;
        return used;
    }
    if (kc != 0 || sep != '/')
        return 0; /* "20.7" or "20-7" alone: too ambiguous */
    if (!is_date_word(prev))
        return 0;
    snprintf(d->iso, sizeof d->iso, "--%02d-%02d", b, a);
    d->precision = KHOTIN_DATE_MONTH_DAY;
    return used;
}

/* "ngay 20 thang 7 [nam 2017]" starting at text[i] ("ngay"). */
static size_t words_date_at(const char *text, size_t i, kh_date *d)
{
    const char *s = text + i;
    if (strncmp(s, "ngay ", 5) != 0)
        return 0;
    int day, mon, year;
    size_t j = 5;
    int k = digits(s + j, 2, &day);
    if (!k)
        return 0;
    j += (size_t)k;
    if (strncmp(s + j, " thang ", 7) != 0)
        return 0;
    j += 7;
    k = digits(s + j, 2, &mon);
    if (!k || !valid_dm(day, mon))
        return 0;
    j += (size_t)k;
    if (strncmp(s + j, " nam ", 5) == 0 && digits(s + j + 5, 4, &year) == 4) {
        snprintf(d->iso, sizeof d->iso, "%04d-%02d-%02d", year, mon, day);
        d->precision = KHOTIN_DATE_DAY;
        return j + 9;
    }
    snprintf(d->iso, sizeof d->iso, "--%02d-%02d", mon, day);
    d->precision = KHOTIN_DATE_MONTH_DAY;
    return j;
}

static int find_in_folded(const char *f, kh_date *d, size_t *end_out)
{
    size_t n = strlen(f);
    for (size_t i = 0; i < n; i++) {
        int boundary = i == 0 || !isalnum((unsigned char)f[i - 1]);
        if (!boundary)
            continue;
        size_t k = 0;
        if (f[i] == 'n')
            k = words_date_at(f, i, d);
        else if (isdigit((unsigned char)f[i]))
            k = date_at(f, i, d);
        if (k) {
            if (end_out)
                *end_out = i + k;
            return 1;
        }
    }
    return 0;
}

/* All date expressions of a folded text, in order: day+month dates as in
 * kh_date_find, and month/year ones ("tháng 10/2016" -> "2016-10"). */
static void find_all_folded(const char *f, kh_date_cb cb, void *ctx)
{
    size_t n = strlen(f);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && isalnum((unsigned char)f[i - 1]))
            continue;
        kh_date d;
        memset(&d, 0, sizeof d);
        size_t k = 0;
        if (f[i] == 'n')
            k = words_date_at(f, i, &d);
        else if (isdigit((unsigned char)f[i]))
            k = date_at(f, i, &d);
        if (!k && isdigit((unsigned char)f[i])) {
            /* month/year: "thang 10/2016" */
            char prev[16];
            prev_word(f, i, prev, sizeof prev);
            int m, y;
            int km = digits(f + i, 2, &m);
            if (km && strcmp(prev, "thang") == 0 && f[i + km] == '/' &&
                digits(f + i + km + 1, 4, &y) == 4 && m >= 1 && m <= 12) {
                snprintf(d.iso, sizeof d.iso, "%04d-%02d", y, m);
                d.precision = KHOTIN_DATE_MONTH;
                k = (size_t)km + 5;
            }
        }
        if (k) {
            if (cb(ctx, &d))
                return;
            i += k - 1;
        }
    }
}

int kh_date_find_all(const char *para, kh_date_cb cb, void *ctx)
{
    if (!strpbrk(para, "0123456789"))
        return 0; /* every date form has digits: skip folding */
    char *f = khotin_text_fold(para);
    if (!f)
        return KHOTIN_ENOMEM;
    find_all_folded(f, cb, ctx);
    free(f);
    return 0;
}

/* A publication date in a URL: "/2017/07/20/", "/2017-07-20", or eight
 * digits 20YYMMDD ("...-20220824.htm", "...-20170814081500.htm"). */
int kh_url_date(const char *url, kh_date *d)
{
    memset(d, 0, sizeof *d);
    const char *host = strstr(url, "://");
    const char *p = host ? strchr(host + 3, '/') : url;
    for (; p && *p; p++) {
        if (p > url && isdigit((unsigned char)p[-1]))
            continue;
        int y, m, day;
        if (p[0] == '2' && p[1] == '0' && digits(p, 4, &y) == 4 &&
            (p[4] == '/' || p[4] == '-') && digits(p + 5, 2, &m) == 2 &&
            p[7] == p[4] && digits(p + 8, 2, &day) == 2 && valid_dm(day, m)) {
            snprintf(d->iso, sizeof d->iso, "%04d-%02d-%02d", y, m, day);
            d->precision = KHOTIN_DATE_DAY;
            return 1;
        }
        if (p[0] == '2' && p[1] == '0') {
            int k = 0;
            while (isdigit((unsigned char)p[k]))
                k++;
            if (k == 8 || k == 12 || k == 14) {
                y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
                m = (p[4] - '0') * 10 + (p[5] - '0');
                day = (p[6] - '0') * 10 + (p[7] - '0');
                if (valid_dm(day, m) && y >= 1990 && y <= 2100) {
                    snprintf(d->iso, sizeof d->iso, "%04d-%02d-%02d", y, m, day);
                    d->precision = KHOTIN_DATE_DAY;
                    return 1;
                }
            }
        }
    }
    return 0;
}

int kh_date_find(const char *para, kh_date *d)
{
    memset(d, 0, sizeof *d);
    if (!strpbrk(para, "0123456789"))
        return 0; /* every date form has digits */
    char *f = khotin_text_fold(para);
    if (!f)
        return 0;
    int found = find_in_folded(f, d, NULL);
    free(f);
    if (!found)
        memset(d, 0, sizeof *d);
    return found;
}

int kh_date_line(const char *para, kh_date *d)
{
    memset(d, 0, sizeof *d);
    if (strlen(para) > 100)
        return 0;
    char *f = khotin_text_fold(para);
    if (!f)
        return 0;
    int ok = find_in_folded(f, d, NULL) && d->precision >= KHOTIN_DATE_DAY;
    /* every word must be a digit run or a calendar word */
    static const char *const allowed[] = {
        "thu", "hai", "ba", "tu", "nam", "sau", "bay", "chu", "nhat", "ngay",
        "thang", "gmt", "utc", "cap", "luc", "dang", "h", "am", "pm", "t",
        "gio", "phut", NULL};
    for (const char *p = f; ok && *p;) {
        if (!isalpha((unsigned char)*p)) {
            p++;
            continue;
        }
        const char *e = p;
        while (isalpha((unsigned char)*e))
            e++;
        int known = 0;
        for (size_t k = 0; allowed[k]; k++)
            if (strlen(allowed[k]) == (size_t)(e - p) &&
                strncmp(p, allowed[k], (size_t)(e - p)) == 0)
                known = 1;
        if (!known)
            ok = 0;
        p = e;
    }
    free(f);
    if (!ok)
        memset(d, 0, sizeof *d);
    return ok;
}
