/* query_people.c - the query stage for people: find a person by name the
 * way users type it, list people with their roles and counts, and list
 * what a person said.
 *
 * A name matches a person when, folded (no diacritics, đ -> d, any case,
 * any tone placement), it equals the person's name, or its words are whole
 * words of the name in order ("bossert", "xuan phuc"), or it is one edit
 * away from the name or from one of its words of five letters or more
 * ("kratskikh" finds Krutskikh). Exact matches win: the looser rules are
 * tried only when nothing matches more strictly.
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>

/* ---- matching ---- */

/* Are the words of q whole consecutive words of key? (both folded) */
static int words_within(const char *q, const char *key)
{
    size_t n = strlen(q);
    for (const char *p = key; (p = strstr(p, q)) != NULL; p++) {
        int start_ok = p == key || p[-1] == ' ';
        int end_ok = p[n] == '\0' || p[n] == ' ';
        if (start_ok && end_ok)
            return 1;
    }
    return 0;
}

/* 3 equal, 2 words within, 1 one typo away, 0 no match. */
static int match_level(const char *q, const char *key)
{
    if (strcmp(q, key) == 0)
        return 3;
    if (words_within(q, key))
        return 2;
    if (kh_within_one_edit(q, key))
        return 1;
    if (!strchr(q, ' ') && strlen(q) >= 5) {
        const char *p = key;
        while (*p) {
            size_t n = strcspn(p, " ");
            char w[128];
            if (n < sizeof w) {
                memcpy(w, p, n);
                w[n] = '\0';
                if (n >= 5 && kh_within_one_edit(q, w))
                    return 1;
            }
            p += n;
            while (*p == ' ')
                p++;
        }
    }
    return 0;
}

/* Collapse runs of spaces and trim, in place. */
static void squeeze(char *s)
{
    char *w = s;
    int space = 1;
    for (char *r = s; *r; r++) {
        if (*r == ' ' || *r == '\t' || *r == '\n') {
            if (!space)
                *w++ = ' ';
            space = 1;
        } else {
            *w++ = *r;
            space = 0;
        }
    }
    if (w > s && w[-1] == ' ')
        w--;
    *w = '\0';
}

int kh_people_match(khotin_db *db, const char *name, int64_t **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    char *q = khotin_text_fold(name);
    if (!q)
        return kh_error(KHOTIN_EQUERY, "the name \"%s\" is not valid UTF-8", name);
    squeeze(q);
    if (!*q) {
        free(q);
        return kh_error(KHOTIN_EQUERY, "an empty name: type a name, e.g. \"nguyen xuan phuc\"");
    }
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db->db, "SELECT id, name_key FROM people", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        free(q);
        return kh_db_error(db->db, rc, "looking up people");
    }
    int best = 0;
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(st, 1);
        int level = key ? match_level(q, key) : 0;
        if (level == 0 || level < best)
            continue;
        if (level > best) {
            best = level;
            *n = 0;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            int64_t *p = realloc(*ids, cap * sizeof *p);
            if (!p) {
                rc = SQLITE_NOMEM;
                break;
            }
            *ids = p;
        }
        (*ids)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    free(q);
    if (rc != SQLITE_DONE) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        return kh_db_error(db->db, rc, "looking up people");
    }
    return 0;
}

/* ---- lists ---- */

/* "?1,?2,...,?n": one parameter per person id ("NULL" when there are none,
 * so that "IN (...)" stays valid and matches nothing). */
static void put_id_params(kh_buf *sql, size_t n)
{
    if (!n)
        kh_buf_puts(sql, "NULL");
    for (size_t i = 0; i < n; i++)
        kh_buf_printf(sql, "%s?%zu", i ? "," : "", i + 1);
}

static int bind_ids(sqlite3_stmt *st, const int64_t *ids, size_t n)
{
    int rc = SQLITE_OK;
    for (size_t i = 0; rc == SQLITE_OK && i < n; i++)
        rc = sqlite3_bind_int64(st, (int)i + 1, ids[i]);
    return rc;
}

struct khotin_people_list {
    khotin_person_info *v;
    size_t n;
};

struct khotin_quotes_list {
    khotin_quote_info *v;
    size_t n;
};

static char *dup_col(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return kh_strdup(s ? s : "");
}

void khotin_people_free(khotin_people_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free((char *)l->v[i].name);
        free((char *)l->v[i].roles);
        free((char *)l->v[i].first_date);
        free((char *)l->v[i].last_date);
    }
    free(l->v);
    free(l);
}

size_t khotin_people_count(const khotin_people_list *l) { return l->n; }
const khotin_person_info *khotin_people_get(const khotin_people_list *l, size_t i)
{
    return i < l->n ? &l->v[i] : NULL;
}

/* Per person: name, distinct roles, articles, articles quoting them, and
 * the first and last known publication dates (full dates only). */
static const char *people_sql =
    "SELECT p.id, p.name, "
    " (SELECT group_concat(role, '; ') FROM (SELECT DISTINCT role FROM article_people "
    "   WHERE person_id = p.id AND role <> '')), "
    " count(*), sum(ap.quoted), "
    " min(CASE WHEN a.pub_date GLOB '[0-9]*' THEN substr(a.pub_date, 1, 10) END), "
    " max(CASE WHEN a.pub_date GLOB '[0-9]*' THEN substr(a.pub_date, 1, 10) END) "
    "FROM people p JOIN article_people ap ON ap.person_id = p.id "
    "JOIN articles a ON a.id = ap.article_id ";

int khotin_people(khotin_db *db, const char *name, int limit,
                  khotin_people_list **out)
{
    *out = NULL;
    kh_error_clear();
    int64_t *ids = NULL;
    size_t nids = 0;
    if (name && *name) {
        int rc = kh_people_match(db, name, &ids, &nids);
        if (rc)
            return rc;
    }
    khotin_people_list *l = calloc(1, sizeof *l);
    if (!l) {
        free(ids);
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    }
    if (name && *name && nids == 0) {
        free(ids);
        *out = l;
        return 0;
    }
    kh_buf sql;
    kh_buf_init(&sql);
    kh_buf_puts(&sql, people_sql);
    if (nids) {
        /* ids are numbers from the archive, bound one by one */
        kh_buf_puts(&sql, "WHERE p.id IN (");
        put_id_params(&sql, nids);
        kh_buf_puts(&sql, ") ");
    }
    kh_buf_printf(&sql, "GROUP BY p.id ORDER BY sum(ap.quoted) DESC, count(*) DESC, "
                        "p.name COLLATE vi LIMIT %d", limit > 0 ? limit : 50);
    sqlite3_stmt *st = NULL;
    int rc = sql.oom ? SQLITE_NOMEM : sqlite3_prepare_v2(db->db, sql.data, -1, &st, NULL);
    kh_buf_free(&sql);
    if (rc == SQLITE_OK)
        rc = bind_ids(st, ids, nids);
    free(ids);
    size_t cap = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (l->n == cap) {
            cap = cap ? cap * 2 : 16;
            khotin_person_info *p = realloc(l->v, cap * sizeof *p);
            if (!p) {
                rc = SQLITE_NOMEM;
                break;
            }
            l->v = p;
        }
        khotin_person_info *p = &l->v[l->n];
        p->id = sqlite3_column_int64(st, 0);
        p->name = dup_col(st, 1);
        p->roles = dup_col(st, 2);
        p->articles = sqlite3_column_int64(st, 3);
        p->quoted_articles = sqlite3_column_int64(st, 4);
        p->first_date = dup_col(st, 5);
        p->last_date = dup_col(st, 6);
        l->n++;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        khotin_people_free(l);
        return kh_db_error(db->db, rc, "listing people");
    }
    *out = l;
    return 0;
}

void khotin_quotes_free(khotin_quotes_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free((char *)l->v[i].person);
        free((char *)l->v[i].role);
        free((char *)l->v[i].quote);
        free((char *)l->v[i].date);
        free((char *)l->v[i].headline);
        free((char *)l->v[i].publisher);
        free((char *)l->v[i].url);
    }
    free(l->v);
    free(l);
}

size_t khotin_quotes_count(const khotin_quotes_list *l) { return l->n; }
const khotin_quote_info *khotin_quotes_get(const khotin_quotes_list *l, size_t i)
{
    return i < l->n ? &l->v[i] : NULL;
}

int khotin_quotes(khotin_db *db, const char *name, int limit,
                  khotin_quotes_list **out)
{
    *out = NULL;
    kh_error_clear();
    int64_t *ids = NULL;
    size_t nids = 0;
    int rc = kh_people_match(db, name ? name : "", &ids, &nids);
    if (rc)
        return rc;
    khotin_quotes_list *l = calloc(1, sizeof *l);
    if (!l) {
        free(ids);
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    }
    kh_buf sql;
    kh_buf_init(&sql);
    kh_buf_puts(&sql, "SELECT a.id, p.name, ap.role, ap.quote, coalesce(a.pub_date, ''), "
                      "a.headline, a.publisher, coalesce(a.url, '') "
                      "FROM article_people ap JOIN people p ON p.id = ap.person_id "
                      "JOIN articles a ON a.id = ap.article_id "
                      "WHERE ap.quoted = 1 AND ap.person_id IN (");
    put_id_params(&sql, nids);
    kh_buf_printf(&sql, ") ORDER BY (a.pub_date GLOB '[0-9]*') DESC, a.pub_date, a.id "
                        "LIMIT %d", limit > 0 ? limit : 100);
    sqlite3_stmt *st = NULL;
    rc = sql.oom ? SQLITE_NOMEM : sqlite3_prepare_v2(db->db, sql.data, -1, &st, NULL);
    kh_buf_free(&sql);
    if (rc == SQLITE_OK)
        rc = bind_ids(st, ids, nids);
    free(ids);
    size_t cap = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (l->n == cap) {
            cap = cap ? cap * 2 : 16;
            khotin_quote_info *p = realloc(l->v, cap * sizeof *p);
            if (!p) {
                rc = SQLITE_NOMEM;
                break;
            }
            l->v = p;
        }
        khotin_quote_info *q = &l->v[l->n];
        q->article_id = sqlite3_column_int64(st, 0);
        q->person = dup_col(st, 1);
        q->role = dup_col(st, 2);
        q->quote = dup_col(st, 3);
        q->date = dup_col(st, 4);
        q->headline = dup_col(st, 5);
        q->publisher = dup_col(st, 6);
        q->url = dup_col(st, 7);
        l->n++;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        khotin_quotes_free(l);
        return kh_db_error(db->db, rc, "listing quotes");
    }
    *out = l;
    return 0;
}
