/* test_store.c - the store and query stages on a real archive: schema and
 * migrations, idempotent import, refusing foreign files, read-only use,
 * diacritic-insensitive search (and what unicode61 misses), exact-accent
 * matching, and query robustness. */
#include "check.h"
#include "store.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/khotin-store-XXXXXX";

static void path_in_tmp(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", tmpdir, name);
}

static int64_t import_path(khotin_db *db, const char *path, khotin_import_stats *out)
{
    khotin_importer *imp = NULL;
    int rc = khotin_importer_new(db, 0, &imp);
    if (rc)
        return rc;
    rc = khotin_importer_add(imp, path, NULL, NULL);
    if (rc == 0)
        rc = khotin_importer_finish(imp);
    if (out)
        *out = *khotin_importer_stats(imp);
    khotin_importer_free(imp);
    return rc;
}

/* Ids of articles matching a query, as a comma list "3,5,". */
static char *ids(khotin_db *db, const char *q, int fold)
{
    khotin_search_opts o = {0};
    o.limit = 100;
    o.fold = fold;
    khotin_results *r = NULL;
    if (khotin_search(db, q, &o, &r))
        return NULL;
    kh_buf b;
    kh_buf_init(&b);
    for (size_t i = 0; i < khotin_results_count(r); i++)
        kh_buf_printf(&b, "%lld,", (long long)khotin_results_get(r, i)->id);
    khotin_results_free(r);
    return kh_buf_take(&b);
}

static int64_t first_hit_with(khotin_db *db, const char *q, const char *needle)
{
    khotin_search_opts o = {0};
    o.limit = 100;
    khotin_results *r = NULL;
    if (khotin_search(db, q, &o, &r))
        return -1;
    int64_t id = 0;
    for (size_t i = 0; i < khotin_results_count(r) && !id; i++)
        if (strstr(khotin_results_get(r, i)->headline, needle))
            id = khotin_results_get(r, i)->id;
    khotin_results_free(r);
    return id;
}

static void test_schema_and_import(const char *fixtures)
{
    char dbpath[256], dir[1024];
    path_in_tmp(dbpath, sizeof dbpath, "a.db");
    snprintf(dir, sizeof dir, "%s/articles", fixtures);
    khotin_db *db = NULL;
    CHECK(khotin_open(dbpath, 0, &db) == 0, "open new: %s", khotin_last_error());
    if (!db)
        return;
    CHECK(khotin_schema_version(db) == (int)kh_migrations[kh_migration_count - 1].version,
          "migrated to the latest version");
    khotin_import_stats st;
    CHECK(import_path(db, dir, &st) == 0, "import fixtures: %s", khotin_last_error());
    CHECK(st.imported >= 10 && st.failed == 0, "imported %llu, failed %llu",
          (unsigned long long)st.imported, (unsigned long long)st.failed);
    CHECK(st.skipped > 0, "non-.txt files (goldens, README) skipped");
    int64_t n1 = khotin_article_total(db);
    CHECK(n1 == (int64_t)st.imported, "article count %lld", (long long)n1);
    CHECK(import_path(db, dir, &st) == 0, "import again");
    CHECK(st.imported == 0 && st.duplicates == (uint64_t)n1, "second import: %llu new, %llu present",
          (unsigned long long)st.imported, (unsigned long long)st.duplicates);
    CHECK(khotin_article_total(db) == n1, "count unchanged after re-import");

    khotin_close(db);
    db = NULL;

    /* reopen: schema kept, FTS consistent */
    CHECK(khotin_open(dbpath, KHOTIN_OPEN_NOCREATE, &db) == 0, "reopen");
    if (!db)
        return;
    sqlite3_stmt *s;
    CHECK(sqlite3_prepare_v2(db->db, "INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')",
                             -1, &s, NULL) == SQLITE_OK, "prepare integrity-check");
    CHECK(sqlite3_step(s) == SQLITE_DONE, "FTS integrity-check: %s", sqlite3_errmsg(db->db));
    sqlite3_finalize(s);

    /* diacritic-insensitive search */
    int64_t lam = first_hit_with(db, "dang", "Hải Phòng thắng");
    CHECK(lam > 0, "dang finds the article with Đặng Văn Lâm");
    CHECK(first_hit_with(db, "nguyen tan dung", "Hải Phòng thắng") == lam,
          "nguyen tan dung finds Nguyễn Tấn Dũng");
    CHECK(first_hit_with(db, "NGUYỄN TẤN DŨNG", "Hải Phòng thắng") == lam, "accented upper case");
    int64_t hb = first_hit_with(db, "hoa binh", "Hoà Bình");
    CHECK(hb > 0, "hoa binh finds Hoà Bình");
    CHECK(first_hit_with(db, "hòa bình", "Hoà Bình") == hb, "old-style hòa finds new-style hoà");
    CHECK(first_hit_with(db, "thủy điện", "Hoà Bình") == hb, "thủy finds thuỷ");

    /* unicode61 (remove_diacritics 2) over the same texts misses đ */
    sqlite3 *plain;
    sqlite3_open(":memory:", &plain);
    CHECK(sqlite3_exec(plain, "CREATE VIRTUAL TABLE t USING fts5(headline, body, "
                              "tokenize='unicode61 remove_diacritics 2')", NULL, NULL, NULL) == SQLITE_OK,
          "create unicode61 table");
    sqlite3_stmt *sel, *ins;
    sqlite3_prepare_v2(db->db, "SELECT id, headline, body FROM articles", -1, &sel, NULL);
    sqlite3_prepare_v2(plain, "INSERT INTO t(rowid, headline, body) VALUES (?1, ?2, ?3)", -1, &ins, NULL);
    while (sqlite3_step(sel) == SQLITE_ROW) {
        sqlite3_bind_int64(ins, 1, sqlite3_column_int64(sel, 0));
        sqlite3_bind_text(ins, 2, (const char *)sqlite3_column_text(sel, 1), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 3, (const char *)sqlite3_column_text(sel, 2), -1, SQLITE_TRANSIENT);
        sqlite3_step(ins);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    sqlite3_stmt *q;
    sqlite3_prepare_v2(plain, "SELECT count(*) FROM t WHERE t MATCH '\"dang van lam\"' AND rowid = ?1", -1, &q, NULL);
    sqlite3_bind_int64(q, 1, lam);
    CHECK(sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 0,
          "unicode61 misses Đặng Văn Lâm for \"dang van lam\"");
    CHECK(first_hit_with(db, "\"dang van lam\"", "Hải Phòng thắng") == lam,
          "khotin finds it with the same phrase");
    sqlite3_finalize(q);
    sqlite3_close(plain);

    /* filters */
    char *a = ids(db, "source:reuters", 0);
    char *b = ids(db, "an ninh source:\"to quoc\"", 0);
    CHECK(a && strlen(a) > 0, "source:reuters has hits");
    CHECK(b && strlen(b) > 0, "source:\"to quoc\" with a word has hits");
    free(a);
    free(b);
    a = ids(db, "person:\"dang van lam\"", 0);
    CHECK(a && a[0] && strtoll(a, NULL, 10) == lam, "person:\"dang van lam\" -> %s", a ? a : "-");
    free(a);
    a = ids(db, "from:2017-09-01 to:2017-09-30", 0);
    CHECK(a && a[0], "date range has hits");
    free(a);

    /* timeline: matches per month, undated ones apart */
    khotin_timeline *tl = NULL;
    CHECK(khotin_timeline_new(db, "dong dat", KHOTIN_BY_MONTH, 0, &tl) == 0, "timeline: %s",
          khotin_last_error());
    int64_t dated = 0;
    for (size_t i = 0; tl && i < khotin_timeline_count(tl); i++) {
        const khotin_bucket *b = khotin_timeline_get(tl, i);
        CHECK(strlen(b->period) == 7 && b->count > 0, "bucket %s", b->period);
        if (i)
            CHECK(strcmp(khotin_timeline_get(tl, i - 1)->period, b->period) < 0, "ordered");
        dated += b->count;
    }
    khotin_search_opts co = {0};
    co.count_total = 1;
    khotin_results *all = NULL;
    CHECK(khotin_search(db, "dong dat", &co, &all) == 0, "count for timeline");
    CHECK(tl && all && dated + khotin_timeline_undated(tl) == khotin_results_total(all),
          "timeline adds up to the matches");
    khotin_results_free(all);
    khotin_timeline_free(tl);
    /* show: a stored article comes back with its fields */
    khotin_article *art = NULL;
    CHECK(khotin_article_get(db, lam, &art) == 0, "article_get");
    if (art) {
        CHECK(strstr(khotin_article_headline(art), "Hải Phòng") != NULL, "headline");
        CHECK(khotin_article_person_count(art) >= 2, "people loaded");
        CHECK(strstr(khotin_article_source_path(art), "03_bong_da") != NULL, "source path");
    }
    khotin_article_free(art);
    CHECK(khotin_article_get(db, 999999, &art) == KHOTIN_ENOTFOUND, "missing id");
    khotin_close(db);
}

/* "mạ" finds only mạ; "ma" finds every form, the exact "ma" first. */
static void test_accents(void)
{
    char dbpath[256], dir[256], f[300];
    path_in_tmp(dbpath, sizeof dbpath, "accents.db");
    path_in_tmp(dir, sizeof dir, "accents");
    mkdir(dir, 0755);
    static const char *docs[][2] = {
        {"1.txt", "Nông dân gieo mạ sớm\n\nVụ đông xuân, bà con gieo mạ trên cánh đồng.\n"},
        {"2.txt", "Người má của làng\n\nBà được gọi là má của cả xóm chài.\n"},
        {"3.txt", "Chuyện ma ở làng cổ\n\nNgười già kể chuyện ma vào mỗi đêm rằm.\n"},
        {"4.txt", "Lăng mộ cổ\n\nNhiều ngôi mả cổ được tìm thấy ở đồi thông.\n"},
    };
    for (size_t i = 0; i < 4; i++) {
        snprintf(f, sizeof f, "%s/%s", dir, docs[i][0]);
        check_write_file(f, docs[i][1]);
    }
    khotin_db *db = NULL;
    CHECK(khotin_open(dbpath, 0, &db) == 0, "open");
    if (!db)
        return;
    CHECK(import_path(db, dir, NULL) == 0, "import");
    char *r = ids(db, "mạ", 0);
    CHECK_STR(r, "1,", "mạ finds only mạ");
    free(r);
    r = ids(db, "má", 0);
    CHECK_STR(r, "2,", "má finds only má");
    free(r);
    r = ids(db, "ma", 0);
    CHECK(r && strncmp(r, "3,", 2) == 0 && strstr(r, "1,") && strstr(r, "2,") && strstr(r, "4,"),
          "ma finds all four, exact ma first: %s", r ? r : "-");
    free(r);
    r = ids(db, "mạ", 1);
    CHECK(r && strlen(r) == 8, "--fold: mạ finds all four: %s", r ? r : "-");
    free(r);
    khotin_close(db);
}

/* Random queries either run or give a clean query error. */
static void test_query_fuzz(const char *fixtures)
{
    char dbpath[256], dir[1024];
    path_in_tmp(dbpath, sizeof dbpath, "a.db");
    snprintf(dir, sizeof dir, "%s/articles", fixtures);
    khotin_db *db = NULL;
    CHECK(khotin_open(dbpath, KHOTIN_OPEN_READONLY, &db) == 0, "open read-only: %s",
          khotin_last_error());
    if (!db)
        return;
    static const char *pieces[] = {"\"", "*", ":", "-", "(", ")", " ", "OR", "AND", "NOT",
                                   "NEAR", "person:", "source:", "from:", "to:", "2017-07-20",
                                   "an", "ninh", "mạng", "đ", "Đặng", "“", "”", "^", "+",
                                   "ha-noi", "\xff", "\xe1", "{", "}", "'", "NEAR(", ",",
                                   "COVID-19", "20/7", "\\", "%", "_", "\x01", "ma*", "-\""};
    unsigned seed = 12345;
    int ok = 0, query_errors = 0, bad = 0;
    for (int i = 0; i < 2000; i++) {
        char q[256] = "";
        int parts = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 8;
        for (int k = 0; k < parts; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
            if (strlen(q) + strlen(p) < sizeof q - 1)
                strcat(q, p);
        }
        khotin_results *r = NULL;
        int rc = khotin_search(db, q, NULL, &r);
        if (rc == 0) {
            ok++;
            khotin_results_free(r);
        } else if (rc == KHOTIN_EQUERY) {
            const char *m = khotin_last_error();
            if (strstr(m, "sqlite") || strstr(m, "SQL") || strstr(m, "fts5") ||
                strstr(m, "syntax error") || !m[0]) {
                bad++;
                fprintf(stderr, "leaky message for [%s]: %s\n", q, m);
            } else {
                query_errors++;
            }
        } else {
            bad++;
            fprintf(stderr, "query [%s] failed with %d: %s\n", q, rc, khotin_last_error());
        }
    }
    printf("query fuzz: %d ran, %d clean query errors, %d bad\n", ok, query_errors, bad);
    CHECK(bad == 0, "%d random queries failed badly", bad);
    CHECK(ok > 500, "most random queries run (%d)", ok);
    /* read-only: import refused with a clear message */
    khotin_importer *imp = NULL;
    CHECK(khotin_importer_new(db, 0, &imp) == KHOTIN_EREADONLY, "import on read-only");
    CHECK(strstr(khotin_last_error(), "read-only") != NULL, "%s", khotin_last_error());
    khotin_close(db);
}

static long file_size(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static void test_foreign_files(void)
{
    char p[256];
    path_in_tmp(p, sizeof p, "other.db");
    sqlite3 *o;
    sqlite3_open(p, &o);
    sqlite3_exec(o, "CREATE TABLE notes(x); INSERT INTO notes VALUES ('giữ nguyên');", NULL, NULL, NULL);
    sqlite3_close(o);
    long before = file_size(p);
    khotin_db *db = NULL;
    CHECK(khotin_open(p, 0, &db) == KHOTIN_EDB && !db, "another SQLite file is refused");
    CHECK(strstr(khotin_last_error(), "not a khotin archive") != NULL, "%s", khotin_last_error());
    CHECK(file_size(p) == before, "left untouched");
    path_in_tmp(p, sizeof p, "text.db");
    check_write_file(p, "Đây là một tệp văn bản, không phải cơ sở dữ liệu.\n");
    before = file_size(p);
    CHECK(khotin_open(p, 0, &db) == KHOTIN_EDB && !db, "a text file is refused: %s",
          khotin_last_error());
    CHECK(file_size(p) == before, "text file untouched");
    path_in_tmp(p, sizeof p, "missing.db");
    CHECK(khotin_open(p, KHOTIN_OPEN_READONLY, &db) == KHOTIN_EIO, "read-only open of a missing archive");
    CHECK(access(p, F_OK) != 0, "not created");
}

static int copy_file(const char *from, const char *to)
{
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    int ok = a && b;
    char buf[8192];
    size_t n;
    while (ok && (n = fread(buf, 1, sizeof buf, a)) > 0)
        ok = fwrite(buf, 1, n, b) == n;
    if (a)
        fclose(a);
    if (b)
        fclose(b);
    return ok;
}

/* Archives made by older schema versions open, are backed up, migrate and
 * answer searches; a newer one is refused. */
static void test_upgrades(const char *fixtures)
{
    static const struct {
        const char *file;
        int version;
        const char *query, *headline;
    } rows[] = {
        {"khotin-v1.db", 1, "dang van lam", "Hải Phòng thắng"},
        {"khotin-v2.db", 2, "an ninh mang", "Đối thoại an ninh mạng"},
    };
    int latest = (int)kh_migrations[kh_migration_count - 1].version;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char from[1024], to[256];
        snprintf(from, sizeof from, "%s/archives/%s", fixtures, rows[i].file);
        snprintf(to, sizeof to, "%s/up-%s", tmpdir, rows[i].file);
        CHECK(copy_file(from, to), "copy %s", from);
        khotin_db *db = NULL;
        CHECK(khotin_open(to, 0, &db) == 0, "%s opens: %s", rows[i].file, khotin_last_error());
        if (!db)
            continue;
        const char *bak = NULL;
        CHECK(khotin_upgraded_from(db, &bak) == rows[i].version, "%s upgraded from %d",
              rows[i].file, rows[i].version);
        CHECK(khotin_schema_version(db) == latest, "%s now at %d", rows[i].file, latest);
        CHECK(bak && access(bak, F_OK) == 0, "backup %s exists", bak ? bak : "-");
        char bakcopy[512];
        snprintf(bakcopy, sizeof bakcopy, "%s", bak ? bak : "");
        CHECK(first_hit_with(db, rows[i].query, rows[i].headline) > 0, "%s answers %s",
              rows[i].file, rows[i].query);
        CHECK(khotin_check(db, 0, NULL, NULL) == 0, "%s consistent after upgrade", rows[i].file);
        char *p = ids(db, "person:\"thomas bossert\"", 0);
        CHECK(p != NULL, "person filter after upgrade");
        free(p);
        khotin_close(db);
        /* the backup is the old archive, still at its version */
        sqlite3 *o;
        sqlite3_open(bakcopy, &o);
        sqlite3_stmt *st;
        sqlite3_prepare_v2(o, "PRAGMA user_version", -1, &st, NULL);
        CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == rows[i].version,
              "backup keeps version %d", rows[i].version);
        sqlite3_finalize(st);
        sqlite3_close(o);
    }
    /* a newer archive is refused and left alone */
    char to[256];
    snprintf(to, sizeof to, "%s/up-khotin-v1.db", tmpdir);
    sqlite3 *o;
    sqlite3_open(to, &o);
    sqlite3_exec(o, "PRAGMA user_version = 99", NULL, NULL, NULL);
    sqlite3_close(o);
    khotin_db *db = NULL;
    CHECK(khotin_open(to, 0, &db) == KHOTIN_EVERSION && !db, "newer archive refused");
    char want[64];
    snprintf(want, sizeof want, "version %d", latest);
    CHECK(strstr(khotin_last_error(), "99") && strstr(khotin_last_error(), want),
          "message names both versions: %s", khotin_last_error());
}

/* A full disk (simulated with max_page_count): a clear error, and the
 * archive as it was before the failing batch. */
static void test_full_disk(const char *fixtures)
{
    char dbpath[256], dir[1024];
    snprintf(dbpath, sizeof dbpath, "%s/full.db", tmpdir);
    snprintf(dir, sizeof dir, "%s/articles", fixtures);
    khotin_db *db = NULL;
    CHECK(khotin_open(dbpath, 0, &db) == 0, "open");
    if (!db)
        return;
    /* leave room for about half of the fixtures */
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db->db, "PRAGMA page_count", -1, &st, NULL);
    sqlite3_step(st);
    int pages = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA max_page_count = %d", pages + 12);
    sqlite3_exec(db->db, pragma, NULL, NULL, NULL);
    khotin_importer *imp = NULL;
    khotin_importer_new(db, 3, &imp);
    int rc = khotin_importer_add(imp, dir, NULL, NULL);
    if (rc == 0)
        rc = khotin_importer_finish(imp);
    const khotin_import_stats *s = khotin_importer_stats(imp);
    uint64_t imported = s->imported;
    CHECK(rc == KHOTIN_EDB, "import into a full archive fails (%d)", rc);
    CHECK(strstr(khotin_last_error(), "full") != NULL, "message: %s", khotin_last_error());
    khotin_importer_free(imp);
    int64_t n = khotin_article_total(db);
    CHECK(n == (int64_t)imported && n % 3 == 0, "whole batches kept: %lld stored, %llu counted",
          (long long)n, (unsigned long long)imported);
    CHECK(khotin_check(db, 0, NULL, NULL) == 0, "consistent after the failure");
    khotin_close(db);
}

int main(int argc, char **argv)
{
    const char *fixtures = argc > 1 ? argv[1] : "fixtures";
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_schema_and_import(fixtures);
    test_accents();
    test_query_fuzz(fixtures);
    test_foreign_files();
    test_upgrades(fixtures);
    test_full_disk(fixtures);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return check_summary("test_store");
}
