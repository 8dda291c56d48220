/* store.c - the "store" stage: the SQLite archive.
 *
 * Opening: registers khotin's tokenizer and functions, checks that the file
 * is a khotin archive (application_id) or a new empty file, applies the
 * numbered migrations from schema/ (each in its own transaction, tracked by
 * PRAGMA user_version), turns on WAL and foreign keys.
 *
 * Importing: one transaction per batch of articles, one savepoint per
 * article; duplicates (same URL or same folded content) are skipped.
 *
 * Not for: parsing (extract.c) or searching (query.c).
 */
#include "store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/uversion.h>

#define KH_APPLICATION_ID 1802007662 /* 'khtn' */

/* Map an SQLite result code to a status and a message with advice. */
int kh_db_error(sqlite3 *db, int rc, const char *what)
{
    int prim = rc & 0xff;
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    switch (prim) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return kh_error(KHOTIN_EBUSY,
                        "%s: the archive is locked by another khotin process; "
                        "wait for it to finish and try again", what);
    case SQLITE_READONLY:
        return kh_error(KHOTIN_EREADONLY,
                        "%s: the archive is read-only (%s); check the file and "
                        "folder permissions, or search without importing",
                        what, msg);
    case SQLITE_FULL:
        return kh_error(KHOTIN_EDB,
                        "%s: the disk or the archive is full; free some space "
                        "and import again (nothing of this batch was stored)",
                        what);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return kh_error(KHOTIN_EDB,
                        "%s: the file is not a valid khotin archive (%s)", what,
                        msg);
    case SQLITE_CANTOPEN:
        return kh_error(KHOTIN_EIO, "%s: cannot open the archive (%s)", what,
                        msg);
    case SQLITE_NOMEM:
        return kh_error(KHOTIN_ENOMEM, "%s: out of memory", what);
    default:
        return kh_error(KHOTIN_EDB, "%s: database error: %s", what, msg);
    }
}

int kh_exec(khotin_db *db, const char *sql, const char *what)
{
    int rc = sqlite3_exec(db->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : kh_db_error(db->db, rc, what);
}

/* Prepared statement cache: statements are prepared once per connection. */
int kh_stmt(khotin_db *db, int slot, const char *sql, sqlite3_stmt **out)
{
    if (!db->stmts[slot]) {
        int rc = sqlite3_prepare_v3(db->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                    &db->stmts[slot], NULL);
        if (rc != SQLITE_OK)
            return kh_db_error(db->db, rc, "preparing a statement");
    }
    sqlite3_reset(db->stmts[slot]);
    sqlite3_clear_bindings(db->stmts[slot]);
    *out = db->stmts[slot];
    return 0;
}

static int pragma_int(sqlite3 *db, const char *sql, int *out)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* A WAL archive in a folder the reader cannot write (no -shm file can be
 * made): when no writer is active (no -wal file), read it as immutable. */
static int reopen_immutable(khotin_db *db)
{
    kh_buf wal, uri;
    kh_buf_init(&wal);
    kh_buf_init(&uri);
    kh_buf_printf(&wal, "%s-wal", db->path);
    struct stat st;
    int rc = SQLITE_READONLY;
    if (!wal.oom && stat(wal.data, &st) != 0) {
        kh_buf_puts(&uri, "file:");
        for (const char *p = db->path; *p; p++) {
            if (*p == '?' || *p == '#' || *p == '%')
                kh_buf_printf(&uri, "%%%02X", (unsigned char)*p);
            else
                kh_buf_putc(&uri, *p);
        }
        kh_buf_puts(&uri, "?immutable=1");
        if (!uri.oom) {
            sqlite3_close(db->db);
            db->db = NULL;
            rc = sqlite3_open_v2(uri.data, &db->db,
                                 SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
                                     SQLITE_OPEN_NOMUTEX, NULL);
            if (rc == SQLITE_OK) {
                sqlite3_extended_result_codes(db->db, 1);
                sqlite3_busy_timeout(db->db, 10000);
                if (kh_register_sqlite(db->db))
                    rc = SQLITE_ERROR;
            }
        }
    }
    kh_buf_free(&wal);
    kh_buf_free(&uri);
    return rc;
}

/* Is this an empty database (no tables at all)? */
static int is_empty_db(sqlite3 *db, int *empty)
{
    int n = 0;
    int rc = pragma_int(db, "SELECT count(*) FROM sqlite_schema", &n);
    *empty = n == 0;
    return rc;
}

static int foreign_key_check(khotin_db *db, const char *what)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db->db, "PRAGMA foreign_key_check", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return kh_db_error(db->db, rc, what);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return kh_error(KHOTIN_EDB, "%s: the migration would break references "
                                    "between tables; the archive was not changed", what);
    return rc == SQLITE_DONE ? 0 : kh_db_error(db->db, rc, what);
}

/* Collation keys change between ICU versions: indexes built with another
 * ICU are rebuilt (REINDEX) so lookups and order stay right. */
static int check_icu_version(khotin_db *db)
{
    if (db->version < 2 || db->readonly)
        return 0;
    UVersionInfo v;
    u_getVersion(v);
    char now[U_MAX_VERSION_STRING_LENGTH];
    u_versionToString(v, now);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db->db, "SELECT value FROM khotin_meta WHERE key = 'icu_version'",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return kh_db_error(db->db, rc, "reading the ICU version");
    rc = sqlite3_step(st);
    int same = rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), now) == 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return kh_db_error(db->db, rc, "reading the ICU version");
    if (same)
        return 0;
    if ((rc = kh_exec(db, "BEGIN IMMEDIATE", "rebuilding collation indexes")))
        return rc;
    if ((rc = kh_exec(db, "REINDEX vn_nocase; REINDEX vi", "rebuilding collation indexes")) == 0) {
        rc = sqlite3_prepare_v2(db->db, "INSERT OR REPLACE INTO khotin_meta(key, value) "
                                        "VALUES ('icu_version', ?1)", -1, &st, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
            rc = sqlite3_step(st);
            sqlite3_finalize(st);
        }
        rc = rc == SQLITE_DONE ? 0 : kh_db_error(db->db, rc, "recording the ICU version");
    }
    if (rc) {
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return kh_exec(db, "COMMIT", "rebuilding collation indexes");
}

static int migrate(khotin_db *db)
{
    int version = 0;
    int rc = pragma_int(db->db, "PRAGMA user_version", &version);
    if (rc != SQLITE_OK)
        return kh_db_error(db->db, rc, "reading the schema version");
    int latest = kh_migrations[kh_migration_count - 1].version;
    if (version > latest)
        return kh_error(KHOTIN_EVERSION,
                        "%s: the archive has schema version %d, newer than the "
                        "version %d this khotin knows; it was left untouched: "
                        "use a newer khotin", db->path, version, latest);
    if (version > 0 && version < latest) {
        if (db->readonly)
            return kh_error(KHOTIN_EREADONLY,
                            "%s: the archive has schema version %d and needs an upgrade "
                            "to %d; open it once for writing (e.g. khotin stats)",
                            db->path, version, latest);
        /* an automatic backup before changing an existing archive */
        kh_buf b;
        kh_buf_init(&b);
        struct stat st;
        for (int k = 0; k < 100; k++) {
            kh_buf_reset(&b);
            kh_buf_printf(&b, "%s.v%d.bak", db->path, version);
            if (k)
                kh_buf_printf(&b, ".%d", k);
            if (b.oom || stat(b.data, &st) != 0)
                break;
        }
        if (b.oom)
            return kh_error(KHOTIN_ENOMEM, "out of memory");
        if ((rc = kh_backup_to(db->db, b.data))) {
            kh_buf_free(&b);
            return kh_error(rc, "%s: cannot back up the archive before upgrading it: %s",
                            db->path, khotin_last_error());
        }
        db->backup_path = kh_buf_take(&b);
        db->upgraded_from = version;
    }
    for (size_t i = 0; i < kh_migration_count; i++) {
        const kh_migration *m = &kh_migrations[i];
        if (m->version <= version)
            continue;
        if (db->readonly)
            return kh_error(KHOTIN_EREADONLY,
                            "%s: the archive needs an upgrade to schema %d but "
                            "was opened read-only", db->path, m->version);
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", m->version);
        /* Table rebuilds need foreign keys off (it cannot change inside a
         * transaction); their integrity is checked before committing. */
        if ((rc = kh_exec(db, "PRAGMA foreign_keys = OFF", "starting a migration")) ||
            (rc = kh_exec(db, "BEGIN IMMEDIATE", "starting a migration")))
            return rc;
        /* another process may have migrated while we waited for the lock */
        int now = 0;
        if ((rc = pragma_int(db->db, "PRAGMA user_version", &now)) != SQLITE_OK) {
            sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
            return kh_db_error(db->db, rc, "reading the schema version");
        }
        if (now >= m->version) {
            sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
            sqlite3_exec(db->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
            version = now;
            continue;
        }
        if ((rc = kh_exec(db, m->sql, m->name)) ||
            (rc = foreign_key_check(db, m->name)) ||
            (rc = kh_exec(db, pragma, "recording the schema version"))) {
            sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
            sqlite3_exec(db->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
            return rc;
        }
        if ((rc = kh_exec(db, "COMMIT", "committing a migration")) ||
            (rc = kh_exec(db, "PRAGMA foreign_keys = ON", "enabling foreign keys")))
            return rc;
        version = m->version;
    }
    db->version = version;
    return 0;
}

int khotin_open(const char *path, unsigned flags, khotin_db **out)
{
    *out = NULL;
    kh_error_clear();
    if (!path || !*path)
        return kh_error(KHOTIN_EIO, "no archive path given");
    struct stat st;
    int exists = stat(path, &st) == 0;
    if (!exists && (flags & (KHOTIN_OPEN_NOCREATE | KHOTIN_OPEN_READONLY)))
        return kh_error(KHOTIN_EIO,
                        "%s: no such archive; import articles first "
                        "(khotin --db %s import FOLDER)", path, path);
    if (exists && S_ISDIR(st.st_mode))
        return kh_error(KHOTIN_EIO, "%s: is a folder, not an archive file", path);
    khotin_db *db = calloc(1, sizeof *db);
    if (!db || !(db->path = kh_strdup(path))) {
        free(db);
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    }
    db->readonly = (flags & KHOTIN_OPEN_READONLY) != 0;
    int oflags = db->readonly ? SQLITE_OPEN_READONLY
                              : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &db->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    int status;
    if (rc != SQLITE_OK) {
        status = kh_db_error(db->db, rc, path);
        goto fail;
    }
    sqlite3_extended_result_codes(db->db, 1);
    sqlite3_busy_timeout(db->db, 10000);
    if ((status = kh_register_sqlite(db->db)))
        goto fail;
    /* Is it ours? Refuse other SQLite files and non-databases untouched. */
    int appid = 0, empty = 0;
    rc = pragma_int(db->db, "PRAGMA application_id", &appid);
    if (db->readonly && ((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN) &&
        (rc = reopen_immutable(db)) == SQLITE_OK)
        rc = pragma_int(db->db, "PRAGMA application_id", &appid);
    if (rc == SQLITE_OK) {
        /* read both from one snapshot: another process creating this archive
         * may commit its first migration between two separate reads */
        rc = sqlite3_exec(db->db, "BEGIN", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = pragma_int(db->db, "PRAGMA application_id", &appid);
        if (rc == SQLITE_OK)
            rc = is_empty_db(db->db, &empty);
        sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        status = (rc & 0xff) == SQLITE_NOTADB
                     ? kh_error(KHOTIN_EDB,
                                "%s: not a khotin archive (not an SQLite "
                                "database); choose another file with --db",
                                path)
                     : kh_db_error(db->db, rc, path);
        goto fail;
    }
    if (appid != KH_APPLICATION_ID && !empty) {
        status = kh_error(KHOTIN_EDB,
                          "%s: an SQLite database but not a khotin archive; "
                          "it was left untouched: choose another file with --db",
                          path);
        goto fail;
    }
    if (empty && db->readonly) {
        status = kh_error(KHOTIN_EDB, "%s: empty file, not a khotin archive", path);
        goto fail;
    }
    /* a file we may not write is opened read-only by SQLite without
     * saying so: treat it as read-only from the start */
    if (!db->readonly && sqlite3_db_readonly(db->db, "main") == 1)
        db->readonly = 1;
    if (!db->readonly) {
        /* two processes creating one archive: the second waits its turn */
        for (int tries = 0;; tries++) {
            status = kh_exec(db, "PRAGMA journal_mode = WAL", "enabling WAL");
            if (status != KHOTIN_EBUSY || tries >= 50)
                break;
            sqlite3_sleep(100);
        }
        if (status)
            goto fail;
        if ((status = kh_exec(db, "PRAGMA synchronous = NORMAL", "setting synchronous")))
            goto fail;
    }
    if ((status = kh_exec(db, "PRAGMA foreign_keys = ON", "enabling foreign keys")))
        goto fail;
    if ((status = migrate(db)) || (status = check_icu_version(db)))
        goto fail;
    *out = db;
    return KHOTIN_OK;
fail:
    khotin_close(db);
    return status;
}

void khotin_close(khotin_db *db)
{
    if (!db)
        return;
    for (size_t i = 0; i < KH_STMT_COUNT; i++)
        sqlite3_finalize(db->stmts[i]);
    sqlite3_close(db->db);
    free(db->path);
    free(db->backup_path);
    free(db);
}

int khotin_schema_version(const khotin_db *db) { return db->version; }

int khotin_upgraded_from(const khotin_db *db, const char **backup)
{
    if (backup)
        *backup = db->backup_path ? db->backup_path : "";
    return db->upgraded_from;
}

int64_t khotin_article_total(khotin_db *db)
{
    sqlite3_stmt *st;
    int rc = kh_stmt(db, KH_ST_COUNT, "SELECT count(*) FROM articles", &st);
    if (rc)
        return rc;
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return kh_db_error(db->db, rc, "counting articles");
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return n;
}

/* ---- loading ---- */

static const char *col_text(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}

static khotin_date_precision precision_from_name(const char *s)
{
    for (int p = KHOTIN_DATE_NONE; p <= KHOTIN_DATE_TIME; p++)
        if (strcmp(s, khotin_date_precision_name(p)) == 0)
            return p;
    return KHOTIN_DATE_NONE;
}

int khotin_article_get(khotin_db *db, int64_t id, khotin_article **out)
{
    *out = NULL;
    sqlite3_stmt *st;
    int rc = kh_stmt(db, KH_ST_GET,
                     "SELECT headline, lead, body, coalesce(pub_date,''), "
                     "date_precision, publisher, coalesce(url,''), source_path, "
                     "author FROM articles WHERE id = ?1", &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return kh_error(KHOTIN_ENOTFOUND, "no article with id %lld; search to "
                        "find ids", (long long)id);
    if (rc != SQLITE_ROW)
        return kh_db_error(db->db, rc, "loading an article");
    khotin_article *a = kh_article_new();
    if (!a) {
        sqlite3_reset(st);
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    }
    struct kh_article_fields *f = kh_article_fields(a);
    f->id = id;
    int err = kh_article_set(&f->headline, col_text(st, 0)) ||
              kh_article_set(&f->lead, col_text(st, 1)) ||
              kh_article_set(&f->body, col_text(st, 2)) ||
              kh_article_set(&f->date, col_text(st, 3)) ||
              kh_article_set(&f->publisher, col_text(st, 5)) ||
              kh_article_set(&f->url, col_text(st, 6)) ||
              kh_article_set(&f->source_path, col_text(st, 7)) ||
              kh_article_set(&f->author, col_text(st, 8));
    f->precision = precision_from_name(col_text(st, 4));
    sqlite3_reset(st);
    if (err)
        goto oom;
    rc = kh_stmt(db, KH_ST_GET_AGENCIES,
                 "SELECT g.name FROM article_agencies aa JOIN agencies g ON "
                 "g.id = aa.agency_id WHERE aa.article_id = ?1 ORDER BY aa.position",
                 &st);
    if (rc)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (kh_article_add_agency(a, col_text(st, 0)))
            goto oom;
    if (rc != SQLITE_DONE) {
        rc = kh_db_error(db->db, rc, "loading agencies");
        goto fail;
    }
    rc = kh_stmt(db, KH_ST_GET_PEOPLE,
                 "SELECT p.name, ap.role, ap.quote, ap.quoted FROM article_people ap "
                 "JOIN people p ON p.id = ap.person_id WHERE ap.article_id = ?1 "
                 "ORDER BY ap.position", &st);
    if (rc)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (kh_article_add_person(a, col_text(st, 0), col_text(st, 1),
                                  col_text(st, 2), sqlite3_column_int(st, 3)) ||
            (sqlite3_column_int(st, 3) && col_text(st, 2)[0] &&
             kh_article_add_quote(a, khotin_article_person_count(a) - 1,
                                  col_text(st, 2), 0, 1)))
            goto oom;
    if (rc != SQLITE_DONE) {
        rc = kh_db_error(db->db, rc, "loading people");
        goto fail;
    }
    sqlite3_reset(st);
    rc = kh_stmt(db, KH_ST_GET_EVENTS,
                 "SELECT date, precision FROM article_dates WHERE article_id = ?1 "
                 "ORDER BY position", &st);
    if (rc)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (kh_article_add_event_date(a, col_text(st, 0), precision_from_name(col_text(st, 1))))
            goto oom;
    if (rc != SQLITE_DONE) {
        rc = kh_db_error(db->db, rc, "loading event dates");
        goto fail;
    }
    sqlite3_reset(st);
    *out = a;
    return KHOTIN_OK;
oom:
    rc = kh_error(KHOTIN_ENOMEM, "out of memory");
fail:
    khotin_article_free(a);
    return rc;
}

/* ---- content hash: 128-bit FNV-1a over the folded words ---- */

/* The identity of an article's text: its words folded (case, diacritics,
 * tone placement, NFC/NFD, đ/d) and joined by single spaces, so the same
 * article saved with other spacing, punctuation or encoding form is the
 * same article. */
typedef struct hash_ctx {
    unsigned __int128 h;
} hash_ctx;

static const unsigned __int128 fnv_prime =
    ((unsigned __int128)0x0000000001000000ULL << 64) | 0x000000000000013BULL;

static int hash_word(void *vctx, const char *exact, size_t exact_len,
                     const char *folded, size_t folded_len, size_t start,
                     size_t end)
{
    (void)exact;
    (void)exact_len;
    (void)start;
    (void)end;
    hash_ctx *c = vctx;
    for (size_t i = 0; i < folded_len; i++) {
        c->h ^= (unsigned char)folded[i];
        c->h *= fnv_prime;
    }
    c->h ^= ' ';
    c->h *= fnv_prime;
    return 0;
}

int kh_content_hash(const khotin_article *a, char out[33])
{
    hash_ctx c = {((unsigned __int128)0x6c62272e07bb0142ULL << 64) |
                  0x62b821756295c58dULL};
    const char *parts[3] = {khotin_article_headline(a), khotin_article_lead(a),
                            khotin_article_body(a)};
    for (size_t i = 0; i < 3; i++)
        if (kh_words(parts[i], strlen(parts[i]), hash_word, &c))
            return kh_error(KHOTIN_ENOMEM, "out of memory");
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)(c.h >> 64),
             (unsigned long long)c.h);
    return 0;
}

/* ---- storing one article ---- */

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static int id_for_name(khotin_db *db, int slot_find, int slot_ins,
                       const char *find_sql, const char *ins_sql,
                       const char *name, const char *key, int64_t *id)
{
    sqlite3_stmt *st;
    int rc = kh_stmt(db, slot_find, find_sql, &st);
    if (rc)
        return rc;
    bind_text(st, 1, key);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return kh_db_error(db->db, rc, "looking up a name");
    if ((rc = kh_stmt(db, slot_ins, ins_sql, &st)))
        return rc;
    bind_text(st, 1, name);
    if (key != name)
        bind_text(st, 2, key);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return kh_db_error(db->db, rc, "storing a name");
    *id = sqlite3_last_insert_rowid(db->db);
    return 0;
}

static int store_links(khotin_db *db, int64_t aid, const khotin_article *a)
{
    sqlite3_stmt *st;
    int rc;
    for (size_t i = 0; i < khotin_article_agency_count(a); i++) {
        const char *name = khotin_article_agency(a, i);
        int64_t gid;
        if ((rc = id_for_name(db, KH_ST_AGENCY_FIND, KH_ST_AGENCY_INS,
                              "SELECT id FROM agencies WHERE name = ?1",
                              "INSERT INTO agencies(name) VALUES (?1)", name,
                              name, &gid)))
            return rc;
        if ((rc = kh_stmt(db, KH_ST_AGENCY_LINK,
                          "INSERT OR IGNORE INTO article_agencies(article_id, "
                          "agency_id, position) VALUES (?1, ?2, ?3)", &st)))
            return rc;
        sqlite3_bind_int64(st, 1, aid);
        sqlite3_bind_int64(st, 2, gid);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return kh_db_error(db->db, rc, "linking an agency");
    }
    for (size_t i = 0; i < khotin_article_event_count(a); i++) {
        khotin_date_precision prec;
        const char *d = khotin_article_event(a, i, &prec);
        if ((rc = kh_stmt(db, KH_ST_EVENT_INS,
                          "INSERT INTO article_dates(article_id, position, date, precision) "
                          "VALUES (?1, ?2, ?3, ?4)", &st)))
            return rc;
        sqlite3_bind_int64(st, 1, aid);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text(st, 3, d);
        bind_text(st, 4, khotin_date_precision_name(prec));
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return kh_db_error(db->db, rc, "storing an event date");
    }
    for (size_t i = 0; i < khotin_article_person_count(a); i++) {
        const khotin_person *p = khotin_article_person(a, i);
        char *key = khotin_text_fold(p->name);
        if (!key)
            return kh_error(KHOTIN_ENOMEM, "out of memory");
        int64_t pid;
        rc = id_for_name(db, KH_ST_PERSON_FIND, KH_ST_PERSON_INS,
                         "SELECT id FROM people WHERE name_key = ?1",
                         "INSERT INTO people(name, name_key) VALUES (?1, ?2)",
                         p->name, key, &pid);
        free(key);
        if (rc)
            return rc;
        if ((rc = kh_stmt(db, KH_ST_PERSON_LINK,
                          "INSERT OR IGNORE INTO article_people(article_id, "
                          "person_id, role, quoted, quote, position) VALUES "
                          "(?1, ?2, ?3, ?4, ?5, ?6)", &st)))
            return rc;
        sqlite3_bind_int64(st, 1, aid);
        sqlite3_bind_int64(st, 2, pid);
        bind_text(st, 3, p->role);
        sqlite3_bind_int(st, 4, p->quoted);
        bind_text(st, 5, p->quote);
        sqlite3_bind_int64(st, 6, (sqlite3_int64)i);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return kh_db_error(db->db, rc, "linking a person");
    }
    return 0;
}

/* Is an article with this URL or content hash stored? Sets *id (0: no). */
static int find_duplicate(khotin_db *db, const char *url, const char *hash,
                          int64_t *id)
{
    sqlite3_stmt *st;
    int rc = kh_stmt(db, KH_ST_DUP,
                     "SELECT id FROM articles WHERE content_hash = ?1 "
                     "UNION ALL SELECT id FROM articles WHERE url = ?2 LIMIT 1",
                     &st);
    if (rc)
        return rc;
    bind_text(st, 1, hash);
    if (*url)
        bind_text(st, 2, url);
    rc = sqlite3_step(st);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return kh_db_error(db->db, rc, "checking for duplicates");
    return 0;
}

/* Store one parsed article (inside the caller's transaction). Returns
 * KHOTIN_IMPORTED or KHOTIN_DUPLICATE (>= 0) or a negative status. */
int kh_store_article(khotin_db *db, const khotin_article *a,
                     const char *hash, const char *source_path, int64_t *id)
{
    *id = 0;
    int rc = find_duplicate(db, khotin_article_url(a), hash, id);
    if (rc)
        return rc;
    if (*id)
        return KHOTIN_DUPLICATE;
    /* people and sources, denormalised for the full-text index */
    kh_buf people, sources;
    kh_buf_init(&people);
    kh_buf_init(&sources);
    for (size_t i = 0; i < khotin_article_person_count(a); i++) {
        if (i)
            kh_buf_puts(&people, "; ");
        kh_buf_puts(&people, khotin_article_person(a, i)->name);
    }
    kh_buf_puts(&sources, khotin_article_publisher(a));
    for (size_t i = 0; i < khotin_article_agency_count(a); i++) {
        if (sources.len)
            kh_buf_puts(&sources, "; ");
        kh_buf_puts(&sources, khotin_article_agency(a, i));
    }
    if (khotin_article_author(a)[0]) {
        if (sources.len)
            kh_buf_puts(&sources, "; ");
        kh_buf_puts(&sources, khotin_article_author(a));
    }
    if (people.oom || sources.oom) {
        kh_buf_free(&people);
        kh_buf_free(&sources);
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    }
    sqlite3_stmt *st;
    rc = kh_stmt(db, KH_ST_INSERT,
                 "INSERT INTO articles(headline, lead, body, people, pub_date, "
                 "date_precision, publisher, url, content_hash, source_path, "
                 "author, sources) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                 "?11, ?12)", &st);
    if (rc) {
        kh_buf_free(&people);
        kh_buf_free(&sources);
        return rc;
    }
    bind_text(st, 1, khotin_article_headline(a));
    bind_text(st, 2, khotin_article_lead(a));
    bind_text(st, 3, khotin_article_body(a));
    bind_text(st, 4, kh_buf_cstr(&people));
    if (*khotin_article_date(a))
        bind_text(st, 5, khotin_article_date(a));
    bind_text(st, 6, khotin_date_precision_name(khotin_article_date_precision(a)));
    bind_text(st, 7, khotin_article_publisher(a));
    if (*khotin_article_url(a))
        bind_text(st, 8, khotin_article_url(a));
    bind_text(st, 9, hash);
    bind_text(st, 10, source_path);
    bind_text(st, 11, khotin_article_author(a));
    bind_text(st, 12, kh_buf_cstr(&sources));
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        kh_buf_free(&people);
        kh_buf_free(&sources);
        return kh_db_error(db->db, rc, "storing an article");
    }
    *id = sqlite3_last_insert_rowid(db->db);
    /* the full-text index, in the same transaction */
    rc = kh_stmt(db, KH_ST_INSERT_FTS,
                 "INSERT INTO articles_fts(rowid, headline, lead, body, people, "
                 "sources) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st);
    if (rc) {
        kh_buf_free(&people);
        kh_buf_free(&sources);
        return rc;
    }
    sqlite3_bind_int64(st, 1, *id);
    bind_text(st, 2, khotin_article_headline(a));
    bind_text(st, 3, khotin_article_lead(a));
    bind_text(st, 4, khotin_article_body(a));
    bind_text(st, 5, kh_buf_cstr(&people));
    bind_text(st, 6, kh_buf_cstr(&sources));
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    kh_buf_free(&people);
    kh_buf_free(&sources);
    if (rc != SQLITE_DONE)
        return kh_db_error(db->db, rc, "indexing an article");
    rc = store_links(db, *id, a);
    return rc ? rc : KHOTIN_IMPORTED;
}
