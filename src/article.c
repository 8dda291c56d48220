/* article.c - the khotin_article value: fields, agencies, people, and the
 * golden-file dump. Filled by extract.c (parsing) and store.c (loading).
 */
#include "extract.h"

#include <stdlib.h>
#include <string.h>

typedef struct person_rec {
    khotin_person pub; /* strings below, exposed read-only */
    char *name, *role, *quote, *title;
} person_rec;

typedef struct quote_rec {
    khotin_quote pub;
    char *text;
} quote_rec;

struct khotin_article {
    struct kh_article_fields f;
    char **agencies;
    size_t nagencies, capagencies;
    person_rec *people;
    size_t npeople, cappeople;
    quote_rec *quotes;
    size_t nquotes, capquotes;
    char **events;                 /* ISO dates the text mentions */
    khotin_date_precision *event_precision;
    size_t nevents, capevents;
};

khotin_article *kh_article_new(void)
{
    khotin_article *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    char **fields[] = {&a->f.headline, &a->f.lead, &a->f.body, &a->f.date,
                       &a->f.publisher, &a->f.url, &a->f.source_path,
                       &a->f.author};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        *fields[i] = kh_strdup("");
        if (!*fields[i]) {
            khotin_article_free(a);
            return NULL;
        }
    }
    return a;
}

int kh_article_set(char **field, const char *value)
{
    char *p = kh_strdup(value ? value : "");
    if (!p)
        return KHOTIN_ENOMEM;
    free(*field);
    *field = p;
    return 0;
}

struct kh_article_fields *kh_article_fields(khotin_article *a) { return &a->f; }

void khotin_article_free(khotin_article *a)
{
    if (!a)
        return;
    free(a->f.headline);
    free(a->f.lead);
    free(a->f.body);
    free(a->f.date);
    free(a->f.publisher);
    free(a->f.url);
    free(a->f.source_path);
    free(a->f.author);
    for (size_t i = 0; i < a->nagencies; i++)
        free(a->agencies[i]);
    free(a->agencies);
    for (size_t i = 0; i < a->npeople; i++) {
        free(a->people[i].name);
        free(a->people[i].role);
        free(a->people[i].quote);
        free(a->people[i].title);
    }
    free(a->people);
    for (size_t i = 0; i < a->nquotes; i++)
        free(a->quotes[i].text);
    free(a->quotes);
    for (size_t i = 0; i < a->nevents; i++)
        free(a->events[i]);
    free(a->events);
    free(a->event_precision);
    free(a);
}

int kh_article_add_event_date(khotin_article *a, const char *iso,
                              khotin_date_precision precision)
{
    for (size_t i = 0; i < a->nevents; i++)
        if (strcmp(a->events[i], iso) == 0)
            return 0;
    if (a->nevents == a->capevents) {
        size_t cap = a->capevents ? a->capevents * 2 : 4;
        char **e = realloc(a->events, cap * sizeof *e);
        if (!e)
            return KHOTIN_ENOMEM;
        a->events = e;
        khotin_date_precision *p = realloc(a->event_precision, cap * sizeof *p);
        if (!p)
            return KHOTIN_ENOMEM;
        a->event_precision = p;
        a->capevents = cap;
    }
    char *d = kh_strdup(iso);
    if (!d)
        return KHOTIN_ENOMEM;
    a->events[a->nevents] = d;
    a->event_precision[a->nevents] = precision;
    a->nevents++;
    return 0;
}

size_t khotin_article_event_count(const khotin_article *a) { return a->nevents; }

const char *khotin_article_event(const khotin_article *a, size_t i,
                                 khotin_date_precision *precision)
{
    if (i >= a->nevents)
        return NULL;
    if (precision)
        *precision = a->event_precision[i];
    return a->events[i];
}

int kh_article_add_agency(khotin_article *a, const char *name)
{
    for (size_t i = 0; i < a->nagencies; i++)
        if (strcmp(a->agencies[i], name) == 0)
            return 0;
    if (a->nagencies == a->capagencies) {
        size_t cap = a->capagencies ? a->capagencies * 2 : 4;
        char **p = realloc(a->agencies, cap * sizeof *p);
        if (!p)
            return KHOTIN_ENOMEM;
        a->agencies = p;
        a->capagencies = cap;
    }
    char *s = kh_strdup(name);
    if (!s)
        return KHOTIN_ENOMEM;
    a->agencies[a->nagencies++] = s;
    return 0;
}

int kh_article_add_person(khotin_article *a, const char *name,
                          const char *role, const char *quote, int quoted)
{
    if (a->npeople == a->cappeople) {
        size_t cap = a->cappeople ? a->cappeople * 2 : 4;
        person_rec *p = realloc(a->people, cap * sizeof *p);
        if (!p)
            return KHOTIN_ENOMEM;
        a->people = p;
        a->cappeople = cap;
    }
    person_rec *r = &a->people[a->npeople];
    r->name = kh_strdup(name);
    r->role = kh_strdup(role ? role : "");
    r->quote = kh_strdup(quote ? quote : "");
    r->title = kh_strdup("");
    if (!r->name || !r->role || !r->quote || !r->title) {
        free(r->name);
        free(r->role);
        free(r->quote);
        free(r->title);
        return KHOTIN_ENOMEM;
    }
    r->pub.name = r->name;
    r->pub.role = r->role;
    r->pub.quote = r->quote;
    r->pub.quoted = quoted;
    r->pub.title = r->title;
    a->npeople++;
    return 0;
}

int kh_article_set_person_title(khotin_article *a, size_t i, const char *title)
{
    if (i >= a->npeople)
        return kh_error(KHOTIN_ERROR, "no person %zu", i);
    char *t = kh_strdup(title ? title : "");
    if (!t)
        return KHOTIN_ENOMEM;
    free(a->people[i].title);
    a->people[i].title = t;
    a->people[i].pub.title = t;
    return 0;
}

int kh_article_add_quote(khotin_article *a, size_t person, const char *text,
                         size_t offset, int direct)
{
    if (person != KHOTIN_NO_PERSON && person >= a->npeople)
        return kh_error(KHOTIN_ERROR, "quote of unknown person %zu", person);
    if (a->nquotes == a->capquotes) {
        size_t cap = a->capquotes ? a->capquotes * 2 : 4;
        quote_rec *q = realloc(a->quotes, cap * sizeof *q);
        if (!q)
            return KHOTIN_ENOMEM;
        a->quotes = q;
        a->capquotes = cap;
    }
    quote_rec *r = &a->quotes[a->nquotes];
    r->text = kh_strdup(text ? text : "");
    if (!r->text)
        return KHOTIN_ENOMEM;
    r->pub.person = person;
    r->pub.text = r->text;
    r->pub.offset = offset;
    r->pub.direct = direct;
    a->nquotes++;
    return 0;
}

int64_t khotin_article_id(const khotin_article *a) { return a->f.id; }
const char *khotin_article_headline(const khotin_article *a) { return a->f.headline; }
const char *khotin_article_lead(const khotin_article *a) { return a->f.lead; }
const char *khotin_article_body(const khotin_article *a) { return a->f.body; }
const char *khotin_article_date(const khotin_article *a) { return a->f.date; }
khotin_date_precision khotin_article_date_precision(const khotin_article *a)
{
    return a->f.precision;
}
const char *khotin_article_publisher(const khotin_article *a) { return a->f.publisher; }
const char *khotin_article_url(const khotin_article *a) { return a->f.url; }
const char *khotin_article_author(const khotin_article *a) { return a->f.author; }
const char *khotin_article_source_path(const khotin_article *a) { return a->f.source_path; }
size_t khotin_article_agency_count(const khotin_article *a) { return a->nagencies; }
const char *khotin_article_agency(const khotin_article *a, size_t i)
{
    return i < a->nagencies ? a->agencies[i] : NULL;
}
size_t khotin_article_person_count(const khotin_article *a) { return a->npeople; }
const khotin_person *khotin_article_person(const khotin_article *a, size_t i)
{
    return i < a->npeople ? &a->people[i].pub : NULL;
}

size_t khotin_article_quote_count(const khotin_article *a) { return a->nquotes; }
const khotin_quote *khotin_article_quote(const khotin_article *a, size_t i)
{
    return i < a->nquotes ? &a->quotes[i].pub : NULL;
}

const char *khotin_date_precision_name(khotin_date_precision p)
{
    static const char *names[] = {"none", "year", "month", "month_day", "day",
                                  "time"};
    if ((int)p < 0 || (size_t)p >= sizeof names / sizeof names[0])
        return "none";
    return names[p];
}

static void put_kv(FILE *f, const char *key, const char *value)
{
    if (value && *value)
        fprintf(f, "%s: %s\n", key, value);
    else
        fprintf(f, "%s:\n", key);
}

int khotin_article_dump(const khotin_article *a, FILE *f)
{
    put_kv(f, "headline", a->f.headline);
    put_kv(f, "lead", a->f.lead);
    put_kv(f, "date", a->f.date);
    put_kv(f, "date_precision", khotin_date_precision_name(a->f.precision));
    put_kv(f, "publisher", a->f.publisher);
    put_kv(f, "url", a->f.url);
    if (a->f.author[0]) /* only when known: older goldens have no author line */
        put_kv(f, "author", a->f.author);
    for (size_t i = 0; i < a->nagencies; i++)
        put_kv(f, "agency", a->agencies[i]);
    for (size_t i = 0; i < a->npeople; i++)
        fprintf(f, "person: %s | %s | %s\n", a->people[i].name,
                a->people[i].role, a->people[i].pub.quoted ? "quoted" : "mentioned");
    for (size_t i = 0; i < a->npeople; i++)
        if (a->people[i].pub.quoted && a->people[i].quote[0])
            fprintf(f, "quote: %s | %s\n", a->people[i].name, a->people[i].quote);
    /* body: one line per paragraph */
    const char *p = a->f.body;
    while (*p) {
        const char *e = strstr(p, "\n\n");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n)
            fprintf(f, "body: %.*s\n", (int)n, p);
        p += n;
        while (*p == '\n')
            p++;
    }
    return ferror(f) ? kh_error(KHOTIN_EIO, "write error") : KHOTIN_OK;
}

void kh_article_swap_agencies(khotin_article *a, khotin_article *b)
{
    char **ag = a->agencies;
    size_t n = a->nagencies, cap = a->capagencies;
    a->agencies = b->agencies;
    a->nagencies = b->nagencies;
    a->capagencies = b->capagencies;
    b->agencies = ag;
    b->nagencies = n;
    b->capagencies = cap;
}
