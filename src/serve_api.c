/* serve_api.c - the JSON API of `khotin serve`. Every answer is built with
 * jansson from what the public API returns (the calls the CLI makes), so
 * the page shows exactly what `khotin search`, `show`, `people`, `quotes`
 * and `export` print.
 *
 *   GET /api/search?q=&from=&to=&person=&sort=&fold=&limit=&offset=
 *   GET /api/articles/{id}
 *   GET /api/people?q=&limit=          GET /api/people/{id}?name=
 *   GET /api/timeline?q=&from=&to=&person=&fold=&by=month|week|day
 *   GET /api/export.csv?q=&from=&to=&person=&sort=&fold=&limit=&bom=
 *   GET /api/stats
 *
 * Errors are {"error": "..."}: 400 for a bad query or parameter, 404 for an
 * unknown id or path, 503 while the archive is busy, 500 only when the
 * archive itself fails.
 */
#include "serve.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Private marks around matched words in snippets: control characters that
 * never occur in stored text (the reader replaces them with spaces). */
#define MARK_OPEN "\x02"
#define MARK_CLOSE "\x03"

#define JSON_TYPE "application/json; charset=utf-8"

/* ---- JSON helpers ---- */

/* A JSON string; text that is not UTF-8 (never expected from the archive)
 * has its bad bytes replaced by U+FFFD instead of failing. */
static json_t *jstr(const char *s)
{
    if (!s)
        s = "";
    size_t len = strlen(s);
    if (kh_utf8_valid(s, len))
        return json_stringn(s, len);
    char *fixed = malloc(len * 3 + 1);
    if (!fixed)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t n = 1;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0xC2 && c <= 0xDF)
            n = 2;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 3;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 4;
        if (c < 0x80 || (i + n <= len && kh_utf8_valid(s + i, n))) {
            memcpy(fixed + o, s + i, n);
            o += n;
            i += n;
        } else {
            memcpy(fixed + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    json_t *j = json_stringn(fixed, o);
    free(fixed);
    return j;
}

/* "a; b; c" -> ["a", "b", "c"] (empty parts dropped). */
static json_t *jsplit(const char *s, const char *sep)
{
    json_t *a = json_array();
    size_t seplen = strlen(sep);
    while (a && s && *s) {
        const char *e = strstr(s, sep);
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n) {
            char *part = malloc(n + 1);
            if (part) {
                memcpy(part, s, n);
                part[n] = '\0';
                json_array_append_new(a, jstr(part));
                free(part);
            }
        }
        s = e ? e + seplen : NULL;
    }
    return a;
}

static void respond_json(kh_response *res, int status, json_t *root)
{
    char *body = root ? json_dumps(root, JSON_COMPACT | JSON_ESCAPE_SLASH) : NULL;
    json_decref(root);
    if (!body) {
        res->status = 500;
        res->content_type = JSON_TYPE;
        res->body = strdup("{\"error\":\"out of memory\"}");
        res->len = res->body ? strlen(res->body) : 0;
        return;
    }
    res->status = status;
    res->content_type = JSON_TYPE;
    res->body = body;
    res->len = strlen(body);
}

void kh_api_error(kh_response *res, int status, const char *message)
{
    json_t *root = json_object();
    json_object_set_new(root, "error", jstr(message));
    respond_json(res, status, root);
    if (status == 503)
        res->retry_after = 1;
}

/* Answer a failed library call with the status it deserves. */
static void lib_error(kh_response *res, int rc)
{
    const char *msg = khotin_last_error();
    switch (rc) {
    case KHOTIN_EQUERY:
        kh_api_error(res, 400, msg[0] ? msg : "malformed query");
        break;
    case KHOTIN_ENOTFOUND:
        kh_api_error(res, 404, msg[0] ? msg : "not found");
        break;
    case KHOTIN_EBUSY:
        kh_api_error(res, 503, msg[0] ? msg : "the archive is busy; try again");
        break;
    default:
        kh_api_error(res, 500, msg[0] ? msg : "the archive failed");
        break;
    }
}

/* ---- parameters ---- */

/* An integer parameter in [min, max]; absent: *out keeps its default.
 * Returns 0, or answers 400 and returns -1. */
static int int_param(const kh_request *req, kh_response *res, const char *name,
                     long min, long max, int *out)
{
    const char *v = kh_request_param(req, name);
    if (!v || !*v)
        return 0;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || *end || n < min || n > max || !(*v >= '0' && *v <= '9')) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s must be a number from %ld to %ld", name, min, max);
        kh_api_error(res, 400, msg);
        return -1;
    }
    *out = (int)n;
    return 0;
}

static int bool_param(const kh_request *req, kh_response *res, const char *name, int *out)
{
    const char *v = kh_request_param(req, name);
    if (!v || !*v)
        return 0;
    if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "on") == 0) {
        *out = 1;
    } else if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "off") == 0) {
        *out = 0;
    } else {
        char msg[96];
        snprintf(msg, sizeof msg, "%s must be 1 or 0", name);
        kh_api_error(res, 400, msg);
        return -1;
    }
    return 0;
}

static int sort_param(const kh_request *req, kh_response *res, khotin_sort *out)
{
    const char *v = kh_request_param(req, "sort");
    if (!v || !*v || strcmp(v, "relevance") == 0)
        *out = KHOTIN_SORT_RELEVANCE;
    else if (strcmp(v, "date") == 0)
        *out = KHOTIN_SORT_DATE;
    else if (strcmp(v, "headline") == 0)
        *out = KHOTIN_SORT_HEADLINE;
    else {
        kh_api_error(res, 400, "sort must be relevance, date or headline");
        return -1;
    }
    return 0;
}

static const char *sort_name(khotin_sort s)
{
    return s == KHOTIN_SORT_DATE ? "date" : s == KHOTIN_SORT_HEADLINE ? "headline" : "relevance";
}

/* The query to run: the filters from from=, to= and person= (as from:,
 * to: and person:"..." terms), then q as typed. Filters come first so that
 * an unbalanced quote in q still closes at the end of the query. Returns
 * a new string, or NULL after answering 400 (or 500 when out of memory). */
static char *build_query(const kh_request *req, kh_response *res)
{
    const char *q = kh_request_param(req, "q");
    const char *from = kh_request_param(req, "from");
    const char *to = kh_request_param(req, "to");
    const char *person = kh_request_param(req, "person");
    if (from && *from && !kh_valid_date_filter(from)) {
        kh_api_error(res, 400, "from must be a date: YYYY, YYYY-MM or YYYY-MM-DD");
        return NULL;
    }
    if (to && *to && !kh_valid_date_filter(to)) {
        kh_api_error(res, 400, "to must be a date: YYYY, YYYY-MM or YYYY-MM-DD");
        return NULL;
    }
    if (person && strchr(person, '"')) {
        kh_api_error(res, 400, "person must be a name without quotation marks");
        return NULL;
    }
    size_t len = (q ? strlen(q) : 0) + (person ? strlen(person) : 0) + 64;
    char *s = malloc(len);
    if (!s) {
        kh_api_error(res, 500, "out of memory");
        return NULL;
    }
    s[0] = '\0';
    size_t o = 0;
    if (from && *from)
        o += (size_t)snprintf(s + o, len - o, "from:%s ", from);
    if (to && *to)
        o += (size_t)snprintf(s + o, len - o, "to:%s ", to);
    if (person && *person)
        o += (size_t)snprintf(s + o, len - o, "person:\"%s\" ", person);
    if (q)
        snprintf(s + o, len - o, "%s", q);
    else if (o)
        s[o - 1] = '\0';
    return s;
}

/* The query as received and as run, for the page to show. */
static json_t *query_echo(const kh_request *req, const char *effective, const char *warning)
{
    json_t *j = json_object();
    const char *q = kh_request_param(req, "q");
    json_object_set_new(j, "q", jstr(q ? q : ""));
    json_object_set_new(j, "query", jstr(effective));
    json_object_set_new(j, "warning", jstr(warning ? warning : ""));
    return j;
}

/* ---- /api/search ---- */

static json_t *hit_json(const khotin_hit *h)
{
    json_t *j = json_object();
    json_object_set_new(j, "id", json_integer(h->id));
    json_object_set_new(j, "headline", jstr(h->headline));
    json_object_set_new(j, "date", jstr(h->date));
    json_object_set_new(j, "date_precision", jstr(khotin_date_precision_name(h->date_precision)));
    json_object_set_new(j, "publisher", jstr(h->publisher));
    json_object_set_new(j, "url", jstr(h->url));
    json_object_set_new(j, "people", jsplit(h->people, "; "));
    char *text = NULL;
    size_t *spans = NULL, n = 0;
    if (kh_snippet_marks(h->snippet, MARK_OPEN, MARK_CLOSE, &text, &spans, &n) == 0) {
        json_object_set_new(j, "snippet", jstr(text));
        json_t *marks = json_array();
        for (size_t i = 0; i < n; i++) {
            json_t *pair = json_array();
            json_array_append_new(pair, json_integer((json_int_t)spans[2 * i]));
            json_array_append_new(pair, json_integer((json_int_t)spans[2 * i + 1]));
            json_array_append_new(marks, pair);
        }
        json_object_set_new(j, "marks", marks);
        free(text);
        free(spans);
    }
    json_object_set_new(j, "score", json_real(h->score));
    return j;
}

static void api_search(khotin_db *db, const kh_request *req, kh_response *res)
{
    khotin_search_opts o = {0};
    o.limit = 20;
    if (int_param(req, res, "limit", 1, 200, &o.limit) ||
        int_param(req, res, "offset", 0, 1000000, &o.offset) ||
        sort_param(req, res, &o.sort) || bool_param(req, res, "fold", &o.fold))
        return;
    char *query = build_query(req, res);
    if (!query)
        return;
    o.mark_open = MARK_OPEN;
    o.mark_close = MARK_CLOSE;
    o.count_total = 1;
    khotin_results *r;
    int rc = khotin_search(db, query, &o, &r);
    if (rc) {
        lib_error(res, rc);
        free(query);
        return;
    }
    json_t *root = json_object();
    json_t *qj = query_echo(req, query, khotin_results_warning(r));
    json_object_set_new(qj, "sort", jstr(sort_name(o.sort)));
    json_object_set_new(qj, "fold", json_boolean(o.fold));
    json_object_set_new(qj, "limit", json_integer(o.limit));
    json_object_set_new(qj, "offset", json_integer(o.offset));
    json_object_set_new(root, "query", qj);
    json_object_set_new(root, "total", json_integer(khotin_results_total(r)));
    json_object_set_new(root, "count", json_integer((json_int_t)khotin_results_count(r)));
    json_t *hits = json_array();
    for (size_t i = 0; i < khotin_results_count(r); i++)
        json_array_append_new(hits, hit_json(khotin_results_get(r, i)));
    json_object_set_new(root, "hits", hits);
    khotin_results_free(r);
    free(query);
    respond_json(res, 200, root);
}

/* ---- /api/articles/{id} ---- */

/* A positive decimal id, or 0. */
static int64_t parse_id(const char *s)
{
    if (!*s || *s == '0' || strlen(s) > 18)
        return 0;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (*s - '0');
    }
    return v;
}

static json_t *paragraphs_json(const char *body)
{
    json_t *a = json_array();
    const char *p = body;
    while (a && p && *p) {
        while (*p == '\n')
            p++;
        if (!*p)
            break;
        const char *e = strstr(p, "\n\n");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *para = malloc(n + 1);
        if (para) {
            memcpy(para, p, n);
            para[n] = '\0';
            json_array_append_new(a, jstr(para));
            free(para);
        }
        p = e ? e + 2 : NULL;
    }
    return a;
}

static void api_article(khotin_db *db, const char *idtext, kh_response *res)
{
    int64_t id = parse_id(idtext);
    if (id <= 0) {
        kh_api_error(res, 404, "no such article: ids are positive numbers");
        return;
    }
    khotin_article *a;
    int rc = khotin_article_get(db, id, &a);
    if (rc) {
        lib_error(res, rc);
        return;
    }
    json_t *j = json_object();
    json_object_set_new(j, "id", json_integer(khotin_article_id(a)));
    json_object_set_new(j, "headline", jstr(khotin_article_headline(a)));
    json_object_set_new(j, "lead", jstr(khotin_article_lead(a)));
    json_object_set_new(j, "body", jstr(khotin_article_body(a)));
    json_object_set_new(j, "paragraphs", paragraphs_json(khotin_article_body(a)));
    json_object_set_new(j, "date", jstr(khotin_article_date(a)));
    json_object_set_new(j, "date_precision",
                        jstr(khotin_date_precision_name(khotin_article_date_precision(a))));
    json_object_set_new(j, "publisher", jstr(khotin_article_publisher(a)));
    json_object_set_new(j, "url", jstr(khotin_article_url(a)));
    json_object_set_new(j, "author", jstr(khotin_article_author(a)));
    json_object_set_new(j, "source_path", jstr(khotin_article_source_path(a)));
    json_t *agencies = json_array();
    for (size_t i = 0; i < khotin_article_agency_count(a); i++)
        json_array_append_new(agencies, jstr(khotin_article_agency(a, i)));
    json_object_set_new(j, "agencies", agencies);
    json_t *people = json_array();
    for (size_t i = 0; i < khotin_article_person_count(a); i++) {
        const khotin_person *p = khotin_article_person(a, i);
        json_t *pj = json_object();
        json_object_set_new(pj, "name", jstr(p->name));
        json_object_set_new(pj, "role", jstr(p->role));
        json_object_set_new(pj, "quote", jstr(p->quote));
        json_object_set_new(pj, "quoted", json_boolean(p->quoted));
        json_array_append_new(people, pj);
    }
    json_object_set_new(j, "people", people);
    khotin_article_free(a);
    respond_json(res, 200, j);
}

/* ---- /api/people ---- */

static json_t *person_json(const khotin_person_info *p)
{
    json_t *j = json_object();
    json_object_set_new(j, "id", json_integer(p->id));
    json_object_set_new(j, "name", jstr(p->name));
    json_object_set_new(j, "roles", jsplit(p->roles, "; "));
    json_object_set_new(j, "articles", json_integer(p->articles));
    json_object_set_new(j, "quoted_articles", json_integer(p->quoted_articles));
    json_object_set_new(j, "first_date", jstr(p->first_date));
    json_object_set_new(j, "last_date", jstr(p->last_date));
    return j;
}

static void api_people(khotin_db *db, const kh_request *req, kh_response *res)
{
    int limit = 50;
    if (int_param(req, res, "limit", 1, 500, &limit))
        return;
    const char *q = kh_request_param(req, "q");
    khotin_people_list *l;
    int rc = khotin_people(db, q && *q ? q : NULL, limit, &l);
    if (rc) {
        lib_error(res, rc);
        return;
    }
    json_t *root = json_object();
    json_object_set_new(root, "q", jstr(q ? q : ""));
    json_t *arr = json_array();
    for (size_t i = 0; i < khotin_people_count(l); i++)
        json_array_append_new(arr, person_json(khotin_people_get(l, i)));
    json_object_set_new(root, "people", arr);
    json_object_set_new(root, "count", json_integer((json_int_t)khotin_people_count(l)));
    khotin_people_free(l);
    respond_json(res, 200, root);
}

/* Find person `id` among the people matching `name` (NULL: everyone). */
static int find_person(khotin_db *db, const char *name, int64_t id, int limit,
                       khotin_people_list **list, const khotin_person_info **out)
{
    *out = NULL;
    int rc = khotin_people(db, name, limit, list);
    if (rc)
        return rc;
    for (size_t i = 0; i < khotin_people_count(*list); i++)
        if (khotin_people_get(*list, i)->id == id)
            *out = khotin_people_get(*list, i);
    if (!*out) {
        khotin_people_free(*list);
        *list = NULL;
    }
    return 0;
}

static json_t *timeline_json(const khotin_timeline *t, const char *by)
{
    json_t *j = json_object();
    json_object_set_new(j, "by", jstr(by));
    json_t *buckets = json_array();
    int64_t total = khotin_timeline_undated(t);
    for (size_t i = 0; i < khotin_timeline_count(t); i++) {
        const khotin_bucket *b = khotin_timeline_get(t, i);
        json_t *bj = json_object();
        json_object_set_new(bj, "period", jstr(b->period));
        json_object_set_new(bj, "count", json_integer(b->count));
        json_array_append_new(buckets, bj);
        total += b->count;
    }
    json_object_set_new(j, "buckets", buckets);
    json_object_set_new(j, "undated", json_integer(khotin_timeline_undated(t)));
    json_object_set_new(j, "total", json_integer(total));
    return j;
}

static void api_person(khotin_db *db, const kh_request *req, const char *idtext,
                       kh_response *res)
{
    int64_t id = parse_id(idtext);
    if (id <= 0) {
        kh_api_error(res, 404, "no such person: ids are positive numbers");
        return;
    }
    /* The public API finds people by name: with the name the page knows,
     * among those it matches; otherwise among everyone. */
    const char *hint = kh_request_param(req, "name");
    khotin_people_list *list = NULL;
    const khotin_person_info *p = NULL;
    int rc = 0;
    if (hint && *hint)
        rc = find_person(db, hint, id, 500, &list, &p);
    if (rc == KHOTIN_EQUERY)
        rc = 0; /* a useless hint: look among everyone */
    if (rc == 0 && !p)
        rc = find_person(db, NULL, id, INT_MAX, &list, &p);
    if (rc) {
        lib_error(res, rc);
        return;
    }
    if (!p) {
        kh_api_error(res, 404, "no such person");
        return;
    }
    json_t *root = person_json(p);
    /* What they said: the quotes of the people with this exact name, kept
     * to this person. */
    khotin_quotes_list *ql;
    rc = khotin_quotes(db, p->name, 1000, &ql);
    if (rc) {
        json_decref(root);
        khotin_people_free(list);
        lib_error(res, rc);
        return;
    }
    json_t *quotes = json_array();
    for (size_t i = 0; i < khotin_quotes_count(ql); i++) {
        const khotin_quote_info *q = khotin_quotes_get(ql, i);
        if (strcmp(q->person, p->name) != 0)
            continue;
        json_t *qj = json_object();
        json_object_set_new(qj, "article_id", json_integer(q->article_id));
        json_object_set_new(qj, "role", jstr(q->role));
        json_object_set_new(qj, "quote", jstr(q->quote));
        json_object_set_new(qj, "date", jstr(q->date));
        json_object_set_new(qj, "headline", jstr(q->headline));
        json_object_set_new(qj, "publisher", jstr(q->publisher));
        json_object_set_new(qj, "url", jstr(q->url));
        json_array_append_new(quotes, qj);
    }
    khotin_quotes_free(ql);
    json_object_set_new(root, "quotes", quotes);
    /* The articles naming them, over time and newest first. */
    json_t *articles = json_array();
    json_t *timeline = NULL;
    int64_t article_total = 0;
    if (!strchr(p->name, '"')) {
        size_t qlen = strlen(p->name) + 16;
        char *query = malloc(qlen);
        if (query) {
            snprintf(query, qlen, "person:\"%s\"", p->name);
            khotin_timeline *t;
            if (khotin_timeline_new(db, query, KHOTIN_BY_MONTH, 0, &t) == 0) {
                timeline = timeline_json(t, "month");
                khotin_timeline_free(t);
            }
            khotin_search_opts o = {0};
            o.limit = 200;
            o.sort = KHOTIN_SORT_DATE;
            o.mark_open = "";
            o.mark_close = "";
            o.count_total = 1;
            khotin_results *r;
            if (khotin_search(db, query, &o, &r) == 0) {
                article_total = khotin_results_total(r);
                for (size_t i = 0; i < khotin_results_count(r); i++) {
                    const khotin_hit *h = khotin_results_get(r, i);
                    json_t *aj = json_object();
                    json_object_set_new(aj, "id", json_integer(h->id));
                    json_object_set_new(aj, "headline", jstr(h->headline));
                    json_object_set_new(aj, "date", jstr(h->date));
                    json_object_set_new(aj, "publisher", jstr(h->publisher));
                    json_array_append_new(articles, aj);
                }
                khotin_results_free(r);
            }
            free(query);
        }
    }
    json_object_set_new(root, "article_list", articles);
    json_object_set_new(root, "article_total", json_integer(article_total));
    json_object_set_new(root, "timeline", timeline ? timeline : json_null());
    khotin_people_free(list);
    respond_json(res, 200, root);
}

/* ---- /api/timeline ---- */

static void api_timeline(khotin_db *db, const kh_request *req, kh_response *res)
{
    const char *by = kh_request_param(req, "by");
    khotin_period period = KHOTIN_BY_MONTH;
    if (!by || !*by || strcmp(by, "month") == 0)
        by = "month";
    else if (strcmp(by, "week") == 0)
        period = KHOTIN_BY_WEEK;
    else if (strcmp(by, "day") == 0)
        period = KHOTIN_BY_DAY;
    else {
        kh_api_error(res, 400, "by must be month, week or day");
        return;
    }
    int fold = 0;
    if (bool_param(req, res, "fold", &fold))
        return;
    char *query = build_query(req, res);
    if (!query)
        return;
    khotin_timeline *t;
    int rc = khotin_timeline_new(db, query, period, fold, &t);
    if (rc) {
        free(query);
        lib_error(res, rc);
        return;
    }
    json_t *root = timeline_json(t, by);
    json_object_set_new(root, "query", query_echo(req, query, ""));
    khotin_timeline_free(t);
    free(query);
    respond_json(res, 200, root);
}

/* ---- /api/export.csv ---- */

static void api_export(khotin_db *db, const kh_request *req, kh_response *res)
{
    khotin_search_opts o = {0};
    o.limit = 1000; /* as `khotin export` */
    int bom = 1;
    if (int_param(req, res, "limit", 1, 100000, &o.limit) ||
        sort_param(req, res, &o.sort) || bool_param(req, res, "fold", &o.fold) ||
        bool_param(req, res, "bom", &bom))
        return;
    char *query = build_query(req, res);
    if (!query)
        return;
    o.mark_open = "";
    o.mark_close = "";
    o.count_total = 1;
    khotin_results *r;
    int rc = khotin_search(db, query, &o, &r);
    free(query);
    if (rc) {
        lib_error(res, rc);
        return;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        khotin_results_free(r);
        kh_api_error(res, 500, "out of memory");
        return;
    }
    rc = khotin_export_csv(r, f, bom ? 0 : KHOTIN_CSV_NO_BOM);
    int closed = fclose(f);
    khotin_results_free(r);
    if (rc || closed != 0) {
        free(buf);
        if (rc)
            lib_error(res, rc);
        else
            kh_api_error(res, 500, "out of memory");
        return;
    }
    res->status = 200;
    res->content_type = "text/csv; charset=utf-8";
    res->disposition = "attachment; filename=\"khotin.csv\"";
    res->body = buf;
    res->len = len;
}

/* ---- /api/stats ---- */

static void api_stats(khotin_db *db, kh_response *res)
{
    khotin_archive_stats s;
    int rc = khotin_stats(db, &s);
    if (rc) {
        lib_error(res, rc);
        return;
    }
    json_t *j = json_object();
    json_object_set_new(j, "articles", json_integer(s.articles));
    json_object_set_new(j, "people", json_integer(s.people));
    json_object_set_new(j, "quoted_people", json_integer(s.quoted_people));
    json_object_set_new(j, "publishers", json_integer(s.publishers));
    json_object_set_new(j, "agencies", json_integer(s.agencies));
    json_object_set_new(j, "dated", json_integer(s.dated));
    json_object_set_new(j, "first_date", jstr(s.first_date));
    json_object_set_new(j, "last_date", jstr(s.last_date));
    json_object_set_new(j, "version", jstr(khotin_version()));
    respond_json(res, 200, j);
}

/* ---- routing ---- */

void kh_api_handle(khotin_db *db, const char *open_error, const kh_request *req,
                   kh_response *res)
{
    memset(res, 0, sizeof *res);
    const char *path = req->path;
    if (strncmp(path, "/api/", 5) != 0) {
        kh_api_error(res, 404, "no such page");
        return;
    }
    const char *rest = path + 5;
    enum { SEARCH, ARTICLE, PEOPLE, PERSON, TIMELINE, EXPORT, STATS, NONE } route = NONE;
    const char *arg = NULL;
    if (strcmp(rest, "search") == 0)
        route = SEARCH;
    else if (strncmp(rest, "articles/", 9) == 0)
        route = ARTICLE, arg = rest + 9;
    else if (strcmp(rest, "people") == 0)
        route = PEOPLE;
    else if (strncmp(rest, "people/", 7) == 0)
        route = PERSON, arg = rest + 7;
    else if (strcmp(rest, "timeline") == 0)
        route = TIMELINE;
    else if (strcmp(rest, "export.csv") == 0)
        route = EXPORT;
    else if (strcmp(rest, "stats") == 0)
        route = STATS;
    if (route == NONE) {
        kh_api_error(res, 404, "no such API: /api/search, /api/articles/ID, /api/people, "
                               "/api/people/ID, /api/timeline, /api/export.csv, /api/stats");
        return;
    }
    if (!db) {
        char msg[1200];
        snprintf(msg, sizeof msg, "the archive cannot be read: %s",
                 open_error && *open_error ? open_error : "unknown error");
        kh_api_error(res, 503, msg);
        return;
    }
    switch (route) {
    case SEARCH: api_search(db, req, res); break;
    case ARTICLE: api_article(db, arg, res); break;
    case PEOPLE: api_people(db, req, res); break;
    case PERSON: api_person(db, req, arg, res); break;
    case TIMELINE: api_timeline(db, req, res); break;
    case EXPORT: api_export(db, req, res); break;
    case STATS: api_stats(db, res); break;
    default: break;
    }
}
