/* tokenizer.c - khotin's SQLite glue for the text stage: the FTS5 tokenizer
 * "khotin" and the SQL function vn_fold().
 *
 * Index side: every word is stored twice at one position (FTS5 colocated
 * tokens): its folded form ("dang") and, marked with KH_EXACT_MARK, its exact
 * form (lower case, NFC, tone-normalised: "\x01đặng"). Folded forms are what
 * unaccented queries match; exact forms let an accented query match only that
 * spelling and let exact hits rank first.
 *
 * Query side: a word preceded by KH_EXACT_MARK is looked up in its exact
 * form, any other word in its folded form. So a raw MATCH 'dang' in the
 * sqlite3 shell (with the extension loaded) finds "Đặng".
 *
 * Offsets passed to FTS5 are byte offsets into the original text, so
 * highlight() and snippet() never cut a character.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>

#if defined(KHOTIN_EXTENSION)
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#endif

typedef struct tok_ctx {
    void *fts_ctx;
    int (*xToken)(void *, int, const char *, int, int, int);
    int query;
    const char *text;
    kh_buf tmp;
    int rc;
} tok_ctx;

/* Hand FTS5 the exact form with its marker; short forms use the stack. */
static int emit_exact(tok_ctx *c, int flags, const char *exact, size_t len,
                      int s, int e)
{
    char small[128];
    char *buf = small;
    if (len + 1 > sizeof small) {
        kh_buf_reset(&c->tmp);
        if (kh_buf_append(&c->tmp, KH_EXACT_MARK, 1) ||
            kh_buf_append(&c->tmp, exact, len))
            return SQLITE_NOMEM;
        buf = c->tmp.data;
    } else {
        small[0] = KH_EXACT_MARK[0];
        memcpy(small + 1, exact, len);
    }
    return c->xToken(c->fts_ctx, flags, buf, (int)len + 1, s, e);
}

static int emit(void *vctx, const char *exact, size_t exact_len,
                const char *folded, size_t folded_len, size_t start, size_t end)
{
    tok_ctx *c = vctx;
    int s = (int)start, e = (int)end;
    if (c->query) {
        int marked = start > 0 && c->text[start - 1] == KH_EXACT_MARK[0];
        if (!marked)
            return c->xToken(c->fts_ctx, 0, folded, (int)folded_len, s, e);
        return emit_exact(c, 0, exact, exact_len, s, e);
    }
    int rc = c->xToken(c->fts_ctx, 0, folded, (int)folded_len, s, e);
    if (rc != SQLITE_OK)
        return rc;
    return emit_exact(c, FTS5_TOKEN_COLOCATED, exact, exact_len, s, e);
}

static int tok_create(void *unused, const char **argv, int argc,
                      Fts5Tokenizer **out)
{
    (void)unused;
    (void)argv;
    if (argc > 0)
        return SQLITE_ERROR; /* no options yet */
    static int dummy;
    *out = (Fts5Tokenizer *)&dummy;
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t) { (void)t; }

static int tok_tokenize(Fts5Tokenizer *t, void *fts_ctx, int flags,
                        const char *text, int len,
                        int (*xToken)(void *, int, const char *, int, int, int))
{
    (void)t;
    tok_ctx c = {fts_ctx, xToken, (flags & FTS5_TOKENIZE_QUERY) != 0, text,
                 {0}, 0};
    kh_buf_init(&c.tmp);
    int rc = len > 0 ? kh_words(text, (size_t)len, emit, &c) : 0;
    kh_buf_free(&c.tmp);
    if (rc == KHOTIN_ENOMEM)
        return SQLITE_NOMEM;
    return rc; /* SQLITE_OK or the error a callback returned */
}

static void fold_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    if (!s) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    char *out = NULL;
    int rc = khotin_text_normalize(s, (size_t)n, KHOTIN_TEXT_FOLD, &out);
    if (rc == KHOTIN_ENOMEM) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (rc) { /* invalid UTF-8: return the input unchanged */
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    sqlite3_result_text(ctx, out, -1, free);
}

static fts5_api *get_fts5(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

/* ICU collations. "vi": Vietnamese alphabet order (a ă â b c d đ e ê ...),
 * for sorting. "vn_nocase": root locale at primary strength, for
 * accent- and case-insensitive equality of names ("Đặng" = "dang"). */
static int collate(void *coll, int na, const void *a, int nb, const void *b)
{
    UErrorCode err = U_ZERO_ERROR;
    UCollationResult r = ucol_strcollUTF8((UCollator *)coll, a, na, b, nb, &err);
    if (U_FAILURE(err)) { /* invalid UTF-8: fall back to bytes */
        int n = na < nb ? na : nb;
        int c = memcmp(a, b, (size_t)n);
        return c ? c : na - nb;
    }
    return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}

static void collator_free(void *coll) { ucol_close((UCollator *)coll); }

static int add_collation(sqlite3 *db, const char *name, const char *locale,
                         UColAttributeValue strength)
{
    UErrorCode err = U_ZERO_ERROR;
    UCollator *c = ucol_open(locale, &err);
    if (U_FAILURE(err) || err == U_USING_DEFAULT_WARNING ||
        (err == U_USING_FALLBACK_WARNING && strcmp(locale, "") != 0 &&
         strcmp(locale, "vi") != 0)) {
        if (c)
            ucol_close(c);
        return kh_error(KHOTIN_EDB, "ICU has no collation for locale '%s' (%s)",
                        locale, u_errorName(err));
    }
    ucol_setStrength(c, strength);
    if (sqlite3_create_collation_v2(db, name, SQLITE_UTF8, c, collate,
                                    collator_free) != SQLITE_OK) {
        ucol_close(c);
        return kh_error(KHOTIN_EDB, "cannot register collation %s", name);
    }
    return KHOTIN_OK;
}

int kh_register_sqlite(sqlite3 *db)
{
    fts5_api *api = get_fts5(db);
    if (!api)
        return kh_error(KHOTIN_EDB, "this SQLite has no FTS5: install a "
                                    "SQLite built with FTS5 (Debian's libsqlite3 has it)");
    fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
    if (api->xCreateTokenizer(api, "khotin", NULL, &tok, NULL) != SQLITE_OK)
        return kh_error(KHOTIN_EDB, "cannot register the khotin tokenizer");
    if (sqlite3_create_function(db, "vn_fold", 1,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC |
                                    SQLITE_INNOCUOUS,
                                NULL, fold_fn, NULL, NULL) != SQLITE_OK)
        return kh_error(KHOTIN_EDB, "cannot register vn_fold(): %s",
                        sqlite3_errmsg(db));
    int rc = add_collation(db, "vi", "vi", UCOL_TERTIARY);
    if (rc == 0)
        rc = add_collation(db, "vn_nocase", "", UCOL_PRIMARY);
    return rc;
}
