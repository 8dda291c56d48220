/* query.c - the "query" stage: khotin's query language -> FTS5 + SQL.
 *
 * The user's text is parsed by query_parse.c; nothing the user typed ever
 * reaches MATCH raw. Each typed word goes through the same tokenizer as the
 * index (text.c): a word typed without diacritics matches every accented
 * form (its folded token), a word typed with diacritics matches that exact
 * word (its KH_EXACT_MARK token), and --fold makes every word insensitive.
 *
 * Ranking is bm25 (weights set in the schema: headline > people > lead >
 * body). Two boosts that never change which articles match:
 *  - an unaccented word also asks for its exact unaccented form, so "ma"
 *    ranks articles with "ma" above those with only "má";
 *  - consecutive unquoted words also ask for the phrase, so "an ninh mang"
 *    ranks the words adjacent and in order above scattered ones.
 */
#include "query_parse.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

typedef struct hit_rec {
    khotin_hit pub;
    char *strs[7];
} hit_rec;

struct khotin_results {
    hit_rec *v;
    size_t n, cap;
    int64_t total;
    char warning[160];
};

/* ---- building the FTS5 expression ---- */

typedef struct tokens_ctx {
    kh_buf *out;       /* phrase text being built */
    const char *word;  /* the word as typed */
    int fold;          /* force insensitive */
    size_t count;
    char first_folded[256];
} tokens_ctx;

static int add_token(void *vctx, const char *exact, size_t exact_len,
                     const char *folded, size_t folded_len, size_t start,
                     size_t end)
{
    tokens_ctx *c = vctx;
    if (c->count++)
        kh_buf_putc(c->out, ' ');
    if (!c->fold && kh_has_diacritics(c->word + start, end - start)) {
        kh_buf_puts(c->out, KH_EXACT_MARK);
        kh_buf_append(c->out, exact, exact_len);
    } else {
        kh_buf_append(c->out, folded, folded_len);
        if (c->count == 1 && folded_len < sizeof c->first_folded) {
            memcpy(c->first_folded, folded, folded_len);
            c->first_folded[folded_len] = '\0';
        }
    }
    return c->out->oom ? KHOTIN_ENOMEM : 0;
}

/* Append the tokens of the alt's words, space-separated (no quotes).
 * Returns the number of tokens, or a negative status. */
static long alt_tokens(const kq_alt *alt, int fold, kh_buf *out,
                       char *single_folded, size_t sfn)
{
    long total = 0;
    for (size_t w = 0; w < alt->nwords; w++) {
        tokens_ctx c = {out, alt->words[w], fold, 0, ""};
        if (total)
            kh_buf_putc(out, ' ');
        size_t before = out->len;
        int rc = kh_words(alt->words[w], strlen(alt->words[w]), add_token, &c);
        if (rc)
            return KHOTIN_ENOMEM;
        if (c.count == 0 && total) /* remove the separator we added */
            out->len = before - 1, out->data[out->len] = '\0';
        if (total == 0 && c.count == 1 && single_folded)
            snprintf(single_folded, sfn, "%s", c.first_folded);
        total += (long)c.count;
    }
    return total;
}

/* One clause as an FTS5 expression into out. Returns 1 when something was
 * written, 0 when the clause has no searchable word. */
static int clause_expr(const kq_clause *cl, int fold, kh_buf *out,
                       kh_buf *phrase_words, int *plain_single)
{
    int written = 0;
    kh_buf alt;
    kh_buf_init(&alt);
    *plain_single = 0;
    for (size_t i = 0; i < cl->nalts; i++) {
        const kq_alt *a = &cl->alts[i];
        kh_buf_reset(&alt);
        char single[256] = "";
        long n = alt_tokens(a, fold, &alt, single, sizeof single);
        if (n < 0) {
            kh_buf_free(&alt);
            return KHOTIN_ENOMEM;
        }
        if (n == 0)
            continue;
        kh_buf_puts(out, written ? " OR " : "(");
        /* exact-first boost for a single unaccented word */
        int boost = !fold && n == 1 && single[0] && !a->prefix && cl->nalts == 1 &&
                    !cl->negated;
        if (boost)
            kh_buf_printf(out, "(\"%s\" OR \"" KH_EXACT_MARK "%s\")", single, single);
        else
            kh_buf_printf(out, "\"%s\"%s", kh_buf_cstr(&alt), a->prefix ? " *" : "");
        if (cl->nalts == 1 && !a->quoted && !a->prefix && !cl->negated && n >= 1) {
            *plain_single = 1;
            if (phrase_words->len)
                kh_buf_putc(phrase_words, ' ');
            kh_buf_append(phrase_words, alt.data, alt.len);
        }
        written = 1;
    }
    if (written)
        kh_buf_putc(out, ')');
    kh_buf_free(&alt);
    if (out->oom || phrase_words->oom)
        return KHOTIN_ENOMEM;
    return written;
}

/* Close a run of plain consecutive words: "(phrase OR first-word)" matches
 * whatever the AND of the words matches and ranks adjacent words higher. */
static void flush_run(kh_buf *boosts, kh_buf *run, size_t *run_clauses)
{
    if (*run_clauses >= 2) {
        const char *r = kh_buf_cstr(run);
        int first = (int)strcspn(r, " ");
        kh_buf_printf(boosts, " AND (\"%s\" OR \"%.*s\")", r, first, r);
    }
    kh_buf_reset(run);
    *run_clauses = 0;
}

/* Build the full MATCH expression: positives AND'ed, the boosts, then NOT
 * each negative. Empty when there is no positive word. */
static int build_match(const kq_query *q, int fold, kh_buf *out)
{
    kh_buf pos, neg, run, boosts, tmp;
    kh_buf_init(&pos);
    kh_buf_init(&neg);
    kh_buf_init(&run);
    kh_buf_init(&boosts);
    kh_buf_init(&tmp);
    int rc = 0, npos = 0;
    size_t run_clauses = 0;
    for (size_t i = 0; i < q->nclauses && rc >= 0; i++) {
        const kq_clause *cl = &q->clauses[i];
        int plain = 0;
        kh_buf_reset(&tmp);
        rc = clause_expr(cl, fold, &tmp, &run, &plain);
        if (rc <= 0)
            continue;
        if (cl->negated) {
            kh_buf_puts(&neg, " NOT ");
            kh_buf_append(&neg, tmp.data, tmp.len);
            continue;
        }
        if (npos++)
            kh_buf_puts(&pos, " AND ");
        kh_buf_append(&pos, tmp.data, tmp.len);
        if (plain)
            run_clauses++;
        else
            flush_run(&boosts, &run, &run_clauses);
    }
    flush_run(&boosts, &run, &run_clauses);
    if (rc >= 0) {
        rc = 0;
        if (npos) {
            kh_buf_printf(out, "(%s)", kh_buf_cstr(&pos));
            kh_buf_append(out, boosts.data ? boosts.data : "", boosts.len);
            kh_buf_append(out, neg.data ? neg.data : "", neg.len);
        }
    }
    int oom = pos.oom || neg.oom || run.oom || boosts.oom || tmp.oom || out->oom;
    kh_buf_free(&pos);
    kh_buf_free(&neg);
    kh_buf_free(&run);
    kh_buf_free(&boosts);
    kh_buf_free(&tmp);
    return oom ? KHOTIN_ENOMEM : rc;
}

/* ---- results ---- */

void khotin_results_free(khotin_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        for (size_t k = 0; k < 7; k++)
            free(r->v[i].strs[k]);
    free(r->v);
    free(r);
}

size_t khotin_results_count(const khotin_results *r) { return r->n; }
const khotin_hit *khotin_results_get(const khotin_results *r, size_t i)
{
    return i < r->n ? &r->v[i].pub : NULL;
}
int64_t khotin_results_total(const khotin_results *r) { return r->total; }
const char *khotin_results_warning(const khotin_results *r) { return r->warning; }

static int add_hit(khotin_results *r, sqlite3_stmt *st)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        hit_rec *p = realloc(r->v, cap * sizeof *p);
        if (!p)
            return KHOTIN_ENOMEM;
        r->v = p;
        r->cap = cap;
    }
    hit_rec *h = &r->v[r->n];
    memset(h, 0, sizeof *h);
    /* columns: id, date, precision, headline, publisher, url, people, snippet, score */
    static const int cols[7] = {1, 3, 4, 5, 6, 7, 2};
    for (size_t k = 0; k < 7; k++) {
        const char *s = (const char *)sqlite3_column_text(st, cols[k]);
        h->strs[k] = kh_strdup(s ? s : "");
        if (!h->strs[k]) {
            for (size_t j = 0; j < k; j++)
                free(h->strs[j]);
            return KHOTIN_ENOMEM;
        }
    }
    for (char *c = h->strs[5]; *c; c++) /* snippets are one line */
        if (*c == '\n' || *c == '\r' || *c == '\t')
            *c = ' ';
    h->pub.id = sqlite3_column_int64(st, 0);
    h->pub.date = h->strs[0];
    h->pub.headline = h->strs[1];
    h->pub.publisher = h->strs[2];
    h->pub.url = h->strs[3];
    h->pub.people = h->strs[4];
    h->pub.snippet = h->strs[5];
    h->pub.score = sqlite3_column_double(st, 8);
    h->pub.date_precision = KHOTIN_DATE_NONE;
    for (int p = KHOTIN_DATE_NONE; p <= KHOTIN_DATE_TIME; p++)
        if (strcmp(h->strs[6], khotin_date_precision_name(p)) == 0)
            h->pub.date_precision = p;
    r->n++;
    return 0;
}

/* ---- SQL ---- */

/* The people each person: filter names (resolved before the SQL is built,
 * so person: matches exactly like `khotin people`). */
typedef struct person_ids {
    int64_t *ids;
    size_t n;
} person_ids;

static void add_filters(kh_buf *sql, const kq_query *q, const person_ids *pids,
                        int *param)
{
    for (size_t i = 0; i < q->npersons; i++) {
        kh_buf_puts(sql, " AND a.id IN (SELECT article_id FROM article_people "
                         "WHERE person_id IN (");
        for (size_t k = 0; k < pids[i].n; k++)
            kh_buf_printf(sql, "%s?%d", k ? "," : "", ++*param);
        kh_buf_puts(sql, "))");
    }
    for (size_t i = 0; i < q->nsources; i++) {
        ++*param;
        /* publisher or agency, equal under vn_nocase (both indexed) */
        kh_buf_printf(sql,
                      " AND (a.publisher = ?%d OR a.id IN (SELECT aa.article_id "
                      "FROM article_agencies aa JOIN agencies g ON g.id = "
                      "aa.agency_id WHERE g.name = ?%d))",
                      *param, *param);
    }
    if (q->from[0])
        kh_buf_printf(sql, " AND a.pub_date GLOB '[0-9]*' AND "
                           "substr(a.pub_date, 1, 10) >= ?%d", ++*param);
    if (q->to[0])
        kh_buf_printf(sql, " AND a.pub_date GLOB '[0-9]*' AND "
                           "substr(a.pub_date, 1, 10) <= ?%d", ++*param);
}

static int bind_filters(sqlite3_stmt *st, const kq_query *q, const person_ids *pids,
                        int param)
{
    int rc = SQLITE_OK;
    for (size_t i = 0; i < q->npersons && rc == SQLITE_OK; i++)
        for (size_t k = 0; k < pids[i].n && rc == SQLITE_OK; k++)
            rc = sqlite3_bind_int64(st, ++param, pids[i].ids[k]);
    for (size_t i = 0; i < q->nsources && rc == SQLITE_OK; i++)
        rc = sqlite3_bind_text(st, ++param, q->sources[i], -1, SQLITE_STATIC);
    if (q->from[0] && rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, ++param, q->from, -1, SQLITE_STATIC);
    if (q->to[0] && rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, ++param, q->to, -1, SQLITE_STATIC);
    return rc;
}

static const char *order_by(khotin_sort sort, int fts)
{
    switch (sort) {
    case KHOTIN_SORT_DATE:
        return fts ? " ORDER BY (a.pub_date GLOB '[0-9]*') DESC, a.pub_date DESC, rank"
                   : " ORDER BY (a.pub_date GLOB '[0-9]*') DESC, a.pub_date DESC, a.id";
    case KHOTIN_SORT_HEADLINE:
        return " ORDER BY a.headline COLLATE vi, a.id";
    default:
        return fts ? " ORDER BY rank" : " ORDER BY (a.pub_date GLOB '[0-9]*') DESC, a.pub_date DESC, a.id";
    }
}

/* Run the select (with limit/offset) and the count. */
static int run(khotin_db *db, const kq_query *q, const person_ids *pids,
               const char *match, const khotin_search_opts *o, khotin_results *r)
{
    int fts = match[0] != '\0';
    kh_buf from, sql;
    kh_buf_init(&from);
    kh_buf_init(&sql);
    int param = 0;
    if (fts)
        kh_buf_puts(&from, " FROM articles_fts JOIN articles a ON a.id = "
                           "articles_fts.rowid WHERE articles_fts MATCH ?1");
    else
        kh_buf_puts(&from, " FROM articles a WHERE 1");
    if (fts)
        param = 1;
    add_filters(&from, q, pids, &param);
    int first_filter = fts ? 1 : 0;
    kh_buf_puts(&sql, "SELECT a.id, coalesce(a.pub_date, ''), a.date_precision, "
                      "a.headline, a.publisher, coalesce(a.url, ''), a.people, ");
    if (fts)
        kh_buf_printf(&sql, "snippet(articles_fts, -1, ?%d, ?%d, '…', 16), rank",
                      param + 1, param + 2);
    else
        kh_buf_puts(&sql, "substr(a.lead, 1, 200), 0.0");
    kh_buf_append(&sql, from.data, from.len);
    kh_buf_puts(&sql, order_by(o->sort, fts));
    kh_buf_printf(&sql, " LIMIT %d OFFSET %d", o->limit, o->offset);
    int status = 0;
    if (sql.oom || from.oom) {
        status = kh_error(KHOTIN_ENOMEM, "out of memory");
        goto done;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->db, sql.data, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        status = kh_db_error(db->db, rc, "preparing the search");
        goto done;
    }
    if (fts)
        rc = sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = bind_filters(st, q, pids, first_filter);
    if (rc == SQLITE_OK && fts) {
        rc = sqlite3_bind_text(st, param + 1, o->mark_open, -1, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_text(st, param + 2, o->mark_close, -1, SQLITE_STATIC);
    }
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (add_hit(r, st)) {
            rc = SQLITE_NOMEM;
            break;
        }
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        status = (rc & 0xff) == SQLITE_ERROR
                     ? kh_error(KHOTIN_EQUERY, "this query could not be run; "
                                               "simplify it (and please report it)")
                     : kh_db_error(db->db, rc, "searching");
        goto done;
    }
    /* total */
    r->total = -1;
    if (!o->count_total)
        goto done;
    kh_buf_reset(&sql);
    kh_buf_puts(&sql, "SELECT count(*)");
    kh_buf_append(&sql, from.data, from.len);
    if (sql.oom) {
        status = kh_error(KHOTIN_ENOMEM, "out of memory");
        goto done;
    }
    rc = sqlite3_prepare_v2(db->db, sql.data, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        status = kh_db_error(db->db, rc, "counting matches");
        goto done;
    }
    if (fts)
        rc = sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = bind_filters(st, q, pids, first_filter);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        r->total = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        status = kh_db_error(db->db, rc, "counting matches");
done:
    kh_buf_free(&from);
    kh_buf_free(&sql);
    return status;
}

/* A query made ready to run: parsed, its MATCH expression built, its
 * person: filters resolved to people. */
typedef struct prepared {
    kq_query *q;
    kh_buf match;
    person_ids *pids;
    int nobody; /* a person: filter matches no one: no results */
} prepared;

static void prepared_free(prepared *p)
{
    for (size_t i = 0; p->pids && p->q && i < p->q->npersons; i++)
        free(p->pids[i].ids);
    free(p->pids);
    kh_buf_free(&p->match);
    kq_query_free(p->q);
    memset(p, 0, sizeof *p);
}

static int prepare(khotin_db *db, const char *query, int fold, prepared *p)
{
    memset(p, 0, sizeof *p);
    kh_buf_init(&p->match);
    char err[256];
    size_t pos = 0;
    int prc = kq_parse(query ? query : "", &p->q, err, sizeof err, &pos);
    if (prc == -2)
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    if (prc != 0)
        return kh_error(KHOTIN_EQUERY, "%s", err);
    if (build_match(p->q, fold, &p->match) < 0)
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    const kq_query *q = p->q;
    if (!p->match.len && !q->npersons && !q->nsources && !q->from[0] && !q->to[0])
        return kh_error(KHOTIN_EQUERY,
                        "nothing to search for: the query has no letters or "
                        "digits; type a word, a \"phrase\" or a filter such "
                        "as person:NAME");
    p->pids = calloc(q->npersons + 1, sizeof *p->pids);
    if (!p->pids)
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    for (size_t i = 0; i < q->npersons; i++) {
        int rc = kh_people_match(db, q->persons[i], &p->pids[i].ids, &p->pids[i].n);
        if (rc)
            return rc;
        if (p->pids[i].n == 0)
            p->nobody = 1;
    }
    return 0;
}

int khotin_search(khotin_db *db, const char *query,
                  const khotin_search_opts *opts, khotin_results **out)
{
    *out = NULL;
    kh_error_clear();
    khotin_search_opts o = {0};
    if (opts)
        o = *opts;
    if (o.limit <= 0)
        o.limit = 20;
    if (o.offset < 0)
        o.offset = 0;
    if (!o.mark_open)
        o.mark_open = "[";
    if (!o.mark_close)
        o.mark_close = "]";
    prepared p;
    int status = prepare(db, query, o.fold, &p);
    khotin_results *r = NULL;
    if (status == 0 && !(r = calloc(1, sizeof *r)))
        status = kh_error(KHOTIN_ENOMEM, "out of memory");
    if (status == 0) {
        snprintf(r->warning, sizeof r->warning, "%s", p.q->warning);
        r->total = o.count_total ? 0 : -1;
        if (!p.nobody)
            status = run(db, p.q, p.pids, kh_buf_cstr(&p.match), &o, r);
    }
    prepared_free(&p);
    if (status)
        khotin_results_free(r);
    else
        *out = r;
    return status;
}

/* ---- timeline ---- */

struct khotin_timeline {
    khotin_bucket *v;
    size_t n, cap;
    int64_t undated;
};

size_t khotin_timeline_count(const khotin_timeline *t) { return t->n; }
const khotin_bucket *khotin_timeline_get(const khotin_timeline *t, size_t i)
{
    return i < t->n ? &t->v[i] : NULL;
}
int64_t khotin_timeline_undated(const khotin_timeline *t) { return t->undated; }

void khotin_timeline_free(khotin_timeline *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free((char *)t->v[i].period);
    free(t->v);
    free(t);
}

static int timeline_run(khotin_db *db, const prepared *p, khotin_period by,
                        khotin_timeline *t)
{
    const char *match = kh_buf_cstr((kh_buf *)&p->match);
    int fts = match[0] != '\0';
    static const char *const period_sql[] = {
        "substr(a.pub_date, 1, 7)",
        "strftime('%Y-W%W', substr(a.pub_date, 1, 10))",
        "substr(a.pub_date, 1, 10)"};
    kh_buf sql;
    kh_buf_init(&sql);
    kh_buf_printf(&sql, "SELECT CASE WHEN a.pub_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' "
                        "THEN %s END AS period, count(*)",
                  period_sql[by >= KHOTIN_BY_MONTH && by <= KHOTIN_BY_DAY ? by : 0]);
    int param = fts ? 1 : 0;
    if (fts)
        kh_buf_puts(&sql, " FROM articles_fts JOIN articles a ON a.id = "
                          "articles_fts.rowid WHERE articles_fts MATCH ?1");
    else
        kh_buf_puts(&sql, " FROM articles a WHERE 1");
    add_filters(&sql, p->q, p->pids, &param);
    kh_buf_puts(&sql, " GROUP BY period ORDER BY period");
    if (sql.oom) {
        kh_buf_free(&sql);
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->db, sql.data, -1, &st, NULL);
    kh_buf_free(&sql);
    if (rc != SQLITE_OK)
        return kh_db_error(db->db, rc, "preparing the timeline");
    if (fts)
        rc = sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = bind_filters(st, p->q, p->pids, fts ? 1 : 0);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *period = (const char *)sqlite3_column_text(st, 0);
        int64_t count = sqlite3_column_int64(st, 1);
        if (!period) {
            t->undated += count;
            rc = SQLITE_OK;
            continue;
        }
        if (t->n == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 32;
            khotin_bucket *v = realloc(t->v, cap * sizeof *v);
            if (!v) {
                rc = SQLITE_NOMEM;
                break;
            }
            t->v = v;
            t->cap = cap;
        }
        t->v[t->n].period = kh_strdup(period);
        t->v[t->n].count = count;
        if (!t->v[t->n].period) {
            rc = SQLITE_NOMEM;
            break;
        }
        t->n++;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return 0;
    return (rc & 0xff) == SQLITE_ERROR
               ? kh_error(KHOTIN_EQUERY, "this query could not be run; simplify it")
               : kh_db_error(db->db, rc, "building the timeline");
}

int khotin_timeline_new(khotin_db *db, const char *query, khotin_period by,
                        int fold, khotin_timeline **out)
{
    *out = NULL;
    kh_error_clear();
    prepared p;
    int status = prepare(db, query, fold, &p);
    khotin_timeline *t = NULL;
    if (status == 0 && !(t = calloc(1, sizeof *t)))
        status = kh_error(KHOTIN_ENOMEM, "out of memory");
    if (status == 0 && !p.nobody)
        status = timeline_run(db, &p, by, t);
    prepared_free(&p);
    if (status)
        khotin_timeline_free(t);
    else
        *out = t;
    return status;
}

/* Exposed for tests: the FTS5 expression khotin builds for a query. */
int kh_query_expression(const char *query, int fold, char **out)
{
    *out = NULL;
    kq_query *q = NULL;
    char err[256];
    size_t pos;
    int prc = kq_parse(query, &q, err, sizeof err, &pos);
    if (prc)
        return prc == -2 ? KHOTIN_ENOMEM : kh_error(KHOTIN_EQUERY, "%s", err);
    kh_buf b;
    kh_buf_init(&b);
    int rc = build_match(q, fold, &b);
    kq_query_free(q);
    if (rc < 0) {
        kh_buf_free(&b);
        return KHOTIN_ENOMEM;
    }
    *out = kh_buf_take(&b);
    return *out ? 0 : KHOTIN_ENOMEM;
}
