/* bench.c - khotin_bench: khotin against a plain SQLite FTS5 table.
 *
 * One run does everything on the same N article texts (the corpus files
 * repeated; copy K > 0 of a file gets " (bản K)" after its headline so that
 * every text is distinct):
 *   1. import into a khotin archive, in a child process (wall time, peak RSS
 *      from wait4, database size);
 *   2. the same for the baseline, an FTS5 table with the unicode61 tokenizer
 *      (remove_diacritics 2), in another child;
 *   3. query latency: each query of queries.txt 5 times on both, median per
 *      query, then p50 and p95 over the queries;
 *   4. recall against a full fold: the articles where every query word,
 *      folded, is a whole word of the folded text, compared with the full
 *      result sets of both engines;
 *   5. a table of the figures, the ratios and the targets.
 * The program reports; it exits 0 whatever the figures are (non-zero only
 * when it cannot run: bad options, missing corpus, an engine failing).
 */
#define _DEFAULT_SOURCE /* wait4() */

#include "khotin.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>

#ifndef KHOTIN_BENCH_SOURCE_DIR
#define KHOTIN_BENCH_SOURCE_DIR "."
#endif

#define MIB (1024.0 * 1024.0)
#define RUNS 5
#define SEARCH_LIMIT 20

/* ------------------------------------------------------------ utilities */

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("khotin_bench: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        die("out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double file_bytes(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (double)st.st_size : 0.0;
}

/* A growable, NUL-terminated byte buffer. */
typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static void buf_add(buf *b, const void *data, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            die("out of memory");
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void buf_puts(buf *b, const char *s) { buf_add(b, s, strlen(s)); }

static void buf_reset(buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

static uint64_t fnv1a(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

/* Words as khotin's tokenizer sees them: runs of letters, digits and
 * combining marks (Unicode categories L*, N*, M*). Returns the start of the
 * next word in [p, end) and its length, or NULL. */
static int is_word_cp(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
               (cp >= 'A' && cp <= 'Z');
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return 1;
    default:
        return 0;
    }
}

/* Length of the code point at p (>= 1) and whether it is a word character. */
static size_t cp_at(const char *p, const char *end, int *word)
{
    unsigned char c = (unsigned char)*p;
    if (c < 0x80) {
        *word = is_word_cp(c);
        return 1;
    }
    int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)p,
                                          end - p, &cp);
    if (k <= 0) {
        *word = 0;
        return 1;
    }
    *word = is_word_cp(cp);
    return (size_t)k;
}

static const char *next_word(const char *p, const char *end, size_t *len)
{
    int word = 0;
    while (p < end) {
        size_t k = cp_at(p, end, &word);
        if (word)
            break;
        p += k;
    }
    if (p >= end)
        return NULL;
    const char *start = p;
    while (p < end) {
        size_t k = cp_at(p, end, &word);
        if (!word)
            break;
        p += k;
    }
    *len = (size_t)(p - start);
    return start;
}

/* -------------------------------------------------------------- options */

typedef struct opts {
    size_t articles;
    size_t truth_articles; /* 0: all */
    unsigned batch;
    unsigned jobs; /* khotin's parse threads (khotin_importer_set_jobs) */
    int keep;
    int show_queries;
    int scale; /* --scale: khotin import only, rates at 10k, 100k, 1M */
    const char *corpus;
    const char *workdir;
    const char *queries;
} opts;

static void usage(FILE *f)
{
    fputs("Usage: khotin_bench [--articles N] [--corpus DIR] [--workdir DIR]\n"
          "                    [--batch N] [--jobs N] [--queries FILE]\n"
          "                    [--truth-articles N]\n"
          "                    [--keep]\n"
          "  --articles N        articles to import (default 100000)\n"
          "  --corpus DIR        folder of *.txt articles (default: the vietnews sample)\n"
          "  --workdir DIR       where the fresh work folder is made (default /tmp)\n"
          "  --batch N           articles per transaction, both engines (default 500)\n"
          "  --jobs N            khotin parses in N threads while one stores\n"
          "                      (default: the number of cores + 1, at most 4)\n"
          "  --queries FILE      one query per line (default bench/queries.txt)\n"
          "  --truth-articles N  restrict the recall check to the first N articles\n"
          "                      (default: all)\n"
          "  --keep              keep the work folder (databases) at the end\n"
          "  --scale             only import into khotin, printing the rate at\n"
          "                      10k, 100k and 1M articles and the peak memory\n"
          "                      (how import time grows with the archive)\n"
          "  --show-queries      print how each query is translated, then exit\n",
          f);
}

static size_t parse_count(const char *opt, const char *s)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = s ? strtoull(s, &end, 10) : 0;
    if (!s || errno || end == s || *end || v == 0 || v > 100000000ULL)
        die("%s expects a positive number, got '%s'", opt, s ? s : "");
    return (size_t)v;
}

static void parse_args(int argc, char **argv, opts *o)
{
    static char corpus[4096], queries[4096];
    snprintf(corpus, sizeof corpus, "%s/../shared/corpus/vietnews/txt",
             KHOTIN_BENCH_SOURCE_DIR);
    snprintf(queries, sizeof queries, "%s/bench/queries.txt",
             KHOTIN_BENCH_SOURCE_DIR);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    *o = (opts){100000, 0, 500, cores < 1 ? 2 : cores + 1 > 4 ? 4 : (unsigned)cores + 1, 0, 0, 0,
                corpus, "/tmp", queries};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(a, "--keep")) {
            o->keep = 1;
            continue;
        } else if (!strcmp(a, "--show-queries")) {
            o->show_queries = 1;
            continue;
        } else if (!strcmp(a, "--scale")) {
            o->scale = 1;
            continue;
        } else if (!strcmp(a, "--articles")) {
            o->articles = parse_count(a, v);
        } else if (!strcmp(a, "--truth-articles")) {
            o->truth_articles = parse_count(a, v);
        } else if (!strcmp(a, "--batch")) {
            o->batch = (unsigned)parse_count(a, v);
        } else if (!strcmp(a, "--jobs")) {
            o->jobs = (unsigned)parse_count(a, v);
        } else if (!strcmp(a, "--corpus") && v) {
            o->corpus = v;
        } else if (!strcmp(a, "--workdir") && v) {
            o->workdir = v;
        } else if (!strcmp(a, "--queries") && v) {
            o->queries = v;
        } else {
            usage(stderr);
            die("unknown option or missing value: %s", a);
        }
        i++;
    }
    if (!o->truth_articles || o->truth_articles > o->articles)
        o->truth_articles = o->articles;
}

/* --------------------------------------------------------------- corpus */

/* The sorted file list; `data` holds every file (NUL-terminated) when
 * loaded, NULL otherwise. */
typedef struct corpus {
    char **paths;
    size_t n;
    size_t *size;
    size_t *off;
    char *data;
} corpus;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_txt(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".txt") == 0;
}

static void corpus_list(corpus *c, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        die("cannot open the corpus folder %s: %s", dir, strerror(errno));
    size_t cap = 0;
    memset(c, 0, sizeof *c);
    for (struct dirent *e; (e = readdir(d));) {
        if (!is_txt(e->d_name))
            continue;
        if (c->n == cap) {
            cap = cap ? cap * 2 : 1024;
            c->paths = realloc(c->paths, cap * sizeof *c->paths);
            if (!c->paths)
                die("out of memory");
        }
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        c->paths[c->n] = xmalloc(n);
        snprintf(c->paths[c->n++], n, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (!c->n)
        die("no *.txt file in %s", dir);
    qsort(c->paths, c->n, sizeof *c->paths, cmp_str);
    c->size = xcalloc(c->n, sizeof *c->size);
    c->off = xcalloc(c->n, sizeof *c->off);
    for (size_t i = 0; i < c->n; i++) {
        double b = file_bytes(c->paths[i]);
        c->size[i] = (size_t)b;
    }
}

/* Read every file into one block (freed in one piece by corpus_unload). */
static void corpus_load(corpus *c)
{
    size_t total = 0;
    for (size_t i = 0; i < c->n; i++)
        total += c->size[i] + 1;
    c->data = xmalloc(total);
    size_t at = 0;
    for (size_t i = 0; i < c->n; i++) {
        FILE *f = fopen(c->paths[i], "rb");
        if (!f || fread(c->data + at, 1, c->size[i], f) != c->size[i])
            die("cannot read %s", c->paths[i]);
        fclose(f);
        c->off[i] = at;
        at += c->size[i];
        c->data[at++] = '\0';
    }
}

static void corpus_unload(corpus *c)
{
    free(c->data);
    c->data = NULL;
}

static void corpus_free(corpus *c)
{
    corpus_unload(c);
    for (size_t i = 0; i < c->n; i++)
        free(c->paths[i]);
    free(c->paths);
    free(c->size);
    free(c->off);
}

/* Hash of the folded text with white space collapsed: two files with the
 * same key would be one article for khotin. */
static uint64_t content_key(const char *text)
{
    char *f = khotin_text_fold(text);
    if (!f)
        return fnv1a(text, strlen(text));
    size_t w = 0;
    int space = 1;
    for (size_t r = 0; f[r]; r++) {
        int is_space = f[r] == ' ' || f[r] == '\n' || f[r] == '\t' || f[r] == '\r';
        if (is_space && space)
            continue;
        f[w++] = is_space ? ' ' : f[r];
        space = is_space;
    }
    while (w && f[w - 1] == ' ')
        w--;
    uint64_t h = fnv1a(f, w);
    khotin_free(f);
    return h;
}

typedef struct keyed {
    uint64_t key;
    size_t idx;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Drop files whose content repeats an earlier file (kept in name order).
 * The corpus must be loaded. Returns the number dropped. */
static size_t corpus_dedupe(corpus *c)
{
    keyed *k = xcalloc(c->n, sizeof *k);
    char *drop = xcalloc(c->n, 1);
    for (size_t i = 0; i < c->n; i++)
        k[i] = (keyed){content_key(c->data + c->off[i]), i};
    qsort(k, c->n, sizeof *k, cmp_keyed);
    for (size_t i = 1; i < c->n; i++)
        if (k[i].key == k[i - 1].key)
            drop[k[i].idx] = 1;
    size_t w = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (drop[i]) {
            free(c->paths[i]);
            continue;
        }
        c->paths[w] = c->paths[i];
        c->size[w] = c->size[i];
        c->off[w++] = c->off[i];
    }
    size_t dropped = c->n - w;
    c->n = w;
    free(k);
    free(drop);
    return dropped;
}

/* Text of article i (file i % n, copy i / n) into out; returns its length. */
static size_t text_build(const corpus *c, size_t i, buf *out)
{
    size_t f = i % c->n, copy = i / c->n;
    const char *t = c->data + c->off[f];
    buf_reset(out);
    if (copy == 0) {
        buf_add(out, t, c->size[f]);
        return out->len;
    }
    const char *nl = memchr(t, '\n', c->size[f]);
    size_t head = nl ? (size_t)(nl - t) : c->size[f];
    char suffix[48];
    int n = snprintf(suffix, sizeof suffix, " (bản %zu)", copy);
    buf_add(out, t, head);
    buf_add(out, suffix, (size_t)n);
    buf_add(out, t + head, c->size[f] - head);
    return out->len;
}

static double texts_bytes(const corpus *c, size_t n)
{
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        size_t copy = i / c->n;
        total += (double)c->size[i % c->n];
        if (copy) {
            char suffix[48];
            total += snprintf(suffix, sizeof suffix, " (bản %zu)", copy);
        }
    }
    return total;
}

/* ------------------------------------------------------- child processes */

typedef struct import_res {
    int ok;
    char err[512];
    double seconds;
    double db_bytes;
    uint64_t imported, duplicates, failed;
    long maxrss_kb;
} import_res;

typedef struct job {
    const opts *o;
    corpus *c;
    char db[4096];
    char ids[4096]; /* khotin: article index -> id, int64 each */
} job;

typedef void (*child_fn)(job *j, import_res *r);

static void write_all(int fd, const void *p, size_t n)
{
    const char *s = p;
    while (n) {
        ssize_t k = write(fd, s, n);
        if (k <= 0 && errno != EINTR)
            return;
        if (k > 0)
            s += k, n -= (size_t)k;
    }
}

static size_t read_all(int fd, void *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, (char *)p + got, n - got);
        if (k == 0 || (k < 0 && errno != EINTR))
            break;
        if (k > 0)
            got += (size_t)k;
    }
    return got;
}

/* Run fn in a child; its result comes back through a pipe, its peak RSS
 * from wait4(). */
static void run_child(child_fn fn, job *j, import_res *r)
{
    int fds[2];
    if (pipe(fds))
        die("pipe: %s", strerror(errno));
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        close(fds[0]);
        import_res res = {0};
        fn(j, &res);
        write_all(fds[1], &res, sizeof res);
        close(fds[1]);
        _exit(0);
    }
    close(fds[1]);
    memset(r, 0, sizeof *r);
    size_t got = read_all(fds[0], r, sizeof *r);
    close(fds[0]);
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    r->maxrss_kb = ru.ru_maxrss;
    if (got != sizeof *r || !WIFEXITED(status) || WEXITSTATUS(status)) {
        r->ok = 0;
        snprintf(r->err, sizeof r->err, "the child process died (status %d)",
                 status);
    }
}

typedef struct ids_ctx {
    int64_t *ids;
    size_t cur; /* next article: callbacks come in submission order, maybe
                   later than the add (khotin parses in worker threads) */
    char first_failure[256];
} ids_ctx;

static void on_import(void *vctx, const char *path, khotin_import_outcome oc,
                      int64_t id, const char *message)
{
    ids_ctx *c = vctx;
    c->ids[c->cur++] = oc == KHOTIN_IMPORTED ? id : 0;
    if (oc == KHOTIN_FAILED && !c->first_failure[0])
        snprintf(c->first_failure, sizeof c->first_failure, "%s: %s", path,
                 message ? message : "");
}

static void khotin_import_all(job *j, khotin_importer *imp, ids_ctx *ctx,
                              import_res *r)
{
    buf text = {0};
    char name[4200];
    for (size_t i = 0; i < j->o->articles; i++) {
        size_t len = text_build(j->c, i, &text), copy = i / j->c->n;
        const char *path = j->c->paths[i % j->c->n];
        if (copy)
            snprintf(name, sizeof name, "%s#%zu", path, copy);
        else
            snprintf(name, sizeof name, "%s", path);
        if (khotin_importer_add_buffer(imp, name, text.p, len, on_import, ctx)) {
            snprintf(r->err, sizeof r->err, "import stopped at article %zu: %s",
                     i, khotin_last_error());
            break;
        }
    }
    free(text.p);
}

static void save_ids(const char *path, const int64_t *ids, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(ids, sizeof *ids, n, f);
        fclose(f);
    }
}

static void child_khotin(job *j, import_res *r)
{
    corpus_load(j->c);
    ids_ctx ctx = {xcalloc(j->o->articles, sizeof(int64_t)), 0, ""};
    khotin_db *db = NULL;
    khotin_importer *imp = NULL;
    double t0 = now_s();
    if (khotin_open(j->db, 0, &db) ||
        khotin_importer_new(db, j->o->batch, &imp) ||
        khotin_importer_set_jobs(imp, j->o->jobs)) {
        snprintf(r->err, sizeof r->err, "%s", khotin_last_error());
        khotin_close(db);
        return;
    }
    khotin_import_all(j, imp, &ctx, r);
    if (khotin_importer_finish(imp) && !r->err[0])
        snprintf(r->err, sizeof r->err, "commit: %s", khotin_last_error());
    const khotin_import_stats *s = khotin_importer_stats(imp);
    r->imported = s->imported;
    r->duplicates = s->duplicates;
    r->failed = s->failed;
    khotin_importer_free(imp);
    khotin_close(db);
    r->seconds = now_s() - t0;
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", j->db);
    r->db_bytes = file_bytes(j->db) + file_bytes(wal);
    if (!r->err[0] && ctx.first_failure[0])
        snprintf(r->err, sizeof r->err, "(not fatal) %s", ctx.first_failure);
    r->ok = r->imported > 0;
    save_ids(j->ids, ctx.ids, j->o->articles);
    free(ctx.ids);
}

/* First non-empty line = headline, next non-empty line = lead, rest = body. */
typedef struct span {
    const char *p;
    size_t n;
} span;

static span next_line(const char **at, const char *end)
{
    for (;;) {
        const char *p = *at;
        if (p >= end)
            return (span){end, 0};
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        *at = nl ? nl + 1 : end;
        for (const char *q = p; q < stop; q++)
            if (*q != ' ' && *q != '\t' && *q != '\r')
                return (span){p, (size_t)(stop - p)};
    }
}

static int bind_article(sqlite3_stmt *st, size_t i, const char *text, size_t len)
{
    const char *at = text, *end = text + len;
    span head = next_line(&at, end);
    span lead = next_line(&at, end);
    span body = {at, (size_t)(end - at)};
    int rc = sqlite3_bind_int64(st, 1, (sqlite3_int64)i + 1);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 2, head.p, (int)head.n, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 3, lead.p, (int)lead.n, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 4, body.p, (int)body.n, SQLITE_STATIC);
    return rc;
}

static int exec(sqlite3 *db, const char *sql, import_res *r)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK && !r->err[0])
        snprintf(r->err, sizeof r->err, "%s: %s", sql, msg ? msg : "?");
    sqlite3_free(msg);
    return rc;
}

static const char *const BASELINE_SCHEMA =
    "PRAGMA journal_mode = WAL;"
    "PRAGMA synchronous = NORMAL;"
    "CREATE VIRTUAL TABLE t USING fts5(headline, lead, body, "
    "tokenize = 'unicode61 remove_diacritics 2');";

static int baseline_insert_all(job *j, sqlite3 *db, import_res *r)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "INSERT INTO t(rowid, headline, lead, body) "
                                    "VALUES (?1, ?2, ?3, ?4)", -1, &st, NULL);
    buf text = {0};
    if (rc == SQLITE_OK)
        rc = exec(db, "BEGIN", r);
    for (size_t i = 0; rc == SQLITE_OK && i < j->o->articles; i++) {
        size_t len = text_build(j->c, i, &text);
        rc = bind_article(st, i, text.p, len);
        if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_DONE)
            rc = sqlite3_reset(st);
        if (rc == SQLITE_OK)
            r->imported++;
        if (rc == SQLITE_OK && (i + 1) % j->o->batch == 0)
            rc = exec(db, "COMMIT; BEGIN", r);
    }
    if (rc == SQLITE_OK)
        rc = exec(db, "COMMIT", r);
    if (rc != SQLITE_OK && !r->err[0])
        snprintf(r->err, sizeof r->err, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    free(text.p);
    return rc;
}

static void child_baseline(job *j, import_res *r)
{
    corpus_load(j->c);
    sqlite3 *db = NULL;
    double t0 = now_s();
    int rc = sqlite3_open_v2(j->db, &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK)
        rc = exec(db, BASELINE_SCHEMA, r);
    if (rc == SQLITE_OK)
        rc = baseline_insert_all(j, db, r);
    else if (!r->err[0])
        snprintf(r->err, sizeof r->err, "%s", sqlite3_errmsg(db));
    sqlite3_close(db);
    r->seconds = now_s() - t0;
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", j->db);
    r->db_bytes = file_bytes(j->db) + file_bytes(wal);
    r->ok = rc == SQLITE_OK;
}

/* -------------------------------------------------------------- queries */

typedef struct query {
    char *text;        /* the line: a khotin query */
    char *base_expr;   /* baseline MATCH expression */
    int dropped;       /* filters the baseline could not express */
    char *words_q;     /* khotin query of the plain words (recall) */
    char *words_base;  /* baseline expression of the plain words (recall) */
    size_t nwords;
    size_t *widx;      /* folded words, as indexes in the word table */
    double med_k, med_b;   /* median latency, seconds */
    int err_k, err_b;
    double rec_k, rec_b;   /* recall */
    int64_t truth, hit_k, hit_b, extra_k, extra_b, total_k;
} query;

/* One token of a query line. */
typedef struct qtok {
    buf text;     /* word(s), without quotes, '-' or '*' */
    int quoted, prefix, negated, is_or, filter;
} qtok;

static int is_filter(const char *s)
{
    static const char *const keys[] = {"person:", "source:", "from:", "to:"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strncasecmp(s, keys[i], strlen(keys[i])) == 0)
            return 1;
    return 0;
}

/* Read the next token at p (spaces skipped); returns the position after
 * it, or NULL at the end. */
static const char *next_qtok(const char *p, qtok *t)
{
    buf_reset(&t->text);
    t->quoted = t->prefix = t->negated = t->is_or = t->filter = 0;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return NULL;
    if (*p == '-' && p[1] && p[1] != ' ')
        t->negated = 1, p++;
    if (*p == '"') {
        const char *q = strchr(p + 1, '"');
        size_t n = q ? (size_t)(q - p - 1) : strlen(p + 1);
        buf_add(&t->text, p + 1, n);
        t->quoted = 1;
        p = q ? q + 1 : p + 1 + n;
    } else {
        const char *s = p;
        while (*p && *p != ' ' && *p != '\t')
            if (*p++ == '"') { /* key:"two words" */
                const char *q = strchr(p, '"');
                p = q ? q + 1 : p + strlen(p);
            }
        buf_add(&t->text, s, (size_t)(p - s));
        t->filter = is_filter(t->text.p);
        t->is_or = !strcmp(t->text.p, "OR");
    }
    if (*p == '*')
        t->prefix = 1, p++;
    while (t->text.len && t->text.p[t->text.len - 1] == '*')
        t->prefix = 1, t->text.p[--t->text.len] = '\0';
    return p;
}

/* "text" (quotes doubled) [*] */
static void base_term(buf *out, const qtok *t)
{
    buf_puts(out, "\"");
    for (const char *s = t->text.p; *s; s++)
        buf_add(out, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
    buf_puts(out, t->prefix ? "\" *" : "\"");
}

/* Words of a token, split as the tokenizers split them, for recall. */
static void add_words(buf *khq, buf *bq, const char *text)
{
    size_t n;
    const char *end = text + strlen(text);
    for (const char *w = text; (w = next_word(w, end, &n)); w += n) {
        if (khq->len)
            buf_puts(khq, " ");
        buf_add(khq, w, n);
        buf_puts(bq, bq->len ? " AND \"" : "\"");
        buf_add(bq, w, n);
        buf_puts(bq, "\"");
    }
}

/* Close the clause being built: positives AND'ed, negatives NOT'ed. */
static void flush_clause(buf *pos, buf *neg, buf *clause, int negated,
                         int alts)
{
    if (!clause->len)
        return;
    buf *dst = negated ? neg : pos;
    if (negated)
        buf_puts(dst, " NOT ");
    else if (dst->len)
        buf_puts(dst, " AND ");
    if (alts > 1)
        buf_puts(dst, "(");
    buf_add(dst, clause->p, clause->len);
    if (alts > 1)
        buf_puts(dst, ")");
    buf_reset(clause);
}

/* Translate a khotin query for the baseline and extract its plain words.
 * OR joins the terms on each side into one clause (as in khotin). */
static void translate(query *q)
{
    buf pos = {0}, neg = {0}, clause = {0}, khq = {0}, bq = {0};
    qtok t = {0};
    int negated = 0, alts = 0, join = 0;
    for (const char *p = q->text; (p = next_qtok(p, &t));) {
        if (t.filter) {
            q->dropped++;
            continue;
        }
        if (t.is_or) {
            join = alts > 0;
            continue;
        }
        if (!join) {
            flush_clause(&pos, &neg, &clause, negated, alts);
            negated = t.negated;
            alts = 0;
        } else {
            buf_puts(&clause, " OR ");
        }
        join = 0;
        base_term(&clause, &t);
        alts++;
        if (!negated)
            add_words(&khq, &bq, t.text.p);
    }
    flush_clause(&pos, &neg, &clause, negated, alts);
    buf_add(&pos, neg.p ? neg.p : "", neg.len);
    buf_add(&khq, "", 0);
    buf_add(&bq, "", 0);
    q->base_expr = pos.p;
    q->words_q = khq.p;
    q->words_base = bq.p;
    free(neg.p);
    free(clause.p);
    free(t.text.p);
}

/* The distinct folded query words, with an open-addressing hash table. */
#define WT_SLOTS 4096
typedef struct wordtab {
    char **words;
    size_t n, cap;
    long slot[WT_SLOTS]; /* index + 1, 0 = empty */
} wordtab;

static long wt_find(const wordtab *wt, const char *w, size_t n, size_t *slot)
{
    size_t h = (size_t)fnv1a(w, n) & (WT_SLOTS - 1);
    while (wt->slot[h]) {
        const char *s = wt->words[wt->slot[h] - 1];
        if (strlen(s) == n && memcmp(s, w, n) == 0)
            break;
        h = (h + 1) & (WT_SLOTS - 1);
    }
    *slot = h;
    return wt->slot[h] - 1;
}

static size_t wt_add(wordtab *wt, const char *w, size_t n)
{
    size_t slot;
    long i = wt_find(wt, w, n, &slot);
    if (i >= 0)
        return (size_t)i;
    if (wt->n + 1 >= WT_SLOTS / 2)
        die("too many distinct query words");
    if (wt->n == wt->cap) {
        wt->cap = wt->cap ? wt->cap * 2 : 64;
        wt->words = realloc(wt->words, wt->cap * sizeof *wt->words);
        if (!wt->words)
            die("out of memory");
    }
    wt->words[wt->n] = xmalloc(n + 1);
    memcpy(wt->words[wt->n], w, n);
    wt->words[wt->n][n] = '\0';
    wt->slot[slot] = (long)++wt->n;
    return wt->n - 1;
}

/* Fold the plain words of q and register them in the table. */
static void query_words(query *q, wordtab *wt)
{
    char *f = khotin_text_fold(q->words_q);
    if (!f)
        die("cannot fold the query %s", q->text);
    size_t n, cap = 8;
    q->widx = xcalloc(cap, sizeof *q->widx);
    const char *end = f + strlen(f);
    for (const char *w = f; (w = next_word(w, end, &n)); w += n) {
        if (q->nwords == cap) {
            cap *= 2;
            q->widx = realloc(q->widx, cap * sizeof *q->widx);
            if (!q->widx)
                die("out of memory");
        }
        q->widx[q->nwords++] = wt_add(wt, w, n);
    }
    khotin_free(f);
}

static query *load_queries(const char *path, size_t *nq, wordtab *wt)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open the queries file %s: %s", path, strerror(errno));
    query *v = NULL;
    size_t n = 0, cap = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        const char *s = line + strspn(line, " \t");
        if (!*s || *s == '#')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            v = realloc(v, cap * sizeof *v);
            if (!v)
                die("out of memory");
        }
        memset(&v[n], 0, sizeof v[n]);
        v[n].text = xstrdup(s);
        translate(&v[n]);
        query_words(&v[n], wt);
        n++;
    }
    fclose(f);
    if (!n)
        die("no query in %s", path);
    *nq = n;
    return v;
}

static void free_queries(query *v, size_t n, wordtab *wt)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].text);
        free(v[i].base_expr);
        free(v[i].words_q);
        free(v[i].words_base);
        free(v[i].widx);
    }
    free(v);
    for (size_t i = 0; i < wt->n; i++)
        free(wt->words[i]);
    free(wt->words);
}

/* -------------------------------------------------------------- latency */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Nearest-rank percentile of a sorted array. */
static double percentile(const double *sorted, size_t n, double p)
{
    size_t rank = (size_t)(p * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    return sorted[(rank > n ? n : rank) - 1];
}

static double time_khotin(khotin_db *db, const char *q, int *err)
{
    khotin_search_opts so = {SEARCH_LIMIT, 0, KHOTIN_SORT_RELEVANCE, 0, NULL, NULL, 0};
    khotin_results *r = NULL;
    double t0 = now_s();
    if (khotin_search(db, q, &so, &r)) {
        if (!*err)
            fprintf(stderr, "khotin: query '%s': %s\n", q, khotin_last_error());
        *err = 1;
    }
    double t = now_s() - t0;
    khotin_results_free(r);
    return t;
}

static double time_baseline(sqlite3 *db, sqlite3_stmt *st, const char *expr,
                            int *err)
{
    double t0 = now_s();
    int rc = sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    size_t bytes = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        bytes += (size_t)sqlite3_column_bytes(st, 1);
        rc = SQLITE_OK;
    }
    double t = now_s() - t0;
    if (rc != SQLITE_DONE) {
        if (!*err)
            fprintf(stderr, "baseline: query '%s': %s\n", expr, sqlite3_errmsg(db));
        *err = 1;
    }
    sqlite3_reset(st);
    (void)bytes;
    return t;
}

static sqlite3 *open_baseline(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die("cannot open the baseline database: %s", sqlite3_errmsg(db));
    return db;
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die("cannot prepare %s: %s", sql, sqlite3_errmsg(db));
    return st;
}

static void measure_latency(job *kj, job *bj, query *qs, size_t nq)
{
    khotin_db *kdb = NULL;
    if (khotin_open(kj->db, KHOTIN_OPEN_READONLY, &kdb))
        die("cannot open the archive read-only: %s", khotin_last_error());
    sqlite3 *bdb = open_baseline(bj->db);
    sqlite3_stmt *st = prepare(bdb,
        "SELECT rowid, snippet(t, -1, '[', ']', '…', 16) FROM t "
        "WHERE t MATCH ? ORDER BY rank LIMIT 20");
    for (size_t i = 0; i < nq; i++) {
        double tk[RUNS], tb[RUNS];
        for (int r = 0; r < RUNS; r++) {
            tk[r] = time_khotin(kdb, qs[i].text, &qs[i].err_k);
            tb[r] = qs[i].base_expr[0]
                        ? time_baseline(bdb, st, qs[i].base_expr, &qs[i].err_b)
                        : 0.0;
        }
        qs[i].med_k = median(tk, RUNS);
        qs[i].med_b = median(tb, RUNS);
    }
    sqlite3_finalize(st);
    sqlite3_close(bdb);
    khotin_close(kdb);
}

/* --------------------------------------------------------------- recall */

/* khotin_text_fold() of the text put in NFC first: khotin_text_fold()
 * leaves a combining mark that follows a precomposed letter ("ê" + U+0323
 * gives "ẹ", not "e"), while the index composes such words; 54 corpus files
 * have such sequences. */
static char *fold_nfc(const char *text)
{
    char *nfc = (char *)utf8proc_NFC((const utf8proc_uint8_t *)text);
    if (!nfc)
        return NULL;
    char *f = khotin_text_fold(nfc);
    free(nfc);
    return f;
}

/* truth[q][i] = 1 when every folded word of query q is a word of the folded
 * text of article i (i < t). */
static unsigned char **truth_scan(corpus *c, size_t t, query *qs, size_t nq,
                                  const wordtab *wt)
{
    unsigned char **truth = xcalloc(nq, sizeof *truth);
    for (size_t q = 0; q < nq; q++)
        truth[q] = xcalloc(t, 1);
    size_t *seen = xcalloc(wt->n, sizeof *seen);
    buf text = {0};
    for (size_t i = 0; i < t; i++) {
        text_build(c, i, &text);
        char *f = fold_nfc(text.p);
        if (!f)
            die("cannot fold article %zu", i);
        size_t n, slot;
        const char *end = f + strlen(f);
        for (const char *w = f; (w = next_word(w, end, &n)); w += n) {
            long k = wt_find(wt, w, n, &slot);
            if (k >= 0)
                seen[k] = i + 1;
        }
        khotin_free(f);
        for (size_t q = 0; q < nq; q++) {
            int all = qs[q].nwords > 0;
            for (size_t w = 0; w < qs[q].nwords && all; w++)
                all = seen[qs[q].widx[w]] == i + 1;
            truth[q][i] = (unsigned char)all;
        }
    }
    free(text.p);
    free(seen);
    return truth;
}

/* Article index of each khotin id (-1: none). */
typedef struct idmap {
    long *idx;
    int64_t max;
} idmap;

static idmap load_idmap(const char *path, size_t n)
{
    int64_t *ids = xcalloc(n, sizeof *ids);
    FILE *f = fopen(path, "rb");
    if (!f || fread(ids, sizeof *ids, n, f) != n)
        die("cannot read the article ids written by the import (%s)", path);
    fclose(f);
    idmap m = {NULL, 0};
    for (size_t i = 0; i < n; i++)
        if (ids[i] > m.max)
            m.max = ids[i];
    m.idx = xmalloc((size_t)(m.max + 1) * sizeof *m.idx);
    for (int64_t k = 0; k <= m.max; k++)
        m.idx[k] = -1;
    for (size_t i = 0; i < n; i++)
        if (ids[i] > 0)
            m.idx[ids[i]] = (long)i;
    free(ids);
    return m;
}

/* Count a result (article index i) against the truth. */
static void tally(const unsigned char *truth, size_t t, long i, int64_t *hit,
                  int64_t *extra)
{
    if (i < 0 || (size_t)i >= t)
        return;
    if (truth[i])
        ++*hit;
    else
        ++*extra;
}

static void recall_khotin(khotin_db *db, query *q, const unsigned char *truth,
                          size_t t, const idmap *m, int limit)
{
    khotin_search_opts so = {limit, 0, KHOTIN_SORT_RELEVANCE, 1, "", "", 1};
    khotin_results *r = NULL;
    q->rec_k = -1;
    if (!q->words_q[0])
        return;
    if (khotin_search(db, q->words_q, &so, &r)) {
        fprintf(stderr, "khotin: recall query '%s': %s\n", q->words_q,
                khotin_last_error());
        return;
    }
    q->total_k = khotin_results_total(r);
    for (size_t k = 0; k < khotin_results_count(r); k++) {
        int64_t id = khotin_results_get(r, k)->id;
        long i = id > 0 && id <= m->max ? m->idx[id] : -1;
        tally(truth, t, i, &q->hit_k, &q->extra_k);
    }
    khotin_results_free(r);
    q->rec_k = q->truth ? (double)q->hit_k / (double)q->truth : 1.0;
}

static void recall_baseline(sqlite3 *db, sqlite3_stmt *st, query *q,
                            const unsigned char *truth, size_t t)
{
    q->rec_b = -1;
    if (!q->words_base[0])
        return;
    int rc = sqlite3_bind_text(st, 1, q->words_base, -1, SQLITE_STATIC);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        tally(truth, t, (long)sqlite3_column_int64(st, 0) - 1, &q->hit_b,
              &q->extra_b);
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE)
        fprintf(stderr, "baseline: recall query '%s': %s\n", q->words_base,
                sqlite3_errmsg(db));
    else
        q->rec_b = q->truth ? (double)q->hit_b / (double)q->truth : 1.0;
    sqlite3_reset(st);
}

static void measure_recall(const opts *o, corpus *c, job *kj, job *bj,
                           query *qs, size_t nq, const wordtab *wt)
{
    size_t t = o->truth_articles;
    double t0 = now_s();
    corpus_load(c);
    unsigned char **truth = truth_scan(c, t, qs, nq, wt);
    corpus_unload(c);
    printf("recall: truth scan %.1f s", now_s() - t0);
    t0 = now_s();
    idmap m = load_idmap(kj->ids, o->articles);
    khotin_db *kdb = NULL;
    if (khotin_open(kj->db, KHOTIN_OPEN_READONLY, &kdb))
        die("cannot open the archive read-only: %s", khotin_last_error());
    sqlite3 *bdb = open_baseline(bj->db);
    sqlite3_stmt *st = prepare(bdb, "SELECT rowid FROM t WHERE t MATCH ?");
    int limit = o->articles > (size_t)INT32_MAX - 1 ? INT32_MAX
                                                    : (int)o->articles + 1;
    for (size_t q = 0; q < nq; q++) {
        for (size_t i = 0; i < t; i++)
            qs[q].truth += truth[q][i];
        recall_khotin(kdb, &qs[q], truth[q], t, &m, limit);
        recall_baseline(bdb, st, &qs[q], truth[q], t);
        free(truth[q]);
    }
    printf(", full searches %.1f s\n", now_s() - t0);
    free(truth);
    free(m.idx);
    sqlite3_finalize(st);
    sqlite3_close(bdb);
    khotin_close(kdb);
}

/* --------------------------------------------------------------- report */

static void row(const char *name, const char *fmt, double k, double b,
                const char *target, int ok)
{
    char ks[32], bs[32], ratio[32];
    snprintf(ks, sizeof ks, fmt, k);
    snprintf(bs, sizeof bs, fmt, b);
    if (b > 0)
        snprintf(ratio, sizeof ratio, "%.2fx", k / b);
    else
        snprintf(ratio, sizeof ratio, "-");
    printf("%-24s %12s %12s %8s", name, ks, bs, ratio);
    if (target)
        printf("   %-14s %s", target, ok ? "ok" : "MISSED");
    putchar('\n');
}

typedef struct summary {
    double p50_k, p95_k, p50_b, p95_b;
    double mean_rec_k, mean_rec_b, min_rec_k;
    size_t nrec_k, nrec_b, full_k, full_b; /* queries at recall 1.0 */
} summary;

static void summarize(const query *qs, size_t nq, summary *s)
{
    double *k = xcalloc(nq, sizeof *k), *b = xcalloc(nq, sizeof *b);
    size_t nk = 0, nb = 0;
    memset(s, 0, sizeof *s);
    s->min_rec_k = 1.0;
    for (size_t i = 0; i < nq; i++) {
        if (!qs[i].err_k)
            k[nk++] = qs[i].med_k * 1000;
        if (qs[i].base_expr[0] && !qs[i].err_b)
            b[nb++] = qs[i].med_b * 1000;
        s->full_k += qs[i].rec_k >= 1.0;
        s->full_b += qs[i].rec_b >= 1.0;
        if (qs[i].rec_k >= 0) {
            s->mean_rec_k += qs[i].rec_k, s->nrec_k++;
            if (qs[i].rec_k < s->min_rec_k)
                s->min_rec_k = qs[i].rec_k;
        }
        if (qs[i].rec_b >= 0)
            s->mean_rec_b += qs[i].rec_b, s->nrec_b++;
    }
    qsort(k, nk, sizeof *k, cmp_double);
    qsort(b, nb, sizeof *b, cmp_double);
    if (nk)
        s->p50_k = percentile(k, nk, 0.50), s->p95_k = percentile(k, nk, 0.95);
    if (nb)
        s->p50_b = percentile(b, nb, 0.50), s->p95_b = percentile(b, nb, 0.95);
    s->mean_rec_k = s->nrec_k ? s->mean_rec_k / (double)s->nrec_k : 0;
    s->mean_rec_b = s->nrec_b ? s->mean_rec_b / (double)s->nrec_b : 0;
    free(k);
    free(b);
}

static void print_import(const import_res *k, const import_res *b, double mb)
{
    double n_k = (double)k->imported, n_b = (double)b->imported;
    row("import time (s)", "%.2f", k->seconds, b->seconds, "<= 1.5x",
        k->seconds <= 1.5 * b->seconds);
    row("import (articles/s)", "%.0f", n_k / k->seconds, n_b / b->seconds,
        NULL, 0);
    row("import (MB text/s)", "%.2f", mb / k->seconds, mb / b->seconds, NULL, 0);
    row("db size (MB)", "%.1f", k->db_bytes / MIB, b->db_bytes / MIB,
        "<= 1.6x", k->db_bytes <= 1.6 * b->db_bytes);
    row("db MB per text MB", "%.2f", k->db_bytes / MIB / mb,
        b->db_bytes / MIB / mb, NULL, 0);
    row("peak memory (MB)", "%.1f", (double)k->maxrss_kb / 1024.0,
        (double)b->maxrss_kb / 1024.0, "khotin < 256", k->maxrss_kb < 256 * 1024);
}

/* "k/n" in a static buffer (two calls per printf at most). */
static const char *count_of(size_t k, size_t n)
{
    static char b[2][32];
    static int which;
    which = !which;
    snprintf(b[which], sizeof b[which], "%zu/%zu", k, n);
    return b[which];
}

static void print_table(const import_res *k, const import_res *b, double mb,
                        const summary *s)
{
    printf("\n%-24s %12s %12s %8s   %-14s\n", "", "khotin", "baseline",
           "ratio", "target");
    print_import(k, b, mb);
    row("query p50 (ms)", "%.3f", s->p50_k, s->p50_b, "<= 1.2x",
        s->p50_k <= 1.2 * s->p50_b);
    row("query p95 (ms)", "%.3f", s->p95_k, s->p95_b, "<= 1.2x",
        s->p95_k <= 1.2 * s->p95_b);
    row("mean recall", "%.5f", s->mean_rec_k, s->mean_rec_b, "khotin 1.0",
        s->nrec_k && s->min_rec_k >= 1.0);
    printf("%-24s %12s %12s\n", "queries at recall 1.0",
           count_of(s->full_k, s->nrec_k), count_of(s->full_b, s->nrec_b));
}

/* Print s left-aligned in `width` columns (counting code points). */
static void print_padded(const char *s, int width)
{
    int cols = 0;
    for (const char *p = s; *p; p++)
        cols += ((unsigned char)*p & 0xC0) != 0x80;
    printf("%s%*s", s, cols < width ? width - cols : 0, "");
}

static void print_recall_lines(const query *qs, size_t nq)
{
    printf("\nQueries with baseline recall < 0.95 or khotin recall < 1 "
           "(recall; found/truth; results outside the truth):\n");
    size_t shown = 0;
    for (size_t i = 0; i < nq; i++) {
        const query *q = &qs[i];
        if (q->rec_b >= 0.95 && q->rec_k >= 1.0)
            continue;
        printf("  ");
        print_padded(q->text, 34);
        printf(" khotin %.3f (%" PRId64 "/%" PRId64 ", +%" PRId64 ")"
               "  baseline %.3f (%" PRId64 "/%" PRId64 ", +%" PRId64 ")\n",
               q->rec_k, q->hit_k, q->truth, q->extra_k, q->rec_b,
               q->hit_b, q->truth, q->extra_b);
        shown++;
    }
    if (!shown)
        printf("  (none)\n");
}

static int cmp_slowest(const void *a, const void *b)
{
    const query *x = *(query *const *)a, *y = *(query *const *)b;
    return x->med_k < y->med_k ? 1 : x->med_k > y->med_k ? -1 : 0;
}

static void print_slowest(const query *qs, size_t nq, size_t show)
{
    const query **v = xcalloc(nq, sizeof *v);
    for (size_t i = 0; i < nq; i++)
        v[i] = &qs[i];
    qsort(v, nq, sizeof *v, cmp_slowest);
    printf("\nSlowest khotin queries (median of %d runs, ms):\n", RUNS);
    for (size_t i = 0; i < nq && i < show; i++) {
        printf("  ");
        print_padded(v[i]->text, 34);
        printf(" khotin %8.3f  baseline %8.3f  %s\n", v[i]->med_k * 1000,
               v[i]->med_b * 1000, v[i]->base_expr);
    }
    free(v);
}

/* ----------------------------------------------------------------- main */

static void make_workdir(const opts *o, char *dir, size_t n)
{
    snprintf(dir, n, "%s/khotin-bench-XXXXXX", o->workdir);
    mkdir(o->workdir, 0777);
    if (!mkdtemp(dir))
        die("cannot make a work folder in %s: %s", o->workdir, strerror(errno));
}

static void remove_workdir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char path[4600];
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static void run_import(const char *name, child_fn fn, job *j, import_res *r)
{
    printf("%s: importing...\n", name);
    run_child(fn, j, r);
    if (!r->ok)
        die("%s import failed: %s", name, r->err[0] ? r->err : "?");
    printf("%s: %" PRIu64 " imported, %" PRIu64 " duplicates, %" PRIu64
           " failed in %.2f s%s%s\n",
           name, r->imported, r->duplicates, r->failed, r->seconds,
           r->err[0] ? "; " : "", r->err);
}

static void show_queries(const opts *o)
{
    wordtab *wt = xcalloc(1, sizeof *wt);
    size_t nq = 0;
    query *qs = load_queries(o->queries, &nq, wt);
    for (size_t i = 0; i < nq; i++) {
        print_padded(qs[i].text, 34);
        printf(" | baseline: %s%s | recall: %s | %s\n", qs[i].base_expr,
               qs[i].dropped ? " (filters dropped)" : "", qs[i].words_q,
               qs[i].words_base);
    }
    free_queries(qs, nq, wt);
    free(wt);
}

/* Step 1: the sorted file list without duplicate contents; prints the
 * figures and returns the MB of the N texts. */
static double prepare_corpus(const opts *o, corpus *c)
{
    corpus_list(c, o->corpus);
    size_t files = c->n;
    corpus_load(c);
    size_t dups = corpus_dedupe(c);
    corpus_unload(c); /* the children load their own copy */
    double mb = texts_bytes(c, o->articles) / MIB;
    printf("khotin %s, SQLite %s\n", khotin_version(), sqlite3_libversion());
    printf("corpus: %s: %zu files (%zu duplicates dropped)\n", o->corpus, files,
           dups);
    printf("articles: %zu (the corpus x %.1f), %.1f MB of text, batch %u, khotin "
           "jobs %u (MB = 2^20 bytes)\n",
           o->articles, (double)o->articles / (double)c->n, mb, o->batch, o->jobs);
    return mb;
}

/* Steps 4 and 5: latency, then recall. */
static void run_queries(const opts *o, corpus *c, job *kj, job *bj, query *qs,
                        size_t nq, const wordtab *wt)
{
    size_t dropped = 0;
    for (size_t i = 0; i < nq; i++)
        dropped += qs[i].dropped > 0;
    printf("queries: %zu from %s; %zu with filters the baseline cannot "
           "express (dropped there)\n", nq, o->queries, dropped);
    measure_latency(kj, bj, qs, nq);
    printf("recall: truth = every query word (folded) a whole word of the "
           "folded text, over %s%zu articles;\n"
           "        both engines run the plain words of each query "
           "(khotin with fold on), without limit\n",
           o->truth_articles < o->articles ? "the FIRST " : "all ",
           o->truth_articles);
    measure_recall(o, c, kj, bj, qs, nq, wt);
}

/* ---- --scale: import rate as the archive grows ---- */

typedef struct scale_ctx {
    double t0, last_t;
    uint64_t done, last_done;
} scale_ctx;

static void on_scale(void *vctx, const char *path, khotin_import_outcome oc,
                     int64_t id, const char *message)
{
    (void)path, (void)id, (void)message, (void)oc;
    scale_ctx *c = vctx;
    c->done++;
    uint64_t n = c->done;
    int checkpoint = n == 10000 || n == 100000 || n == 1000000 ||
                     (n >= 200000 && n % 200000 == 0);
    if (!checkpoint)
        return;
    double t = now_s();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("  %8" PRIu64 " articles  %7.1f s  overall %6.0f articles/s  since last "
           "%6.0f articles/s  peak RSS %.0f MB\n",
           n, t - c->t0, (double)n / (t - c->t0),
           (double)(n - c->last_done) / (t - c->last_t), ru.ru_maxrss / 1024.0);
    c->last_t = t;
    c->last_done = n;
}

static void child_scale(job *j, import_res *r)
{
    corpus_load(j->c);
    khotin_db *db = NULL;
    khotin_importer *imp = NULL;
    scale_ctx sc = {now_s(), 0, 0, 0};
    sc.last_t = sc.t0;
    if (khotin_open(j->db, 0, &db) || khotin_importer_new(db, j->o->batch, &imp) ||
        khotin_importer_set_jobs(imp, j->o->jobs)) {
        snprintf(r->err, sizeof r->err, "%s", khotin_last_error());
        khotin_close(db);
        return;
    }
    buf text = {0};
    char name[4200];
    for (size_t i = 0; i < j->o->articles; i++) {
        size_t len = text_build(j->c, i, &text), copy = i / j->c->n;
        snprintf(name, sizeof name, "%s#%zu", j->c->paths[i % j->c->n], copy);
        if (khotin_importer_add_buffer(imp, name, text.p, len, on_scale, &sc)) {
            snprintf(r->err, sizeof r->err, "import stopped at %zu: %s", i, khotin_last_error());
            break;
        }
    }
    free(text.p);
    if (khotin_importer_finish(imp) && !r->err[0])
        snprintf(r->err, sizeof r->err, "commit: %s", khotin_last_error());
    r->imported = khotin_importer_stats(imp)->imported;
    khotin_importer_free(imp);
    khotin_close(db);
    r->seconds = now_s() - sc.t0;
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", j->db);
    r->db_bytes = file_bytes(j->db) + file_bytes(wal);
    r->ok = !r->err[0];
}

static int scale_main(opts *o)
{
    corpus c;
    double mb = prepare_corpus(o, &c);
    char dir[4000];
    make_workdir(o, dir, sizeof dir);
    job kj = {o, &c, "", ""};
    snprintf(kj.db, sizeof kj.db, "%s/khotin.db", dir);
    import_res kr;
    printf("khotin import only (--scale), checkpoints:\n");
    run_child(child_scale, &kj, &kr);
    if (!kr.ok)
        printf("khotin: FAILED: %s\n", kr.err);
    printf("\n%" PRIu64 " articles (%.1f MB of text) in %.1f s: %.0f articles/s, %.2f MB/s; "
           "database %.1f MB; peak memory %.1f MB (target < 256 MB: %s)\n",
           kr.imported, mb, kr.seconds, (double)kr.imported / kr.seconds, mb / kr.seconds,
           kr.db_bytes / MIB, kr.maxrss_kb / 1024.0,
           kr.maxrss_kb / 1024.0 < 256 ? "ok" : "MISSED");
    if (o->keep)
        printf("kept: %s\n", dir);
    else
        remove_workdir(dir);
    corpus_free(&c);
    return 0;
}

int main(int argc, char **argv)
{
    opts o;
    parse_args(argc, argv, &o);
    if (o.show_queries) {
        show_queries(&o);
        return 0;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (o.scale)
        return scale_main(&o);
    wordtab *wt = xcalloc(1, sizeof *wt);
    size_t nq = 0;
    query *qs = load_queries(o.queries, &nq, wt); /* fail early */
    corpus c;
    double mb = prepare_corpus(&o, &c);

    char dir[4000];
    make_workdir(&o, dir, sizeof dir);
    job kj = {&o, &c, "", ""}, bj = {&o, &c, "", ""};
    snprintf(kj.db, sizeof kj.db, "%s/khotin.db", dir);
    snprintf(kj.ids, sizeof kj.ids, "%s/khotin.ids", dir);
    snprintf(bj.db, sizeof bj.db, "%s/baseline.db", dir);
    import_res kr, br;
    run_import("khotin", child_khotin, &kj, &kr);
    run_import("baseline", child_baseline, &bj, &br);
    run_queries(&o, &c, &kj, &bj, qs, nq, wt);

    summary s;
    summarize(qs, nq, &s);
    print_table(&kr, &br, mb, &s);
    print_recall_lines(qs, nq);
    print_slowest(qs, nq, 5);
    if (o.keep)
        printf("\nkept: %s\n", dir);
    else
        remove_workdir(dir);
    free_queries(qs, nq, wt);
    free(wt);
    corpus_free(&c);
    return 0;
}
