/* gold_score.c - reading gold files and scoring khotin's output against them
 * (see gold_score.h and docs/annotation.md). */
#include "gold_score.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const field_names[GS_NFIELDS] = {
    "people", "quoted", "role", "quote", "source", "byline"};

const char *gs_field_name(int field)
{
    return field >= 0 && field < GS_NFIELDS ? field_names[field] : "?";
}

int gs_field_by_name(const char *name)
{
    for (int i = 0; i < GS_NFIELDS; i++)
        if (strcmp(name, field_names[i]) == 0)
            return i;
    return -1;
}

/* ------------------------------------------------------------------ keys */

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

char *gs_words_key(const char *s)
{
    char *f = khotin_text_fold(s);
    if (!f)
        return NULL;
    /* After folding, Vietnamese letters are ASCII; any other byte (spaces,
     * punctuation, typographic quotes and dashes) separates words. */
    size_t o = 0;
    int pending = 0;
    for (size_t i = 0; f[i]; i++) {
        unsigned char c = (unsigned char)f[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (is_word_byte(c)) {
            if (pending && o > 0)
                f[o++] = ' ';
            pending = 0;
            f[o++] = (char)c;
        } else {
            pending = 1;
        }
    }
    f[o] = '\0';
    return f;
}

char *gs_name_key(const char *s)
{
    char *f = khotin_text_fold(s);
    if (!f)
        return NULL;
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; f[i]; i++) {
        unsigned char c = (unsigned char)f[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = 1;
            continue;
        }
        if (c == '-') { /* "Jae - in" == "Jae-in" */
            while (o > 0 && f[o - 1] == ' ')
                o--;
            f[o++] = '-';
            space = 0;
            continue;
        }
        if (space && o > 0 && f[o - 1] != '-')
            f[o++] = ' ';
        space = 0;
        f[o++] = (char)c;
    }
    while (o > 0 && (f[o - 1] == '.' || f[o - 1] == ' ' || f[o - 1] == ','))
        o--;
    f[o] = '\0';
    return f;
}

/* " a b " contains " b " as whole words. */
static int words_contain(const char *hay, const char *needle)
{
    size_t nh = strlen(hay), nn = strlen(needle);
    if (nn == 0 || nn > nh)
        return 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++) {
        int left = p == hay || p[-1] == ' ';
        int right = p[nn] == '\0' || p[nn] == ' ';
        if (left && right)
            return 1;
    }
    return 0;
}

/* Every word of `need` occurs among the words of `have`. */
static int has_all_words(const char *have, const char *need)
{
    const char *p = need;
    while (*p) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char w[256];
        if (n >= sizeof w)
            return 0;
        memcpy(w, p, n);
        w[n] = '\0';
        if (!words_contain(have, w))
            return 0;
        p += n;
        while (*p == ' ')
            p++;
    }
    return 1;
}

/* ------------------------------------------------------------- gold files */

static char *dup_trim(const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Split `v` at " | " into at most `max` trimmed fields; returns the count,
 * or -1 when out of memory. A final "|" with nothing after it ("a | |") is
 * an empty field. */
static int split_fields(const char *v, char **f, int max)
{
    int n = 0;
    const char *p = v;
    for (;;) {
        const char *bar = strchr(p, '|');
        if (n == max - 1 || !bar) {
            if (!(f[n++] = dup_trim(p, strlen(p))))
                return -1;
            return n;
        }
        if (!(f[n++] = dup_trim(p, (size_t)(bar - p))))
            return -1;
        p = bar + 1;
    }
}

static int push(void **arr, size_t *n, size_t size, const void *item)
{
    void *a = realloc(*arr, (*n + 1) * size);
    if (!a)
        return -1;
    memcpy((char *)a + *n * size, item, size);
    *arr = a;
    (*n)++;
    return 0;
}

void gs_doc_free(gs_doc *d)
{
    if (!d)
        return;
    free(d->file);
    for (size_t i = 0; i < d->n_person; i++) {
        free(d->person[i].name);
        free(d->person[i].role);
        free(d->person[i].title);
    }
    free(d->person);
    for (size_t i = 0; i < d->n_quote; i++) {
        free(d->quote[i].speaker);
        free(d->quote[i].text);
    }
    free(d->quote);
    for (size_t i = 0; i < d->n_source; i++)
        free(d->source[i]);
    free(d->source);
    for (size_t i = 0; i < d->n_byline; i++)
        free(d->byline[i]);
    free(d->byline);
    free(d->text);
    memset(d, 0, sizeof *d);
}

static int errf(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static const char *record_value(const char *line, const char *key)
{
    size_t n = strlen(key);
    if (strncmp(line, key, n) != 0 || line[n] != ':')
        return NULL;
    return line + n + 1;
}

/* Parse one non-comment line into d; -1 with err on a bad record. */
static int gold_line(gs_doc *d, const char *path, int ln, const char *line,
                     char *err, size_t errlen)
{
    const char *v;
    char *f[4] = {0};
    int n, rc = -1;
    if ((v = record_value(line, "file"))) {
        if (d->file)
            return errf(err, errlen, "%s:%d: a second 'file:' record", path, ln);
        if (!(d->file = dup_trim(v, strlen(v))) || !*d->file)
            return errf(err, errlen, "%s:%d: 'file:' needs a path", path, ln);
        return 0;
    }
    if ((v = record_value(line, "person"))) {
        if ((n = split_fields(v, f, 4)) < 0)
            goto oom;
        if (n < 2 || !*f[0] ||
            (strcmp(f[1], "quoted") != 0 && strcmp(f[1], "mentioned") != 0)) {
            errf(err, errlen,
                 "%s:%d: expected 'person: NAME | quoted|mentioned | ROLE | "
                 "TITLE'",
                 path, ln);
            goto out;
        }
        for (int i = n; i < 4; i++)
            if (!(f[i] = dup_trim("", 0)))
                goto oom;
        for (size_t i = 0; i < d->n_person; i++) {
            char *a = gs_name_key(d->person[i].name), *b = gs_name_key(f[0]);
            int same = a && b && strcmp(a, b) == 0;
            free(a);
            free(b);
            if (same) {
                errf(err, errlen, "%s:%d: person '%s' recorded twice", path,
                     ln, f[0]);
                goto out;
            }
        }
        gs_person p = {f[0], f[2], f[3], strcmp(f[1], "quoted") == 0};
        if (push((void **)&d->person, &d->n_person, sizeof p, &p) < 0)
            goto oom;
        free(f[1]);
        return 0;
    }
    if ((v = record_value(line, "quote"))) {
        if ((n = split_fields(v, f, 2)) < 0)
            goto oom;
        if (n < 2 || !*f[0] || !*f[1]) {
            errf(err, errlen,
                 "%s:%d: expected 'quote: SPEAKER or ? | FIRST WORDS'", path, ln);
            goto out;
        }
        gs_quote q = {f[0], f[1]};
        if (strcmp(q.speaker, "?") == 0) {
            free(q.speaker);
            q.speaker = NULL;
        }
        if (push((void **)&d->quote, &d->n_quote, sizeof q, &q) < 0) {
            free(q.speaker);
            free(q.text);
            return errf(err, errlen, "%s:%d: out of memory", path, ln);
        }
        return 0;
    }
    int is_source = (v = record_value(line, "source")) != NULL;
    if (is_source || (v = record_value(line, "byline"))) {
        char *s = dup_trim(v, strlen(v));
        if (!s)
            goto oom;
        if (!*s) {
            free(s);
            return errf(err, errlen, "%s:%d: empty '%s:' record", path, ln,
                        is_source ? "source" : "byline");
        }
        if (is_source ? push((void **)&d->source, &d->n_source, sizeof s, &s)
                      : push((void **)&d->byline, &d->n_byline, sizeof s, &s)) {
            free(s);
            goto oom;
        }
        return 0;
    }
    return errf(err, errlen,
                "%s:%d: unknown record (expected file:, person:, quote:, "
                "source: or byline:)",
                path, ln);
oom:
    errf(err, errlen, "%s:%d: out of memory", path, ln);
out:
    for (int i = 0; i < 4; i++)
        free(f[i]);
    return rc;
}

int gs_doc_read(const char *path, gs_doc *d, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    char *text = NULL;
    size_t len = 0;
    if (khotin_read_file(path, &text, &len) != KHOTIN_OK)
        return errf(err, errlen, "%s", khotin_last_error());
    int ln = 0, rc = 0;
    char *save = text;
    while (save && *save) {
        char *line = save, *nl = strchr(save, '\n');
        if (nl) {
            *nl = '\0';
            save = nl + 1;
        } else {
            save = NULL;
        }
        ln++;
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#')
            continue;
        if ((rc = gold_line(d, path, ln, p, err, errlen)) < 0)
            break;
    }
    khotin_free(text);
    if (rc == 0 && !d->file)
        rc = errf(err, errlen, "%s: no 'file:' record", path);
    for (size_t i = 0; rc == 0 && i < d->n_quote; i++) {
        if (!d->quote[i].speaker)
            continue;
        size_t k;
        char *a = gs_name_key(d->quote[i].speaker);
        for (k = 0; a && k < d->n_person; k++) {
            char *b = gs_name_key(d->person[k].name);
            int same = b && strcmp(a, b) == 0;
            free(b);
            if (same)
                break;
        }
        free(a);
        if (k == d->n_person)
            rc = errf(err, errlen,
                      "%s: the speaker '%s' of quote %zu has no person: record",
                      path, d->quote[i].speaker, i + 1);
    }
    if (rc < 0)
        gs_doc_free(d);
    return rc;
}

/* -------------------------------------------------------- khotin's output */

static char *sdup(const char *s)
{
    return dup_trim(s ? s : "", s ? strlen(s) : 0);
}

int gs_doc_from_article(const khotin_article *a, gs_doc *d)
{
    memset(d, 0, sizeof *d);
    size_t np = khotin_article_person_count(a);
    for (size_t i = 0; i < np; i++) {
        const khotin_person *kp = khotin_article_person(a, i);
        gs_person p = {sdup(kp->name), sdup(kp->role), sdup(kp->title),
                       kp->quoted != 0};
        if (!p.name || !p.role || !p.title ||
            push((void **)&d->person, &d->n_person, sizeof p, &p) < 0) {
            free(p.name);
            free(p.role);
            free(p.title);
            goto fail;
        }
    }
    size_t nq = khotin_article_quote_count(a);
    for (size_t i = 0; i < nq; i++) {
        const khotin_quote *kq = khotin_article_quote(a, i);
        gs_quote q = {NULL, sdup(kq->text)};
        if (kq->person != KHOTIN_NO_PERSON && kq->person < np)
            q.speaker = sdup(khotin_article_person(a, kq->person)->name);
        if (!q.text || (kq->person != KHOTIN_NO_PERSON && kq->person < np &&
                        !q.speaker) ||
            push((void **)&d->quote, &d->n_quote, sizeof q, &q) < 0) {
            free(q.speaker);
            free(q.text);
            goto fail;
        }
    }
    size_t ns = khotin_article_agency_count(a);
    for (size_t i = 0; i < ns; i++) {
        char *s = sdup(khotin_article_agency(a, i));
        if (!s || push((void **)&d->source, &d->n_source, sizeof s, &s) < 0) {
            free(s);
            goto fail;
        }
    }
    const char *lead = khotin_article_lead(a), *body = khotin_article_body(a);
    size_t nl = strlen(lead), nb = strlen(body);
    if (!(d->text = malloc(nl + nb + 2)))
        goto fail;
    memcpy(d->text, lead, nl);
    d->text[nl] = '\n';
    memcpy(d->text + nl + 1, body, nb + 1);
    const char *author = khotin_article_author(a);
    if (author && *author) {
        char *s = sdup(author);
        if (!s || push((void **)&d->byline, &d->n_byline, sizeof s, &s) < 0) {
            free(s);
            goto fail;
        }
    }
    return 0;
fail:
    gs_doc_free(d);
    return -1;
}

/* ---------------------------------------------------------------- scoring */

/* Keys of a list of strings, NULL entries where a key could not be made. */
typedef struct keys {
    char **k;
    size_t n;
} keys;

static void keys_free(keys *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->k[i]);
    free(k->k);
    k->k = NULL;
    k->n = 0;
}

static int keys_make(keys *k, size_t n, const char *(*get)(const void *, size_t),
                     const void *ctx, char *(*fn)(const char *))
{
    k->n = n;
    k->k = calloc(n ? n : 1, sizeof *k->k);
    if (!k->k)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!(k->k[i] = fn(get(ctx, i)))) {
            /* invalid UTF-8 cannot come from khotin or a validated file */
            if (!(k->k[i] = calloc(1, 1)))
                return -1;
        }
    return 0;
}

static const char *get_person_name(const void *d, size_t i)
{
    return ((const gs_doc *)d)->person[i].name;
}
static const char *get_person_role(const void *d, size_t i)
{
    return ((const gs_doc *)d)->person[i].role;
}
static const char *get_quote_text(const void *d, size_t i)
{
    return ((const gs_doc *)d)->quote[i].text;
}
static const char *get_quote_speaker(const void *d, size_t i)
{
    const char *s = ((const gs_doc *)d)->quote[i].speaker;
    return s ? s : "";
}
static const char *get_source(const void *d, size_t i)
{
    return ((const gs_doc *)d)->source[i];
}
static const char *get_byline(const void *d, size_t i)
{
    return ((const gs_doc *)d)->byline[i];
}

/* Index of the first key equal to `key` among k (skipping duplicates and
 * empty keys is up to the caller), or (size_t)-1. */
static size_t find_key(const keys *k, const char *key)
{
    if (!*key)
        return (size_t)-1;
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->k[i], key) == 0)
            return i;
    return (size_t)-1;
}

/* 1 when k->k[i] is the first occurrence of its key (and not empty). */
static int first_of(const keys *k, size_t i)
{
    return *k->k[i] && find_key(k, k->k[i]) == i;
}

static void say(FILE *v, const char *id, int field, const char *what,
                const char *fmt, ...)
{
    if (!v)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(v, "%s\t%s\t%s\t", id, gs_field_name(field), what);
    vfprintf(v, fmt, ap);
    fputc('\n', v);
    va_end(ap);
}

/* The output quote begins inside the gold start: the last k >= 3 words of
 * the gold start are the first k words of the output quote ("vụ bắt giữ ông
 * đã được tha thứ" / "tha thứ và chìm vào quên lãng" share 2 words: no). */
static int starts_inside(const char *gold_words, const char *out_words)
{
    int words = 0;
    for (const char *p = gold_words; *p; p++) {
        if (p != gold_words && p[-1] != ' ')
            continue;
        /* p starts a word of the gold start: is the rest a prefix of out? */
        size_t n = strlen(p);
        if (strncmp(out_words, p, n) == 0 &&
            (out_words[n] == '\0' || out_words[n] == ' ')) {
            for (const char *q = p; *q; q++)
                words += *q == ' ';
            return words + 1 >= 3;
        }
    }
    return 0;
}

static int text_match(const char *gold_words, const char *out_words)
{
    return words_contain(out_words, gold_words) ||
           words_contain(gold_words, out_words) ||
           starts_inside(gold_words, out_words);
}

/* Print at most `max` bytes of s without cutting a UTF-8 sequence. */
static int utf8_prefix(const char *s, int max)
{
    int n = (int)strlen(s);
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

/* Simple set scoring of two key lists (sources, bylines). */
static void score_set(const keys *g, const keys *o, char **graw, char **oraw,
                      gs_counts *c, int field, FILE *v, const char *id)
{
    for (size_t i = 0; i < g->n; i++) {
        if (!first_of(g, i))
            continue;
        c->gold++;
        if (find_key(o, g->k[i]) != (size_t)-1)
            c->found++;
        else
            say(v, id, field, "miss", "%s", graw[i]);
    }
    for (size_t i = 0; i < o->n; i++) {
        if (!first_of(o, i))
            continue;
        c->output++;
        if (find_key(g, o->k[i]) != (size_t)-1)
            c->correct++;
        else
            say(v, id, field, "wrong", "%s", oraw[i]);
    }
}

/* The paragraphs (lines) of the output's text as word keys. */
static int paragraphs_make(keys *k, const char *text)
{
    k->k = NULL;
    k->n = 0;
    if (!text)
        return 0;
    const char *p = text;
    for (;;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *line = dup_trim(p, n), *key = line ? gs_words_key(line) : NULL;
        free(line);
        if (!key || push((void **)&k->k, &k->n, sizeof key, &key) < 0) {
            free(key);
            return -1;
        }
        if (!e)
            return 0;
        p = e + 1;
    }
}

/* Index of the first paragraph holding the first (up to 8) words of
 * `words`, or (size_t)-1. */
static size_t paragraph_of(const keys *paras, const char *words)
{
    char head[512];
    size_t n = 0;
    int w = 0;
    for (const char *p = words; *p && n + 1 < sizeof head; p++) {
        if (*p == ' ' && ++w == 8)
            break;
        head[n++] = *p;
    }
    head[n] = '\0';
    if (!*head)
        return (size_t)-1;
    for (size_t i = 0; i < paras->n; i++)
        if (words_contain(paras->k[i], head))
            return i;
    return (size_t)-1;
}

int gs_score(const gs_doc *gold, const gs_doc *out, gs_counts c[GS_NFIELDS],
             FILE *v, const char *id)
{
    keys paras = {0};
    if (paragraphs_make(&paras, out->text) < 0) {
        keys_free(&paras);
        return -1;
    }
    keys gn = {0}, on = {0}, gr = {0}, orl = {0}, gq = {0}, oq = {0},
         gqs = {0}, oqs = {0}, gs = {0}, os = {0}, gb = {0}, ob = {0};
    int rc = -1;
    if (keys_make(&gn, gold->n_person, get_person_name, gold, gs_name_key) ||
        keys_make(&on, out->n_person, get_person_name, out, gs_name_key) ||
        keys_make(&gr, gold->n_person, get_person_role, gold, gs_words_key) ||
        keys_make(&orl, out->n_person, get_person_role, out, gs_words_key) ||
        keys_make(&gq, gold->n_quote, get_quote_text, gold, gs_words_key) ||
        keys_make(&oq, out->n_quote, get_quote_text, out, gs_words_key) ||
        keys_make(&gqs, gold->n_quote, get_quote_speaker, gold, gs_name_key) ||
        keys_make(&oqs, out->n_quote, get_quote_speaker, out, gs_name_key) ||
        keys_make(&gs, gold->n_source, get_source, gold, gs_words_key) ||
        keys_make(&os, out->n_source, get_source, out, gs_words_key) ||
        keys_make(&gb, gold->n_byline, get_byline, gold, gs_words_key) ||
        keys_make(&ob, out->n_byline, get_byline, out, gs_words_key))
        goto done;

    /* An output person may be listed twice; it counts once, quoted if any
     * of its entries is, with the first non-empty role. */
    for (size_t i = 0; i < gn.n; i++) {
        if (!first_of(&gn, i))
            continue;
        const gs_person *g = &gold->person[i];
        size_t j = find_key(&on, gn.k[i]);
        int out_quoted = 0;
        const char *out_role = "";
        size_t out_role_i = (size_t)-1;
        for (size_t k = 0; j != (size_t)-1 && k < on.n; k++)
            if (strcmp(on.k[k], gn.k[i]) == 0) {
                out_quoted |= out->person[k].quoted;
                if (!*out_role && *orl.k[k]) {
                    out_role = out->person[k].role;
                    out_role_i = k;
                }
            }
        c[GS_PEOPLE].gold++;
        if (j != (size_t)-1)
            c[GS_PEOPLE].found++;
        else
            say(v, id, GS_PEOPLE, "miss", "%s", g->name);
        if (g->quoted) {
            c[GS_QUOTED].gold++;
            if (j != (size_t)-1 && out_quoted)
                c[GS_QUOTED].found++;
            else
                say(v, id, GS_QUOTED, "miss", "%s%s", g->name,
                    j != (size_t)-1 ? " (found, not quoted)" : "");
        }
        if (*gr.k[i]) {
            c[GS_ROLE].gold++;
            if (out_role_i != (size_t)-1 &&
                has_all_words(orl.k[out_role_i], gr.k[i]))
                c[GS_ROLE].found++;
            else
                say(v, id, GS_ROLE, "miss", "%s: gold '%s', output '%s'",
                    g->name, g->role, out_role);
        }
    }
    for (size_t j = 0; j < on.n; j++) {
        if (!first_of(&on, j))
            continue;
        size_t i = find_key(&gn, on.k[j]);
        int out_quoted = 0;
        size_t role_k = (size_t)-1;
        for (size_t k = j; k < on.n; k++)
            if (strcmp(on.k[k], on.k[j]) == 0) {
                out_quoted |= out->person[k].quoted;
                if (role_k == (size_t)-1 && *orl.k[k])
                    role_k = k;
            }
        c[GS_PEOPLE].output++;
        if (i != (size_t)-1)
            c[GS_PEOPLE].correct++;
        else
            say(v, id, GS_PEOPLE, "wrong", "%s", out->person[j].name);
        if (out_quoted) {
            c[GS_QUOTED].output++;
            if (i != (size_t)-1 && gold->person[i].quoted)
                c[GS_QUOTED].correct++;
            else
                say(v, id, GS_QUOTED, "wrong", "%s%s", out->person[j].name,
                    i != (size_t)-1 ? " (a person, only mentioned)" : "");
        }
        if (i != (size_t)-1 && role_k != (size_t)-1) {
            c[GS_ROLE].output++;
            if (*gr.k[i] && has_all_words(orl.k[role_k], gr.k[i]))
                c[GS_ROLE].correct++;
            else if (!*gr.k[i])
                say(v, id, GS_ROLE, "wrong", "%s: no role in gold, output '%s'",
                    out->person[j].name, out->person[role_k].role);
        }
    }

    /* Quotes: a gold quote with a named speaker is found by an output quote
     * of the same speaker whose words contain its start (or the reverse). */
    for (size_t i = 0; i < gold->n_quote; i++) {
        if (!gold->quote[i].speaker)
            continue;
        c[GS_QUOTE].gold++;
        int found = 0;
        for (size_t k = 0; !found && k < out->n_quote; k++)
            found = out->quote[k].speaker && *gqs.k[i] &&
                    strcmp(oqs.k[k], gqs.k[i]) == 0 &&
                    text_match(gq.k[i], oq.k[k]);
        if (found)
            c[GS_QUOTE].found++;
        else
            say(v, id, GS_QUOTE, "miss", "%s | %s", gold->quote[i].speaker,
                gold->quote[i].text);
    }
    for (size_t k = 0; k < out->n_quote; k++) {
        if (!out->quote[k].speaker)
            continue; /* no speaker claimed: nothing to be wrong about */
        c[GS_QUOTE].output++;
        int ok = 0;
        const char *gold_speaker = NULL;
        size_t para = paragraph_of(&paras, oq.k[k]);
        for (size_t i = 0; !ok && i < gold->n_quote; i++) {
            /* The same words, or a quote of the same paragraph (a later
             * part of the passage whose start is in the gold). */
            if (!text_match(gq.k[i], oq.k[k]) &&
                (para == (size_t)-1 || paragraph_of(&paras, gq.k[i]) != para))
                continue;
            if (!gold_speaker)
                gold_speaker = gold->quote[i].speaker ? gold->quote[i].speaker
                                                      : "?";
            ok = gold->quote[i].speaker && *oqs.k[k] &&
                 strcmp(oqs.k[k], gqs.k[i]) == 0;
        }
        if (ok) {
            c[GS_QUOTE].correct++;
        } else {
            const char *t = out->quote[k].text;
            say(v, id, GS_QUOTE, "wrong", "%s | %.*s%s (gold speaker: %s)",
                out->quote[k].speaker, utf8_prefix(t, 80), t,
                strlen(t) > 80 ? "..." : "",
                gold_speaker ? gold_speaker : "no such quote");
        }
    }

    score_set(&gs, &os, gold->source, out->source, &c[GS_SOURCE], GS_SOURCE, v,
              id);
    score_set(&gb, &ob, gold->byline, out->byline, &c[GS_BYLINE], GS_BYLINE, v,
              id);
    rc = 0;
done:
    keys_free(&paras);
    keys_free(&gn);
    keys_free(&on);
    keys_free(&gr);
    keys_free(&orl);
    keys_free(&gq);
    keys_free(&oq);
    keys_free(&gqs);
    keys_free(&oqs);
    keys_free(&gs);
    keys_free(&os);
    keys_free(&gb);
    keys_free(&ob);
    return rc;
}

double gs_precision(const gs_counts *c)
{
    if (c->output == 0)
        return c->gold == 0 ? 1.0 : 0.0;
    return (double)c->correct / (double)c->output;
}

double gs_recall(const gs_counts *c)
{
    if (c->gold == 0)
        return c->output == 0 ? 1.0 : 0.0;
    return (double)c->found / (double)c->gold;
}

double gs_f1(const gs_counts *c)
{
    double p = gs_precision(c), r = gs_recall(c);
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}
