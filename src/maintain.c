/* maintain.c - the store stage's upkeep: consistency checks and repair,
 * online backup, optimisation, statistics and deletion.
 *
 * The full-text index is external-content FTS5: it holds no text of its
 * own, only the index of articles. Besides SQLite's own checks, khotin
 * checks that every article is indexed and nothing else is (the
 * articles_fts_docsize rows are the indexed documents), and that no link
 * row points nowhere. --repair rebuilds the index from the articles and
 * removes orphans, in one transaction.
 */
#include "store.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- check ---- */

typedef struct check_ctx {
    khotin_check_cb cb;
    void *ctx;
    int problems;
} check_ctx;

static void problem(check_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void problem(check_ctx *c, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->problems++;
    if (c->cb)
        c->cb(c->ctx, msg);
}

static int count_of(khotin_db *db, const char *sql, int64_t *n)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return kh_db_error(db->db, rc, "checking the archive");
    rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : kh_db_error(db->db, rc, "checking the archive");
}

static int sqlite_integrity(khotin_db *db, check_ctx *c)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db->db, "PRAGMA integrity_check(20)", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return kh_db_error(db->db, rc, "PRAGMA integrity_check");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *m = (const char *)sqlite3_column_text(st, 0);
        if (m && strcmp(m, "ok") != 0)
            problem(c, "SQLite integrity: %s", m);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        problem(c, "SQLite integrity check failed: %s", sqlite3_errstr(rc));
        return 0;
    }
    return 0;
}

static void fts_integrity(khotin_db *db, check_ctx *c)
{
    int rc = sqlite3_exec(db->db,
                          "INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')",
                          NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        problem(c, "full-text index: %s", sqlite3_errmsg(db->db));
}

static const struct {
    const char *sql;
    const char *what;
} consistency[] = {
    {"SELECT count(*) FROM articles WHERE id NOT IN (SELECT id FROM articles_fts_docsize)",
     "articles missing from the full-text index"},
    {"SELECT count(*) FROM articles_fts_docsize WHERE id NOT IN (SELECT id FROM articles)",
     "full-text entries for articles that do not exist"},
    {"SELECT count(*) FROM article_people WHERE article_id NOT IN (SELECT id FROM articles) "
     "OR person_id NOT IN (SELECT id FROM people)", "person links pointing nowhere"},
    {"SELECT count(*) FROM article_agencies WHERE article_id NOT IN (SELECT id FROM articles) "
     "OR agency_id NOT IN (SELECT id FROM agencies)", "agency links pointing nowhere"},
    {"SELECT count(*) FROM people WHERE id NOT IN (SELECT person_id FROM article_people)",
     "people named in no article"},
};

int khotin_check(khotin_db *db, int repair, khotin_check_cb cb, void *ctx)
{
    kh_error_clear();
    check_ctx c = {cb, ctx, 0};
    int rc = sqlite_integrity(db, &c);
    if (rc)
        return rc;
    if (!db->readonly) /* FTS5 runs its check as a (no-op) write */
        fts_integrity(db, &c);
    for (size_t i = 0; i < sizeof consistency / sizeof consistency[0]; i++) {
        int64_t n = 0;
        if ((rc = count_of(db, consistency[i].sql, &n)))
            return rc;
        if (n)
            problem(&c, "%lld %s", (long long)n, consistency[i].what);
    }
    if (!c.problems || !repair)
        return c.problems;
    if (db->readonly)
        return kh_error(KHOTIN_EREADONLY, "%s: opened read-only: cannot repair", db->path);
    if ((rc = kh_exec(db, "BEGIN IMMEDIATE", "repairing")))
        return rc;
    rc = kh_exec(db,
                 "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');"
                 "DELETE FROM article_people WHERE article_id NOT IN (SELECT id FROM articles) "
                 "  OR person_id NOT IN (SELECT id FROM people);"
                 "DELETE FROM article_agencies WHERE article_id NOT IN (SELECT id FROM articles) "
                 "  OR agency_id NOT IN (SELECT id FROM agencies);"
                 "DELETE FROM people WHERE id NOT IN (SELECT person_id FROM article_people);",
                 "repairing");
    if (rc) {
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    if ((rc = kh_exec(db, "COMMIT", "repairing")))
        return rc;
    /* check again: what is left is what repair cannot fix */
    check_ctx again = {cb, ctx, 0};
    if ((rc = sqlite_integrity(db, &again)))
        return rc;
    fts_integrity(db, &again);
    return again.problems;
}

/* ---- backup ---- */

int kh_backup_to(sqlite3 *src, const char *path)
{
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        int st = kh_db_error(dst, rc, path);
        sqlite3_close(dst);
        return st;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        int st = kh_db_error(dst, sqlite3_errcode(dst), path);
        sqlite3_close(dst);
        return st;
    }
    /* copy in steps so readers and writers of the source keep going */
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    int st = rc == SQLITE_DONE ? 0 : kh_db_error(dst, rc, path);
    sqlite3_close(dst);
    return st;
}

int khotin_backup(khotin_db *db, const char *path)
{
    kh_error_clear();
    struct stat st;
    if (stat(path, &st) == 0)
        return kh_error(KHOTIN_EIO, "%s already exists: choose a new file name", path);
    return kh_backup_to(db->db, path);
}

/* ---- optimize ---- */

int khotin_optimize(khotin_db *db)
{
    kh_error_clear();
    if (db->readonly)
        return kh_error(KHOTIN_EREADONLY, "%s: opened read-only: cannot optimize", db->path);
    return kh_exec(db,
                   "INSERT INTO articles_fts(articles_fts) VALUES ('optimize');"
                   "PRAGMA optimize;"
                   "PRAGMA wal_checkpoint(TRUNCATE);",
                   "optimizing");
}

/* ---- stats ---- */

int khotin_stats(khotin_db *db, khotin_archive_stats *s)
{
    kh_error_clear();
    memset(s, 0, sizeof *s);
    int rc;
    if ((rc = count_of(db, "SELECT count(*) FROM articles", &s->articles)) ||
        (rc = count_of(db, "SELECT count(*) FROM people", &s->people)) ||
        (rc = count_of(db, "SELECT count(DISTINCT person_id) FROM article_people WHERE quoted",
                       &s->quoted_people)) ||
        (rc = count_of(db, "SELECT count(*) FROM agencies", &s->agencies)) ||
        (rc = count_of(db, "SELECT count(DISTINCT publisher) FROM articles WHERE publisher <> ''",
                       &s->publishers)) ||
        (rc = count_of(db, "SELECT count(*) FROM articles WHERE pub_date GLOB '[0-9]*'",
                       &s->dated)))
        return rc;
    sqlite3_stmt *st;
    rc = sqlite3_prepare_v2(db->db,
                            "SELECT min(substr(pub_date, 1, 10)), max(substr(pub_date, 1, 10)) "
                            "FROM articles WHERE pub_date GLOB '[0-9]*'", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return kh_db_error(db->db, rc, "reading statistics");
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *a = (const char *)sqlite3_column_text(st, 0);
        const char *b = (const char *)sqlite3_column_text(st, 1);
        snprintf(s->first_date, sizeof s->first_date, "%s", a ? a : "");
        snprintf(s->last_date, sizeof s->last_date, "%s", b ? b : "");
    }
    sqlite3_finalize(st);
    int64_t pages = 0, page_size = 0;
    if ((rc = count_of(db, "PRAGMA page_count", &pages)) ||
        (rc = count_of(db, "PRAGMA page_size", &page_size)))
        return rc;
    s->bytes = pages * page_size;
    s->schema_version = db->version;
    return 0;
}

/* ---- delete ---- */

int khotin_delete(khotin_db *db, int64_t id)
{
    kh_error_clear();
    if (db->readonly)
        return kh_error(KHOTIN_EREADONLY, "%s: opened read-only: cannot delete", db->path);
    int rc = kh_exec(db, "BEGIN IMMEDIATE", "deleting");
    if (rc)
        return rc;
    sqlite3_stmt *st;
    rc = sqlite3_prepare_v2(db->db, "DELETE FROM articles WHERE id = ?1", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
    }
    int status = 0;
    if (rc != SQLITE_DONE)
        status = kh_db_error(db->db, rc, "deleting");
    else if (sqlite3_changes(db->db) == 0)
        status = kh_error(KHOTIN_ENOTFOUND, "no article with id %lld", (long long)id);
    else
        /* links go with the article (ON DELETE CASCADE); people and
         * agencies no other article names go too */
        status = kh_exec(db,
                         "DELETE FROM people WHERE id NOT IN (SELECT person_id FROM article_people);"
                         "DELETE FROM agencies WHERE id NOT IN (SELECT agency_id FROM article_agencies);",
                         "deleting orphans");
    if (status) {
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
        return status;
    }
    return kh_exec(db, "COMMIT", "deleting");
}
