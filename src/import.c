/* import.c - drives read -> extract -> store for files and folders.
 *
 * Folders are walked recursively in name order, one file at a time (memory
 * stays bounded by one article). Articles are stored in batches: one
 * transaction per batch, one savepoint per article, so a failing file never
 * leaves a partial article and a crash loses at most the open batch.
 * Hidden files and folders (".name") are skipped.
 */
#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define KH_DEFAULT_BATCH 500

struct khotin_importer {
    khotin_db *db;
    unsigned batch_size;
    unsigned in_batch;   /* articles in the open transaction */
    int in_txn;
    khotin_import_stats stats;
};

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
    *out = imp;
    return KHOTIN_OK;
}

int khotin_importer_finish(khotin_importer *imp)
{
    if (!imp->in_txn)
        return KHOTIN_OK;
    unsigned batch = imp->in_batch;
    imp->in_txn = 0;
    imp->in_batch = 0;
    int rc = sqlite3_exec(imp->db->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        int st = kh_db_error(imp->db->db, rc, "committing a batch");
        sqlite3_exec(imp->db->db, "ROLLBACK", NULL, NULL, NULL);
        /* the whole batch was rolled back: count it as failed */
        imp->stats.imported -= batch;
        imp->stats.failed += batch;
        return st;
    }
    return KHOTIN_OK;
}

void khotin_importer_free(khotin_importer *imp)
{
    if (!imp)
        return;
    khotin_importer_finish(imp);
    free(imp);
}

const khotin_import_stats *khotin_importer_stats(const khotin_importer *imp)
{
    return &imp->stats;
}

/* Undo the open batch: its articles are counted as failed (a re-run
 * imports them). */
static void rollback_batch(khotin_importer *imp)
{
    if (!imp->in_txn)
        return;
    sqlite3_exec(imp->db->db, "ROLLBACK", NULL, NULL, NULL);
    imp->stats.imported -= imp->in_batch;
    imp->stats.failed += imp->in_batch;
    imp->in_txn = 0;
    imp->in_batch = 0;
}

/* A failure of the archive itself (not of the input file) stops the import. */
static int is_fatal(int status)
{
    return status == KHOTIN_EDB || status == KHOTIN_EBUSY ||
           status == KHOTIN_EREADONLY || status == KHOTIN_ENOMEM;
}

/* Parse and store one text; `rc` is the status of reading it (the text is
 * freed here). */
static int import_text(khotin_importer *imp, const char *path, int rc,
                       char *text, size_t len, khotin_import_cb cb, void *ctx)
{
    khotin_db *db = imp->db;
    imp->stats.files++;
    khotin_article *a = NULL;
    int64_t id = 0;
    if (rc == 0) {
        imp->stats.bytes += len;
        rc = khotin_article_parse(text, len, &a);
        if (rc && rc != KHOTIN_ENOMEM) {
            char msg[1024];
            snprintf(msg, sizeof msg, "%s: %s", path, khotin_last_error());
            kh_error(rc, "%s", msg);
        }
    }
    free(text);
    if (rc == 0) {
        if (!imp->in_txn) {
            int erc = sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
            if (erc != SQLITE_OK)
                rc = kh_db_error(db->db, erc, "starting a batch");
            else
                imp->in_txn = 1;
        }
        /* No savepoint per article: FTS5 flushes its pending terms at each
         * savepoint, which would write one index segment per article. A
         * store error is an archive error (full, locked, corrupt): the
         * whole batch is rolled back and the import stops, so no article
         * is ever half-stored. */
        if (rc == 0) {
            rc = kh_store_article(db, a, path, &id);
            if (rc < 0) {
                char msg[1024];
                snprintf(msg, sizeof msg, "%s: %s", path, khotin_last_error());
                int status = rc;
                rollback_batch(imp);
                kh_error(status, "%s", msg);
                rc = status;
            }
        }
    }
    khotin_article_free(a);
    if (rc == KHOTIN_IMPORTED) {
        imp->stats.imported++;
        if (++imp->in_batch >= imp->batch_size) {
            int r2 = khotin_importer_finish(imp);
            if (r2) {
                /* the batch was rolled back and counted as failed */
                if (cb)
                    cb(ctx, path, KHOTIN_FAILED, 0, khotin_last_error());
                return r2;
            }
        }
        if (cb)
            cb(ctx, path, KHOTIN_IMPORTED, id, NULL);
        return 0;
    }
    if (rc == KHOTIN_DUPLICATE) {
        imp->stats.duplicates++;
        if (cb)
            cb(ctx, path, KHOTIN_DUPLICATE, id, NULL);
        return 0;
    }
    imp->stats.failed++;
    if (cb)
        cb(ctx, path, KHOTIN_FAILED, 0, khotin_last_error());
    return is_fatal(rc) ? rc : 0;
}

/* Files a folder walk imports: plain-text articles. Files named on the
 * command line are always tried, whatever their name. */
static int is_article_file(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && strcasecmp(dot, ".txt") == 0;
}

static int import_file(khotin_importer *imp, const char *path,
                       khotin_import_cb cb, void *ctx)
{
    char *text = NULL;
    size_t len = 0;
    int rc = khotin_read_file(path, &text, &len);
    return import_text(imp, path, rc, text, len, cb, ctx);
}

int khotin_importer_add_buffer(khotin_importer *imp, const char *name,
                               const void *data, size_t len,
                               khotin_import_cb cb, void *ctx)
{
    char *text = NULL;
    size_t n = 0;
    int rc = khotin_read_buffer(name, data, len, &text, &n);
    return import_text(imp, name, rc, text, n, cb, ctx);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int import_dir(khotin_importer *imp, const char *path,
                      khotin_import_cb cb, void *ctx, int depth)
{
    if (depth > 64)
        return 0;
    DIR *d = opendir(path);
    if (!d) {
        imp->stats.failed++;
        kh_error(KHOTIN_EIO, "%s: %s", path, strerror(errno));
        if (cb)
            cb(ctx, path, KHOTIN_FAILED, 0, khotin_last_error());
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
    if (rc == 0)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            kh_buf child;
            kh_buf_init(&child);
            kh_buf_printf(&child, "%s/%s", path, names[i]);
            if (child.oom) {
                rc = kh_error(KHOTIN_ENOMEM, "out of memory");
            } else {
                struct stat st;
                if (stat(child.data, &st) == 0 && S_ISDIR(st.st_mode))
                    rc = import_dir(imp, child.data, cb, ctx, depth + 1);
                else if (is_article_file(names[i]))
                    rc = import_file(imp, child.data, cb, ctx);
                else
                    imp->stats.skipped++;
            }
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
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        size_t n = strlen(path);
        char *p = kh_strdup(path);
        if (!p)
            return kh_error(KHOTIN_ENOMEM, "out of memory");
        while (n > 1 && p[n - 1] == '/')
            p[--n] = '\0';
        int rc = import_dir(imp, p, cb, ctx, 0);
        free(p);
        return rc;
    }
    return import_file(imp, path, cb, ctx);
}
