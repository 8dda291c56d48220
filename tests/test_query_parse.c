/* test_query_parse.c - tests for the query language parser (query_parse.c).
 *
 * 1. A table of inputs with the expected canonical rendering of the result
 *    (see render()) or the expected error substring and byte position.
 * 2. API edge cases: NULL arguments, tiny error buffers, the 64 KiB cap.
 * 3. Out-of-memory: query_parse.c is compiled a second time inside this file
 *    with malloc/calloc/realloc replaced by a version that fails after N
 *    calls; every N must give -2 (with nothing leaked) or success.
 * 4. A fuzz loop of random strings (fixed seed) checking that the parser
 *    returns 0 or -1, never crashes, and that results are well formed.
 *
 * Build: gcc -std=c11 -Wall -Wextra -Werror -g -fsanitize=address,undefined
 *        -Isrc src/query_parse.c tests/test_query_parse.c
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query_parse.h"

static int g_pass, g_fail;

static void check(int ok, const char *what, const char *input)
{
    if (ok) {
        g_pass++;
        return;
    }
    g_fail++;
    printf("FAIL: %s (input: \"%.200s\")\n", what, input ? input : "(null)");
}

/* ---- rendering ----------------------------------------------------------
 * Canonical text of a parsed query, items separated by one space:
 *   word            a plain word; "a b" a quoted phrase; '*' suffix = prefix
 *   (a | "b c")     a clause with OR alternatives
 *   -x  -(a | b)    an excluded clause
 *   person=[A; B] source=[...] from=YYYY-MM-DD to=YYYY-MM-DD warning=TEXT
 */
typedef struct sbuf {
    char buf[8192];
    size_t len;
} sbuf;

static void put(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    if (b->len >= sizeof b->buf - 1)
        return;
    va_start(ap, fmt);
    int n = vsnprintf(b->buf + b->len, sizeof b->buf - b->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        b->len += (size_t)n < sizeof b->buf - b->len
                      ? (size_t)n
                      : sizeof b->buf - b->len - 1;
}

static void sep(sbuf *b)
{
    if (b->len > 0)
        put(b, " ");
}

static void render_alt(sbuf *b, const kq_alt *a)
{
    if (a->quoted)
        put(b, "\"");
    for (size_t w = 0; w < a->nwords; w++)
        put(b, "%s%s", w ? " " : "", a->words[w]);
    put(b, "%s%s", a->quoted ? "\"" : "", a->prefix ? "*" : "");
}

static void render_clause(sbuf *b, const kq_clause *c)
{
    sep(b);
    put(b, "%s%s", c->negated ? "-" : "", c->nalts > 1 ? "(" : "");
    for (size_t a = 0; a < c->nalts; a++) {
        if (a)
            put(b, " | ");
        render_alt(b, &c->alts[a]);
    }
    if (c->nalts > 1)
        put(b, ")");
}

static void render_list(sbuf *b, const char *name, char **v, size_t n)
{
    if (n == 0)
        return;
    sep(b);
    put(b, "%s=[", name);
    for (size_t k = 0; k < n; k++)
        put(b, "%s%s", k ? "; " : "", v[k]);
    put(b, "]");
}

static const char *render(const kq_query *q, sbuf *b)
{
    b->len = 0;
    b->buf[0] = '\0';
    for (size_t c = 0; c < q->nclauses; c++)
        render_clause(b, &q->clauses[c]);
    render_list(b, "person", q->persons, q->npersons);
    render_list(b, "source", q->sources, q->nsources);
    if (q->from[0]) {
        sep(b);
        put(b, "from=%s", q->from);
    }
    if (q->to[0]) {
        sep(b);
        put(b, "to=%s", q->to);
    }
    if (q->warning[0]) {
        sep(b);
        put(b, "warning=%s", q->warning);
    }
    return b->buf;
}

/* ---- table ------------------------------------------------------------- */

typedef struct row {
    const char *in;
    const char *want; /* expected rendering, or NULL when an error is expected */
    const char *err;  /* expected error substring */
    size_t pos;       /* expected error position */
} row;

#define OK(in, want) {in, want, NULL, 0}
#define ERR(in, sub, pos) {in, NULL, sub, pos}
#define UNBAL(n) "warning=unbalanced quote at position " #n \
                 ": read as closed at the end"
#define ORERR "OR needs a word on both sides at position"

static const row ROWS[] = {
    /* words, phrases, prefixes */
    OK("ha noi", "ha noi"),
    OK("  ha \t  noi  ", "ha noi"),
    OK("tin\ttức\nmới", "tin tức mới"),
    OK("\"an ninh mạng\"", "\"an ninh mạng\""),
    OK("\"  an   ninh \"", "\"an ninh\""),
    OK("hack*", "hack*"),
    OK("đạ*", "đạ*"),
    OK("\"an ninh\"*", "\"an ninh\"*"),
    OK("\"an ninh*\"", "\"an ninh\"*"),
    OK("\"ha* noi\"", "\"ha noi\""),
    OK("\"ha noi *\"", "\"ha noi\""),
    OK("a*b", "ab"),
    OK("**a x**", "a x*"),
    OK("\"ha noi\"abc", "\"ha noi\" abc"),
    OK("abc\"def ghi\"", "abc \"def ghi\""),
    OK("covid-19 ha-noi", "covid-19 ha-noi"),
    OK("10:30 covid: xyz:abc", "10:30 covid: xyz:abc"),
    OK("C++ 3.14 ... & !!", "C++ 3.14"),
    OK("(ha noi)", "ha noi"),
    OK("NEAR AND NOT or", "NEAR AND NOT or"),
    OK("\xff\xfe abc \xe2\x80", "\xff\xfe abc \xe2\x80"),
    /* curly and unbalanced quotes */
    OK("\xe2\x80\x9c" "an ninh" "\xe2\x80\x9d" " mạng", "\"an ninh\" mạng"),
    OK("\xe2\x80\x9c" "an ninh\" x", "\"an ninh\" x"),
    OK("\"ha noi", "\"ha noi\" " UNBAL(0)),
    OK("x \"ha noi*", "x \"ha noi\"* " UNBAL(2)),
    OK("a \"b\" \"c", "a \"b\" \"c\" " UNBAL(6)),
    OK("\"a OR b\"", "\"a OR b\""),
    /* OR */
    OK("a OR b", "(a | b)"),
    OK("a OR b OR c d", "(a | b | c) d"),
    OK("ha noi OR hcm", "ha (noi | hcm)"),
    OK("a (b OR c)", "a (b | c)"),
    OK("a (OR) b", "(a | b)"),
    OK("a OR & b", "(a | b)"),
    OK("a OR \"b c\"*", "(a | \"b c\"*)"),
    OK("a OR\"b c\"", "(a | \"b c\")"),
    ERR("OR", ORERR " 0", 0),
    ERR("OR a", ORERR " 0: write a OR b", 0),
    ERR("a OR", ORERR " 2", 2),
    ERR("a OR OR b", ORERR " 5", 5),
    ERR("a OR &", ORERR " 2", 2),
    /* exclusion */
    OK("-a b", "-a b"),
    OK("--a b", "-a b"),
    OK("-\"tin giả\" covid", "-\"tin giả\" covid"),
    OK("a - b -", "a b"),
    OK("-a OR b c", "-(a | b) c"),
    OK("-OR a", "-OR a"),
    OK("-a person:X", "-a person=[X]"),
    ERR("a OR -b", "'-' after OR at position 5", 5),
    ERR("-a -b", "nothing to search for", 0),
    OK("x -a -b", "x -a -b"),
    ERR("  -a -\"b c\"", "add a word that must match", 2),
    /* filters */
    OK("person:\"Nguyễn Phú Trọng\" tham nhũng",
       "tham nhũng person=[Nguyễn Phú Trọng]"),
    OK("person:\" Nguyễn   (Trọng) \"", "person=[Nguyễn Trọng]"),
    OK("person:\"Trọng", "person=[Trọng] " UNBAL(7)),
    OK("person:Lan person:Hoa", "person=[Lan; Hoa]"),
    OK("source:VnExpress source:TTXVN x", "x source=[VnExpress; TTXVN]"),
    OK("Person:Lan FROM:2020", "person=[Lan] from=2020-01-01"),
    OK("(person:Lan)", "person=[Lan]"),
    OK("person:Lan\"ha noi\"", "\"ha noi\" person=[Lan]"),
    ERR("person:", "person: needs a name at position 7", 7),
    ERR("a person: b", "person: needs a name at position 9", 9),
    ERR("a person:\"\"", "person: needs a name at position 9", 9),
    ERR("source:...", "source: needs a name at position 7", 7),
    ERR("person:x OR a", "OR cannot follow a filter at position 9", 9),
    ERR("a OR person:x", "a filter cannot follow OR at position 5", 5),
    ERR("-person:x a", "cannot be excluded with '-' at position 0", 0),
    /* dates */
    OK("from:2017", "from=2017-01-01"),
    OK("to:2017", "to=2017-12-31"),
    OK("to:2017-02", "to=2017-02-28"),
    OK("to:2016-02", "to=2016-02-29"),
    OK("to:1900-02", "to=1900-02-28"),
    OK("to:2000-02", "to=2000-02-29"),
    OK("from:2017-02", "from=2017-02-01"),
    OK("from:2017-3-5 to:2017-03-09", "from=2017-03-05 to=2017-03-09"),
    OK("from:2017-04-30 to:2017-04", "from=2017-04-30 to=2017-04-30"),
    OK("to:2016-02-29", "to=2016-02-29"),
    OK("from:\"2017-02\"", "from=2017-02-01"),
    ERR("from:", "from: needs a date at position 5", 5),
    ERR("a from:2017-13-01", "from: expects a valid date at position 7", 7),
    ERR("from:2017-02-29", "from: expects a valid date at position 5", 5),
    ERR("to:2017-04-31", "to: expects a valid date at position 3", 3),
    ERR("from:17", "expects a valid date at position 5", 5),
    ERR("from:2017-02-", "expects a valid date at position 5", 5),
    ERR("to:0000", "expects a valid date at position 3", 3),
    ERR("to:2017-001", "expects a valid date at position 3", 3),
    ERR("from:2018 to:2017", "from: date is after to: date at position 13",
        13),
    ERR("to:2017 from:2018", "from: date is after to: date at position 13",
        13),
    ERR("from:2017 from:2018", "from: is given twice at position 15", 15),
    /* empty */
    ERR("", "empty query at position 0", 0),
    ERR("   \t\n", "empty query", 0),
    ERR("... & !! ( )", "empty query", 0),
    ERR("\"\"", "empty query", 0),
    ERR("* - -- \"*\"", "empty query", 0),
};

static void run_row(const row *r)
{
    kq_query *q = (kq_query *)1;
    char err[256] = "junk";
    size_t pos = 999;
    int rc = kq_parse(r->in, &q, err, sizeof err, &pos);
    char what[700];
    if (r->want) {
        sbuf b;
        const char *got = rc == 0 ? render(q, &b) : err;
        snprintf(what, sizeof what, "rc=%d got [%s] want [%s]", rc, got,
                 r->want);
        check(rc == 0 && strcmp(got, r->want) == 0 && err[0] == '\0', what,
              r->in);
        kq_query_free(rc == 0 ? q : NULL);
        return;
    }
    snprintf(what, sizeof what, "rc=%d err [%s] pos %zu want [%s] pos %zu", rc,
             err, pos, r->err, r->pos);
    check(rc == -1 && q == NULL && strstr(err, r->err) && pos == r->pos &&
              strchr(err, '\n') == NULL,
          what, r->in);
    if (rc == 0)
        kq_query_free(q);
}

static void test_table(void)
{
    for (size_t k = 0; k < sizeof ROWS / sizeof ROWS[0]; k++)
        run_row(&ROWS[k]);
}

/* ---- API edge cases ---------------------------------------------------- */

static void test_api(void)
{
    kq_query *q = NULL;
    char err[8];
    size_t pos = 7;

    check(kq_parse("a", &q, NULL, 0, NULL) == 0 && q, "NULL err ok", "a");
    kq_query_free(q);
    check(kq_parse("OR", &q, NULL, 0, NULL) == -1 && !q, "NULL err fail", "OR");
    check(kq_parse("a OR", &q, err, sizeof err, &pos) == -1 &&
              strlen(err) == sizeof err - 1 && pos == 2,
          "truncated message", "a OR");
    err[0] = 'x';
    check(kq_parse("a OR", &q, err, 0, &pos) == -1 && err[0] == 'x',
          "errlen 0 untouched", "a OR");
    check(kq_parse(NULL, &q, err, sizeof err, &pos) == -1 && !q,
          "NULL input is empty", "(null)");
    check(kq_parse("a", NULL, err, sizeof err, &pos) == -1, "NULL out",
          "a");
    kq_query_free(NULL);
}

static void test_length_cap(void)
{
    size_t cap = 65536;
    char *s = malloc(cap + 2);
    kq_query *q = NULL;
    char err[200];
    size_t pos = 0;
    for (size_t k = 0; k < cap + 1; k++)
        s[k] = (k % 2) ? ' ' : 'a';
    s[cap] = '\0';
    int rc = kq_parse(s, &q, err, sizeof err, &pos);
    check(rc == 0 && q && q->nclauses == cap / 2, "64 KiB is accepted",
          "a a a ...");
    kq_query_free(q);
    s[cap] = 'a';
    s[cap + 1] = '\0';
    rc = kq_parse(s, &q, err, sizeof err, &pos);
    check(rc == -1 && !q && strstr(err, "query too long") && pos == cap,
          "64 KiB + 1 is rejected", "a a a ...");
    free(s);
}

/* Full-size inputs built from one repeated pattern: must stay fast and
 * return 0 or -1. */
static void test_big_patterns(void)
{
    static const char *const pats[] = {
        "a ", "\"", "a OR ", "\"a b\" ", "person:\"x y\" ", "-", "*",
        "\xe2\x80\x9c", "\"a", "ạ", "(", "-a OR b ", "source:x ",
    };
    size_t cap = 65536;
    char *s = malloc(cap + 1);
    for (size_t k = 0; k < sizeof pats / sizeof pats[0]; k++) {
        size_t pl = strlen(pats[k]), len = 0;
        while (len + pl <= cap) {
            memcpy(s + len, pats[k], pl);
            len += pl;
        }
        s[len] = '\0';
        kq_query *q = NULL;
        char err[200];
        int rc = kq_parse(s, &q, err, sizeof err, NULL);
        check(rc == 0 || (rc == -1 && err[0]), "big pattern", pats[k]);
        kq_query_free(q);
    }
    free(s);
}

/* ---- out of memory ------------------------------------------------------
 * A second copy of the parser whose allocations fail after g_alloc_left
 * successful calls (a negative count never fails). */
static long g_alloc_left = -1;

static int alloc_allowed(void)
{
    if (g_alloc_left < 0)
        return 1;
    if (g_alloc_left == 0)
        return 0;
    g_alloc_left--;
    return 1;
}

static void *oom_malloc(size_t n)
{
    return alloc_allowed() ? malloc(n) : NULL;
}

static void *oom_calloc(size_t n, size_t m)
{
    return alloc_allowed() ? calloc(n, m) : NULL;
}

static void *oom_realloc(void *p, size_t n)
{
    return alloc_allowed() ? realloc(p, n) : NULL;
}

int kq_parse_oom(const char *input, kq_query **out, char *err, size_t errlen,
                 size_t *err_pos);
void kq_query_free_oom(kq_query *q);

#define malloc(n) oom_malloc(n)
#define calloc(n, m) oom_calloc(n, m)
#define realloc(p, n) oom_realloc(p, n)
#define kq_parse kq_parse_oom
#define kq_query_free kq_query_free_oom
#include "query_parse.c"
#undef malloc
#undef calloc
#undef realloc
#undef kq_parse
#undef kq_query_free

static void test_oom_one(const char *in)
{
    char err[256];
    size_t pos;
    int ok = 1;
    for (long n = 0; n < 10000; n++) {
        kq_query *q = (kq_query *)1;
        g_alloc_left = n;
        int rc = kq_parse_oom(in, &q, err, sizeof err, &pos);
        g_alloc_left = -1;
        if (rc == 0) {
            kq_query_free_oom(q);
            check(ok && n > 0, "oom: -2 until enough memory", in);
            return;
        }
        ok = ok && rc == -2 && q == NULL && strstr(err, "out of memory");
    }
    check(0, "oom: never succeeded", in);
}

static void test_oom(void)
{
    test_oom_one("a b c d e f g h i j k OR l OR m OR n OR o OR p");
    test_oom_one("\"a b c d e f*\" -x person:\"Lan Anh\" person:b person:c "
                 "person:d person:e source:s from:2017 to:2018-02");
    test_oom_one("person:\"unclosed");
}

/* ---- fuzz -------------------------------------------------------------- */

static unsigned long long g_rng = 0x9E3779B97F4A7C15ull;

static unsigned rnd(unsigned n)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return (unsigned)(g_rng % n);
}

static const char *const PIECES[] = {
    "\"", "*", ":", "-", "(", ")", "a", "b", "xy", " ", " ", "  ", "\t",
    "OR", "or", "person:", "source:", "from:", "to:", "2017", "-02", "-29",
    "10", "đ", "ạ", "\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80", "\xe2",
    "\xff", "\x80", ".", "&",
};

static int has_word_char_t(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
            (c >= 'A' && c <= 'Z'))
            return 1;
    }
    return 0;
}

static int word_ok(const char *w)
{
    return w[0] && has_word_char_t(w) && !strpbrk(w, "* \t\"()") &&
           !strstr(w, "\xe2\x80\x9c") && !strstr(w, "\xe2\x80\x9d");
}

static int date_ok(const char *d)
{
    return d[0] == '\0' ||
           (strlen(d) == 10 && d[4] == '-' && d[7] == '-' &&
            strspn(d, "0123456789-") == 10);
}

/* Structural checks on a successful parse. */
static int query_ok(const kq_query *q)
{
    int positive = 0;
    for (size_t c = 0; c < q->nclauses; c++) {
        const kq_clause *cl = &q->clauses[c];
        if (cl->nalts == 0)
            return 0;
        positive |= !cl->negated;
        for (size_t a = 0; a < cl->nalts; a++) {
            if (cl->alts[a].nwords == 0)
                return 0;
            for (size_t w = 0; w < cl->alts[a].nwords; w++)
                if (!word_ok(cl->alts[a].words[w]))
                    return 0;
        }
    }
    for (size_t k = 0; k < q->npersons; k++)
        if (!has_word_char_t(q->persons[k]))
            return 0;
    for (size_t k = 0; k < q->nsources; k++)
        if (!has_word_char_t(q->sources[k]))
            return 0;
    int filters = q->npersons || q->nsources || q->from[0] || q->to[0];
    return (positive || filters) && date_ok(q->from) && date_ok(q->to) &&
           (q->warning[0] == '\0' ||
            strncmp(q->warning, "unbalanced quote", 16) == 0);
}

static int g_fuzz_ok, g_fuzz_err;

static void fuzz_one(void)
{
    char in[512];
    size_t len = 0;
    unsigned npieces = rnd(30);
    for (unsigned k = 0; k < npieces; k++) {
        const char *p = PIECES[rnd(sizeof PIECES / sizeof PIECES[0])];
        size_t pl = strlen(p);
        memcpy(in + len, p, pl);
        len += pl;
    }
    in[len] = '\0';
    kq_query *q = NULL;
    char err[256] = "";
    size_t pos = (size_t)-1;
    int rc = kq_parse(in, &q, err, sizeof err, &pos);
    *(rc == 0 ? &g_fuzz_ok : &g_fuzz_err) += 1;
    if (rc == 0) {
        sbuf b;
        render(q, &b);
        check(q && err[0] == '\0' && query_ok(q), "fuzz: bad result", in);
        kq_query_free(q);
    } else {
        check(rc == -1 && !q && err[0] && !strchr(err, '\n') && pos <= len &&
                  strstr(err, "position"),
              "fuzz: bad error", in);
    }
}

static void test_fuzz(void)
{
    int before = g_fail;
    for (int k = 0; k < 20000 && g_fail - before < 20; k++)
        fuzz_one();
    printf("fuzz: %d parsed, %d rejected\n", g_fuzz_ok, g_fuzz_err);
}

int main(void)
{
    test_table();
    test_api();
    test_length_cap();
    test_big_patterns();
    test_oom();
    test_fuzz();
    printf("%d passed, %d failed\n", g_pass, g_fail);
    return g_fail ? 1 : 0;
}
