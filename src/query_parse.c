/* query_parse.c - parse khotin's query language into a kq_query tree.
 *
 * One left-to-right pass over the input bytes turns the user's text into
 * clauses (AND), alternatives (OR), words / "phrases", and the filters
 * person:, source:, from:, to:. Nothing is folded or tokenized here: words
 * are kept as typed, and query.c decides how they are matched.
 *
 * Grammar decisions (see also query_parse.h):
 *  - Separators are ASCII whitespace and the parentheses '(' ')' (grouping is
 *    not supported, so "(ha noi)" is two words). Any byte >= 0x80 is part of a
 *    word; invalid UTF-8 is passed through untouched.
 *  - '"' and the curly quotes U+201C / U+201D open or close a phrase. A phrase
 *    is split into words on separators. An unclosed phrase runs to the end of
 *    the input and `warning` says so.
 *  - A word must contain a word character (ASCII letter/digit or byte
 *    >= 0x80); words of punctuation only ("&", "...", "*") are dropped as
 *    noise. Inner punctuation is kept ("covid-19", "10:30", "C++").
 *  - '*' at the end of a word, at the end of a phrase's last word, or right
 *    after a closing quote marks a prefix search. Any other '*' is removed.
 *  - "OR" (upper case, standing alone) joins the alternatives of one clause;
 *    OR binds tighter than AND. "or", "AND", "NOT", "NEAR" are plain words.
 *  - '-' at the start of a clause excludes it; repeated '-' count once. A lone
 *    '-' is noise. "-a OR b" is one excluded clause with alternatives a and b
 *    (matches neither a nor b). '-' after OR ("a OR -b") is an error.
 *  - Filters are recognised at the start of a word; the key is matched
 *    case-insensitively (person:, Person:). A filter cannot be negated nor be
 *    an OR alternative. Values are a word (kept as typed) or a phrase (words
 *    joined with single spaces). Any other "xyz:" is an ordinary word.
 *  - from:/to: accept YYYY, YYYY-MM, YYYY-MM-DD (month and day may be one
 *    digit); from: is the first day and to: the last day of that period.
 *    Each may be given once, and from: must not be after to:.
 *  - Errors carry the byte offset of the offending item.
 */
#include "query_parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KQ_MAX_INPUT 65536u /* bytes; longer input is rejected */

enum last_item { LAST_NONE, LAST_ALT, LAST_OR, LAST_FILTER };

typedef struct parser {
    const unsigned char *s; /* input */
    size_t n;               /* input length */
    size_t i;               /* read position */
    kq_query *q;            /* result being built */
    enum last_item last;    /* what the previous item was */
    size_t or_pos;          /* position of the latest OR */
    size_t neg_pos;         /* position of the first excluded clause */
    size_t from_pos, to_pos;
    char *err;
    size_t errlen;
    size_t err_pos;
} parser;

typedef struct filter_key {
    const char *name;
    size_t len;
} filter_key;

static const filter_key FILTER_KEYS[] = {
    {"person", 6}, {"source", 6}, {"from", 4}, {"to", 2},
};

/* ---- errors ------------------------------------------------------------ */

/* Records a parse error at byte `pos`; always returns -1. */
static int fail(parser *p, size_t pos, const char *fmt, ...)
{
    p->err_pos = pos;
    if (p->err && p->errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err, p->errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* ---- character classes ------------------------------------------------- */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
           c == '\r';
}

static int is_sep(unsigned char c)
{
    return is_space(c) || c == '(' || c == ')';
}

static int is_word_char(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

static int has_word_char(const unsigned char *s, size_t len)
{
    for (size_t k = 0; k < len; k++)
        if (is_word_char(s[k]))
            return 1;
    return 0;
}

/* Length of the quote character at position i: 1 for '"', 3 for U+201C or
 * U+201D, 0 if there is none. */
static size_t quote_len(const parser *p, size_t i)
{
    const unsigned char *s = p->s;
    if (i >= p->n)
        return 0;
    if (s[i] == '"')
        return 1;
    if (i + 2 < p->n && s[i] == 0xE2 && s[i + 1] == 0x80 &&
        (s[i + 2] == 0x9C || s[i + 2] == 0x9D))
        return 3;
    return 0;
}

static int at_sep_or_end(const parser *p, size_t i)
{
    return i >= p->n || is_sep(p->s[i]);
}

/* True when a bare word cannot continue at position i. */
static int ends_word(const parser *p, size_t i)
{
    return at_sep_or_end(p, i) || quote_len(p, i) > 0;
}

static void skip_seps(parser *p)
{
    while (p->i < p->n && is_sep(p->s[p->i]))
        p->i++;
}

/* Advances over a bare word and returns its start. */
static size_t scan_word(parser *p)
{
    size_t start = p->i;
    while (!ends_word(p, p->i))
        p->i++;
    return start;
}

/* ---- memory helpers ---------------------------------------------------- */

/* Makes room for element number `count` in an array whose capacity is
 * implied by its count (4, 8, 16, ...). Returns the (maybe moved) array, or
 * NULL when out of memory (the old array is then still valid). */
static void *grow(void *arr, size_t count, size_t elem)
{
    if (count != 0 && (count < 4 || (count & (count - 1)) != 0))
        return arr;
    return realloc(arr, (count == 0 ? 4 : count * 2) * elem);
}

static char *copy_range(const unsigned char *s, size_t len)
{
    char *r = malloc(len + 1);
    if (r) {
        memcpy(r, s, len);
        r[len] = '\0';
    }
    return r;
}

/* Copies s[0..len) without its '*' characters. */
static char *copy_without_stars(const unsigned char *s, size_t len)
{
    char *r = malloc(len + 1);
    size_t k = 0;
    if (!r)
        return NULL;
    for (size_t j = 0; j < len; j++)
        if (s[j] != '*')
            r[k++] = (char)s[j];
    r[k] = '\0';
    return r;
}

static int push_string(char ***arr, size_t *count, char *str)
{
    char **na = grow(*arr, *count, sizeof **arr);
    if (!na) {
        free(str);
        return -2;
    }
    *arr = na;
    na[(*count)++] = str;
    return 0;
}

static void alt_free(kq_alt *a)
{
    for (size_t k = 0; k < a->nwords; k++)
        free(a->words[k]);
    free(a->words);
    memset(a, 0, sizeof *a);
}

/* Adds raw word s[0..len) (stars removed) to the alternative. */
static int alt_add_word(kq_alt *a, const unsigned char *s, size_t len)
{
    char *w = copy_without_stars(s, len);
    if (!w)
        return -2;
    return push_string(&a->words, &a->nwords, w);
}

/* ---- clauses ----------------------------------------------------------- */

/* Appends *a as an alternative of clause c, taking ownership of its words. */
static int clause_push_alt(kq_clause *c, kq_alt *a)
{
    kq_alt *na = grow(c->alts, c->nalts, sizeof *c->alts);
    if (!na) {
        alt_free(a);
        return -2;
    }
    c->alts = na;
    na[c->nalts++] = *a;
    memset(a, 0, sizeof *a);
    return 0;
}

static int new_clause(parser *p, int negated)
{
    kq_query *q = p->q;
    kq_clause *nc = grow(q->clauses, q->nclauses, sizeof *q->clauses);
    if (!nc)
        return -2;
    q->clauses = nc;
    memset(&nc[q->nclauses], 0, sizeof *nc);
    nc[q->nclauses++].negated = negated;
    return 0;
}

/* Adds a parsed alternative (owned; freed on any failure): after OR it joins
 * the current clause, otherwise it starts a new clause. */
static int add_alt(parser *p, int neg, size_t pos, kq_alt *a)
{
    int rc;
    if (p->last == LAST_OR && neg) {
        alt_free(a);
        return fail(p, pos,
                    "'-' after OR at position %zu is not supported: write "
                    "-a OR b to exclude both words, or put -b on its own",
                    pos);
    }
    if (p->last != LAST_OR) {
        rc = new_clause(p, neg);
        if (rc) {
            alt_free(a);
            return rc;
        }
        if (neg && p->neg_pos == (size_t)-1)
            p->neg_pos = pos;
    }
    rc = clause_push_alt(&p->q->clauses[p->q->nclauses - 1], a);
    p->last = LAST_ALT;
    return rc;
}

static int on_or(parser *p, size_t pos)
{
    if (p->last == LAST_FILTER)
        return fail(p, pos,
                    "OR cannot follow a filter at position %zu: write a OR b "
                    "and put person:/source:/from:/to: outside it",
                    pos);
    if (p->last != LAST_ALT)
        return fail(p, pos,
                    "OR needs a word on both sides at position %zu: write "
                    "a OR b",
                    pos);
    p->last = LAST_OR;
    p->or_pos = pos;
    return 0;
}

/* ---- phrases ----------------------------------------------------------- */

static void note_unbalanced(parser *p, size_t open)
{
    if (p->q->warning[0] == '\0')
        snprintf(p->q->warning, sizeof p->q->warning,
                 "unbalanced quote at position %zu: read as closed at the end",
                 open);
}

/* Reads a phrase whose opening quote is at p->i into *a. Noise words are
 * dropped, so a->nwords may end up 0. */
static int read_phrase(parser *p, kq_alt *a)
{
    size_t open = p->i;
    int last_star = 0;
    a->quoted = 1;
    p->i += quote_len(p, p->i);
    for (;;) {
        skip_seps(p);
        if (p->i >= p->n) {
            note_unbalanced(p, open);
            break;
        }
        if (quote_len(p, p->i)) {
            p->i += quote_len(p, p->i);
            while (p->i < p->n && p->s[p->i] == '*') {
                p->i++;
                a->prefix = 1;
            }
            break;
        }
        size_t start = scan_word(p);
        if (has_word_char(p->s + start, p->i - start)) {
            int rc = alt_add_word(a, p->s + start, p->i - start);
            if (rc)
                return rc;
            last_star = p->s[p->i - 1] == '*';
        }
    }
    a->prefix |= last_star;
    return 0;
}

static int parse_phrase_alt(parser *p, int neg, size_t pos)
{
    kq_alt a = {0};
    int rc = read_phrase(p, &a);
    if (rc) {
        alt_free(&a);
        return rc;
    }
    if (a.nwords == 0)
        return 0; /* "" or only punctuation: noise */
    return add_alt(p, neg, pos, &a);
}

/* ---- filters ----------------------------------------------------------- */

static int ascii_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* Returns the filter key that raw word s[0..len) starts with ("key:"). */
static const filter_key *match_filter_key(const unsigned char *s, size_t len)
{
    for (size_t k = 0; k < sizeof FILTER_KEYS / sizeof FILTER_KEYS[0]; k++) {
        const filter_key *fk = &FILTER_KEYS[k];
        size_t j = 0;
        if (len <= fk->len || s[fk->len] != ':')
            continue;
        while (j < fk->len && ascii_lower(s[j]) == fk->name[j])
            j++;
        if (j == fk->len)
            return fk;
    }
    return NULL;
}

/* Reads a quoted filter value: its words joined with single spaces. */
static char *read_quoted_value(parser *p)
{
    size_t open = p->i;
    p->i += quote_len(p, p->i);
    size_t end = p->i;
    while (end < p->n && !quote_len(p, end))
        end++;
    char *r = malloc(end - p->i + 1); /* the value is never longer */
    size_t k = 0;
    if (!r)
        return NULL;
    for (;;) {
        skip_seps(p);
        if (p->i >= p->n) {
            note_unbalanced(p, open);
            break;
        }
        if (quote_len(p, p->i)) {
            p->i += quote_len(p, p->i);
            break;
        }
        size_t start = scan_word(p);
        if (k > 0)
            r[k++] = ' ';
        memcpy(r + k, p->s + start, p->i - start);
        k += p->i - start;
    }
    r[k] = '\0';
    return r;
}

/* Reads the value at p->i into *out. Returns 0, -1 (empty) or -2. */
static int read_filter_value(parser *p, const filter_key *fk, char **out)
{
    size_t pos = p->i;
    if (quote_len(p, p->i))
        *out = read_quoted_value(p);
    else {
        scan_word(p);
        *out = copy_range(p->s + pos, p->i - pos);
    }
    if (!*out)
        return -2;
    if (!has_word_char((const unsigned char *)*out, strlen(*out))) {
        free(*out);
        *out = NULL;
        if (fk->name[0] == 'f' || fk->name[0] == 't')
            return fail(p, pos,
                        "%s: needs a date at position %zu: write "
                        "%s:YYYY-MM-DD, %s:YYYY-MM or %s:YYYY",
                        fk->name, pos, fk->name, fk->name, fk->name);
        return fail(p, pos,
                    "%s: needs a name at position %zu: write %s:NAME or "
                    "%s:\"Full Name\"",
                    fk->name, pos, fk->name, fk->name);
    }
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return (m == 2 && leap) ? 29 : days[m - 1];
}

/* Reads min..max decimal digits at *s into *v. Returns 0 or -1. */
static int read_digits(const char **s, int min, int max, int *v)
{
    int k = 0;
    *v = 0;
    while (k < max && (*s)[k] >= '0' && (*s)[k] <= '9') {
        *v = *v * 10 + ((*s)[k] - '0');
        k++;
    }
    *s += k;
    return k >= min ? 0 : -1;
}

static void put_digits(char *out, int v, int width)
{
    for (int k = width - 1; k >= 0; k--) {
        out[k] = (char)('0' + v % 10);
        v /= 10;
    }
}

/* Parses YYYY, YYYY-MM or YYYY-MM-DD into out as YYYY-MM-DD, choosing the
 * first (from:) or last (to:) day of a partial date. Returns 0 or -1. */
static int parse_date(const char *v, int is_to, char out[11])
{
    int y, m = 0, d = 0;
    if (read_digits(&v, 4, 4, &y) || y < 1)
        return -1;
    if (*v == '-') {
        v++;
        if (read_digits(&v, 1, 2, &m) || m < 1 || m > 12)
            return -1;
        if (*v == '-') {
            v++;
            if (read_digits(&v, 1, 2, &d) || d < 1 || d > days_in_month(y, m))
                return -1;
        }
    }
    if (*v != '\0')
        return -1;
    if (m == 0)
        m = is_to ? 12 : 1;
    if (d == 0)
        d = is_to ? days_in_month(y, m) : 1;
    put_digits(out, y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
    out[10] = '\0';
    return 0;
}

/* Stores a from:/to: value; `pos` is where the value starts. */
static int set_date(parser *p, const filter_key *fk, const char *v,
                    size_t pos)
{
    int is_to = fk->name[0] == 't';
    char *dst = is_to ? p->q->to : p->q->from;
    if (dst[0] != '\0')
        return fail(p, pos,
                    "%s: is given twice at position %zu: keep only one %s: "
                    "filter",
                    fk->name, pos, fk->name);
    if (parse_date(v, is_to, dst))
        return fail(p, pos,
                    "%s: expects a valid date at position %zu: write "
                    "%s:YYYY-MM-DD, %s:YYYY-MM or %s:YYYY (e.g. %s:2017-02)",
                    fk->name, pos, fk->name, fk->name, fk->name, fk->name);
    if (is_to)
        p->to_pos = pos;
    else
        p->from_pos = pos;
    return 0;
}

/* Handles "key:value"; p->i is anywhere inside the raw word that starts at
 * `start`. `pos` is where the item (including any '-') starts. */
static int parse_filter(parser *p, const filter_key *fk, int neg, size_t pos,
                        size_t start)
{
    char *v = NULL;
    int rc;
    if (neg)
        return fail(p, pos,
                    "a filter cannot be excluded with '-' at position %zu: "
                    "remove the '-' before %s:",
                    pos, fk->name);
    if (p->last == LAST_OR)
        return fail(p, pos,
                    "a filter cannot follow OR at position %zu: write a OR b "
                    "and put %s: outside it",
                    pos, fk->name);
    p->i = start + fk->len + 1;
    size_t vpos = p->i;
    rc = read_filter_value(p, fk, &v);
    if (rc)
        return rc;
    p->last = LAST_FILTER;
    if (fk->name[0] == 'p')
        return push_string(&p->q->persons, &p->q->npersons, v);
    if (fk->name[0] == 's')
        return push_string(&p->q->sources, &p->q->nsources, v);
    rc = set_date(p, fk, v, vpos);
    free(v);
    return rc;
}

/* ---- items ------------------------------------------------------------- */

/* A bare word at p->i: OR, a filter, a search word or noise. */
static int parse_word_item(parser *p, int neg, size_t pos)
{
    size_t start = scan_word(p);
    size_t len = p->i - start;
    const unsigned char *w = p->s + start;
    const filter_key *fk = match_filter_key(w, len);
    if (fk)
        return parse_filter(p, fk, neg, pos, start);
    if (!neg && len == 2 && w[0] == 'O' && w[1] == 'R')
        return on_or(p, pos);
    if (!has_word_char(w, len))
        return 0; /* punctuation only: noise */
    kq_alt a = {0};
    int rc = alt_add_word(&a, w, len);
    if (rc) {
        alt_free(&a);
        return rc;
    }
    a.prefix = w[len - 1] == '*';
    return add_alt(p, neg, pos, &a);
}

/* One item starting at p->i (not a separator). */
static int parse_item(parser *p)
{
    size_t pos = p->i;
    int neg = 0;
    while (p->i < p->n && p->s[p->i] == '-') {
        p->i++;
        neg = 1;
    }
    if (neg && at_sep_or_end(p, p->i))
        return 0; /* a lone '-': noise */
    if (quote_len(p, p->i))
        return parse_phrase_alt(p, neg, pos);
    return parse_word_item(p, neg, pos);
}

/* Checks that hold for the whole query once everything is read. */
static int finish(parser *p)
{
    kq_query *q = p->q;
    if (p->last == LAST_OR)
        return fail(p, p->or_pos,
                    "OR needs a word on both sides at position %zu: write "
                    "a OR b",
                    p->or_pos);
    if (q->from[0] && q->to[0] && strcmp(q->from, q->to) > 0) {
        size_t pos = p->from_pos > p->to_pos ? p->from_pos : p->to_pos;
        return fail(p, pos,
                    "from: date is after to: date at position %zu: swap the "
                    "two dates",
                    pos);
    }
    if (q->npersons || q->nsources || q->from[0] || q->to[0])
        return 0;
    if (q->nclauses == 0)
        return fail(p, 0,
                    "empty query at position 0: type a word to search for");
    for (size_t k = 0; k < q->nclauses; k++)
        if (!q->clauses[k].negated)
            return 0;
    return fail(p, p->neg_pos,
                "nothing to search for (every word is excluded with '-', "
                "first at position %zu): add a word that must match",
                p->neg_pos);
}

/* Length of s, or KQ_MAX_INPUT + 1 if it is longer than the cap. */
static size_t bounded_len(const char *s)
{
    size_t n = 0;
    while (n <= KQ_MAX_INPUT && s[n] != '\0')
        n++;
    return n;
}

static int parse_all(parser *p)
{
    if (p->n > KQ_MAX_INPUT)
        return fail(p, KQ_MAX_INPUT,
                    "query too long at position %u: keep it under 64 KiB",
                    KQ_MAX_INPUT);
    p->q = calloc(1, sizeof *p->q);
    if (!p->q)
        return -2;
    for (;;) {
        skip_seps(p);
        if (p->i >= p->n)
            return finish(p);
        int rc = parse_item(p);
        if (rc)
            return rc;
    }
}

/* ---- public API -------------------------------------------------------- */

int kq_parse(const char *input, kq_query **out, char *err, size_t errlen,
             size_t *err_pos)
{
    parser p;
    memset(&p, 0, sizeof p);
    p.s = (const unsigned char *)(input ? input : "");
    p.n = bounded_len(input ? input : "");
    p.neg_pos = (size_t)-1;
    p.err = err;
    p.errlen = errlen;
    if (err && errlen > 0)
        err[0] = '\0';
    int rc = out ? parse_all(&p)
                 : fail(&p, 0, "kq_parse: out must not be NULL (position 0)");
    if (rc == -2)
        fail(&p, p.i, "out of memory at position %zu: try again", p.i);
    if (rc != 0) {
        kq_query_free(p.q);
        p.q = NULL;
    }
    if (out)
        *out = p.q;
    if (err_pos)
        *err_pos = rc ? p.err_pos : 0;
    return rc;
}

void kq_query_free(kq_query *q)
{
    if (!q)
        return;
    for (size_t c = 0; c < q->nclauses; c++) {
        for (size_t a = 0; a < q->clauses[c].nalts; a++)
            alt_free(&q->clauses[c].alts[a]);
        free(q->clauses[c].alts);
    }
    free(q->clauses);
    for (size_t k = 0; k < q->npersons; k++)
        free(q->persons[k]);
    free(q->persons);
    for (size_t k = 0; k < q->nsources; k++)
        free(q->sources[k]);
    free(q->sources);
    free(q);
}
