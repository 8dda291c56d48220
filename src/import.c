/* import.c - drives read -> extract -> store for files and folders.
 *
 * Folders are walked recursively in name order (hidden ".names" skipped;
 * only *.txt files are read from folders). Each file becomes a task: read
 * and parse it (the CPU-heavy part), then store it. With jobs > 1, worker
 * threads read and parse while the calling thread stores the results in
 * submission order; a bounded ring of tasks keeps memory bounded whatever
 * the size of the folder.
 *
 * Articles are stored in batches: one transaction per batch. Parse
 * failures never touch the archive; a store failure is an archive failure
 * (full, locked, corrupt): the open batch is rolled back, counted as failed,
 * and the import stops, so no article is ever half-stored.
 */
#include "reader.h"
#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define KH_DEFAULT_BATCH 500
#define KH_MAX_JOBS 16

/* One document of a file, parsed (or failed), waiting to be stored. */
typedef struct result {
    int rc;                  /* 0, or the read/parse status */
    char *name;              /* "file.txt", "data.jsonl:12" (owned) */
    char *err;               /* message when rc != 0 (owned) */
    khotin_article *article; /* when rc == 0 (owned) */
    char hash[33];
    size_t bytes;
} result;

#define KH_RESULTS_PENDING 64 /* per task: bounds memory for big JSONL files */

typedef struct task {
    char *path;     /* source path or buffer name (owned) */
    void *data;     /* buffer to read instead of the file (owned), or NULL */
    size_t len;
    int finished;   /* the worker is done with this file */
    result *res;    /* parsed documents not yet stored */
    size_t nres, consumed, capres;
    int stopped;    /* a document callback stopped the reading */
    struct khotin_importer *imp;
} task;

struct khotin_importer {
    khotin_db *db;
    unsigned batch_size;
    unsigned in_batch; /* documents stored or skipped in the open transaction */
    unsigned batch_imported; /* of which imported (lost if it rolls back) */
    int in_txn;
    int failed_fatal;  /* an archive error stopped the import */
    khotin_import_stats stats;
    khotin_import_cb cb;
    void *ctx;
    kh_read_opts read_opts;
    int year; /* hint for day+month dates without a year; 0: none */
    /* pipeline (jobs > 1) */
    unsigned jobs;
    pthread_t threads[KH_MAX_JOBS];
    unsigned nthreads;
    pthread_mutex_t mu;
    pthread_cond_t work, done, consumed;
    task *ring;
    size_t cap, head, next, tail; /* head <= next <= tail (monotonic) */
    int stop;
};

/* ---- one task: read and parse (any thread) ---- */

static void result_clear(result *r)
{
    free(r->name);
    free(r->err);
    khotin_article_free(r->article);
    memset(r, 0, sizeof *r);
}

static void task_clear(task *t)
{
    free(t->path);
    free(t->data);
    for (size_t i = t->consumed; i < t->nres; i++)
        result_clear(&t->res[i]);
    free(t->res);
    memset(t, 0, sizeof *t);
}

static int store_result(struct khotin_importer *imp, result *r);

/* Hand a parsed document to the storing thread (or store it now when
 * there are no worker threads). */
static int push_result(task *t, result *r)
{
    struct khotin_importer *imp = t->imp;
    if (!imp->nthreads) {
        int rc = store_result(imp, r);
        result_clear(r);
        return rc;
    }
    pthread_mutex_lock(&imp->mu);
    while (t->nres - t->consumed >= KH_RESULTS_PENDING && !imp->stop)
        pthread_cond_wait(&imp->consumed, &imp->mu);
    if (t->consumed == t->nres)
        t->consumed = t->nres = 0; /* all stored: reuse the array */
    if (t->nres == t->capres) {
        size_t cap = t->capres ? t->capres * 2 : 4;
        result *p = realloc(t->res, cap * sizeof *p);
        if (!p) {
            pthread_mutex_unlock(&imp->mu);
            result_clear(r);
            return KHOTIN_ENOMEM;
        }
        t->res = p;
        t->capres = cap;
    }
    t->res[t->nres++] = *r;
    memset(r, 0, sizeof *r);
    pthread_cond_broadcast(&imp->done);
    pthread_mutex_unlock(&imp->mu);
    return 0;
}

/* The user's year hint (import --year) completes a day+month date. */
static int apply_year(khotin_article *a, int year)
{
    struct kh_article_fields *f = kh_article_fields(a);
    if (f->precision != KHOTIN_DATE_MONTH_DAY || strlen(f->date) != 7)
        return 0;
    char iso[16];
    snprintf(iso, sizeof iso, "%04d-%s", year, f->date + 2);
    if (kh_article_set(&f->date, iso))
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    f->precision = KHOTIN_DATE_DAY;
    return 0;
}

static int on_doc(void *ctx, int status, kh_doc *d)
{
    task *t = ctx;
    result r = {0};
    r.name = kh_strdup(d->name ? d->name : t->path);
    r.rc = status;
    if (status == 0) {
        r.bytes = d->len;
        r.rc = khotin_article_parse(d->text, d->len, &r.article);
        if (r.rc == 0)
            r.rc = kh_doc_apply_metadata(r.article, d);
        if (r.rc == 0 && t->imp->year)
            r.rc = apply_year(r.article, t->imp->year);
        if (r.rc == 0)
            r.rc = kh_content_hash(r.article, r.hash);
        if (r.rc && r.rc != KHOTIN_ENOMEM) {
            char msg[1024];
            snprintf(msg, sizeof msg, "%s: %s", r.name ? r.name : t->path,
                     khotin_last_error());
            kh_error(r.rc, "%s", msg);
        }
    }
    if (r.rc)
        r.err = kh_strdup(khotin_last_error());
    kh_doc_clear(d);
    int rc = r.name ? push_result(t, &r) : KHOTIN_ENOMEM;
    if (!r.name)
        result_clear(&r);
    if (rc)
        t->stopped = 1;
    return rc;
}

/* Read a file (mapped, not copied) and every document in it. */
static void task_parse(task *t)
{
    kh_mapped map = {0};
    const void *data = t->data;
    size_t len = t->len;
    int rc = 0;
    if (!data && (rc = kh_map_file(t->path, &map)) == 0) {
        data = map.data;
        len = map.len;
    }
    if (rc == 0)
        rc = kh_read_docs(t->path, data, len, &t->imp->read_opts, on_doc, t);
    if (rc < 0 && !t->stopped) {
        /* the whole file is unreadable: one failure */
        result r = {0};
        r.rc = rc;
        r.name = kh_strdup(t->path);
        r.err = kh_strdup(khotin_last_error());
        push_result(t, &r);
    }
    kh_unmap_file(&map);
    free(t->data);
    t->data = NULL;
}

/* ---- storing (the importer's thread) ---- */

static void rollback_batch(khotin_importer *imp)
{
    if (!imp->in_txn)
        return;
    sqlite3_exec(imp->db->db, "ROLLBACK", NULL, NULL, NULL);
    imp->stats.imported -= imp->batch_imported;
    imp->stats.failed += imp->batch_imported;
    imp->batch_imported = 0;
    imp->in_txn = 0;
    imp->in_batch = 0;
}

static int commit_batch(khotin_importer *imp)
{
    if (!imp->in_txn)
        return KHOTIN_OK;
    int rc = sqlite3_exec(imp->db->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        int st = kh_db_error(imp->db->db, rc, "committing a batch");
        rollback_batch(imp);
        return st;
    }
    imp->in_txn = 0;
    imp->in_batch = 0;
    imp->batch_imported = 0;
    return KHOTIN_OK;
}

static void report(khotin_importer *imp, const char *path,
                   khotin_import_outcome outcome, int64_t id, const char *msg)
{
    if (imp->cb)
        imp->cb(imp->ctx, path, outcome, id, msg);
}

/* Store a parsed document. Returns 0, or the status of an archive
 * failure (or of running out of memory). */
static int store_result(khotin_importer *imp, result *t)
{
    khotin_db *db = imp->db;
    const char *path = t->name;
    if (t->rc == 0)
        imp->stats.bytes += t->bytes;
    if (t->rc) {
        imp->stats.failed++;
        report(imp, path, KHOTIN_FAILED, 0, t->err ? t->err : "failed");
        return t->rc == KHOTIN_ENOMEM ? t->rc : 0;
    }
    if (imp->failed_fatal) {
        imp->stats.failed++;
        report(imp, path, KHOTIN_FAILED, 0, "not imported: the import stopped");
        return 0;
    }
    int rc = 0;
    if (!imp->in_txn) {
        rc = sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            rc = kh_db_error(db->db, rc, "starting a batch");
        else
            imp->in_txn = 1;
    }
    int64_t id = 0;
    if (rc == 0)
        rc = kh_store_article(db, t->article, t->hash, path, &id);
    if (rc == KHOTIN_IMPORTED) {
        imp->stats.imported++;
        imp->batch_imported++;
        if (++imp->in_batch >= imp->batch_size && (rc = commit_batch(imp)) != 0) {
            imp->failed_fatal = 1;
            report(imp, path, KHOTIN_FAILED, 0, khotin_last_error());
            return rc;
        }
        report(imp, path, KHOTIN_IMPORTED, id, NULL);
        return 0;
    }
    if (rc == KHOTIN_DUPLICATE) {
        imp->stats.duplicates++;
        /* skipping stored files holds the write lock too: commit as often */
        if (++imp->in_batch >= imp->batch_size && (rc = commit_batch(imp)) != 0) {
            imp->failed_fatal = 1;
            report(imp, path, KHOTIN_FAILED, 0, khotin_last_error());
            return rc;
        }
        report(imp, path, KHOTIN_DUPLICATE, id, NULL);
        return 0;
    }
    /* an archive failure: undo the batch and stop */
    char msg[1024];
    snprintf(msg, sizeof msg, "%s: %s", path, khotin_last_error());
    rollback_batch(imp);
    imp->failed_fatal = 1;
    imp->stats.failed++;
    report(imp, path, KHOTIN_FAILED, 0, msg);
    kh_error(rc, "%s", msg);
    return rc;
}

/* ---- the pipeline ---- */

static void *worker(void *arg)
{
    khotin_importer *imp = arg;
    pthread_mutex_lock(&imp->mu);
    for (;;) {
        while (imp->next == imp->tail && !imp->stop)
            pthread_cond_wait(&imp->work, &imp->mu);
        if (imp->next == imp->tail && imp->stop)
            break;
        task *t = &imp->ring[imp->next++ % imp->cap];
        pthread_mutex_unlock(&imp->mu);
        task_parse(t);
        pthread_mutex_lock(&imp->mu);
        t->finished = 1;
        pthread_cond_broadcast(&imp->done);
    }
    pthread_mutex_unlock(&imp->mu);
    return NULL;
}

/* Store the documents of the oldest task as they are parsed, until the
 * task is finished. */
static int drain_one(khotin_importer *imp)
{
    task *t = &imp->ring[imp->head % imp->cap];
    int first = 0;
    imp->stats.files++;
    pthread_mutex_lock(&imp->mu);
    for (;;) {
        while (t->consumed == t->nres && !t->finished)
            pthread_cond_wait(&imp->done, &imp->mu);
        if (t->consumed == t->nres)
            break; /* finished and all stored */
        result r = t->res[t->consumed];
        memset(&t->res[t->consumed], 0, sizeof r);
        t->consumed++;
        pthread_cond_broadcast(&imp->consumed);
        pthread_mutex_unlock(&imp->mu);
        int rc = store_result(imp, &r);
        result_clear(&r);
        if (rc && !first)
            first = rc;
        pthread_mutex_lock(&imp->mu);
    }
    pthread_mutex_unlock(&imp->mu);
    task_clear(t);
    pthread_mutex_lock(&imp->mu);
    imp->head++;
    pthread_mutex_unlock(&imp->mu);
    return first;
}

static int drain_all(khotin_importer *imp)
{
    int first = 0;
    while (imp->nthreads && imp->head < imp->tail) {
        int rc = drain_one(imp);
        if (rc && !first)
            first = rc;
    }
    return first;
}

/* Submit a task (takes ownership of path and data). */
static int submit(khotin_importer *imp, char *path, void *data, size_t len)
{
    if (!imp->nthreads) { /* inline: documents are stored as they come */
        task t = {0};
        t.path = path;
        t.data = data;
        t.len = len;
        t.imp = imp;
        imp->stats.files++;
        task_parse(&t);
        task_clear(&t);
        return imp->failed_fatal ? KHOTIN_EDB : 0;
    }
    int rc = 0;
    while (imp->tail - imp->head == imp->cap && (rc = drain_one(imp)) == 0)
        ;
    if (rc) {
        free(path);
        free(data);
        return rc;
    }
    pthread_mutex_lock(&imp->mu);
    task *t = &imp->ring[imp->tail % imp->cap];
    memset(t, 0, sizeof *t);
    t->path = path;
    t->data = data;
    t->len = len;
    t->imp = imp;
    imp->tail++;
    pthread_cond_signal(&imp->work);
    pthread_mutex_unlock(&imp->mu);
    return 0;
}

/* ---- public API ---- */

int khotin_importer_new(khotin_db *db, unsigned batch_size,
                        khotin_importer **out)
{
    *out = NULL;
    if (db->readonly)
        return kh_error(KHOTIN_EREADONLY,
                        "%s: the archive was opened read-only: cannot import",
                        db->path);
    khotin_importer *imp = calloc(1, sizeof *imp);
    if (!imp)
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    imp->db = db;
    imp->batch_size = batch_size ? batch_size : KH_DEFAULT_BATCH;
    imp->jobs = 1;
    *out = imp;
    return KHOTIN_OK;
}

int khotin_importer_set_jobs(khotin_importer *imp, unsigned jobs)
{
    if (imp->nthreads || imp->stats.files)
        return kh_error(KHOTIN_ERROR, "set the number of jobs before importing");
    if (jobs > KH_MAX_JOBS)
        jobs = KH_MAX_JOBS;
    imp->jobs = jobs ? jobs : 1;
    if (imp->jobs == 1)
        return KHOTIN_OK;
    imp->cap = 16 * imp->jobs;
    imp->ring = calloc(imp->cap, sizeof *imp->ring);
    if (!imp->ring)
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    pthread_mutex_init(&imp->mu, NULL);
    pthread_cond_init(&imp->work, NULL);
    pthread_cond_init(&imp->done, NULL);
    pthread_cond_init(&imp->consumed, NULL);
    /* jobs - 1 parsers: the calling thread stores */
    for (unsigned i = 0; i + 1 < imp->jobs; i++) {
        if (pthread_create(&imp->threads[i], NULL, worker, imp) != 0)
            break;
        imp->nthreads++;
    }
    if (!imp->nthreads) {
        free(imp->ring);
        imp->ring = NULL;
        pthread_mutex_destroy(&imp->mu);
        pthread_cond_destroy(&imp->work);
        pthread_cond_destroy(&imp->done);
        pthread_cond_destroy(&imp->consumed);
        imp->jobs = 1;
    }
    return KHOTIN_OK;
}

int khotin_importer_finish(khotin_importer *imp)
{
    int rc = drain_all(imp);
    int rc2 = commit_batch(imp);
    return rc ? rc : rc2;
}

static void stop_threads(khotin_importer *imp)
{
    if (!imp->nthreads)
        return;
    pthread_mutex_lock(&imp->mu);
    imp->stop = 1;
    pthread_cond_broadcast(&imp->work);
    pthread_cond_broadcast(&imp->consumed);
    pthread_mutex_unlock(&imp->mu);
    for (unsigned i = 0; i < imp->nthreads; i++)
        pthread_join(imp->threads[i], NULL);
    for (size_t i = imp->head; i < imp->tail; i++)
        task_clear(&imp->ring[i % imp->cap]);
    free(imp->ring);
    pthread_mutex_destroy(&imp->mu);
    pthread_cond_destroy(&imp->work);
    pthread_cond_destroy(&imp->done);
    pthread_cond_destroy(&imp->consumed);
    imp->nthreads = 0;
}

void khotin_importer_free(khotin_importer *imp)
{
    if (!imp)
        return;
    khotin_importer_finish(imp);
    stop_threads(imp);
    free(imp);
}

int khotin_importer_set_encoding(khotin_importer *imp, const char *encoding)
{
    static const char *const known[] = {"utf-8", "utf8", "windows-1258", "cp1258",
                                        "viscii", "tcvn3", "abc", "vni", NULL};
    if (!encoding || !*encoding) {
        imp->read_opts.encoding = NULL;
        return KHOTIN_OK;
    }
    for (size_t i = 0; known[i]; i++)
        if (strcasecmp(encoding, known[i]) == 0) {
            imp->read_opts.encoding = known[i];
            return KHOTIN_OK;
        }
    return kh_error(KHOTIN_ERROR, "unknown encoding '%s': use utf-8, windows-1258, "
                                  "viscii, tcvn3 or vni", encoding);
}

int khotin_importer_set_year(khotin_importer *imp, int year)
{
    if (year != 0 && (year < 1800 || year > 2200))
        return kh_error(KHOTIN_ERROR, "--year %d is not a plausible year", year);
    imp->year = year;
    return KHOTIN_OK;
}

const khotin_import_stats *khotin_importer_stats(const khotin_importer *imp)
{
    return &imp->stats;
}

/* Files a folder walk reads (the reader is then chosen from the content):
 * text, saved pages, single-file saves and JSON Lines. Files named on the
 * command line are always tried, whatever their name. */
static int is_article_file(const char *name)
{
    static const char *const exts[] = {".txt", ".text", ".html", ".htm", ".xhtml",
                                       ".mhtml", ".mht", ".jsonl", ".ndjson", NULL};
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && exts[i]; i++)
        if (strcasecmp(dot, exts[i]) == 0)
            return 1;
    return 0;
}

/* "Save Page As, complete" puts a page's images, scripts and frames in a
 * "NAME_files" folder beside it: never articles. */
static int is_saved_page_assets(const char *name)
{
    size_t n = strlen(name);
    return n > 6 && strcmp(name + n - 6, "_files") == 0;
}

static int import_file(khotin_importer *imp, const char *path)
{
    char *p = kh_strdup(path);
    if (!p)
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    return submit(imp, p, NULL, 0);
}

int khotin_importer_add_buffer(khotin_importer *imp, const char *name,
                               const void *data, size_t len,
                               khotin_import_cb cb, void *ctx)
{
    imp->cb = cb;
    imp->ctx = ctx;
    char *p = kh_strdup(name ? name : "buffer");
    void *copy = malloc(len ? len : 1);
    if (!p || !copy) {
        free(p);
        free(copy);
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    }
    if (len)
        memcpy(copy, data, len);
    return submit(imp, p, copy, len);
}

static int64_t count_dir(const char *path, int depth)
{
    if (depth > 64)
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return 0;
    int64_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        kh_buf child;
        kh_buf_init(&child);
        kh_buf_printf(&child, "%s/%s", path, e->d_name);
        struct stat st;
        if (!child.oom && stat(child.data, &st) == 0) {
            if (S_ISDIR(st.st_mode) && !is_saved_page_assets(e->d_name))
                n += count_dir(child.data, depth + 1);
            else if (is_article_file(e->d_name))
                n++;
        }
        kh_buf_free(&child);
    }
    closedir(d);
    return n;
}

int64_t khotin_import_count(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    return S_ISDIR(st.st_mode) ? count_dir(path, 0) : 1;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int import_dir(khotin_importer *imp, const char *path, int depth)
{
    if (depth > 64)
        return 0;
    DIR *d = opendir(path);
    if (!d) {
        imp->stats.failed++;
        kh_error(KHOTIN_EIO, "%s: %s", path, strerror(errno));
        report(imp, path, KHOTIN_FAILED, 0, khotin_last_error());
        return 0;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **p = realloc(names, cap * sizeof *p);
            if (!p) {
                rc = kh_error(KHOTIN_ENOMEM, "out of memory listing %s", path);
                break;
            }
            names = p;
        }
        if (!(names[n] = kh_strdup(e->d_name))) {
            rc = kh_error(KHOTIN_ENOMEM, "out of memory listing %s", path);
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == 0 && n > 1) /* qsort wants an array, even for no element */
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            kh_buf child;
            kh_buf_init(&child);
            kh_buf_printf(&child, "%s/%s", path, names[i]);
            struct stat st;
            if (child.oom)
                rc = kh_error(KHOTIN_ENOMEM, "out of memory");
            else if (stat(child.data, &st) == 0 && S_ISDIR(st.st_mode))
                rc = is_saved_page_assets(names[i]) ? 0
                                                    : import_dir(imp, child.data, depth + 1);
            else if (is_article_file(names[i]))
                rc = import_file(imp, child.data);
            else
                imp->stats.skipped++;
            kh_buf_free(&child);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int khotin_importer_add(khotin_importer *imp, const char *path,
                        khotin_import_cb cb, void *ctx)
{
    imp->cb = cb;
    imp->ctx = ctx;
    if (imp->failed_fatal)
        return kh_error(KHOTIN_ERROR, "the import already stopped on an archive error");
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        size_t n = strlen(path);
        char *p = kh_strdup(path);
        if (!p)
            return kh_error(KHOTIN_ENOMEM, "out of memory");
        while (n > 1 && p[n - 1] == '/')
            p[--n] = '\0';
        int rc = import_dir(imp, p, 0);
        free(p);
        return rc;
    }
    return import_file(imp, path);
}
