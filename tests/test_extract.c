/* test_extract.c - the extract stage against the golden files in
 * fixtures/articles/ and the user's seed article in ../shared/seeds/.
 *
 * Every field except people must equal the golden file exactly. People are
 * scored (precision, recall, F1 over name + quoted/mentioned, and role
 * accuracy); the test fails when a figure drops below the floor reached so
 * far (raise the floors as extraction improves; never lower them). */
#include "check.h"
#include "extract.h"

#include <dirent.h>
#include <stdlib.h>

static char *dump(const khotin_article *a)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    khotin_article_dump(a, f);
    fclose(f);
    return buf;
}

/* ---- the gold set: per-field precision, recall and F1 ----
 *
 * Every fixture in fixtures/articles/ has a golden .expected file (format in
 * its README). Each field is scored over all articles:
 *  - single-valued fields (headline, lead, date with its precision,
 *    publisher, url, author, body): right = true positive; a wrong value
 *    counts as a false positive and a false negative;
 *  - sets (agencies, people as name + quoted/mentioned): per element;
 *  - roles: for people found, whether the role is exactly the gold one;
 *  - quotes: per quoted person, matching when the folded words of one
 *    contain the other's or overlap by 70% (quotes are cut differently).
 * The floors below are what khotin reaches now: the test fails when a
 * figure drops under its floor (raise them as extraction improves). */

typedef struct field_score {
    const char *name;
    double floor;
    int tp, fp, fn;
} field_score;

static field_score scores[] = {
    {"headline", 1.00, 0, 0, 0},  {"lead", 1.00, 0, 0, 0},
    {"date", 0.95, 0, 0, 0},      {"publisher", 0.95, 0, 0, 0},
    {"url", 1.00, 0, 0, 0},       {"author", 0.90, 0, 0, 0},
    {"agency", 0.95, 0, 0, 0},    {"person", 0.97, 0, 0, 0},
    {"role", 0.95, 0, 0, 0},      {"quote", 0.95, 0, 0, 0},
    {"body", 0.90, 0, 0, 0},
};
#define NSCORES (sizeof scores / sizeof scores[0])

static field_score *score_of(const char *name)
{
    for (size_t i = 0; i < NSCORES; i++)
        if (strcmp(scores[i].name, name) == 0)
            return &scores[i];
    return NULL;
}

/* The values of `key` in a dump, as an array of strings. */
typedef struct values {
    char *v[256];
    size_t n;
} values;

static void get_values(const char *dump, const char *key, values *out)
{
    out->n = 0;
    size_t kl = strlen(key);
    const char *p = dump;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n >= kl + 1 && strncmp(p, key, kl) == 0 && p[kl] == ':' && out->n < 256) {
            const char *v = p + kl + 1;
            if (*v == ' ')
                v++;
            out->v[out->n++] = kh_strndup(v, (size_t)(p + n - v));
        }
        p += e ? n + 1 : n;
    }
}

static void free_values(values *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->v[i]);
    v->n = 0;
}

static void single(field_score *f, const char *got, const char *want, const char *file)
{
    if (*want && strcmp(got, want) == 0) {
        f->tp++;
        return;
    }
    if (*want)
        f->fn++;
    if (*got && strcmp(got, want) != 0)
        f->fp++;
    if (strcmp(got, want) != 0)
        fprintf(stderr, "  %s: %s: got [%s] want [%s]\n", file, f->name, got, want);
}

static const char *first(const values *v) { return v->n ? v->v[0] : ""; }

/* name (before " | ") of a person/quote value, into buf */
static const char *name_part(const char *v, char *buf, size_t n)
{
    const char *bar = strstr(v, " | ");
    size_t k = bar ? (size_t)(bar - v) : strlen(v);
    snprintf(buf, n, "%.*s", (int)(k < n ? k : n - 1), v);
    return buf;
}

/* "name | role | status" -> "name | status" */
static void name_status(const char *v, char *buf, size_t n)
{
    char name[256];
    name_part(v, name, sizeof name);
    const char *last = strrchr(v, '|');
    snprintf(buf, n, "%s |%s", name, last ? last + 1 : "");
}

static void set_score(field_score *f, const values *got, const values *want,
                      const char *file, int people)
{
    char a[512], b[512];
    for (size_t i = 0; i < want->n; i++) {
        int found = 0;
        for (size_t k = 0; k < got->n && !found; k++) {
            if (people) {
                name_status(want->v[i], a, sizeof a);
                name_status(got->v[k], b, sizeof b);
                found = strcmp(a, b) == 0;
            } else {
                found = strcmp(want->v[i], got->v[k]) == 0;
            }
        }
        if (found) {
            f->tp++;
        } else {
            f->fn++;
            fprintf(stderr, "  %s: %s missed: %s\n", file, f->name, want->v[i]);
        }
    }
    for (size_t k = 0; k < got->n; k++) {
        int found = 0;
        for (size_t i = 0; i < want->n && !found; i++) {
            if (people) {
                name_status(want->v[i], a, sizeof a);
                name_status(got->v[k], b, sizeof b);
                found = strcmp(a, b) == 0;
            } else {
                found = strcmp(want->v[i], got->v[k]) == 0;
            }
        }
        if (!found) {
            f->fp++;
            fprintf(stderr, "  %s: %s extra: %s\n", file, f->name, got->v[k]);
        }
    }
}

/* roles of the people found with the right name */
static void role_score(field_score *f, const values *got, const values *want, const char *file)
{
    char a[256], b[256];
    for (size_t i = 0; i < want->n; i++)
        for (size_t k = 0; k < got->n; k++) {
            if (strcmp(name_part(want->v[i], a, sizeof a), name_part(got->v[k], b, sizeof b)))
                continue;
            /* compare "name | role |" prefixes */
            const char *wl = strrchr(want->v[i], '|'), *gl = strrchr(got->v[k], '|');
            size_t wn = wl ? (size_t)(wl - want->v[i]) : strlen(want->v[i]);
            size_t gn = gl ? (size_t)(gl - got->v[k]) : strlen(got->v[k]);
            if (wn == gn && strncmp(want->v[i], got->v[k], wn) == 0) {
                f->tp++;
            } else {
                f->fp++;
                f->fn++;
                fprintf(stderr, "  %s: role: got [%.*s] want [%.*s]\n", file, (int)gn,
                        got->v[k], (int)wn, want->v[i]);
            }
        }
}

/* Folded words of a quote, space-separated, without punctuation. */
static char *quote_words(const char *q)
{
    char *f = khotin_text_fold(q);
    if (!f)
        return kh_strdup("");
    char *w = f;
    int space = 1;
    for (char *r = f; *r; r++) {
        unsigned char c = (unsigned char)*r;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
            *w++ = (char)c;
            space = 0;
        } else if (!space) {
            *w++ = ' ';
            space = 1;
        }
    }
    if (w > f && w[-1] == ' ')
        w--;
    *w = '\0';
    return f;
}

static double overlap(const char *a, const char *b)
{
    /* share of a's words found in b */
    size_t total = 0, hit = 0;
    const char *p = a;
    while (*p) {
        size_t n = strcspn(p, " ");
        char w[128];
        snprintf(w, sizeof w, " %.*s ", (int)(n < 120 ? n : 120), p);
        total++;
        char bb[4096];
        snprintf(bb, sizeof bb, " %s ", b);
        if (strstr(bb, w))
            hit++;
        p += n;
        while (*p == ' ')
            p++;
    }
    return total ? (double)hit / (double)total : 0;
}

static int quotes_match(const char *got, const char *want)
{
    char *g = quote_words(got), *w = quote_words(want);
    int ok = (*w && strstr(g, w)) || (*g && strstr(w, g) && strlen(g) * 2 > strlen(w)) ||
             (overlap(w, g) >= 0.7 && overlap(g, w) >= 0.7);
    free(g);
    free(w);
    return ok;
}

static void quote_score(field_score *f, const values *got, const values *want, const char *file)
{
    char a[256], b[256];
    for (size_t i = 0; i < want->n; i++) {
        int found = 0;
        for (size_t k = 0; k < got->n && !found; k++) {
            if (strcmp(name_part(want->v[i], a, sizeof a), name_part(got->v[k], b, sizeof b)))
                continue;
            const char *gq = strstr(got->v[k], " | "), *wq = strstr(want->v[i], " | ");
            found = gq && wq && quotes_match(gq + 3, wq + 3);
            if (!found)
                fprintf(stderr, "  %s: quote of %s: got [%s] want [%s]\n", file, a,
                        gq ? gq + 3 : "", wq ? wq + 3 : "");
        }
        if (found)
            f->tp++;
        else
            f->fn++;
    }
    for (size_t k = 0; k < got->n; k++) {
        int known = 0;
        for (size_t i = 0; i < want->n && !known; i++)
            known = strcmp(name_part(want->v[i], a, sizeof a), name_part(got->v[k], b, sizeof b)) == 0;
        if (!known)
            f->fp++;
    }
}

static char *join_values(const values *v)
{
    kh_buf b;
    kh_buf_init(&b);
    for (size_t i = 0; i < v->n; i++) {
        kh_buf_puts(&b, v->v[i]);
        kh_buf_putc(&b, '\n');
    }
    return kh_buf_take(&b);
}

static void score_article(const char *got, const char *want, const char *file)
{
    static const char *const singles[] = {"headline", "lead", "publisher", "url", "author"};
    values g, w;
    for (size_t i = 0; i < sizeof singles / sizeof singles[0]; i++) {
        get_values(got, singles[i], &g);
        get_values(want, singles[i], &w);
        single(score_of(singles[i]), first(&g), first(&w), file);
        free_values(&g);
        free_values(&w);
    }
    /* date: value and precision together */
    values gp, wp;
    get_values(got, "date", &g);
    get_values(want, "date", &w);
    get_values(got, "date_precision", &gp);
    get_values(want, "date_precision", &wp);
    char gd[96], wd[96];
    snprintf(gd, sizeof gd, "%s%s%s", first(&g), first(&g)[0] ? " " : "", first(&g)[0] ? first(&gp) : "");
    snprintf(wd, sizeof wd, "%s%s%s", first(&w), first(&w)[0] ? " " : "", first(&w)[0] ? first(&wp) : "");
    single(score_of("date"), gd, wd, file);
    free_values(&g), free_values(&w), free_values(&gp), free_values(&wp);
    get_values(got, "agency", &g);
    get_values(want, "agency", &w);
    set_score(score_of("agency"), &g, &w, file, 0);
    free_values(&g), free_values(&w);
    get_values(got, "person", &g);
    get_values(want, "person", &w);
    set_score(score_of("person"), &g, &w, file, 1);
    role_score(score_of("role"), &g, &w, file);
    free_values(&g), free_values(&w);
    get_values(got, "quote", &g);
    get_values(want, "quote", &w);
    quote_score(score_of("quote"), &g, &w, file);
    free_values(&g), free_values(&w);
    get_values(got, "body", &g);
    get_values(want, "body", &w);
    char *gb = join_values(&g), *wb = join_values(&w);
    single(score_of("body"), gb ? gb : "", wb ? wb : "", file);
    free(gb), free(wb);
    free_values(&g), free_values(&w);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_goldens(const char *fixtures)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/articles", fixtures);
    DIR *d = opendir(dir);
    CHECK(d != NULL, "open %s", dir);
    if (!d)
        return;
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 256) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".txt") == 0)
            names[n++] = kh_strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    CHECK(n >= 30, "at least 30 annotated articles, found %zu", n);
    for (size_t i = 0; i < n; i++) {
        char path[1200], gold[1200];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        snprintf(gold, sizeof gold, "%s/%.*s.expected", dir,
                 (int)(strlen(names[i]) - 4), names[i]);
        char *want = check_read_file(gold, NULL);
        CHECK(want != NULL, "golden file %s", gold);
        char *text = NULL;
        size_t len;
        khotin_article *a = NULL;
        int rc = khotin_read_file(path, &text, &len);
        CHECK(rc == 0, "%s: %s", names[i], khotin_last_error());
        if (rc == 0)
            rc = khotin_article_parse(text, len, &a);
        CHECK(rc == 0, "%s: parse: %s", names[i], khotin_last_error());
        if (a && want) {
            char *got = dump(a);
            score_article(got, want, names[i]);
            free(got);
        }
        khotin_article_free(a);
        free(text);
        free(want);
        free(names[i]);
    }
    printf("gold set: %zu articles in %s\n", n, dir);
    printf("  %-10s %9s %7s %7s %5s %5s %5s   floor\n", "field", "precision", "recall", "F1",
           "tp", "fp", "fn");
    for (size_t i = 0; i < NSCORES; i++) {
        field_score *f = &scores[i];
        double p = f->tp + f->fp ? (double)f->tp / (f->tp + f->fp) : 1;
        double r = f->tp + f->fn ? (double)f->tp / (f->tp + f->fn) : 1;
        double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
        printf("  %-10s %9.3f %7.3f %7.3f %5d %5d %5d   %.2f\n", f->name, p, r, f1, f->tp,
               f->fp, f->fn, f->floor);
        CHECK(f1 >= f->floor, "%s F1 %.3f below its floor %.2f", f->name, f1, f->floor);
    }
}

static const khotin_person *person(const khotin_article *a, const char *name)
{
    for (size_t i = 0; i < khotin_article_person_count(a); i++)
        if (strcmp(khotin_article_person(a, i)->name, name) == 0)
            return khotin_article_person(a, i);
    return NULL;
}

static void test_seed(const char *fixtures)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/../../shared/seeds/000_d905e1aecaee1440.txt", fixtures);
    char *text = NULL;
    size_t len;
    int rc = khotin_read_file(path, &text, &len);
    CHECK(rc == 0, "the seed article is expected at %s (shared/ beside the repo): %s",
          path, khotin_last_error());
    if (rc)
        return;
    khotin_article *a = NULL;
    CHECK(khotin_article_parse(text, len, &a) == 0, "parse seed");
    free(text);
    if (!a)
        return;
    CHECK_STR(khotin_article_headline(a), "Đối thoại an ninh mạng Nga- Mỹ đột ngột rẽ ngoặt", "headline");
    CHECK_STR(khotin_article_lead(a), "Moscow và Washington đang đàm phán để thành lập một nhóm làm việc an ninh mạng chung.", "lead");
    CHECK_STR(khotin_article_publisher(a), "Tổ Quốc", "publisher");
    CHECK_STR(khotin_article_url(a),
              "http://toquoc.vn/the-gioi/doi-thoai-an-ninh-mang-nga-my-dot-ngot-re-ngoat-247252.html", "url");
    CHECK_STR(khotin_article_date(a), "--07-20", "date without year");
    CHECK(khotin_article_date_precision(a) == KHOTIN_DATE_MONTH_DAY, "month_day precision");
    int reuters = 0, ria = 0;
    for (size_t i = 0; i < khotin_article_agency_count(a); i++) {
        reuters |= strcmp(khotin_article_agency(a, i), "Reuters") == 0;
        ria |= strcmp(khotin_article_agency(a, i), "RIA") == 0;
    }
    CHECK(reuters && ria, "agencies Reuters and RIA");
    const char *body = khotin_article_body(a);
    CHECK(strstr(body, "toquoc.vn") == NULL, "URL line not in body");
    CHECK(strstr(body, "(Theo Reuters)") == NULL, "(Theo Reuters) not in body");
    CHECK(strstr(body, "(Nguồn: Reuters)") == NULL, "caption credit not in body");
    CHECK(strstr(body, "đang nhận được nhiều sự chú ý.") != NULL, "caption paragraph kept");
    CHECK(strstr(body, "Thomas Bossert, cố vấn") != NULL, "body text kept");
    const khotin_person *k = person(a, "Andrey Krutskikh");
    CHECK(k && k->quoted, "Krutskikh quoted");
    CHECK(k && strcmp(k->role, "đặc phái viên đặc biệt của Tổng thống Nga về an ninh mạng") == 0,
          "Krutskikh role: %s", k ? k->role : "-");
    CHECK(k && strstr(k->quote, "Các cuộc đàm phán đang được tiến hành") == k->quote,
          "Krutskikh quote: %s", k ? k->quote : "-");
    const khotin_person *p = person(a, "Vladimir Putin");
    CHECK(p && !p->quoted, "Putin mentioned, not quoted");
    const char *quoted[] = {"Svetlana Lukash", "Donald Trump", "Thomas Bossert"};
    for (size_t i = 0; i < 3; i++) {
        const khotin_person *q = person(a, quoted[i]);
        CHECK(q && q->quoted, "%s quoted", quoted[i]);
    }
    CHECK(khotin_article_person_count(a) == 5, "five people, got %zu",
          khotin_article_person_count(a));
    khotin_article_free(a);
}

static void test_dates(void)
{
    static const char *rows[][3] = {
        {"Thứ năm, 20/7/2017, 14:30 (GMT+7)", "2017-07-20T14:30+07:00", "time"},
        {"Hà Nội ngày 20/7 đưa tin", "--07-20", "month_day"},
        {"hôm 5/3, đội bóng", "--03-05", "month_day"},
        {"ngày 20 tháng 7 năm 2017", "2017-07-20", "day"},
        {"Ngày 20 tháng 7, mưa lớn", "--07-20", "month_day"},
        {"20-07-2017", "2017-07-20", "day"},
        {"20.7.2017", "2017-07-20", "day"},
        {"2017-07-20T08:15", "2017-07-20T08:15", "time"},
        {"cập nhật 12/04/2019 16:40", "2019-04-12T16:40", "time"},
        {"từ tháng 10/2016 đến 9/2017, tỷ số 2/1", "", "none"},
        {"ngày 31/2", "--02-31", "month_day"},
        {"ngày 32/1 hay 12/13", "", "none"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        kh_date d;
        int found = kh_date_find(rows[i][0], &d);
        CHECK(found == (rows[i][1][0] != 0), "%s: found=%d", rows[i][0], found);
        CHECK_STR(d.iso, rows[i][1], rows[i][0]);
        CHECK_STR(khotin_date_precision_name(d.precision), rows[i][2], rows[i][0]);
    }
    kh_date d;
    CHECK(kh_date_line("Thứ hai, 15/10/2018, 09:05 (GMT+7)", &d), "dateline");
    CHECK(!kh_date_line("Ngày 20/7/2017, Thủ tướng phát biểu", &d), "not a dateline");
}

int main(int argc, char **argv)
{
    const char *fixtures = argc > 1 ? argv[1] : "fixtures";
    test_dates();
    test_goldens(fixtures);
    test_seed(fixtures);
    return check_summary("test_extract");
}
