/* people_eval.c - khotin_people_eval: khotin's people extraction measured
 * against the PERSON tags of the VLSP 2018 NER corpus.
 *
 *   khotin_people_eval [-v] [CORPUS_DIR]     full evaluation (-v: list
 *                                            every miss and wrong name)
 *   khotin_people_eval --spot N SEED [DIR]   N random articles for a human
 *
 * For every .muc/.txt article file under CORPUS_DIR (default:
 * <source>/../shared/corpus/vlsp2018-ner/raw):
 *   - the ENAMEX tags are stripped (their inner text kept) and the text of
 *     each TYPE="PERSON" tag is collected (for nested tags, the PERSON
 *     span's whole inner text without tags);
 *   - the stripped text goes through khotin_read_buffer (BOM, CRLF, NFC) and
 *     khotin_article_parse;
 *   - names are compared folded (khotin_text_fold, runs of spaces collapsed):
 *     two names match when they are equal or one is a whole-word part of
 *     the other ("trump" / "donald trump").
 * Gold persons of an article = its distinct folded PERSON strings minus the
 * byline (a PERSON tag alone on the last non-empty line: khotin reads that
 * line as the author; bylines are scored against khotin_article_author).
 * Recall = gold persons matched by some khotin person (quoted or not);
 * precision = khotin persons matching some PERSON string of the article
 * (byline included). Also reported: the same figures with exact equality
 * only, and the most frequent misses and wrong names.
 *
 * The program reports; it exits 0 whatever the figures are (2 when it
 * cannot run: bad options, no corpus).
 */
#define _DEFAULT_SOURCE /* realpath() */

#include "khotin.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef KHOTIN_PEOPLE_EVAL_SOURCE_DIR
#define KHOTIN_PEOPLE_EVAL_SOURCE_DIR "."
#endif

#define TOP_N 30

/* ------------------------------------------------------------ utilities */

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("khotin_people_eval: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *d = xrealloc(NULL, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

/* A growable array of strings. */
typedef struct strv {
    char **v;
    size_t n, cap;
} strv;

static void strv_push(strv *a, char *s)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 16;
        a->v = xrealloc(a->v, a->cap * sizeof *a->v);
    }
    a->v[a->n++] = s;
}

static void strv_free(strv *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
    memset(a, 0, sizeof *a);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_whole(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 1 << 16, n = 0;
    char *b = xrealloc(NULL, cap);
    size_t k;
    while ((k = fread(b + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            cap *= 2;
            b = xrealloc(b, cap);
        }
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(b);
        return -1;
    }
    b[n] = '\0';
    *out = b;
    *len = n;
    return 0;
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* Article files under dir, recursively, in name order. */
static void walk(const char *dir, strv *files)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    strv names = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        strv_push(&names, xstrdup(e->d_name));
    }
    closedir(d);
    qsort(names.v, names.n, sizeof *names.v, cmp_str);
    for (size_t i = 0; i < names.n; i++) {
        size_t n = strlen(dir) + strlen(names.v[i]) + 2;
        char *p = xrealloc(NULL, n);
        snprintf(p, n, "%s/%s", dir, names.v[i]);
        struct stat st;
        if (stat(p, &st) != 0) {
            free(p);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            walk(p, files);
            free(p);
        } else if (S_ISREG(st.st_mode) &&
                   (has_suffix(p, ".muc") || has_suffix(p, ".txt"))) {
            strv_push(files, p);
        } else {
            free(p);
        }
    }
    strv_free(&names);
}

/* ------------------------------------------------------------ names */

/* Folded form: khotin_text_fold, whitespace runs collapsed, trimmed.
 * Returns NULL on invalid UTF-8. */
static char *fold_name(const char *s)
{
    char *f = khotin_text_fold(s);
    if (!f)
        return NULL;
    char *o = f;
    int space = 1; /* drop leading spaces */
    for (const char *p = f; *p; p++) {
        if (isspace((unsigned char)*p)) {
            if (!space)
                *o++ = ' ';
            space = 1;
        } else {
            *o++ = *p;
            space = 0;
        }
    }
    /* trailing punctuation and spaces: "Trần Thị Trúc L." = "... L" */
    while (o > f && (o[-1] == ' ' || o[-1] == '.' || o[-1] == ',' || o[-1] == ':' ||
                     o[-1] == ';'))
        o--;
    *o = '\0';
    return f;
}

static size_t word_count(const char *folded)
{
    size_t n = 0;
    for (const char *p = folded; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        n++;
        while (*p && *p != ' ')
            p++;
    }
    return n;
}

static int word_sep(char c) { return c == ' ' || c == '-'; }

/* Whole-word part: the words of `part` appear, in a row, among those of
 * `whole` (both folded and space-collapsed; a hyphen also separates words,
 * so "mizuho okimoto" is part of "mizuho okimoto-kaewtathip"). */
static int word_part(const char *part, const char *whole)
{
    size_t pn = strlen(part);
    if (pn == 0)
        return 0;
    for (const char *p = whole; (p = strstr(p, part)) != NULL; p++) {
        int left = p == whole || word_sep(p[-1]);
        int right = p[pn] == '\0' || word_sep(p[pn]);
        if (left && right)
            return 1;
    }
    return 0;
}

/* 2: equal, 1: one a whole-word part of the other, 0: no match. */
static int name_match(const char *a, const char *b)
{
    if (!*a || !*b)
        return 0;
    if (strcmp(a, b) == 0)
        return 2;
    return word_part(a, b) || word_part(b, a);
}

/* ------------------------------------------------------------ counters */

/* A string -> count table (open addressing) with an example original
 * spelling per key. */
typedef struct counter {
    char **key, **example;
    size_t *count;
    size_t cap, n;
} counter;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void counter_add(counter *c, const char *key, const char *example);

static void counter_grow(counter *c)
{
    counter old = *c;
    c->cap = old.cap ? old.cap * 2 : 1024;
    c->n = 0;
    c->key = calloc(c->cap, sizeof *c->key);
    c->example = calloc(c->cap, sizeof *c->example);
    c->count = calloc(c->cap, sizeof *c->count);
    if (!c->key || !c->example || !c->count)
        die("out of memory");
    for (size_t i = 0; i < old.cap; i++)
        if (old.key[i]) {
            size_t j = hash_str(old.key[i]) & (c->cap - 1);
            while (c->key[j])
                j = (j + 1) & (c->cap - 1);
            c->key[j] = old.key[i];
            c->example[j] = old.example[i];
            c->count[j] = old.count[i];
            c->n++;
        }
    free(old.key);
    free(old.example);
    free(old.count);
}

static void counter_add(counter *c, const char *key, const char *example)
{
    if ((c->n + 1) * 2 > c->cap)
        counter_grow(c);
    size_t j = hash_str(key) & (c->cap - 1);
    while (c->key[j] && strcmp(c->key[j], key) != 0)
        j = (j + 1) & (c->cap - 1);
    if (!c->key[j]) {
        c->key[j] = xstrdup(key);
        c->example[j] = xstrdup(example);
        c->n++;
    }
    c->count[j]++;
}

static const counter *sort_ctx;
static int cmp_count(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    if (sort_ctx->count[i] != sort_ctx->count[j])
        return sort_ctx->count[i] > sort_ctx->count[j] ? -1 : 1;
    return strcmp(sort_ctx->key[i], sort_ctx->key[j]);
}

static void counter_print_top(const counter *c, size_t top, const char *title)
{
    size_t *idx = xrealloc(NULL, (c->n ? c->n : 1) * sizeof *idx);
    size_t n = 0, total = 0;
    for (size_t i = 0; i < c->cap; i++)
        if (c->key[i]) {
            idx[n++] = i;
            total += c->count[i];
        }
    sort_ctx = c;
    qsort(idx, n, sizeof *idx, cmp_count);
    printf("\n%s (%zu distinct, %zu in all; top %zu, count = articles)\n", title, n,
           total, top < n ? top : n);
    for (size_t k = 0; k < n && k < top; k++) {
        size_t i = idx[k];
        if (strcmp(c->key[i], c->example[i]) == 0)
            printf("  %4zu  %s\n", c->count[i], c->key[i]);
        else
            printf("  %4zu  %-28s (e.g. \"%s\")\n", c->count[i], c->key[i], c->example[i]);
    }
    free(idx);
}

static void counter_free(counter *c)
{
    for (size_t i = 0; i < c->cap; i++) {
        free(c->key[i]);
        free(c->example[i]);
    }
    free(c->key);
    free(c->example);
    free(c->count);
}

/* ------------------------------------------------------------ gold */

typedef struct gold_name {
    char *text;   /* as written (trimmed) */
    char *folded;
    int byline;   /* every occurrence is the byline */
    int nested;   /* every occurrence is inside a non-PERSON tag */
} gold_name;

typedef struct article_gold {
    char *stripped; /* text with the tags removed */
    size_t len;
    gold_name *names; /* distinct by folded form */
    size_t n, cap;
    char *byline;     /* as written, NULL when none */
    size_t tags;      /* PERSON tags */
} article_gold;

typedef struct span {
    size_t start, end;
    int nested;
} span;

static void gold_add(article_gold *g, const char *text, size_t n, int byline, int nested)
{
    while (n && isspace((unsigned char)*text)) {
        text++;
        n--;
    }
    while (n && isspace((unsigned char)text[n - 1]))
        n--;
    char *t = xstrndup(text, n);
    char *f = fold_name(t);
    if (!f || !*f) {
        free(t);
        free(f);
        return;
    }
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->names[i].folded, f) == 0) {
            g->names[i].byline &= byline;
            g->names[i].nested &= nested;
            free(t);
            free(f);
            return;
        }
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 16;
        g->names = xrealloc(g->names, g->cap * sizeof *g->names);
    }
    g->names[g->n++] = (gold_name){t, f, byline, nested};
}

static const char OPEN_TAG[] = "<ENAMEX TYPE=\"";
static const char CLOSE_TAG[] = "</ENAMEX>";

/* Strip the tags of `in` and collect the PERSON spans. */
static void gold_parse(const char *in, size_t n, article_gold *g)
{
    memset(g, 0, sizeof *g);
    char *out = xrealloc(NULL, n + 1);
    size_t o = 0;
    enum { MAXD = 32 };
    struct {
        int person;
        size_t start;
    } stack[MAXD];
    int depth = 0;
    span *sp = NULL;
    size_t nsp = 0, capsp = 0;
    for (size_t i = 0; i < n;) {
        if (in[i] == '<' && strncmp(in + i, OPEN_TAG, sizeof OPEN_TAG - 1) == 0) {
            const char *type = in + i + sizeof OPEN_TAG - 1;
            const char *gt = memchr(type, '>', n - (size_t)(type - in));
            if (gt) {
                if (depth < MAXD) {
                    stack[depth].person = strncmp(type, "PERSON\"", 7) == 0;
                    stack[depth].start = o;
                }
                depth++;
                i = (size_t)(gt - in) + 1;
                continue;
            }
        } else if (in[i] == '<' && strncmp(in + i, CLOSE_TAG, sizeof CLOSE_TAG - 1) == 0) {
            if (depth > 0) {
                depth--;
                if (depth < MAXD && stack[depth].person) {
                    int nested = 0;
                    for (int k = 0; k < depth && k < MAXD; k++)
                        if (!stack[k].person)
                            nested = 1;
                    if (nsp == capsp) {
                        capsp = capsp ? capsp * 2 : 16;
                        sp = xrealloc(sp, capsp * sizeof *sp);
                    }
                    sp[nsp++] = (span){stack[depth].start, o, nested};
                }
            }
            i += sizeof CLOSE_TAG - 1;
            continue;
        }
        out[o++] = in[i++];
    }
    out[o] = '\0';
    g->stripped = out;
    g->len = o;
    g->tags = nsp;
    /* the last non-empty line, trimmed */
    size_t le = o;
    while (le > 0 && isspace((unsigned char)out[le - 1]))
        le--;
    size_t ls = le;
    while (ls > 0 && out[ls - 1] != '\n')
        ls--;
    while (ls < le && isspace((unsigned char)out[ls]))
        ls++;
    for (size_t k = 0; k < nsp; k++) {
        size_t s = sp[k].start, e = sp[k].end;
        while (s < e && isspace((unsigned char)out[s]))
            s++;
        while (e > s && isspace((unsigned char)out[e - 1]))
            e--;
        int byline = le > ls && s == ls && e == le && !sp[k].nested;
        if (byline && !g->byline)
            g->byline = xstrndup(out + s, e - s);
        gold_add(g, out + sp[k].start, sp[k].end - sp[k].start, byline, sp[k].nested);
    }
    free(sp);
}

static void gold_free(article_gold *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->names[i].text);
        free(g->names[i].folded);
    }
    free(g->names);
    free(g->stripped);
    free(g->byline);
}

/* Load, strip and parse one file. Returns 0, or -1 (message in *why). */
static int load_article(const char *path, article_gold *g, khotin_article **a,
                        const char **why)
{
    char *raw;
    size_t n;
    *a = NULL;
    if (read_whole(path, &raw, &n) != 0) {
        *why = "unreadable";
        return -1;
    }
    gold_parse(raw, n, g);
    free(raw);
    char *norm;
    size_t nlen;
    int rc = khotin_read_buffer(path, g->stripped, g->len, &norm, &nlen);
    if (rc != KHOTIN_OK) {
        *why = khotin_last_error();
        return -1;
    }
    rc = khotin_article_parse(norm, nlen, a);
    khotin_free(norm);
    if (rc != KHOTIN_OK) {
        *why = khotin_last_error();
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ evaluation */

typedef struct tally {
    size_t hit, total;
} tally;

static void pct_line(const char *label, tally t)
{
    printf("  %-44s %6zu / %-6zu %6.1f%%\n", label, t.hit, t.total,
           t.total ? 100.0 * (double)t.hit / (double)t.total : 0.0);
}

static double ratio(tally t) { return t.total ? (double)t.hit / (double)t.total : 0.0; }

static double f1(tally p, tally r)
{
    double a = ratio(p), b = ratio(r);
    return a + b > 0 ? 2 * a * b / (a + b) : 0.0;
}

static int evaluate(const strv *files, const char *dir, int verbose)
{
    size_t parsed = 0, failed = 0, gold_tags = 0;
    tally rec = {0}, rec1 = {0}, rec2 = {0}, rec_strict = {0}, rec_nested = {0};
    tally prec = {0}, prec_q = {0}, prec_strict = {0}, prec_q_strict = {0};
    size_t kh_people = 0, kh_quoted = 0, kh_byline_only = 0, articles_no_gold = 0;
    size_t bylines = 0, author_eq = 0, author_part = 0, author_empty = 0,
           author_other = 0, author_without_byline = 0;
    size_t gold_byline_names = 0;
    counter missed = {0}, wrong = {0}, wrong_q = {0};

    for (size_t fi = 0; fi < files->n; fi++) {
        const char *path = files->v[fi];
        article_gold g;
        khotin_article *a;
        const char *why = "";
        if (load_article(path, &g, &a, &why) != 0) {
            fprintf(stderr, "skip %s: %s\n", path, why);
            failed++;
            gold_free(&g);
            continue;
        }
        parsed++;
        gold_tags += g.tags;

        /* khotin's people, folded */
        size_t np = khotin_article_person_count(a);
        char **kf = xrealloc(NULL, (np ? np : 1) * sizeof *kf);
        for (size_t i = 0; i < np; i++) {
            const khotin_person *p = khotin_article_person(a, i);
            kf[i] = fold_name(p->name);
            if (!kf[i])
                kf[i] = xstrdup("");
        }

        /* recall */
        size_t ngold = 0;
        for (size_t i = 0; i < g.n; i++) {
            const gold_name *gn = &g.names[i];
            if (gn->byline) {
                gold_byline_names++;
                continue;
            }
            ngold++;
            int best = 0;
            for (size_t j = 0; j < np && best < 2; j++) {
                int m = name_match(gn->folded, kf[j]);
                if (m > best)
                    best = m;
            }
            tally *by_words = word_count(gn->folded) >= 2 ? &rec2 : &rec1;
            rec.total++;
            by_words->total++;
            rec_strict.total++;
            if (gn->nested)
                rec_nested.total++;
            if (best) {
                rec.hit++;
                by_words->hit++;
                if (gn->nested)
                    rec_nested.hit++;
            } else {
                counter_add(&missed, gn->folded, gn->text);
                if (verbose)
                    printf("MISS\t%s\t%s\n", path, gn->text);
            }
            if (best == 2)
                rec_strict.hit++;
        }
        if (ngold == 0)
            articles_no_gold++;

        /* precision */
        for (size_t j = 0; j < np; j++) {
            const khotin_person *p = khotin_article_person(a, j);
            int best = 0, best_non_byline = 0;
            for (size_t i = 0; i < g.n && best < 2; i++) {
                int m = name_match(g.names[i].folded, kf[j]);
                if (m > best)
                    best = m;
                if (m && !g.names[i].byline)
                    best_non_byline = 1;
            }
            kh_people++;
            prec.total++;
            prec_strict.total++;
            if (p->quoted) {
                kh_quoted++;
                prec_q.total++;
                prec_q_strict.total++;
            }
            if (best) {
                prec.hit++;
                if (p->quoted)
                    prec_q.hit++;
                if (!best_non_byline)
                    kh_byline_only++;
            } else {
                counter_add(&wrong, kf[j], p->name);
                if (verbose)
                    printf("WRONG\t%s\t%s\t%s\n", path, p->name,
                           p->quoted ? "quoted" : "mentioned");
                if (p->quoted)
                    counter_add(&wrong_q, kf[j], p->name);
            }
            if (best == 2) {
                prec_strict.hit++;
                if (p->quoted)
                    prec_q_strict.hit++;
            }
        }

        /* byline and author */
        const char *author = khotin_article_author(a);
        if (verbose && (g.byline || *author))
            printf("AUTHOR\t%s\t%s\t%s\n", path, author, g.byline ? g.byline : "");
        if (g.byline) {
            bylines++;
            char *fb = fold_name(g.byline);
            char *fa = fold_name(author);
            if (!*author)
                author_empty++;
            else if (fb && fa && strcmp(fb, fa) == 0)
                author_eq++;
            else if (fb && fa && name_match(fb, fa))
                author_part++;
            else
                author_other++;
            free(fb);
            free(fa);
        } else if (*author) {
            author_without_byline++;
        }

        for (size_t j = 0; j < np; j++)
            free(kf[j]);
        free(kf);
        khotin_article_free(a);
        gold_free(&g);
    }

    if (verbose)
        printf("\n");
    printf("khotin_people_eval (khotin %s)\n", khotin_version());
    printf("corpus: %s\n", dir);
    printf("articles: %zu files, %zu parsed, %zu failed\n", files->n, parsed, failed);
    printf("gold PERSON tags: %zu; distinct names per article: %zu, of which %zu are\n"
           "  bylines and excluded (a byline name also tagged in the text stays);\n"
           "  %zu articles, %zu with no gold person left\n",
           gold_tags, rec.total + gold_byline_names, gold_byline_names, parsed,
           articles_no_gold);
    printf("khotin persons: %zu (%zu quoted, %zu mentioned only)\n", kh_people, kh_quoted,
           kh_people - kh_quoted);
    printf("\nmatching: folded names, equal or one a whole-word part of the other\n");
    printf("recall (gold persons found among khotin persons)\n");
    pct_line("all gold persons", rec);
    pct_line("2+ word gold strings", rec2);
    pct_line("1 word gold strings", rec1);
    pct_line("nested in ORG/LOC/MISC tags only", rec_nested);
    printf("precision (khotin persons matching a gold PERSON)\n");
    pct_line("all khotin persons", prec);
    pct_line("quoted persons", prec_q);
    pct_line("mentioned-only persons",
             (tally){prec.hit - prec_q.hit, prec.total - prec_q.total});
    printf("  %-44s %6zu\n", "correct ones matching only the byline", kh_byline_only);
    printf("  F1 (all persons)                             %6.1f%%\n", 100 * f1(prec, rec));
    printf("\nstrict: folded names equal\n");
    pct_line("recall, all gold persons", rec_strict);
    pct_line("precision, all khotin persons", prec_strict);
    pct_line("precision, quoted persons", prec_q_strict);
    printf("  F1 (all persons)                             %6.1f%%\n",
           100 * f1(prec_strict, rec_strict));
    printf("\nbylines (a PERSON tag alone on the last non-empty line): %zu\n", bylines);
    pct_line("khotin author equal (folded)", (tally){author_eq, bylines});
    pct_line("khotin author a whole-word part / superset", (tally){author_part, bylines});
    pct_line("khotin author empty", (tally){author_empty, bylines});
    pct_line("khotin author something else", (tally){author_other, bylines});
    printf("  %-44s %6zu\n", "articles without byline, author set", author_without_byline);

    counter_print_top(&missed, TOP_N, "most frequent missed gold persons (folded)");
    counter_print_top(&wrong, TOP_N, "most frequent wrong khotin persons (folded)");
    counter_print_top(&wrong_q, 15, "most frequent wrong quoted khotin persons (folded)");
    counter_free(&missed);
    counter_free(&wrong);
    counter_free(&wrong_q);
    return 0;
}

/* ------------------------------------------------------------ spot check */

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void one_line(const char *label, const char *s)
{
    printf("%s", label);
    for (; *s; s++)
        putchar(*s == '\n' ? ' ' : *s);
    putchar('\n');
}

static int spot(const strv *files, size_t n, uint64_t seed)
{
    size_t *idx = xrealloc(NULL, (files->n ? files->n : 1) * sizeof *idx);
    for (size_t i = 0; i < files->n; i++)
        idx[i] = i;
    uint64_t s = seed;
    if (n > files->n)
        n = files->n;
    for (size_t i = 0; i < n; i++) { /* partial Fisher-Yates */
        size_t j = i + (size_t)(splitmix64(&s) % (files->n - i));
        size_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
    for (size_t k = 0; k < n; k++) {
        const char *path = files->v[idx[k]];
        article_gold g;
        khotin_article *a;
        const char *why = "";
        printf("=== %zu/%zu %s\n", k + 1, n, path);
        if (load_article(path, &g, &a, &why) != 0) {
            printf("  (not parsed: %s)\n\n", why);
            gold_free(&g);
            continue;
        }
        one_line("headline: ", khotin_article_headline(a));
        printf("author:   %s\n", khotin_article_author(a));
        if (g.byline)
            printf("byline (gold): %s\n", g.byline);
        size_t np = khotin_article_person_count(a);
        printf("khotin persons: %zu\n", np);
        for (size_t i = 0; i < np; i++) {
            const khotin_person *p = khotin_article_person(a, i);
            printf("  %2zu. %s | role: %s | %s\n", i + 1, p->name,
                   p->role[0] ? p->role : "-", p->quoted ? "QUOTED" : "mentioned");
            if (p->quote[0])
                one_line("      quote: ", p->quote);
        }
        printf("gold PERSON strings (aid):");
        for (size_t i = 0; i < g.n; i++)
            printf("%s %s%s", i ? ";" : "", g.names[i].text, g.names[i].byline ? " [byline]" : "");
        printf("\n\n");
        khotin_article_free(a);
        gold_free(&g);
    }
    free(idx);
    return 0;
}

/* ------------------------------------------------------------ main */

static void usage(void)
{
    fprintf(stderr,
            "usage: khotin_people_eval [-v] [CORPUS_DIR]\n"
            "       khotin_people_eval --spot N SEED [CORPUS_DIR]\n"
            "  -v: first one line per miss, wrong name and author\n"
            "      (MISS/WRONG/AUTHOR, tab-separated), then the report\n"
            "  --spot: N random articles (seeded) with khotin's people\n"
            "default CORPUS_DIR: %s/../shared/corpus/vlsp2018-ner/raw\n",
            KHOTIN_PEOPLE_EVAL_SOURCE_DIR);
    exit(2);
}

int main(int argc, char **argv)
{
    const char *dir = NULL;
    long spot_n = -1;
    int verbose = 0;
    unsigned long long seed = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--spot") == 0) {
            if (i + 2 >= argc)
                usage();
            char *end;
            spot_n = strtol(argv[i + 1], &end, 10);
            if (*end || spot_n < 0)
                usage();
            seed = strtoull(argv[i + 2], &end, 10);
            if (*end)
                usage();
            i += 2;
        } else if (strcmp(argv[i], "-v") == 0) {
            verbose = 1;
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage();
        } else if (argv[i][0] == '-' || dir) {
            usage();
        } else {
            dir = argv[i];
        }
    }
    char def[4096];
    if (!dir) {
        snprintf(def, sizeof def, "%s/../shared/corpus/vlsp2018-ner/raw",
                 KHOTIN_PEOPLE_EVAL_SOURCE_DIR);
        char *real = realpath(def, NULL); /* drop the "/.." */
        if (real) {
            snprintf(def, sizeof def, "%s", real);
            free(real);
        }
        dir = def;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        die("no corpus folder %s", dir);
    strv files = {0};
    walk(dir, &files);
    if (files.n == 0)
        die("no .muc/.txt files under %s", dir);
    int rc = spot_n >= 0 ? spot(&files, (size_t)spot_n, seed) : evaluate(&files, dir, verbose);
    strv_free(&files);
    return rc;
}
