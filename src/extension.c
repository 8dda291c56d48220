/* extension.c - khotin as an SQLite loadable extension.
 *
 * Built from the same sources as libkhotin (text.c, tokenizer.c, error.c,
 * read.c) into khotin_ext.so, so that the sqlite3 shell can open an archive:
 *
 *   sqlite3 khotin.db
 *   sqlite> .load ./build/khotin_ext
 *   sqlite> SELECT headline FROM articles_fts WHERE articles_fts MATCH 'dang';
 *   sqlite> SELECT vn_fold('Đặng');                  -- dang
 *   sqlite> SELECT name FROM people ORDER BY name COLLATE vi;
 *
 * The entry point is sqlite3_khotinext_init, the name SQLite derives from
 * the file name khotin_ext. It registers the "khotin" FTS5 tokenizer, vn_fold() and the collations
 * vi (Vietnamese order) and vn_nocase (accent- and case-insensitive).
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "internal.h"

#ifdef _WIN32
__declspec(dllexport)
#endif
__attribute__((visibility("default")))
int sqlite3_khotinext_init(sqlite3 *db, char **errmsg,
                        const sqlite3_api_routines *api)
{
    SQLITE_EXTENSION_INIT2(api);
    if (kh_register_sqlite(db) != KHOTIN_OK) {
        *errmsg = sqlite3_mprintf("khotin: %s", khotin_last_error());
        return SQLITE_ERROR;
    }
    return SQLITE_OK;
}
