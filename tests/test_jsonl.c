/* test_jsonl.c - the JSON Lines reader (read_jsonl.c): the fields of every
 * article of fixtures/jsonl/articles.jsonl, the errors of its bad lines,
 * BOM / CRLF / blank lines, dates in their many forms, long lines, a
 * callback that stops, and an import (then a re-import) of the file.
 *
 * articles.jsonl: lines 1-3, 5, 8, 9 are articles (line 3 ends in CRLF,
 * line 9 has no newline); line 4 is broken JSON, line 6 has neither title
 * nor body, line 7 is blank. */
#include "check.h"
#include "reader.h"

#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- collecting documents ---- */

#define MAX_DOCS 16

typedef struct got {
    size_t n;
    int status[MAX_DOCS];
    char *error[MAX_DOCS]; /* khotin_last_error() for failed documents */
    kh_doc doc[MAX_DOCS];
    size_t stop_after; /* return 1 after this many documents (0: never) */
} got;

static int collect(void *ctx, int status, kh_doc *d)
{
    got *g = ctx;
    if (g->n < MAX_DOCS) {
        g->status[g->n] = status;
        g->error[g->n] = status ? strdup(khotin_last_error()) : NULL;
        g->doc[g->n] = *d;
        memset(d, 0, sizeof *d);
        g->n++;
    } else {
        kh_doc_clear(d);
    }
    return g->stop_after && g->n >= g->stop_after;
}

static void got_free(got *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->error[i]);
        kh_doc_clear(&g->doc[i]);
    }
    memset(g, 0, sizeof *g);
}

static int read_str(const char *data, got *g)
{
    return kh_read_docs("t.jsonl", data, strlen(data), NULL, collect, g);
}

/* ---- the fixture ---- */

typedef struct want {
    const char *name_suffix; /* ":LINE" */
    const char *headline, *lead, *date;
    khotin_date_precision precision;
    const char *url, *publisher, *author;
    const char *body; /* as khotin_article_body() gives it */
} want;

static const want wants[] = {
    {":1", "Hà Nội khởi công cầu Tứ Liên bắc qua sông Hồng",
     "Cầu Tứ Liên dài hơn 5 km, nối quận Tây Hồ với huyện Đông Anh, dự kiến hoàn "
     "thành sau ba năm.",
     "2017-07-20T14:30+07:00", KHOTIN_DATE_TIME,
     "https://vnexpress.net/ha-noi-khoi-cong-cau-tu-lien-3611001.html", "VnExpress",
     "Đặng Văn Lâm",
     "Lễ khởi công diễn ra sáng 20/7 với sự tham dự của lãnh đạo thành phố.\n\n"
     "Tổng vốn đầu tư của dự án khoảng 20.000 tỷ đồng.\n\n"
     "Ông Nguyễn Văn Phong, giám đốc ban quản lý dự án, cho biết cầu có sáu làn xe."},
    {":2", "Giá vàng trong nước tăng phiên thứ ba liên tiếp",
     "Sáng nay, giá vàng miếng tăng thêm 50.000 đồng mỗi lượng, lên 36,5 triệu đồng.",
     "2017-07-21T09:15", KHOTIN_DATE_TIME,
     "https://tuoitre.vn/gia-vang-tang-phien-thu-ba-1002.htm", "Tuổi Trẻ",
     "Nguyễn Thị Ngọc Thịnh; Trần Minh Đức",
     "Các doanh nghiệp kinh doanh vàng cho biết lượng khách mua vào tăng nhẹ so với "
     "tuần trước.\n\nTrên thị trường thế giới, giá vàng giao ngay đứng ở mức 1.245 "
     "USD một ounce."},
    {":3", "Đà Nẵng đón hơn một triệu lượt khách quốc tế",
     "Lượng khách quốc tế đến Đà Nẵng trong sáu tháng đầu năm tăng 30% so với cùng kỳ.",
     "2017-07-22", KHOTIN_DATE_DAY, "https://thanhnien.vn/da-nang-don-khach-quoc-te-1003.html",
     "Thanh Niên", NULL,
     "Khách Hàn Quốc chiếm tỷ lệ cao nhất, tiếp theo là khách Trung Quốc và Nhật Bản.\n\n"
     "Sở Du lịch thành phố dự báo con số này còn tăng mạnh trong mùa hè."},
    {":5", "Học sinh miền núi đến trường bằng thuyền", NULL, "2017-07-22T13:30+07:00",
     KHOTIN_DATE_TIME, NULL, "Dân trí", NULL,
     "Thầy Lò Văn Minh cho biết nhà trường đã đề nghị xây một cây cầu treo."},
    {":8", "Ngân hàng Nhà nước giữ nguyên lãi suất điều hành",
     "Lãi suất tái cấp vốn được giữ ở mức 6,25% một năm.", "2017-07-23T02:15+00:00",
     KHOTIN_DATE_TIME, "https://vietnamnet.vn/ngan-hang-giu-lai-suat-1008.html",
     "VietNamNet", "Lê Hoàng; Phạm Hà",
     "Thống đốc Lê Minh Hưng cho biết chính sách tiền tệ sẽ tiếp tục ổn định."},
    {":9", "Công nhân khu công nghiệp được hỗ trợ nhà ở",
     "Thành phố sẽ xây thêm 3.000 căn hộ cho công nhân thuê với giá thấp.", "2017-07",
     KHOTIN_DATE_MONTH, "https://laodong.vn/cong-nhan-nha-o-1009.ldo", "Lao Động", NULL,
     "Dự án đầu tiên được khởi công tại khu công nghiệp Quang Minh."},
};

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

#define CHECK_OPT(got_, want_, what)                                          \
    do {                                                                      \
        if (want_)                                                            \
            CHECK_STR(got_, want_, what);                                     \
        else                                                                  \
            CHECK((got_) == NULL, "%s: want none, got \"%s\"", what, got_);   \
    } while (0)

static void check_doc(const kh_doc *d, const want *w)
{
    CHECK(d->name && ends_with(d->name, w->name_suffix), "name %s", d->name);
    CHECK_OPT(d->headline, w->headline, w->name_suffix);
    CHECK_OPT(d->lead, w->lead, w->name_suffix);
    CHECK_OPT(d->date, w->date, w->name_suffix);
    CHECK(d->date_precision == w->precision, "%s: precision %s", w->name_suffix,
          khotin_date_precision_name(d->date_precision));
    CHECK_OPT(d->url, w->url, w->name_suffix);
    CHECK_OPT(d->publisher, w->publisher, w->name_suffix);
    CHECK_OPT(d->author, w->author, w->name_suffix);
    khotin_article *a = NULL;
    CHECK(khotin_article_parse(d->text, d->len, &a) == 0, "%s: parse", w->name_suffix);
    if (a) {
        CHECK_STR(khotin_article_headline(a), w->headline, "parsed headline");
        CHECK_STR(khotin_article_body(a), w->body, w->name_suffix);
    }
    khotin_article_free(a);
}

static void test_fixture(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/jsonl/articles.jsonl", dir);
    size_t len = 0;
    char *data = check_read_file(path, &len);
    CHECK(data != NULL, "%s missing", path);
    if (!data)
        return;
    got g = {0};
    CHECK(kh_read_docs(path, data, len, NULL, collect, &g) == 0, "read: %s",
          khotin_last_error());
    CHECK(g.n == 8, "8 documents (6 good, 2 bad), got %zu", g.n);
    size_t w = 0;
    for (size_t i = 0; i < g.n; i++) {
        if (g.status[i] == 0 && w < sizeof wants / sizeof wants[0])
            check_doc(&g.doc[i], &wants[w++]);
    }
    CHECK(w == 6, "6 good documents, got %zu", w);
    /* the bad lines: 4 (broken JSON) and 6 (no title, no body) */
    char l4[1100], l6[1100];
    snprintf(l4, sizeof l4, "%s:4", path);
    snprintf(l6, sizeof l6, "%s:6", path);
    CHECK(g.n > 3 && g.status[3] == KHOTIN_EINPUT, "line 4 fails");
    CHECK(g.n > 3 && g.doc[3].name && strcmp(g.doc[3].name, l4) == 0, "line 4 named");
    CHECK(g.n > 3 && g.error[3] && strncmp(g.error[3], l4, strlen(l4)) == 0 &&
              strstr(g.error[3], "invalid JSON"),
          "line 4 message: %s", g.n > 3 && g.error[3] ? g.error[3] : "");
    CHECK(g.n > 5 && g.status[5] == KHOTIN_EINPUT && g.doc[5].text == NULL, "line 6 fails");
    CHECK(g.n > 5 && g.error[5] && strncmp(g.error[5], l6, strlen(l6)) == 0 &&
              strstr(g.error[5], "no title and no body"),
          "line 6 message: %s", g.n > 5 && g.error[5] ? g.error[5] : "");
    /* the first document's text in the plain-article shape */
    CHECK_STR(g.doc[0].text,
              "Hà Nội khởi công cầu Tứ Liên bắc qua sông Hồng\n\n"
              "Cầu Tứ Liên dài hơn 5 km, nối quận Tây Hồ với huyện Đông Anh, dự kiến "
              "hoàn thành sau ba năm.\n\n"
              "Lễ khởi công diễn ra sáng 20/7 với sự tham dự của lãnh đạo thành phố.\n\n"
              "Tổng vốn đầu tư của dự án khoảng 20.000 tỷ đồng.\n\n"
              "Ông Nguyễn Văn Phong, giám đốc ban quản lý dự án, cho biết cầu có sáu làn xe.\n",
              "text shape");
    got_free(&g);
    free(data);
}

/* ---- small inputs ---- */

static void test_lines(void)
{
    got g = {0};
    /* BOM, CRLF, blank lines, last line without a newline */
    const char *in = "\xEF\xBB\xBF{\"title\":\"Một\",\"content\":\"A\"}\r\n\r\n  \n"
                     "{\"title\":\"Hai\",\"content\":\"B\"}";
    CHECK(read_str(in, &g) == 0 && g.n == 2, "BOM/CRLF/blank: %zu docs", g.n);
    CHECK(g.n == 2 && g.status[0] == 0 && g.status[1] == 0, "both good");
    CHECK_STR(g.n ? g.doc[0].name : NULL, "t.jsonl:1", "line 1");
    CHECK_STR(g.n > 1 ? g.doc[1].name : NULL, "t.jsonl:4", "line 4");
    CHECK_STR(g.n ? g.doc[0].text : NULL, "Một\n\nA\n", "text");
    got_free(&g);

    /* not an object; a body with no title; NFD text becomes NFC; a title
     * of the wrong type does not count; keys in any case */
    in = "{\"title\":\"x\",\"body\":\"y\"}\n[1,2]\n"
         "{\"BODY\":[\"Nguye\xCC\x82\xCC\x83n v\xC4\x83n\", 7, \"\\u0110o\\u1ea1n hai\"]}\n"
         "{\"title\": 12, \"lead\": \"chỉ có sapo\"}\n";
    CHECK(kh_read_jsonl("t.jsonl", in, strlen(in), NULL, collect, &g) == 0, "mixed");
    CHECK(g.n == 4, "4 documents, got %zu", g.n);
    CHECK(g.n > 1 && g.status[1] == KHOTIN_EINPUT && g.error[1] &&
              strstr(g.error[1], "t.jsonl:2: not a JSON object"),
          "array line: %s", g.n > 1 && g.error[1] ? g.error[1] : "");
    CHECK(g.n > 2 && g.status[2] == 0 && g.doc[2].headline == NULL, "body only");
    CHECK_STR(g.n > 2 ? g.doc[2].text : NULL, "Nguyễn văn\n\nĐoạn hai\n", "NFC body");
    CHECK(g.n > 3 && g.status[3] == KHOTIN_EINPUT, "a lead alone is not an article");
    got_free(&g);

    /* nothing but blank lines: the whole file fails */
    CHECK(kh_read_jsonl("e.jsonl", "\n \r\n", 4, NULL, collect, &g) == KHOTIN_EINPUT &&
              g.n == 0, "blank file");
    CHECK(strstr(khotin_last_error(), "e.jsonl") != NULL, "names the file");

    /* the callback stops the reading; its value comes back */
    g.stop_after = 1;
    in = "{\"title\":\"a\",\"text\":\"b\"}\n{\"title\":\"c\",\"text\":\"d\"}\n";
    CHECK(kh_read_jsonl("t.jsonl", in, strlen(in), NULL, collect, &g) == 1 && g.n == 1,
          "stopped after one");
    got_free(&g);
}

static void test_long_line(void)
{
    size_t n = 33u * 1024 * 1024;
    char *big = malloc(n + 64);
    if (!big)
        return;
    const char *head = "{\"title\":\"x\",\"content\":\"";
    const char *tail = "\"}\n{\"title\":\"sau\",\"content\":\"ok\"}\n";
    memcpy(big, head, strlen(head));
    memset(big + strlen(head), 'a', n - strlen(head));
    memcpy(big + n, tail, strlen(tail));
    got g = {0};
    CHECK(kh_read_jsonl("big.jsonl", big, n + strlen(tail), NULL, collect, &g) == 0,
          "big file");
    CHECK(g.n == 2 && g.status[0] == KHOTIN_EINPUT && g.error[0] &&
              strstr(g.error[0], "big.jsonl:1: line is") && strstr(g.error[0], "32 MiB"),
          "long line: %s", g.n && g.error[0] ? g.error[0] : "");
    CHECK(g.n == 2 && g.status[1] == 0, "the next line is read");
    got_free(&g);
    free(big);
}

static void test_dates(void)
{
    static const struct {
        const char *json; /* the date field's value */
        const char *iso;  /* NULL: no date */
        khotin_date_precision p;
    } rows[] = {
        {"\"2017-07-20T14:30:00+07:00\"", "2017-07-20T14:30+07:00", KHOTIN_DATE_TIME},
        {"\"2017-07-20T14:30:59+0700\"", "2017-07-20T14:30+07:00", KHOTIN_DATE_TIME},
        {"\"2017-07-20T07:30:00.123Z\"", "2017-07-20T07:30+00:00", KHOTIN_DATE_TIME},
        {"\"2017-07-20 14:30\"", "2017-07-20T14:30", KHOTIN_DATE_TIME},
        {"\"2017-07-20T14:30-05\"", "2017-07-20T14:30-05:00", KHOTIN_DATE_TIME},
        {"\"2017-07-20\"", "2017-07-20", KHOTIN_DATE_DAY},
        {"\"2017-07\"", "2017-07", KHOTIN_DATE_MONTH},
        {"\"2017\"", "2017", KHOTIN_DATE_YEAR},
        {"\"20/7/2017 14:30\"", "2017-07-20T14:30", KHOTIN_DATE_TIME},
        {"\"20/07/2017\"", "2017-07-20", KHOTIN_DATE_DAY},
        {"\"Thứ năm, 20/7/2017, 14:30 (GMT+7)\"", "2017-07-20T14:30+07:00", KHOTIN_DATE_TIME},
        {"1500535800", "2017-07-20T14:30+07:00", KHOTIN_DATE_TIME},
        {"1500535800.5", "2017-07-20T14:30+07:00", KHOTIN_DATE_TIME},
        {"1500535800000", "2017-07-20T14:30+07:00", KHOTIN_DATE_TIME},
        {"\"1500535800\"", "2017-07-20T14:30+07:00", KHOTIN_DATE_TIME},
        {"\"2017-13-01\"", NULL, KHOTIN_DATE_NONE},
        {"\"hôm qua\"", NULL, KHOTIN_DATE_NONE},
        {"-5", NULL, KHOTIN_DATE_NONE},
        {"true", NULL, KHOTIN_DATE_NONE},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char line[256];
        snprintf(line, sizeof line, "{\"title\":\"t\",\"content\":\"c\",\"date\":%s}",
                 rows[i].json);
        got g = {0};
        CHECK(read_str(line, &g) == 0 && g.n == 1 && g.status[0] == 0, "%s", rows[i].json);
        if (g.n == 1) {
            CHECK_OPT(g.doc[0].date, rows[i].iso, rows[i].json);
            CHECK(g.doc[0].date_precision == rows[i].p, "%s: precision %s", rows[i].json,
                  khotin_date_precision_name(g.doc[0].date_precision));
        }
        got_free(&g);
    }
}

static void test_fields(void)
{
    /* first name of a list wins over later ones; publisher from a host,
     * from a URL, kept as written, or from the url field */
    static const struct {
        const char *json, *publisher, *headline;
    } rows[] = {
        {"{\"headline\":\"B\",\"title\":\"A\",\"text\":\"x\"}", NULL, "A"},
        {"{\"title\":\"A\",\"text\":\"x\",\"site\":\"WWW.Dantri.com.vn\"}", "Dân trí", "A"},
        {"{\"title\":\"A\",\"text\":\"x\",\"source\":\"Báo Mới\"}", "Báo Mới", "A"},
        {"{\"title\":\"A\",\"text\":\"x\",\"domain\":\"example.org\"}", "example.org", "A"},
        {"{\"title\":\"A\",\"text\":\"x\",\"link\":\"http://vov.vn/a\"}", "VOV", "A"},
        {"{\"title\":\"  A\\n  b \",\"text\":\"x\",\"source\":\"\"}", NULL, "A b"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        got g = {0};
        CHECK(read_str(rows[i].json, &g) == 0 && g.n == 1 && g.status[0] == 0, "%s",
              rows[i].json);
        if (g.n == 1) {
            CHECK_OPT(g.doc[0].publisher, rows[i].publisher, rows[i].json);
            CHECK_STR(g.doc[0].headline, rows[i].headline, rows[i].json);
        }
        got_free(&g);
    }
}

/* ---- import ---- */

typedef struct outcomes {
    int imported, duplicate, failed;
    int failed_4, failed_6; /* the bad lines were named */
} outcomes;

static void on_import(void *ctx, const char *path, khotin_import_outcome o, int64_t id,
                      const char *msg)
{
    outcomes *c = ctx;
    (void)id;
    if (o == KHOTIN_IMPORTED)
        c->imported++;
    else if (o == KHOTIN_DUPLICATE)
        c->duplicate++;
    else {
        c->failed++;
        c->failed_4 |= ends_with(path, "articles.jsonl:4") && msg && strstr(msg, "invalid JSON");
        c->failed_6 |= ends_with(path, "articles.jsonl:6") && msg &&
                       strstr(msg, "no title and no body");
    }
}

static void import_once(khotin_db *db, const char *path, outcomes *c, khotin_import_stats *st)
{
    khotin_importer *imp = NULL;
    memset(c, 0, sizeof *c);
    CHECK(khotin_importer_new(db, 0, &imp) == 0, "importer");
    if (!imp)
        return;
    CHECK(khotin_importer_add(imp, path, on_import, c) == 0, "add: %s", khotin_last_error());
    CHECK(khotin_importer_finish(imp) == 0, "finish: %s", khotin_last_error());
    *st = *khotin_importer_stats(imp);
    khotin_importer_free(imp);
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[1100];
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

static void test_import(const char *dir)
{
    char tmp[] = "/tmp/khotin-jsonl-XXXXXX", dbpath[1100], path[1024];
    if (!mkdtemp(tmp)) {
        CHECK(0, "mkdtemp");
        return;
    }
    snprintf(dbpath, sizeof dbpath, "%s/a.db", tmp);
    snprintf(path, sizeof path, "%s/jsonl/articles.jsonl", dir);
    khotin_db *db = NULL;
    CHECK(khotin_open(dbpath, 0, &db) == 0, "open: %s", khotin_last_error());
    if (db) {
        outcomes c;
        khotin_import_stats st = {0};
        import_once(db, path, &c, &st);
        CHECK(st.files == 1 && st.imported == 6 && st.failed == 2 && st.duplicates == 0,
              "import: files %llu imported %llu failed %llu dup %llu",
              (unsigned long long)st.files, (unsigned long long)st.imported,
              (unsigned long long)st.failed, (unsigned long long)st.duplicates);
        CHECK(c.imported == 6 && c.failed == 2 && c.failed_4 && c.failed_6,
              "callback: %d imported, %d failed, lines named %d %d", c.imported, c.failed,
              c.failed_4, c.failed_6);
        CHECK(khotin_article_total(db) == 6, "6 articles stored");
        import_once(db, path, &c, &st);
        CHECK(st.imported == 0 && st.duplicates == 6 && st.failed == 2,
              "re-import: imported %llu dup %llu failed %llu",
              (unsigned long long)st.imported, (unsigned long long)st.duplicates,
              (unsigned long long)st.failed);
        CHECK(khotin_article_total(db) == 6, "still 6 articles");
        /* the metadata reached the archive */
        khotin_search_opts o = {0};
        khotin_results *r = NULL;
        CHECK(khotin_search(db, "cau tu lien", &o, &r) == 0 && khotin_results_count(r) == 1,
              "search cau tu lien");
        if (r && khotin_results_count(r) == 1) {
            const khotin_hit *h = khotin_results_get(r, 0);
            CHECK_STR(h->publisher, "VnExpress", "stored publisher");
            CHECK_STR(h->date, "2017-07-20T14:30+07:00", "stored date");
            CHECK(h->date_precision == KHOTIN_DATE_TIME, "stored precision");
        }
        khotin_results_free(r);
    }
    khotin_close(db);
    remove_dir(tmp);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "fixtures";
    test_fixture(dir);
    test_lines();
    test_long_line();
    test_dates();
    test_fields();
    test_import(dir);
    return check_summary("test_jsonl");
}
