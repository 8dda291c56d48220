/* test_query.c - the query stage as a table: query / document pairs, each
 * asserting hit or miss; ranking (exact accents first, adjacent words
 * first); ICU collations against khotin's fold. */
#include "check.h"
#include "store.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/khotin-query-XXXXXX";

/* Documents: key, headline, body. */
static const char *docs[][3] = {
    {"dang", "Thủ môn Đặng Văn Lâm", "Đặng Văn Lâm bắt chính trong trận đấu tối qua."},
    {"dung", "Nguyễn Tấn Dũng ghi bàn", "Tiền đạo Nguyễn Tấn Dũng lập cú đúp."},
    {"hoa_new", "Thuỷ điện Hoà Bình", "Nhà máy thuỷ điện Hoà Bình mở cửa xả đáy, trời khoẻ."},
    {"hoa_old", "Hội nghị hòa bình", "Các bên kêu gọi hòa bình, nền kinh tế khỏe mạnh, Thủy sản."},
    {"ma", "Chuyện ma", "Người già kể chuyện ma."},
    {"ma_acute", "Bà má", "Má tôi nấu cơm."},
    {"ma_dot", "Gieo mạ", "Bà con gieo mạ sớm."},
    {"covid", "COVID-19 tại Hà Nội", "Số ca COVID-19 giảm; hội nghị G20 ngày 20/7 bàn về vaccine."},
    {"nfd", "Tho\xcc\x82\xcc\x81ng ke\xcc\x82", "Nguye\xcc\x82\xcc\x83n Thi\xcc\xa3 Ngo\xcc\xa3" "c Thi\xcc\xa3nh pha\xcc\x81t bie\xcc\x82\xcc\x89u."},
    {"an_ninh", "An ninh mạng quốc gia", "Các chuyên gia an ninh mạng cảnh báo tin tặc."},
    {"scattered", "Mạng lưới giao thông", "An toàn là trên hết; ninh bình có nhiều mạng lưới đường."},
    {"dong_dat", "Động đất ở Kon Tum", "Trận động đất mạnh 4,1 độ làm rung lắc nhà cửa."},
    {"bong_da", "Bóng đá Việt Nam", "Đội tuyển bóng đá thắng 2-0."},
    {"english", "Apple ra mắt iPhone", "Apple công bố iPhone mới tại California."},
    {"phuc", "Thủ tướng Nguyễn Xuân Phúc", "Thủ tướng Nguyễn Xuân Phúc phát biểu tại hội nghị."},
    {"duong", "Đường phố Hà Nội", "Đường Nguyễn Trãi ùn tắc giờ cao điểm."},
};
#define NDOCS (sizeof docs / sizeof docs[0])
static int64_t doc_id[NDOCS];

/* query, document key, 1 = must hit, 0 = must miss */
static const struct {
    const char *q, *doc;
    int hit;
} pairs[] = {
    /* unaccented finds accented, đ folds to d */
    {"dang", "dang", 1},          {"dang van lam", "dang", 1},
    {"Dang Van Lam", "dang", 1},  {"DANG", "dang", 1},
    {"đặng", "dang", 1},          {"Đặng Văn Lâm", "dang", 1},
    {"đang", "dang", 0},          {"dâng", "dang", 0},
    {"nguyen tan dung", "dung", 1}, {"nguyễn tấn dũng", "dung", 1},
    {"nguyen tan dũng", "dung", 1}, {"nguyễn tấn dụng", "dung", 0},
    {"duong", "duong", 1},        {"đường", "duong", 1},
    {"dương", "duong", 0},        {"nguyen trai", "duong", 1},
    /* old and new tone placement, both directions */
    {"hoà bình", "hoa_new", 1},   {"hòa bình", "hoa_new", 1},
    {"hoà bình", "hoa_old", 1},   {"hòa bình", "hoa_old", 1},
    {"hoa binh", "hoa_old", 1},   {"hoa binh", "hoa_new", 1},
    {"thủy điện", "hoa_new", 1},  {"thuỷ điện", "hoa_new", 1},
    {"khỏe", "hoa_new", 1},       {"khoẻ", "hoa_old", 1},
    {"thuỷ sản", "hoa_old", 1},   {"thuy san", "hoa_old", 1},
    {"hóa", "hoa_new", 0},        {"hỏa", "hoa_old", 0},
    /* smart accent matching */
    {"ma", "ma", 1},              {"ma", "ma_acute", 1},
    {"ma", "ma_dot", 1},          {"mạ", "ma_dot", 1},
    {"mạ", "ma_acute", 0},        {"mạ", "ma", 0},
    {"má", "ma_acute", 1},        {"má", "ma_dot", 0},
    {"MẠ", "ma_dot", 1},
    /* NFD documents and NFD queries */
    {"thong ke", "nfd", 1},       {"thống kê", "nfd", 1},
    {"nguyen thi ngoc thinh", "nfd", 1},
    {"Nguye\xcc\x82\xcc\x83n Thi\xcc\xa3", "nfd", 1},
    {"Tho\xcc\x82\xcc\x81ng", "nfd", 1},
    /* numbers and English words */
    {"COVID-19", "covid", 1},     {"covid 19", "covid", 1},
    {"covid", "covid", 1},        {"G20", "covid", 1},
    {"g20", "covid", 1},          {"20/7", "covid", 1},
    {"21/7", "covid", 0},         {"G7", "covid", 0},
    {"iphone", "english", 1},     {"IPHONE apple", "english", 1},
    {"california", "english", 1}, {"android", "english", 0},
    /* phrases, prefixes, OR, exclusion */
    {"\"an ninh mang\"", "an_ninh", 1}, {"\"an ninh mang\"", "scattered", 0},
    {"an ninh mang", "scattered", 1},   {"dong dat", "dong_dat", 1},
    {"\"dong dat\"", "dong_dat", 1},    {"bong da", "bong_da", 1},
    {"bon*", "bong_da", 1},             {"ngu*", "phuc", 1},
    {"nguyễn x*", "phuc", 1},           {"bong OR dong", "dong_dat", 1},
    {"bong OR dong", "bong_da", 1},     {"bong -viet", "bong_da", 0},
    {"nguyen -phuc", "dung", 1},        {"nguyen -phuc", "phuc", 0},
    {"nguyen xuan phuc", "phuc", 1},    {"nguyen xuan phuc", "dung", 0},
};

static int find(const char *key)
{
    for (size_t i = 0; i < NDOCS; i++)
        if (strcmp(docs[i][0], key) == 0)
            return (int)i;
    return -1;
}

static khotin_db *build(void)
{
    char dbpath[256];
    snprintf(dbpath, sizeof dbpath, "%s/q.db", tmpdir);
    khotin_db *db = NULL;
    if (khotin_open(dbpath, 0, &db))
        return NULL;
    khotin_importer *imp = NULL;
    khotin_importer_new(db, 0, &imp);
    for (size_t i = 0; i < NDOCS; i++) {
        char path[300], text[1024];
        snprintf(path, sizeof path, "%s/%s.txt", tmpdir, docs[i][0]);
        snprintf(text, sizeof text, "%s\n\n%s\n", docs[i][1], docs[i][2]);
        check_write_file(path, text);
        khotin_importer_add(imp, path, NULL, NULL);
    }
    khotin_importer_finish(imp);
    khotin_importer_free(imp);
    /* map keys to ids through source paths */
    for (size_t i = 0; i < NDOCS; i++) {
        sqlite3_stmt *st;
        char path[300];
        snprintf(path, sizeof path, "%s/%s.txt", tmpdir, docs[i][0]);
        sqlite3_prepare_v2(db->db, "SELECT id FROM articles WHERE source_path = ?1", -1, &st, NULL);
        sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
        doc_id[i] = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_finalize(st);
        CHECK(doc_id[i] > 0, "document %s stored", docs[i][0]);
    }
    return db;
}

static khotin_results *run(khotin_db *db, const char *q)
{
    khotin_search_opts o = {0};
    o.limit = 100;
    khotin_results *r = NULL;
    int rc = khotin_search(db, q, &o, &r);
    CHECK(rc == 0, "query [%s]: %s", q, khotin_last_error());
    return r;
}

static int contains(const khotin_results *r, int64_t id)
{
    for (size_t i = 0; r && i < khotin_results_count(r); i++)
        if (khotin_results_get(r, i)->id == id)
            return 1;
    return 0;
}

static void test_pairs(khotin_db *db)
{
    size_t n = sizeof pairs / sizeof pairs[0];
    CHECK(n >= 60, "at least 60 pairs (%zu)", n);
    for (size_t i = 0; i < n; i++) {
        int d = find(pairs[i].doc);
        CHECK(d >= 0, "unknown doc %s", pairs[i].doc);
        if (d < 0)
            continue;
        khotin_results *r = run(db, pairs[i].q);
        int hit = contains(r, doc_id[d]);
        CHECK(hit == pairs[i].hit, "[%s] should %s %s", pairs[i].q,
              pairs[i].hit ? "find" : "not find", pairs[i].doc);
        khotin_results_free(r);
    }
    printf("%zu query/document pairs\n", n);
}

static void test_ranking(khotin_db *db)
{
    khotin_results *r = run(db, "ma");
    CHECK(r && khotin_results_count(r) >= 3 &&
              khotin_results_get(r, 0)->id == doc_id[find("ma")],
          "ma: the exact unaccented ma ranks first");
    khotin_results_free(r);
    r = run(db, "an ninh mang");
    CHECK(r && khotin_results_count(r) == 2 &&
              khotin_results_get(r, 0)->id == doc_id[find("an_ninh")],
          "an ninh mang: adjacent words rank above scattered ones");
    khotin_results_free(r);
    /* snippet marks the matched words */
    khotin_search_opts o = {0};
    o.mark_open = "<b>";
    o.mark_close = "</b>";
    r = NULL;
    CHECK(khotin_search(db, "dong dat", &o, &r) == 0, "snippet query");
    CHECK(r && khotin_results_count(r) >= 1 && strstr(khotin_results_get(r, 0)->snippet, "<b>Động đất</b>"),
          "snippet marks: %s", r && khotin_results_count(r) ? khotin_results_get(r, 0)->snippet : "-");
    khotin_results_free(r);
    /* sort by headline uses Vietnamese order: Đ after every D */
    o.mark_open = o.mark_close = NULL;
    o.sort = KHOTIN_SORT_HEADLINE;
    o.limit = 100;
    r = NULL;
    CHECK(khotin_search(db, "nguyen OR dang OR duong OR dong OR ma", &o, &r) == 0, "sorted");
    int seen_dd = 0, d_after = 0;
    for (size_t i = 0; r && i < khotin_results_count(r); i++) {
        const char *h = khotin_results_get(r, i)->headline;
        if (strncmp(h, "Đ", strlen("Đ")) == 0)
            seen_dd = 1;
        else if (seen_dd && h[0] == 'D')
            d_after = 1;
    }
    CHECK(seen_dd && !d_after, "no D headline after an Đ headline");
    khotin_results_free(r);
}

static void test_errors(khotin_db *db)
{
    static const char *bad[] = {"", "   ", "\"", "OR", "a OR", "-x", "from:2017-13-01",
                                "person:", "!!!"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        khotin_results *r = NULL;
        int rc = khotin_search(db, bad[i], NULL, &r);
        CHECK(rc == KHOTIN_EQUERY && !r, "[%s] is a query error (%d)", bad[i], rc);
        const char *m = khotin_last_error();
        CHECK(m[0] && !strstr(m, "fts5") && !strstr(m, "SQL"), "[%s] message: %s", bad[i], m);
    }
    khotin_results *r = NULL;
    CHECK(khotin_search(db, "\"an ninh", NULL, &r) == 0, "unbalanced quote read as closed");
    CHECK(r && strstr(khotin_results_warning(r), "unbalanced") != NULL, "warning given");
    khotin_results_free(r);
}

/* ICU root/primary (vn_nocase) agrees with khotin's fold on names. */
static void test_collation(khotin_db *db)
{
    static const char *names[][2] = {
        {"Đặng Văn Lâm", "dang van lam"},     {"Nguyễn Xuân Phúc", "Nguyen Xuan Phuc"},
        {"Nguyễn Tấn Dũng", "NGUYEN TAN DUNG"}, {"Trịnh Thu Thủy", "Trinh Thu Thuỷ"},
        {"Hoà", "Hòa"},                       {"Đỗ Mười", "do muoi"},
        {"Lê Hoàng Nam", "le hoang nam"},     {"Võ Nguyên Giáp", "vo nguyen giap"},
        {"Phạm Minh Chính", "pham minh chinh"}, {"Vương Đình Huệ", "vuong dinh hue"},
        {"Trần Đại Quang", "tran dai quang"}, {"Tô Lâm", "to lam"},
        {"Bùi Thanh Sơn", "bui thanh son"},   {"Huỳnh Đức", "huynh duc"},
        {"Lương Xuân Trường", "luong xuan truong"}, {"Đoàn Văn Hậu", "doan van hau"},
        {"Quế Ngọc Hải", "que ngoc hai"},     {"Ngô Bảo Châu", "ngo bao chau"},
        {"Thích Nhất Hạnh", "thich nhat hanh"}, {"Trương Mỹ Lan", "truong my lan"},
        {"Đặng Thị Ngọc Thịnh", "Dang Thi Ngoc Thinh"}, {"Ðặng", "dang"},
        {"Thomas Bossert", "thomas bossert"}, {"Donald Trump", "DONALD TRUMP"},
        {"Reuters", "reuters"},               {"Tổ Quốc", "to quoc"},
        {"Dân trí", "Dan Tri"},               {"Tuổi Trẻ", "tuoi tre"},
        {"Người Lao Động", "nguoi lao dong"}, {"Báo Chính phủ", "bao chinh phu"},
        {"Tân Hoa xã", "tan hoa xa"},         {"TTXVN", "ttxvn"},
        /* different names stay apart */
        {"Đặng Văn Lâm", "Đặng Văn Lam"},     {"Nguyễn Văn An", "Nguyễn Văn Anh"},
        {"Lê Minh", "Lê Minh Khoa"},          {"Trần Hùng", "Trần Hưng"},
        {"Phan Văn Khải", "Phan Văn Khai"},   {"Mai", "Mại"},
        {"Hà Nội", "Hà Nam"},                 {"Vũ", "Võ"},
        {"Đinh", "Dinh"},                     {"Thủy", "Thúy"},
    };
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(db->db, "SELECT ?1 = ?2 COLLATE vn_nocase, "
                                     "?1 = ?2 COLLATE vi_primary_probe", -1, &st, NULL) != SQLITE_OK,
          "unknown collations are errors");
    sqlite3_prepare_v2(db->db, "SELECT ?1 = ?2 COLLATE vn_nocase", -1, &st, NULL);
    size_t n = sizeof names / sizeof names[0];
    CHECK(n >= 40, "40 names");
    for (size_t i = 0; i < n; i++) {
        char *a = khotin_text_fold(names[i][0]), *b = khotin_text_fold(names[i][1]);
        int fold_equal = a && b && strcmp(a, b) == 0;
        sqlite3_bind_text(st, 1, names[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, names[i][1], -1, SQLITE_STATIC);
        int coll_equal = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
        sqlite3_reset(st);
        CHECK(fold_equal == coll_equal, "%s / %s: fold %d, vn_nocase %d", names[i][0],
              names[i][1], fold_equal, coll_equal);
        free(a);
        free(b);
    }
    sqlite3_finalize(st);
    /* ICU "vi" orders the Vietnamese alphabet and tells đ from d, so it
     * cannot serve accent-insensitive equality: */
    sqlite3_prepare_v2(db->db, "SELECT 'Đặng' = 'dang' COLLATE vn_nocase, 'Đặng' = 'dang' COLLATE vi, "
                               "'Dũng' < 'Đặng' COLLATE vi, 'Zung' < 'Đặng' COLLATE vi, "
                               "'Ê' > 'Ez' COLLATE vi", -1, &st, NULL);
    CHECK(sqlite3_step(st) == SQLITE_ROW, "collation row");
    CHECK(sqlite3_column_int(st, 0) == 1, "vn_nocase: Đặng = dang");
    CHECK(sqlite3_column_int(st, 1) == 0, "vi: Đặng != dang");
    CHECK(sqlite3_column_int(st, 2) == 1, "vi: Dũng before Đặng");
    CHECK(sqlite3_column_int(st, 3) == 0, "vi: Đặng before Zung");
    CHECK(sqlite3_column_int(st, 4) == 1, "vi: Ê after every E");
    sqlite3_finalize(st);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    khotin_db *db = build();
    CHECK(db != NULL, "archive: %s", khotin_last_error());
    if (db) {
        test_pairs(db);
        test_ranking(db);
        test_errors(db);
        test_collation(db);
        khotin_close(db);
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return check_summary("test_query");
}
