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

/* Floors for the people scores on fixtures/articles (see README). */
#define PEOPLE_F1_FLOOR 0.96
#define ROLE_ACCURACY_FLOOR 0.96

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    kh_buf b;
    kh_buf_init(&b);
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        kh_buf_append(&b, tmp, n);
    fclose(f);
    return kh_buf_take(&b);
}

static char *dump(const khotin_article *a)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    khotin_article_dump(a, f);
    fclose(f);
    return buf;
}

/* Lines of `text` starting (or not) with "person: ". */
static char *select_lines(const char *text, int persons)
{
    kh_buf b;
    kh_buf_init(&b);
    const char *p = text;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p + 1) : strlen(p);
        int is_person = strncmp(p, "person: ", 8) == 0;
        if (is_person == persons)
            kh_buf_append(&b, p, n);
        p += n;
    }
    return kh_buf_take(&b);
}

typedef struct score {
    int tp, fp, fn, roles_ok, roles_total;
} score;

/* Compare person lines "name | role | quoted" as sets. */
static void score_people(const char *got, const char *want, score *s, const char *name)
{
    const char *p = want;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)n, p);
        char *bar1 = strchr(line, '|');
        char *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
        if (bar1 && bar2) {
            /* name and status must match; role is scored separately */
            char key[512];
            snprintf(key, sizeof key, "%.*s", (int)(bar1 - line), line);
            const char *status = bar2 + 1;
            const char *q = strstr(got, key);
            int found = 0;
            while (q) {
                const char *qe = strchr(q, '\n');
                size_t qn = qe ? (size_t)(qe - q) : strlen(q);
                char gl[512];
                snprintf(gl, sizeof gl, "%.*s", (int)qn, q);
                char *gb1 = strchr(gl, '|');
                char *gb2 = gb1 ? strchr(gb1 + 1, '|') : NULL;
                if (gb1 && gb2 && (size_t)(gb1 - gl) == strlen(key) &&
                    strcmp(gb2 + 1, status) == 0) {
                    found = 1;
                    s->roles_total++;
                    if (strcmp(gl, line) == 0)
                        s->roles_ok++;
                    else
                        fprintf(stderr, "  %s: role differs: got [%s] want [%s]\n", name, gl, line);
                    break;
                }
                q = strstr(q + 1, key);
            }
            if (found)
                s->tp++;
            else {
                s->fn++;
                fprintf(stderr, "  %s: missed %s\n", name, line);
            }
        }
        p += e ? n + 1 : n;
    }
    /* false positives: got lines whose name+status is not in want */
    p = got;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)n, p);
        char *bar1 = strchr(line, '|');
        char *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
        if (bar1 && bar2) {
            char key[512];
            snprintf(key, sizeof key, "%.*s|", (int)(bar1 - line), line);
            int match = 0;
            for (const char *w = strstr(want, key); w && !match; w = strstr(w + 1, key)) {
                const char *we = strchr(w, '\n');
                size_t wn = we ? (size_t)(we - w) : strlen(w);
                const char *wb2 = memchr(w + strlen(key), '|', wn - strlen(key));
                if (wb2 && strncmp(wb2, bar2, strlen(bar2)) == 0)
                    match = 1;
            }
            if (!match) {
                s->fp++;
                fprintf(stderr, "  %s: extra %s\n", name, line);
            }
        }
        p += e ? n + 1 : n;
    }
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
    CHECK(n >= 10, "at least 10 fixture articles, found %zu", n);
    score s = {0};
    for (size_t i = 0; i < n; i++) {
        char path[1200], gold[1200];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        snprintf(gold, sizeof gold, "%s/%.*s.expected", dir,
                 (int)(strlen(names[i]) - 4), names[i]);
        char *want = slurp(gold);
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
            char *got_fields = select_lines(got, 0), *want_fields = select_lines(want, 0);
            char *got_people = select_lines(got, 1), *want_people = select_lines(want, 1);
            CHECK(strcmp(got_fields, want_fields) == 0,
                  "%s: fields differ from the golden file\n--- got\n%s--- want\n%s",
                  names[i], got_fields, want_fields);
            score_people(got_people, want_people, &s, names[i]);
            free(got);
            free(got_fields);
            free(want_fields);
            free(got_people);
            free(want_people);
        }
        khotin_article_free(a);
        free(text);
        free(want);
        free(names[i]);
    }
    double p = s.tp + s.fp ? (double)s.tp / (s.tp + s.fp) : 0;
    double r = s.tp + s.fn ? (double)s.tp / (s.tp + s.fn) : 0;
    double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
    double roles = s.roles_total ? (double)s.roles_ok / s.roles_total : 0;
    printf("people (name + quoted/mentioned) on %zu fixtures: precision %.3f, "
           "recall %.3f, F1 %.3f (tp %d, fp %d, fn %d); roles exact %.3f (%d/%d)\n",
           n, p, r, f1, s.tp, s.fp, s.fn, roles, s.roles_ok, s.roles_total);
    CHECK(f1 >= PEOPLE_F1_FLOOR, "people F1 %.3f below the floor %.2f", f1, PEOPLE_F1_FLOOR);
    CHECK(roles >= ROLE_ACCURACY_FLOOR, "role accuracy %.3f below the floor %.2f", roles,
          ROLE_ACCURACY_FLOOR);
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
