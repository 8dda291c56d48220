/* store.h - internal interface of the store stage (store.c, import.c) and
 * the query stage (query.c), which share the connection handle. */
#ifndef KHOTIN_STORE_H
#define KHOTIN_STORE_H

#include "internal.h"

enum kh_stmt_slot {
    KH_ST_COUNT,
    KH_ST_GET,
    KH_ST_GET_AGENCIES,
    KH_ST_GET_PEOPLE,
    KH_ST_DUP,
    KH_ST_INSERT,
    KH_ST_INSERT_FTS,
    KH_ST_AGENCY_FIND,
    KH_ST_AGENCY_INS,
    KH_ST_AGENCY_LINK,
    KH_ST_PERSON_FIND,
    KH_ST_PERSON_INS,
    KH_ST_PERSON_LINK,
    KH_ST_EVENT_INS,
    KH_ST_GET_EVENTS,
    KH_STMT_COUNT
};

struct khotin_db {
    sqlite3 *db;
    char *path;
    int readonly;
    int version;
    int upgraded_from;  /* schema version before this open's migrations, 0: none */
    char *backup_path;  /* copy made before migrating, or NULL */
    sqlite3_stmt *stmts[KH_STMT_COUNT];
};

typedef struct kh_migration {
    int version;
    const char *name;
    const char *sql;
} kh_migration;

/* Generated at build time from schema/NNN_*.sql (schema_sql.c). */
extern const kh_migration kh_migrations[];
extern const size_t kh_migration_count;

int kh_db_error(sqlite3 *db, int rc, const char *what);
int kh_exec(khotin_db *db, const char *sql, const char *what);
int kh_stmt(khotin_db *db, int slot, const char *sql, sqlite3_stmt **out);
/* Content hash of an article (see store.c), 32 hex digits + NUL. */
int kh_content_hash(const khotin_article *a, char out[33]);
/* Store one parsed article inside the caller's transaction. Returns
 * KHOTIN_IMPORTED or KHOTIN_DUPLICATE (>= 0), or a negative status. */
int kh_store_article(khotin_db *db, const khotin_article *a,
                     const char *hash, const char *source_path, int64_t *id);

/* maintain.c: copy an open database to a new file (online backup API). */
int kh_backup_to(sqlite3 *src, const char *path);

/* query_people.c: ids of the people a typed name refers to (see there). */
int kh_people_match(khotin_db *db, const char *name, int64_t **ids, size_t *n);

#endif
