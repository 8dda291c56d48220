/* test_html.c - the saved-web-page readers (read_html.c, read_mhtml.c).
 *
 *   pages      every fixtures/pages/NN_outlet.html goes through
 *              kh_read_docs (content sniffing), khotin_article_parse and the
 *              importer's metadata override; the dump (without person:,
 *              quote: and agency: lines) must equal NN_outlet.expected; no menu,
 *              related-article, caption, comment or footer text may reach
 *              the body
 *   real page  the VnExpress page of the fundus corpus
 *              (<fixtures>/../../shared/corpus/fundus-vnexpress/)
 *   MHTML      quoted-printable and base64 saves of 02_tuoitre give the
 *              same fields as the page; broken MIME is refused cleanly
 *   charsets   BOM, windows-1258, UTF-16, wrong declarations, bad bytes
 *   metadata   JSON-LD details (Z dates, entities, @graph, bad JSON)
 *   robustness empty, "<html></html>", truncated, random bytes, deep
 *              nesting, a giant page
 */
#include "check.h"
#include "reader.h"

#include <dirent.h>
#include <jansson.h>
#include <libxml/encoding.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- helpers ---- */

/* dir + "/" + name + suffix, on the heap. */
static char *join(const char *dir, const char *name, const char *suffix)
{
    kh_buf b;
    kh_buf_init(&b);
    kh_buf_printf(&b, "%s/%s%s", dir, name, suffix);
    return kh_buf_take(&b);
}

/* What a reader handed to its callback. */
typedef struct got {
    int calls, status;
    kh_doc doc; /* the first good document */
} got;

static int keep_doc(void *ctx, int status, kh_doc *d)
{
    got *g = ctx;
    g->calls++;
    g->status = status;
    if (status == 0 && !g->doc.text) {
        g->doc = *d;
        memset(d, 0, sizeof *d);
    }
    kh_doc_clear(d);
    return 0;
}

static void got_clear(got *g)
{
    kh_doc_clear(&g->doc);
    memset(g, 0, sizeof *g);
}

/* Read a buffer through the dispatcher; returns its status. */
static int read_page(const char *name, const char *data, size_t len, got *g)
{
    memset(g, 0, sizeof *g);
    return kh_read_docs(name, data, len, NULL, keep_doc, g);
}

/* The article of a document, as the importer would store it. */
static khotin_article *article_of(const kh_doc *d)
{
    khotin_article *a = NULL;
    if (!d->text || khotin_article_parse(d->text, d->len, &a) != 0)
        return NULL;
    if (kh_doc_apply_metadata(a, d) != 0) { /* as the importer does */
        khotin_article_free(a);
        return NULL;
    }
    return a;
}

/* Drop "person: ", "quote: " and "agency: " lines: people and agencies
 * are the extract stage's business and not compared for pages. */
static void drop_people(char *s)
{
    char *w = s;
    for (char *r = s; *r;) {
        char *nl = strchr(r, '\n');
        size_t n = nl ? (size_t)(nl - r) + 1 : strlen(r);
        if (strncmp(r, "person: ", 8) != 0 && strncmp(r, "agency: ", 8) != 0 &&
            strncmp(r, "quote: ", 7) != 0) {
            memmove(w, r, n);
            w += n;
        }
        r += n;
    }
    *w = '\0';
}

/* The golden-format dump of a document's article (caller frees). */
static char *dump_doc(const kh_doc *d)
{
    khotin_article *a = article_of(d);
    if (!a)
        return NULL;
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (f) {
        khotin_article_dump(a, f);
        fclose(f);
    }
    khotin_article_free(a);
    if (buf)
        drop_people(buf);
    return buf;
}

/* The first line where two dumps differ, for the failure message. */
static void first_difference(const char *got_s, const char *want, char *out, size_t outn)
{
    size_t line = 1;
    const char *g = got_s, *w = want;
    while (*g && *w) {
        const char *ge = strchr(g, '\n'), *we = strchr(w, '\n');
        size_t gn = ge ? (size_t)(ge - g) : strlen(g), wn = we ? (size_t)(we - w) : strlen(w);
        if (gn != wn || memcmp(g, w, gn) != 0) {
            snprintf(out, outn, "line %zu:\n   got  %.*s\n   want %.*s", line, (int)gn, g, (int)wn, w);
            return;
        }
        g += gn + (ge != NULL);
        w += wn + (we != NULL);
        line++;
    }
    snprintf(out, outn, "line %zu:\n   got  %.200s\n   want %.200s", line, *g ? g : "(end)",
             *w ? w : "(end)");
}

/* ---- the outlet pages ---- */

/* Text of the page furniture that must never reach the body. */
static const struct page_junk {
    const char *page;
    const char *junk[12];
} JUNK[] = {
    {"01_vnexpress", {"Thời sự", "Hà Nội chi 200 tỷ đồng chống ngập", "Người dân dắt xe qua đoạn ngập",
                      "Năm nào cũng ngập như vậy", "Giá xăng giảm", "Báo tiếng Việt nhiều người xem nhất",
                      "Chia sẻ", "ngập úng", "Võ Hải", "Thứ năm, 20/7/2017", "Quảng cáo", NULL}},
    {"02_tuoitre", {"Pháp luật", "Đà Nẵng thí điểm xe buýt điện đầu tiên", "Giá vé máy bay Tết",
                    "Xe buýt điện chạy thử trên đường Võ Nguyên Giáp", "Rất mong Hà Nội",
                    "Quảng Nam đề xuất", "Tỉnh Quảng Nam vừa đề xuất", "Cơ quan chủ quản",
                    "sân bay Đà Nẵng", "Đọc tiếp", "ĐOÀN CƯỜNG", "Hà Nội 24°C"}},
    {"03_thanhnien", {"Giới trẻ", "Học sinh mặc áo phao lên thuyền qua sông Cả", "Nghệ An sơ tán",
                      "Xem thêm", "Lũ quét ở Kỳ Sơn", "Thương các em quá", "Giá vàng hôm nay",
                      "Đường dây nóng", "Hải Đăng", "Chuyển động", NULL}},
    {"04_dantri", {"Bất động sản", "Nông dân xã Mỹ Hòa thu hoạch", "Giá lúa gạo tăng mạnh",
                   "Miền Tây vào mùa nước nổi", "Sen Tháp Mười thơm ngon", "Sao chép liên kết",
                   "Cấm sao chép", "Bảo Kỳ", "Thứ hai, 03/11/2025", "hoa sen", NULL}},
    {"05_vietnamnet", {"Chính trị", "Công nhân thu gom rác trên phố Hàng Bài", "nhà máy điện rác",
                       "đổ chung một chỗ", "Giá xăng dầu", "Copy link", "Thứ Sáu, 15/08/2025",
                       "phân loại rác", "Thạch Thảo", NULL}},
    {"06_toquoc", {"Giải trí", "Các đội ghe ngo tranh tài trên sông Maspero chiều",
                   "Sóc Trăng đón hơn 1 triệu", "Ok Om Bok", "Giá vé tàu Tết", "Thiên Kim",
                   "Theo TTXVN", "05/11/2025", NULL}},
    {"07_baochinhphu", {"Chính sách mới", "Sinh viên Trường Đại học Sư phạm trong giờ thực hành",
                        "Miễn học phí cho học sinh", "20.000 biên chế", "In bài viết", "Ngọc Anh",
                        "Giấy phép", NULL}},
    {"08_nld", {"Công đoàn hỗ trợ 500", "Công nhân được đo huyết áp", "Công ty tôi ở Hiệp Phước",
                "lương tối thiểu", "Hồng Đào", "18-05-2025", "Ý kiến bạn đọc", NULL}},
    {"09_laodong", {"Bạn đọc", "Ngư dân chuyển cá cơm lên bờ", "Giá cá ngừ đại dương",
                    "Năm nay biển thương", "Ngọc Viên", "Tổng Liên đoàn", "Tin liên quan", NULL}},
    {"10_vov", {"Chuyển đến nội dung chính", "Voọc chà vá chân xám ghi lại qua bẫy ảnh",
                "rắn hổ mang chúa", "Giá vàng trong nước", "Hồng Nhung", "VOV.VN", "Thứ Tư, 10:30",
                NULL}},
    {"11_vtv", {"Lịch phát sóng", "Lá phong vẫn còn xanh tại chùa Kiyomizu-dera",
                "Hàn Quốc đón mùa thu muộn", "Năm nay định đi Kyoto", "Minh Châu", "Theo Kyodo",
                "16/11/2025", NULL}},
};

static const struct page_junk *junk_for(const char *stem)
{
    for (size_t i = 0; i < sizeof JUNK / sizeof JUNK[0]; i++)
        if (strcmp(JUNK[i].page, stem) == 0)
            return &JUNK[i];
    return NULL;
}

static void check_body_clean(const char *stem, const kh_doc *d)
{
    const struct page_junk *j = junk_for(stem);
    CHECK(j != NULL, "%s: no list of furniture strings in test_html.c", stem);
    khotin_article *a = article_of(d);
    if (!j || !a) {
        khotin_article_free(a);
        return;
    }
    const char *body = khotin_article_body(a);
    for (size_t i = 0; i < 12 && j->junk[i]; i++)
        CHECK(strstr(body, j->junk[i]) == NULL, "%s: \"%s\" leaked into the body", stem, j->junk[i]);
    khotin_article_free(a);
}

/* Read one page and compare it with its golden file. */
static void check_page(const char *dir, const char *file)
{
    char stem[256];
    snprintf(stem, sizeof stem, "%.*s", (int)(strlen(file) - 5), file);
    char *path = join(dir, file, ""), *epath = join(dir, stem, ".expected");
    size_t len = 0, elen = 0;
    char *data = check_read_file(path, &len), *want = check_read_file(epath, &elen);
    CHECK(data && want, "%s: cannot read the page or its .expected", stem);
    if (data && want) {
        drop_people(want);
        got g;
        int rc = read_page(file, data, len, &g);
        CHECK(rc == 0 && g.calls == 1 && g.status == 0, "%s: read status %d, %d documents: %s",
              stem, rc, g.calls, khotin_last_error());
        char *dump = g.doc.text ? dump_doc(&g.doc) : NULL;
        char diff[2048] = "";
        if (dump && strcmp(dump, want) != 0)
            first_difference(dump, want, diff, sizeof diff);
        CHECK(dump && strcmp(dump, want) == 0, "%s: fields differ from %s.expected at %s", stem,
              stem, dump ? diff : "(no article)");
        CHECK(g.doc.text && kh_utf8_invalid_offset(g.doc.text, g.doc.len) == (size_t)-1,
              "%s: text is not valid UTF-8", stem);
        if (g.doc.text)
            check_body_clean(stem, &g.doc);
        free(dump);
        got_clear(&g);
    }
    free(data);
    free(want);
    free(path);
    free(epath);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_pages(const char *fixtures)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/pages", fixtures);
    DIR *d = opendir(dir);
    CHECK(d != NULL, "cannot open %s", dir);
    if (!d)
        return;
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 256) {
        size_t k = strlen(e->d_name);
        if (k > 5 && strcmp(e->d_name + k - 5, ".html") == 0)
            names[n++] = kh_strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    CHECK(n >= 11, "only %zu pages in %s, want one per outlet (11)", n, dir);
    for (size_t i = 0; i < n; i++) {
        check_page(dir, names[i]);
        free(names[i]);
    }
}

/* ---- the real VnExpress page (fundus corpus) ---- */

/* "2025-10-22 19:25:52+07:00" -> "2025-10-22T19:25+07:00" */
static void fundus_date(const char *s, char *out, size_t outn)
{
    snprintf(out, outn, "%.10sT%.5s%s", s, s + 11, strlen(s) > 19 ? s + 19 : "");
}

static int is_caption_paragraph(json_t *images, const char *para)
{
    size_t i;
    json_t *img;
    json_array_foreach(images, i, img)
    {
        const char *cap = json_string_value(json_object_get(img, "caption"));
        if (cap && *cap && strncmp(para, cap, strlen(cap)) == 0)
            return 1;
    }
    return 0;
}

static void check_fundus_paragraphs(json_t *v1, const char *body)
{
    json_t *sections = json_object_get(json_object_get(v1, "body"), "sections");
    json_t *images = json_object_get(v1, "images");
    size_t i, j, checked = 0;
    json_t *sec, *p;
    json_array_foreach(sections, i, sec)
    {
        json_array_foreach(json_object_get(sec, "paragraphs"), j, p)
        {
            const char *para = json_string_value(p);
            if (!para)
                continue;
            /* fundus keeps picture captions among the paragraphs; khotin
             * keeps them out of the body on purpose */
            if (is_caption_paragraph(images, para)) {
                CHECK(strstr(body, para) == NULL, "real page: caption in the body: %s", para);
                continue;
            }
            CHECK(strstr(body, para) != NULL, "real page: paragraph missing from the body: %s", para);
            checked++;
        }
    }
    CHECK(checked >= 5, "real page: only %zu paragraphs checked", checked);
}

static void test_real_vnexpress(const char *fixtures)
{
    char *page = join(fixtures, "../../shared/corpus/fundus-vnexpress/VnExpress_2025_10_22.html", "");
    char *gold = join(fixtures, "../../shared/corpus/fundus-vnexpress/VnExpress.expected.json", "");
    size_t len = 0;
    char *data = check_read_file(page, &len);
    json_error_t err;
    json_t *root = json_load_file(gold, 0, &err);
    CHECK(data != NULL, "real page missing: %s (the test reads the shared fundus corpus)", page);
    CHECK(root != NULL, "real page gold labels missing or unreadable: %s (%s)", gold, err.text);
    if (data && root) {
        json_t *v1 = json_object_get(root, "V1");
        got g;
        int rc = read_page("VnExpress_2025_10_22.html", data, len, &g);
        CHECK(rc == 0 && g.doc.text, "real page: status %d: %s", rc, khotin_last_error());
        khotin_article *a = g.doc.text ? article_of(&g.doc) : NULL;
        CHECK(a != NULL, "real page: does not parse");
        if (a) {
            char date[64];
            fundus_date(json_string_value(json_object_get(v1, "publishing_date")), date, sizeof date);
            CHECK_STR(khotin_article_headline(a), json_string_value(json_object_get(v1, "title")), "real page title");
            CHECK_STR(khotin_article_author(a),
                      json_string_value(json_array_get(json_object_get(v1, "authors"), 0)), "real page author");
            CHECK_STR(khotin_article_date(a), date, "real page publication time");
            CHECK(khotin_article_date_precision(a) == KHOTIN_DATE_TIME, "real page: date precision");
            CHECK_STR(khotin_article_lead(a),
                      json_string_value(json_array_get(json_object_get(json_object_get(v1, "body"), "summary"), 0)),
                      "real page lead");
            CHECK_STR(khotin_article_publisher(a), "VnExpress", "real page publisher");
            CHECK_STR(khotin_article_url(a),
                      "https://vnexpress.net/dau-bung-keo-dai-phat-hien-ung-thu-lymphoma-ruot-non-4954454.html",
                      "real page url");
            check_fundus_paragraphs(v1, khotin_article_body(a));
            const char *body = khotin_article_body(a);
            CHECK(strstr(body, "Lê Phương") == NULL, "real page: byline left in the body");
            CHECK(strstr(body, "Chia sẻ") == NULL && strstr(body, "Trở lại Sức khỏe") == NULL,
                  "real page: share or back buttons in the body");
        }
        khotin_article_free(a);
        got_clear(&g);
    }
    json_decref(root);
    free(data);
    free(page);
    free(gold);
}

/* ---- MHTML ---- */

static char *dump_file(const char *path, const char *name, int *rc_out)
{
    size_t len = 0;
    char *data = check_read_file(path, &len);
    char *dump = NULL;
    *rc_out = -100;
    if (data) {
        got g;
        *rc_out = read_page(name, data, len, &g);
        if (g.doc.text)
            dump = dump_doc(&g.doc);
        got_clear(&g);
    }
    free(data);
    return dump;
}

static int read_mhtml_str(const char *s, got *g)
{
    memset(g, 0, sizeof *g);
    return kh_read_mhtml("t.mhtml", s, strlen(s), NULL, keep_doc, g);
}

static void test_mhtml(const char *fixtures)
{
    char html[4096], qp[4096], b64[4096];
    snprintf(html, sizeof html, "%s/pages/02_tuoitre.html", fixtures);
    snprintf(qp, sizeof qp, "%s/pages/02_tuoitre.mhtml", fixtures);
    snprintf(b64, sizeof b64, "%s/pages/02_tuoitre_b64.mht", fixtures);
    int rc0, rc1, rc2;
    char *want = dump_file(html, "02_tuoitre.html", &rc0);
    char *got_qp = dump_file(qp, "02_tuoitre.mhtml", &rc1);
    char *got_b64 = dump_file(b64, "02_tuoitre_b64.mht", &rc2);
    CHECK(want && rc0 == 0, "mhtml: the HTML page itself does not read");
    CHECK(rc1 == 0 && got_qp, "mhtml: quoted-printable save: status %d: %s", rc1, khotin_last_error());
    CHECK(rc2 == 0 && got_b64, "mhtml: base64 save: status %d: %s", rc2, khotin_last_error());
    char diff[2048] = "";
    if (want && got_qp && strcmp(got_qp, want) != 0)
        first_difference(got_qp, want, diff, sizeof diff);
    CHECK(want && got_qp && strcmp(got_qp, want) == 0, "mhtml: QP save differs from the page at %s", diff);
    if (want && got_b64 && strcmp(got_b64, want) != 0)
        first_difference(got_b64, want, diff, sizeof diff);
    /* the base64 save has an ad frame's HTML part first: the snapshot's
     * part must win */
    CHECK(want && got_b64 && strcmp(got_b64, want) == 0, "mhtml: base64 save differs from the page at %s", diff);
    free(want);
    free(got_qp);
    free(got_b64);

    got g;
    /* broken MIME */
    int rc = read_mhtml_str("MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n<html></html>", &g);
    CHECK(rc == KHOTIN_EINPUT && strstr(khotin_last_error(), "boundary"), "mhtml: no boundary: %d %s", rc,
          khotin_last_error());
    rc = read_mhtml_str("MIME-Version: 1.0\nContent-Type: multipart/related; boundary=\"B\"\n\n--B\n"
                        "Content-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--B--\n", &g);
    CHECK(rc == KHOTIN_EINPUT && strstr(khotin_last_error(), "no text/html part"), "mhtml: no HTML part: %d %s",
          rc, khotin_last_error());
    CHECK(g.calls == 0, "mhtml: no document for a message without a page");
    rc = read_mhtml_str("MIME-Version: 1.0\n", &g);
    CHECK(rc == KHOTIN_EINPUT, "mhtml: headers only: %d", rc);
    rc = read_mhtml_str("", &g);
    CHECK(rc == KHOTIN_EINPUT, "mhtml: empty: %d", rc);

    /* a single-part save; the page names no URL: the saved address is used */
    rc = read_mhtml_str("MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n"
                        "Content-Transfer-Encoding: quoted-printable\r\n"
                        "Content-Location: https://vtv.vn/xa-hoi/bai-mau.htm\r\n\r\n"
                        "<html><body><h1>Ti=C3=AAu =C4=91=E1=BB=81 m=E1=BA=ABu</h1><div class=3D\"content\">"
                        "<p>=C4=90=C3=A2y l=C3=A0 m=E1=BB=99t =C4=91o=E1=BA=A1n v=C4=83n =C4=91=E1=BB=A7 d=C3=A0i "
                        "=C4=91=E1=BB=83 l=C3=A0m th=C3=A2n b=C3=A0i, c=C3=B3 d=E1=BA=A5u ph=E1=BA=A9y, v=C3=A0 c=C3=B3 c=E1=BA=A3 =\r\n"
                        "ch=E1=BB=AF xu=E1=BB=91ng d=C3=B2ng m=E1=BB=81m.</p></div></body></html>\r\n", &g);
    CHECK(rc == 0 && g.doc.text, "mhtml: single part: %d %s", rc, khotin_last_error());
    CHECK_STR(g.doc.headline, "Tiêu đề mẫu", "mhtml: single part headline");
    CHECK_STR(g.doc.url, "https://vtv.vn/xa-hoi/bai-mau.htm", "mhtml: URL from Content-Location");
    CHECK_STR(g.doc.publisher, "VTV", "mhtml: publisher from the saved address");
    CHECK(g.doc.text && strstr(g.doc.text, "có cả chữ xuống dòng mềm."), "mhtml: soft line break joined: %s",
          g.doc.text ? g.doc.text : "");
    got_clear(&g);

    /* the page says nothing about its charset: the part's charset counts */
    rc = read_mhtml_str("MIME-Version: 1.0\nContent-Type: multipart/related; boundary=B\n\n--B\n"
                        "Content-Type: text/html; charset=windows-1258\n"
                        "Content-Transfer-Encoding: quoted-printable\n\n"
                        "<html><body><h1>Vi=EA=F2t Nam v=FD=F5n l=EAn</h1><div class=3D\"content\"><p>"
                        "Ng=FD=F5=CCi d=E2n ca=D2 n=FD=F5=ECc =F0=EA=CCu vui m=FD=CCng v=EA=CC tha=CCnh "
                        "t=FD=F2u na=CCy, va=CC =F0oa=F2n v=E3n na=CCy =F0u=D2 da=CCi.</p></div></body></html>\n"
                        "--B--\n", &g);
    CHECK(rc == 0, "mhtml windows-1258 part: %d %s", rc, khotin_last_error());
    CHECK_STR(g.doc.headline, "Việt Nam vươn lên", "mhtml: charset from the part's Content-Type");
    got_clear(&g);

    /* truncated saves never crash */
    size_t len = 0;
    char *data = check_read_file(qp, &len);
    for (int cut = 1; data && cut < 10; cut++) {
        rc = kh_read_docs("cut.mhtml", data, len * (size_t)cut / 10, NULL, keep_doc, &g);
        CHECK(rc == 0 || rc == KHOTIN_EINPUT, "mhtml cut at %d0%%: status %d", cut, rc);
        got_clear(&g);
    }
    free(data);
}

/* ---- charsets ---- */

static int read_html_str(const char *s, size_t len, got *g)
{
    memset(g, 0, sizeof *g);
    return kh_read_html("t.html", s, len, NULL, keep_doc, g);
}

#define PAGE_BODY                                                                                   \
    "<div class=\"content\"><p>Đây là một đoạn văn đủ dài để làm thân bài, có dấu phẩy, và có "  \
    "tiếng Việt đầy đủ dấu thanh.</p></div></body></html>"

static void test_charsets(void)
{
    got g;
    /* UTF-8 with a BOM */
    const char bom[] = "\xEF\xBB\xBF<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Tiêu đề có BOM</title>"
                       "</head><body><h1>Tiêu đề có BOM</h1>" PAGE_BODY;
    int rc = kh_read_docs("bom.html", bom, sizeof bom - 1, NULL, keep_doc, (memset(&g, 0, sizeof g), &g));
    CHECK(rc == 0 && g.doc.headline, "BOM page: %d %s", rc, khotin_last_error());
    CHECK_STR(g.doc.headline, "Tiêu đề có BOM", "BOM page headline");
    got_clear(&g);

    /* declared latin-1, but the bytes are UTF-8: the content wins */
    const char wrong[] = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">"
                         "</head><body><h1>Nguyễn Thị Ngọc Thịnh</h1>" PAGE_BODY;
    rc = read_html_str(wrong, sizeof wrong - 1, &g);
    CHECK_STR(g.doc.headline, "Nguyễn Thị Ngọc Thịnh", "UTF-8 page declared iso-8859-1");
    got_clear(&g);

    /* windows-1258 (tone marks as combining characters): NFC out */
    const char cp1258[] = "<html><head><meta charset=\"windows-1258\"><title>x</title></head><body><h1>"
                          "Vi\xea\xf2t Nam v\xfd\xf5n l\xean"
                          "</h1><div class=\"content\"><p>"
                          "Ng\xfd\xf5\xcci d\xe2n ca\xd2 n\xfd\xf5\xec" "c \xf0\xea\xccu vui m\xfd\xccng v\xea\xcc "
                          "tha\xccnh t\xfd\xf2u na\xccy, va\xcc \xf0oa\xf2n v\xe3n na\xccy \xf0u\xd2 da\xcci."
                          "</p></div></body></html>";
    rc = read_html_str(cp1258, sizeof cp1258 - 1, &g);
    CHECK(rc == 0, "windows-1258 page: %d %s", rc, khotin_last_error());
    CHECK_STR(g.doc.headline, "Việt Nam vươn lên", "windows-1258 headline (NFC)");
    CHECK(g.doc.text && strstr(g.doc.text, "Người dân cả nước đều vui mừng về thành tựu này"),
          "windows-1258 body (NFC): %s", g.doc.text ? g.doc.text : "");
    got_clear(&g);

    /* a charset the converter does not know but libxml2's iconv does
     * (glibc's name for TCVN3): read through libxml2 */
    xmlCharEncodingHandlerPtr tcvn = xmlFindCharEncodingHandler("TCVN5712-1");
    if (tcvn) {
        xmlCharEncCloseFunc(tcvn);
        const char tc[] = "<html><head><meta charset=\"TCVN5712-1\"></head><body><h1>Vi\xd6t Nam</h1>"
                          "<div class=\"content\"><p>Mot doan van du dai de lam than bai, co dau phay, va chu "
                          "Vi\xd6t o day.</p></div></body></html>";
        rc = read_html_str(tc, sizeof tc - 1, &g);
        CHECK(rc == 0, "TCVN5712-1 page: %d %s", rc, khotin_last_error());
        CHECK_STR(g.doc.headline, "Việt Nam", "TCVN5712-1 headline through libxml2's iconv");
        got_clear(&g);
    }
    /* a charset nobody knows: a clear error, no document */
    const char unk[] = "<html><head><meta charset=\"x-unknown-cs\"></head><body><h1>Vi\xd6t</h1>" PAGE_BODY;
    rc = read_html_str(unk, sizeof unk - 1, &g);
    CHECK(rc == KHOTIN_EINPUT && g.calls == 0 && strstr(khotin_last_error(), "t.html: the page is in x-unknown-cs"),
          "unknown charset: %d %s", rc, khotin_last_error());
    got_clear(&g);

    /* UTF-16LE with a BOM */
    const char *u8 = "<html><head><title>Trang UTF-16</title></head><body><h1>Trang UTF-16</h1>" PAGE_BODY;
    kh_buf b;
    kh_buf_init(&b);
    kh_buf_append(&b, "\xFF\xFE", 2);
    for (const unsigned char *p = (const unsigned char *)u8; *p;) {
        int32_t cp;
        int k = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
        cp = k == 1 ? *p : k == 2 ? *p & 0x1F : k == 3 ? *p & 0x0F : *p & 0x07;
        for (int i = 1; i < k; i++)
            cp = (cp << 6) | (p[i] & 0x3F);
        p += k;
        char u[2] = {(char)(cp & 0xFF), (char)(cp >> 8)};
        kh_buf_append(&b, u, 2);
    }
    rc = read_html_str(b.data, b.len, &g);
    CHECK(rc == 0, "UTF-16LE page: %d %s", rc, khotin_last_error());
    CHECK_STR(g.doc.headline, "Trang UTF-16", "UTF-16LE headline");
    got_clear(&g);
    kh_buf_free(&b);

    /* invalid bytes in a UTF-8 page: U+FFFD, valid UTF-8 out */
    const char bad[] = "<html><head><meta charset=utf-8></head><body><h1>Caf\xe9 s\xe1ng</h1>" PAGE_BODY;
    rc = read_html_str(bad, sizeof bad - 1, &g);
    CHECK(rc == 0 && g.doc.text && kh_utf8_invalid_offset(g.doc.text, g.doc.len) == (size_t)-1,
          "bad UTF-8 bytes: %d %s", rc, khotin_last_error());
    CHECK_STR(g.doc.headline, "Caf\xEF\xBF\xBD s\xEF\xBF\xBDng", "bad bytes become U+FFFD");
    got_clear(&g);

    /* NUL bytes inside a page */
    const char nul[] = "<html><body><h1>Tiêu\0đề</h1>" PAGE_BODY;
    rc = read_html_str(nul, sizeof nul - 1, &g);
    CHECK(rc == 0, "NUL in page: %d %s", rc, khotin_last_error());
    got_clear(&g);
}

/* ---- metadata details ---- */

static void test_metadata(void)
{
    got g;
    const char ld[] =
        "<html><head>"
        "<script type=\"application/ld+json\">[{\"@type\":\"WebSite\",\"name\":\"X\"},"
        "{\"@type\":\"ReportageNewsArticle\",\"headline\":\"&quot;Cú sốc&quot; gi&#225; v&agrave;ng\","
        "\"datePublished\":\"2025-10-22T07:05:00.000Z\","
        "\"author\":[{\"@type\":\"Person\",\"name\":\"Lan Anh\"},{\"name\":\"Quốc Huy\"},"
        "{\"@type\":\"Organization\",\"name\":\"Ban Kinh tế\"}],"
        "\"publisher\":{\"name\":\"Báo Mẫu\"}}]</script>"
        "<meta property=\"og:title\" content=\"Tiêu đề OG\"></head><body><h1>Tiêu đề trang</h1>" PAGE_BODY;
    int rc = read_html_str(ld, sizeof ld - 1, &g);
    CHECK(rc == 0, "JSON-LD page: %d %s", rc, khotin_last_error());
    CHECK_STR(g.doc.headline, "\"Cú sốc\" giá vàng", "JSON-LD entities (named and numeric)");
    CHECK_STR(g.doc.date, "2025-10-22T07:05+00:00", "Z date");
    CHECK(g.doc.date_precision == KHOTIN_DATE_TIME, "Z date precision");
    CHECK_STR(g.doc.author, "Lan Anh; Quốc Huy", "persons joined, organisation left out");
    CHECK_STR(g.doc.publisher, "Báo Mẫu", "unknown outlet keeps its own name");
    got_clear(&g);

    /* broken JSON-LD (raw newline in a string is fine, a missing brace is
     * not): the Open Graph tags take over */
    const char broken[] =
        "<html><head><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"Dòng\n"
        "mới\"}</script><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",</script>"
        "<meta property=\"og:url\" content=\"https://dantri.com.vn/a.htm\">"
        "<meta property=\"article:published_time\" content=\"2025-10-22\"></head><body><h1>H1</h1>" PAGE_BODY;
    rc = read_html_str(broken, sizeof broken - 1, &g);
    CHECK_STR(g.doc.headline, "Dòng mới", "raw newline inside JSON-LD string");
    CHECK_STR(g.doc.date, "2025-10-22", "date without time");
    CHECK(g.doc.date_precision == KHOTIN_DATE_DAY, "day precision");
    CHECK_STR(g.doc.publisher, "Dân trí", "publisher from the host");
    CHECK_STR(g.doc.url, "https://dantri.com.vn/a.htm", "og:url");
    got_clear(&g);

    /* date forms in meta tags */
    static const struct {
        const char *in, *iso;
        khotin_date_precision p;
    } dates[] = {
        {"2025-10-22T14:05:00+07:00", "2025-10-22T14:05+07:00", KHOTIN_DATE_TIME},
        {"2025-10-22T14:05:00.123+0700", "2025-10-22T14:05+07:00", KHOTIN_DATE_TIME},
        {"2025-10-22 14:05 GMT+7", "2025-10-22T14:05+07:00", KHOTIN_DATE_TIME},
        {"2025-10-22T14:05-03:30", "2025-10-22T14:05-03:30", KHOTIN_DATE_TIME},
        {"2025-10-22T14:05:5", "2025-10-22T14:05", KHOTIN_DATE_TIME},
        {"22/10/2025 14:05", "2025-10-22T14:05", KHOTIN_DATE_TIME},
        {"2025-10-22", "2025-10-22", KHOTIN_DATE_DAY},
        {"2025-13-22", NULL, KHOTIN_DATE_NONE},
        {"hôm qua", NULL, KHOTIN_DATE_NONE},
    };
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        kh_buf b;
        kh_buf_init(&b);
        kh_buf_printf(&b, "<html><head><meta property=\"article:published_time\" content=\"%s\">"
                          "</head><body><h1>Ngày giờ</h1>%s", dates[i].in, PAGE_BODY);
        rc = read_html_str(b.data, b.len, &g);
        CHECK(rc == 0, "date %s: %d", dates[i].in, rc);
        if (dates[i].iso)
            CHECK_STR(g.doc.date, dates[i].iso, dates[i].in);
        else
            CHECK(g.doc.date == NULL, "date %s: got %s", dates[i].in, g.doc.date);
        CHECK(g.doc.date_precision == dates[i].p, "date %s: precision %d", dates[i].in, g.doc.date_precision);
        got_clear(&g);
        kh_buf_free(&b);
    }

    /* only the visible page: h1, <br><br> paragraphs, a dateline */
    const char vis[] = "<html><body><div class=\"menu\"><a href=\"/\">Trang chủ</a></div>"
                       "<h1>Tin chỉ có phần nhìn thấy</h1><div class=\"date\">12/04/2019 16:40</div>"
                       "<div class=\"noidung\">Đoạn thứ nhất của bài viết, đủ dài để được tính điểm.<br><br>"
                       "Đoạn thứ hai cũng đủ dài, có dấu phẩy, và nằm sau hai thẻ br.<br>"
                       "Câu này nối tiếp sau một thẻ br đơn.</div></body></html>";
    rc = read_html_str(vis, sizeof vis - 1, &g);
    CHECK(rc == 0, "visible-only page: %d %s", rc, khotin_last_error());
    CHECK_STR(g.doc.headline, "Tin chỉ có phần nhìn thấy", "headline from h1");
    CHECK_STR(g.doc.date, "2019-04-12T16:40", "visible dateline without zone");
    CHECK(g.doc.publisher == NULL && g.doc.url == NULL, "no publisher or url invented");
    CHECK(g.doc.text && strstr(g.doc.text, "bài viết, đủ dài để được tính điểm.\n\nĐoạn thứ hai"),
          "double <br> splits paragraphs");
    CHECK(g.doc.text && strstr(g.doc.text, "hai thẻ br.\n\nCâu này"), "single <br> after a sentence splits");
    CHECK(g.doc.text && !strstr(g.doc.text, "Trang chủ"), "menu left out");
    got_clear(&g);
}

/* ---- robustness ---- */

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void expect_no_article(const char *what, const char *s, size_t len)
{
    got g;
    int rc = read_html_str(s, len, &g);
    CHECK(rc == KHOTIN_EINPUT, "%s: status %d", what, rc);
    CHECK(g.calls == 0, "%s: a document was produced", what);
    got_clear(&g);
}

static int stop_doc(void *ctx, int status, kh_doc *d)
{
    (void)ctx;
    (void)status;
    kh_doc_clear(d);
    return 7;
}

static void test_robust(const char *fixtures)
{
    got g;
    expect_no_article("empty", "", 0);
    CHECK(strcmp(khotin_last_error(), "t.html: no article text found in the page") == 0,
          "empty page message: %s", khotin_last_error());
    expect_no_article("<html></html>", "<html></html>", 13);
    CHECK(strcmp(khotin_last_error(), "t.html: no article text found in the page") == 0,
          "empty document message: %s", khotin_last_error());
    const char nav[] = "<html><body><nav><a href=\"/\">Thời sự</a> <a href=\"/\">Thế giới</a></nav>"
                       "<footer>Giấy phép số 1/GP-BTTTT</footer></body></html>";
    expect_no_article("navigation only", nav, sizeof nav - 1);
    int rc = kh_read_docs("x.html", "<html></html>", 13, NULL, keep_doc, (memset(&g, 0, sizeof g), &g));
    CHECK(rc == KHOTIN_EINPUT && strstr(khotin_last_error(), "x.html: no article text found"),
          "dispatcher on an empty page: %d %s", rc, khotin_last_error());
    got_clear(&g);

    /* unclosed tags everywhere */
    const char broken[] = "<html><head><title>Bài lỗi thẻ<body><div class=content><p>Đoạn một chưa đóng thẻ, "
                          "nhưng vẫn đủ dài để đọc được<p>Đoạn hai cũng chưa đóng, có dấu phẩy, vẫn đọc được<div";
    rc = read_html_str(broken, sizeof broken - 1, &g);
    CHECK(rc == 0 && g.doc.text && strstr(g.doc.text, "Đoạn hai"), "unclosed tags: %d %s", rc, khotin_last_error());
    got_clear(&g);

    /* random bytes */
    uint32_t seed = 12345;
    size_t n = 1 << 16;
    char *junk = malloc(n);
    for (size_t i = 0; junk && i < n; i++)
        junk[i] = (char)lcg(&seed);
    rc = junk ? read_html_str(junk, n, &g) : -1;
    CHECK(rc == KHOTIN_EINPUT, "random bytes: status %d", rc);
    got_clear(&g);
    if (junk) { /* and random bytes after an HTML start */
        memcpy(junk, "<html><body>", 12);
        rc = kh_read_docs("junk.html", junk, n, NULL, keep_doc, (memset(&g, 0, sizeof g), &g));
        CHECK(rc == KHOTIN_EINPUT || rc == 0, "random bytes after <html>: status %d", rc);
        got_clear(&g);
        /* random tag soup: printable, lots of < > / = " */
        const char alphabet[] = "<<>>//==\"\" abcdpiv\n&;#x";
        for (size_t i = 0; i < n; i++)
            junk[i] = alphabet[lcg(&seed) % (sizeof alphabet - 1)];
        rc = read_html_str(junk, n, &g);
        CHECK(rc == KHOTIN_EINPUT || rc == 0, "tag soup: status %d", rc);
        got_clear(&g);
    }
    free(junk);

    /* deep nesting: 100 000 divs, then 100 000 inline tags */
    kh_buf b;
    kh_buf_init(&b);
    kh_buf_puts(&b, "<html><body><h1>Bài lồng sâu</h1>");
    for (int i = 0; i < 100000; i++)
        kh_buf_puts(&b, "<div>");
    kh_buf_puts(&b, "<p>Đoạn văn ở tận đáy của một trăm nghìn thẻ div lồng nhau, vẫn phải đọc được.</p>");
    for (int i = 0; i < 100000; i++)
        kh_buf_puts(&b, i % 2 ? "<b>" : "<span>");
    kh_buf_puts(&b, "chữ</body></html>");
    rc = read_html_str(b.data, b.len, &g);
    CHECK(rc == 0 || rc == KHOTIN_EINPUT, "deep nesting: status %d", rc);
    got_clear(&g);
    kh_buf_free(&b);

    /* a giant page: 20 000 paragraphs and 20 000 menu links (~6 MB) */
    kh_buf_init(&b);
    kh_buf_puts(&b, "<html><head><title>Trang rất lớn</title></head><body><ul class=\"menu\">");
    for (int i = 0; i < 20000; i++)
        kh_buf_printf(&b, "<li><a href=\"/m%d\">Mục %d</a></li>", i, i);
    kh_buf_puts(&b, "</ul><h1>Trang rất lớn</h1><article class=\"content\">");
    for (int i = 0; i < 20000; i++)
        kh_buf_printf(&b, "<p>Đoạn số %d của một bài rất dài, có dấu phẩy, để kiểm tra giới hạn.</p>", i);
    kh_buf_puts(&b, "</article></body></html>");
    clock_t t0 = clock();
    rc = read_html_str(b.data, b.len, &g);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(rc == 0 && g.doc.text && strstr(g.doc.text, "Đoạn số 19999 "), "giant page: %d %s", rc,
          khotin_last_error());
    CHECK(g.doc.text && !strstr(g.doc.text, "Mục 1"), "giant page: menu left out");
    CHECK(secs < 60, "giant page took %.1f s", secs);
    got_clear(&g);
    kh_buf_free(&b);

    /* truncated copies of a real page */
    char path[4096];
    snprintf(path, sizeof path, "%s/pages/02_tuoitre.html", fixtures);
    size_t len = 0;
    char *data = check_read_file(path, &len);
    for (int cut = 1; data && cut < 20; cut++) {
        rc = kh_read_docs("cut.html", data, len * (size_t)cut / 20, NULL, keep_doc,
                          (memset(&g, 0, sizeof g), &g));
        CHECK(rc == 0 || rc == KHOTIN_EINPUT, "page cut at %d/20: status %d", cut, rc);
        if (cut >= 17)
            CHECK(rc == 0 && g.doc.headline && strstr(g.doc.headline, "Đà Nẵng"),
                  "page cut at %d/20 still reads", cut);
        got_clear(&g);
    }
    free(data);

    /* a non-zero callback return is handed back */
    const char ok[] = "<html><body><h1>Tiêu đề</h1>" PAGE_BODY;
    rc = kh_read_html("t.html", ok, sizeof ok - 1, NULL, stop_doc, NULL);
    CHECK(rc == 7, "callback stop: %d", rc);
}

int main(int argc, char **argv)
{
    const char *fixtures = argc > 1 ? argv[1] : "fixtures";
    test_pages(fixtures);
    test_real_vnexpress(fixtures);
    test_mhtml(fixtures);
    test_charsets();
    test_metadata();
    test_robust(fixtures);
    return check_summary("test_html");
}
