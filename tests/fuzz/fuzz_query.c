/* fuzz_query.c - the query language (query_parse.c), the FTS5 expression
 * builder (query.c) and a real search against a small archive.
 *
 * The input bytes are the query (cut at 4 KiB, NUL added; an embedded NUL
 * ends it). khotin.h promises that a malformed query gives KHOTIN_EQUERY
 * and that no SQLite error reaches the caller for user input, so
 * khotin_search must return KHOTIN_OK or KHOTIN_EQUERY, and a query that
 * kq_parse accepts and that has words must never be refused by SQLite
 * ("this query could not be run"). */
#include "fuzz.h"
#include "query_parse.h"

#include <dirent.h>
#include <unistd.h>

/* query.c, not in a header: the FTS5 MATCH expression of a query. */
int kh_query_expression(const char *query, int fold, char **out);

#define QUERY_MAX 4096

static khotin_db *db;
static char dir[64];

static const char *const articles[] = {
    "Đặng Văn Lâm giữ sạch lưới, Việt Nam thắng Thái Lan 2-0\n\n"
    "Thủ môn Đặng Văn Lâm có nhiều pha cứu thua xuất sắc giúp đội tuyển Việt Nam "
    "đánh bại Thái Lan trên sân Mỹ Đình ngày 20 tháng 7 năm 2017.\n\n"
    "Huấn luyện viên Park Hang-seo cho biết ông hài lòng. “Các cầu thủ đã chơi kỷ "
    "luật và không bỏ cuộc”, ông Nguyễn Văn Hùng, trợ lý ngôn ngữ, nói sau trận.\n\n"
    "Theo TTXVN\n",
    "Thuỷ điện Hoà Bình mở thêm cửa xả đáy\n\n"
    "Nhà máy thuỷ điện Hoà Bình mở thêm một cửa xả đáy vào chiều 21/7/2018 khi mực "
    "nước hồ lên nhanh do mưa lớn, an ninh mạng và đồng bằng sông Hồng được bảo vệ.\n\n"
    "Ông Trần Minh Đức, Phó giám đốc công ty, cho biết: \"Chúng tôi theo dõi mực "
    "nước từng giờ\".\n\n"
    "Nguồn VnExpress: https://vnexpress.net/thuy-dien-hoa-binh-123.html\n",
    "Rét đậm ở miền Bắc, Sa Pa có băng giá\n\n"
    "Không khí lạnh tăng cường khiến nhiệt độ ở Sa Pa xuống 1 độ C sáng 5/1/2019, "
    "người dân đốt lửa sưởi ấm; bò, trâu được che chắn.\n\n"
    "Bà Lê Thị Hoa, cán bộ khí tượng, nói rét còn kéo dài.\n",
};

static void remove_archive(void)
{
    khotin_close(db);
    db = NULL;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[512];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* Once per process: a fresh archive in a folder of its own under /tmp
 * (removed at exit; left behind when the process dies on a finding). */
static void open_archive(void)
{
    snprintf(dir, sizeof dir, "/tmp/khotin-fuzz-%ld-XXXXXX", (long)getpid());
    FUZZ_CHECK(mkdtemp(dir) != NULL, "setup: cannot create a folder under /tmp");
    char path[128];
    snprintf(path, sizeof path, "%s/archive.db", dir);
    int rc = khotin_open(path, 0, &db);
    FUZZ_CHECK(rc == KHOTIN_OK, "setup: khotin_open(%s): %s", path, khotin_last_error());
    atexit(remove_archive);
    khotin_importer *imp = NULL;
    rc = khotin_importer_new(db, 0, &imp);
    FUZZ_CHECK(rc == KHOTIN_OK, "setup: khotin_importer_new: %s", khotin_last_error());
    for (size_t i = 0; i < sizeof articles / sizeof articles[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "seed%zu.txt", i);
        rc = khotin_importer_add_buffer(imp, name, articles[i], strlen(articles[i]),
                                        NULL, NULL);
        FUZZ_CHECK(rc == KHOTIN_OK, "setup: import: %s", khotin_last_error());
    }
    rc = khotin_importer_finish(imp);
    FUZZ_CHECK(rc == KHOTIN_OK, "setup: commit: %s", khotin_last_error());
    FUZZ_CHECK(khotin_importer_stats(imp)->imported == sizeof articles / sizeof articles[0],
               "setup: only %llu articles imported",
               (unsigned long long)khotin_importer_stats(imp)->imported);
    khotin_importer_free(imp);
}

static void check_parse(const char *q, size_t qlen, int *parsed_ok)
{
    kq_query *pq = NULL;
    char err[256];
    size_t pos = 0;
    int rc = kq_parse(q, &pq, err, sizeof err, &pos);
    FUZZ_CHECK(rc == 0 || rc == -1 || rc == -2, "kq_parse returned %d", rc);
    *parsed_ok = rc == 0;
    if (rc != 0) {
        FUZZ_CHECK(pq == NULL, "kq_parse failed but set *out");
        if (rc == -1) {
            FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL, "error message not terminated");
            FUZZ_CHECK(err[0] != '\0', "kq_parse failed without a message");
            FUZZ_CHECK(pos <= qlen, "error position %zu past the end (%zu)", pos, qlen);
        }
        return;
    }
    FUZZ_CHECK(pq != NULL, "kq_parse succeeded without a query");
    FUZZ_CHECK(memchr(pq->warning, '\0', sizeof pq->warning) != NULL, "warning not terminated");
    for (size_t i = 0; i < pq->nclauses; i++) {
        const kq_clause *cl = &pq->clauses[i];
        FUZZ_CHECK(cl->nalts >= 1 && cl->alts, "clause %zu has no alternative", i);
        for (size_t k = 0; k < cl->nalts; k++) {
            FUZZ_CHECK(cl->alts[k].nwords >= 1 && cl->alts[k].words,
                       "clause %zu alt %zu has no word", i, k);
            for (size_t w = 0; w < cl->alts[k].nwords; w++)
                FUZZ_CHECK(cl->alts[k].words[w] != NULL, "NULL word");
        }
    }
    for (size_t i = 0; i < pq->npersons; i++)
        FUZZ_CHECK(pq->persons[i] != NULL, "NULL person filter");
    for (size_t i = 0; i < pq->nsources; i++)
        FUZZ_CHECK(pq->sources[i] != NULL, "NULL source filter");
    const char *dates[2] = {pq->from, pq->to};
    for (int i = 0; i < 2; i++) {
        const char *d = dates[i];
        FUZZ_CHECK(memchr(d, '\0', 11) != NULL, "from:/to: not terminated");
        if (d[0])
            FUZZ_CHECK(strlen(d) == 10 && d[4] == '-' && d[7] == '-' &&
                           strspn(d, "0123456789") == 4,
                       "from:/to: not YYYY-MM-DD: '%s'", d);
    }
    kq_query_free(pq);
}

static void check_search(const char *q, int fold, khotin_sort sort, int parsed_ok)
{
    khotin_search_opts o = {0};
    o.limit = 5;
    o.fold = fold;
    o.sort = sort;
    o.count_total = 1;
    khotin_results *r = NULL;
    int rc = khotin_search(db, q, &o, &r);
    FUZZ_CHECK(rc == KHOTIN_OK || rc == KHOTIN_EQUERY,
               "khotin_search(fold %d, sort %d) returned %d: %s", fold, (int)sort, rc,
               khotin_last_error());
    if (rc != KHOTIN_OK) {
        FUZZ_CHECK(r == NULL, "khotin_search failed but set *out");
        /* query.c's message when SQLite refuses the MATCH expression it built
         * (other EQUERY messages may quote the user's text: compare the start) */
        static const char refused[] = "this query could not be run";
        FUZZ_CHECK(!(parsed_ok && strncmp(khotin_last_error(), refused, sizeof refused - 1) == 0),
                   "a query kq_parse accepts was refused by SQLite: %s",
                   khotin_last_error());
        return;
    }
    FUZZ_CHECK(parsed_ok, "khotin_search accepted a query kq_parse refuses");
    FUZZ_CHECK(r != NULL, "khotin_search succeeded without results");
    size_t n = khotin_results_count(r);
    FUZZ_CHECK(n <= 5, "%zu results with limit 5", n);
    FUZZ_CHECK(khotin_results_total(r) >= (int64_t)n, "total %lld < count %zu",
               (long long)khotin_results_total(r), n);
    for (size_t i = 0; i < n; i++) {
        const khotin_hit *h = khotin_results_get(r, i);
        FUZZ_CHECK(h && h->date && h->headline && h->publisher && h->url && h->people &&
                       h->snippet,
                   "hit %zu has a NULL field", i);
        FUZZ_CHECK(fuzz_utf8_ok(h->snippet, strlen(h->snippet)),
                   "snippet of hit %zu is not valid UTF-8", i);
    }
    khotin_results_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db)
        open_archive();
    size_t n = size < QUERY_MAX ? size : QUERY_MAX;
    char *q = malloc(n + 1);
    FUZZ_CHECK(q != NULL, "out of memory");
    memcpy(q, data, n);
    q[n] = '\0';
    size_t qlen = strlen(q);

    int parsed_ok = 0;
    check_parse(q, qlen, &parsed_ok);

    for (int fold = 0; fold <= 1; fold++) {
        char *expr = NULL;
        int rc = kh_query_expression(q, fold, &expr);
        FUZZ_CHECK(rc == KHOTIN_OK || rc == KHOTIN_EQUERY || rc == KHOTIN_ENOMEM,
                   "kh_query_expression returned %d", rc);
        FUZZ_CHECK((rc == KHOTIN_OK) == parsed_ok,
                   "kh_query_expression (%d) disagrees with kq_parse (%d)", rc, parsed_ok);
        if (rc == KHOTIN_OK)
            FUZZ_CHECK(expr != NULL, "kh_query_expression succeeded without output");
        khotin_free(expr);
    }

    /* Options vary with the input so each run covers a different mix. */
    unsigned h = 0;
    for (size_t i = 0; i < n; i++)
        h = h * 31u + data[i];
    check_search(q, (int)(h & 1u), (khotin_sort)((h >> 1) % 3u), parsed_ok);
    free(q);
    return 0;
}
