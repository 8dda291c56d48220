/* test_encoding.c - legacy Vietnamese encodings (encoding.c): round trips
 * of every Vietnamese letter in windows-1258, VISCII, TCVN3 and VNI,
 * detection on several texts (and no false alarm on French or UTF-8), the
 * fixtures in fixtures/encodings/ through the reader, and an unaccented
 * search over the four imported files.
 *
 * The encoders here are for the tests only: windows-1258 and VISCII through
 * glibc iconv, TCVN3 and VNI from tables written out below letter by letter
 * (independently of the decoding tables in encoding.c). */
#include "check.h"
#include "reader.h"

#include <dirent.h>
#include <iconv.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the Vietnamese letters ---- */

/* Rows: a vowel with no tone, huyền, hỏi, ngã, sắc, nặng. */
static const char *const lower_rows[12][6] = {
    {"a", "à", "ả", "ã", "á", "ạ"}, {"ă", "ằ", "ẳ", "ẵ", "ắ", "ặ"},
    {"â", "ầ", "ẩ", "ẫ", "ấ", "ậ"}, {"e", "è", "ẻ", "ẽ", "é", "ẹ"},
    {"ê", "ề", "ể", "ễ", "ế", "ệ"}, {"i", "ì", "ỉ", "ĩ", "í", "ị"},
    {"o", "ò", "ỏ", "õ", "ó", "ọ"}, {"ô", "ồ", "ổ", "ỗ", "ố", "ộ"},
    {"ơ", "ờ", "ở", "ỡ", "ớ", "ợ"}, {"u", "ù", "ủ", "ũ", "ú", "ụ"},
    {"ư", "ừ", "ử", "ữ", "ứ", "ự"}, {"y", "ỳ", "ỷ", "ỹ", "ý", "ỵ"}};
static const char *const upper_rows[12][6] = {
    {"A", "À", "Ả", "Ã", "Á", "Ạ"}, {"Ă", "Ằ", "Ẳ", "Ẵ", "Ắ", "Ặ"},
    {"Â", "Ầ", "Ẩ", "Ẫ", "Ấ", "Ậ"}, {"E", "È", "Ẻ", "Ẽ", "É", "Ẹ"},
    {"Ê", "Ề", "Ể", "Ễ", "Ế", "Ệ"}, {"I", "Ì", "Ỉ", "Ĩ", "Í", "Ị"},
    {"O", "Ò", "Ỏ", "Õ", "Ó", "Ọ"}, {"Ô", "Ồ", "Ổ", "Ỗ", "Ố", "Ộ"},
    {"Ơ", "Ờ", "Ở", "Ỡ", "Ớ", "Ợ"}, {"U", "Ù", "Ủ", "Ũ", "Ú", "Ụ"},
    {"Ư", "Ừ", "Ử", "Ữ", "Ứ", "Ự"}, {"Y", "Ỳ", "Ỷ", "Ỹ", "Ý", "Ỵ"}};

/* ---- test encoders: TCVN3 and VNI tables ---- */

/* TCVN3 (TCVN 5712:1993 VN3): the lower-case rows above, byte by byte. */
static const unsigned char tcvn3_lower[12][6] = {
    {'a', 0xB5, 0xB6, 0xB7, 0xB8, 0xB9}, {0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6},
    {0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB}, {'e', 0xCC, 0xCE, 0xCF, 0xD0, 0xD1},
    {0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6}, {'i', 0xD7, 0xD8, 0xDC, 0xDD, 0xDE},
    {'o', 0xDF, 0xE1, 0xE2, 0xE3, 0xE4}, {0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9},
    {0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE}, {'u', 0xEF, 0xF1, 0xF2, 0xF3, 0xF4},
    {0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9}, {'y', 0xFA, 0xFB, 0xFC, 0xFD, 0xFE}};
/* VN3 capitals are only the 12 untoned vowels (Ă Â Ê Ô Ơ Ư at A1-A6); a
 * toned capital is the capital + VN2's combining tone at B0-B4. */
static const unsigned char tcvn3_upper_base[12] = {'A', 0xA1, 0xA2, 'E', 0xA3, 'I',
                                                   'O', 0xA4, 0xA5, 'U', 0xA6, 'Y'};
static const unsigned char tcvn3_tone[6] = {0, 0xB0, 0xB1, 0xB2, 0xB3, 0xB4};

/* VNI-Windows: the lower-case rows; a capital is the capital base and
 * every byte above 0x7F minus 0x20. */
static const char *const vni_lower[12][6] = {
    {"a", "a\xF8", "a\xFB", "a\xF5", "a\xF9", "a\xEF"},
    {"a\xEA", "a\xE8", "a\xFA", "a\xFC", "a\xE9", "a\xEB"},
    {"a\xE2", "a\xE0", "a\xE5", "a\xE3", "a\xE1", "a\xE4"},
    {"e", "e\xF8", "e\xFB", "e\xF5", "e\xF9", "e\xEF"},
    {"e\xE2", "e\xE0", "e\xE5", "e\xE3", "e\xE1", "e\xE4"},
    {"i", "\xEC", "\xE6", "\xF3", "\xED", "\xF2"},
    {"o", "o\xF8", "o\xFB", "o\xF5", "o\xF9", "o\xEF"},
    {"o\xE2", "o\xE0", "o\xE5", "o\xE3", "o\xE1", "o\xE4"},
    {"\xF4", "\xF4\xF8", "\xF4\xFB", "\xF4\xF5", "\xF4\xF9", "\xF4\xEF"},
    {"u", "u\xF8", "u\xFB", "u\xF5", "u\xF9", "u\xEF"},
    {"\xF6", "\xF6\xF8", "\xF6\xFB", "\xF6\xF5", "\xF6\xF9", "\xF6\xEF"},
    {"y", "y\xF8", "y\xFB", "y\xF5", "y\xF9", "\xEE"}};

/* Where a UTF-8 letter sits in the rows: *upper, *v (vowel), *t (tone). */
static int find_letter(const char *s, size_t n, int *upper, int *v, int *t)
{
    for (int u = 0; u < 2; u++)
        for (int i = 0; i < 12; i++)
            for (int j = 0; j < 6; j++) {
                const char *l = u ? upper_rows[i][j] : lower_rows[i][j];
                if (strlen(l) == n && memcmp(s, l, n) == 0) {
                    *upper = u;
                    *v = i;
                    *t = j;
                    return 1;
                }
            }
    return 0;
}

static size_t utf8_char_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static int tcvn3_letter(kh_buf *b, int upper, int v, int t)
{
    if (!upper)
        return kh_buf_putc(b, (char)tcvn3_lower[v][t]);
    kh_buf_putc(b, (char)tcvn3_upper_base[v]);
    return t ? kh_buf_putc(b, (char)tcvn3_tone[t]) : 0;
}

static int vni_letter(kh_buf *b, int upper, int v, int t)
{
    const char *s = vni_lower[v][t];
    for (size_t i = 0; s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (upper)
            c = c >= 0x80 ? (unsigned char)(c - 0x20) : (unsigned char)(c - 'a' + 'A');
        kh_buf_putc(b, (char)c);
    }
    return 0;
}

/* Encode UTF-8 text with a letter encoder; đ/Đ and a few Windows-1252
 * symbols (quotes, dashes) get their bytes from `extra`. NULL when a
 * character has no encoding. */
typedef int (*letter_enc)(kh_buf *b, int upper, int v, int t);
typedef struct extra { const char *utf8; const char *bytes; } extra;

static const extra tcvn3_extra[] = {{"đ", "\xAE"}, {"Đ", "\xA7"}, {"“", "\x93"},
                                    {"”", "\x94"}, {"–", "\x96"}, {NULL, NULL}};
static const extra vni_extra[] = {{"đ", "\xF1"}, {"Đ", "\xD1"}, {"“", "\x93"},
                                  {"”", "\x94"}, {"–", "\x96"}, {NULL, NULL}};

static char *encode_table(const char *s, letter_enc enc, const extra *ex, size_t *len)
{
    kh_buf b;
    kh_buf_init(&b);
    for (size_t i = 0; s[i];) {
        size_t n = utf8_char_len((unsigned char)s[i]);
        int upper, v, t, done = 0;
        if (find_letter(s + i, n, &upper, &v, &t)) {
            enc(&b, upper, v, t);
            done = 1;
        }
        for (size_t k = 0; !done && ex[k].utf8; k++)
            if (strlen(ex[k].utf8) == n && memcmp(s + i, ex[k].utf8, n) == 0) {
                kh_buf_puts(&b, ex[k].bytes);
                done = 1;
            }
        if (!done && n == 1) {
            kh_buf_putc(&b, s[i]);
            done = 1;
        }
        if (!done) {
            kh_buf_free(&b);
            return NULL;
        }
        i += n;
    }
    *len = b.len;
    kh_buf_append(&b, "", 0);
    return kh_buf_take(&b);
}

/* glibc iconv from UTF-8 (for windows-1258 and VISCII). */
static char *encode_iconv(const char *to, const char *s, size_t *len)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = strlen(s) * 2 + 16, left = strlen(s), room = cap;
    char *out = malloc(cap), *o = out, *in = (char *)s;
    size_t r = iconv(cd, &in, &left, &o, &room);
    if (r != (size_t)-1)
        r = iconv(cd, NULL, NULL, &o, &room);
    iconv_close(cd);
    if (r == (size_t)-1) {
        free(out);
        return NULL;
    }
    *len = (size_t)(o - out);
    return out;
}

/* Encode UTF-8 text in one of the four encodings (test encoders). */
static char *encode(const char *enc, const char *s, size_t *len)
{
    if (strcmp(enc, "windows-1258") == 0)
        return encode_iconv("CP1258", s, len);
    if (strcmp(enc, "viscii") == 0)
        return encode_iconv("VISCII", s, len);
    if (strcmp(enc, "tcvn3") == 0)
        return encode_table(s, tcvn3_letter, tcvn3_extra, len);
    return encode_table(s, vni_letter, vni_extra, len);
}

static const char *const encodings[] = {"windows-1258", "viscii", "tcvn3", "vni"};

/* ---- round trips ---- */

/* Encode, convert back, compare. */
static void round_trip(const char *enc, const char *text, const char *what)
{
    size_t n = 0, m = 0;
    char *bytes = encode(enc, text, &n), *back = NULL;
    CHECK(bytes != NULL, "%s: cannot encode %s", enc, what);
    if (!bytes)
        return;
    int rc = kh_convert_to_utf8(enc, bytes, n, &back, &m);
    CHECK(rc == 0, "%s: %s: %s", enc, what, khotin_last_error());
    CHECK(back && strlen(back) == m, "%s: %s: length", enc, what);
    CHECK(back && strcmp(back, text) == 0, "%s: %s -> \"%s\"", enc, text, back ? back : "");
    free(bytes);
    free(back);
}

static void test_round_trips(void)
{
    for (size_t e = 0; e < 4; e++) {
        kh_buf all;
        kh_buf_init(&all);
        for (int u = 0; u < 2; u++)
            for (int v = 0; v < 12; v++)
                for (int t = 0; t < 6; t++) {
                    const char *l = u ? upper_rows[v][t] : lower_rows[v][t];
                    round_trip(encodings[e], l, l);
                    kh_buf_printf(&all, "%s %sn ", l, l); /* alone, and in a word */
                }
        round_trip(encodings[e], "đ", "đ");
        round_trip(encodings[e], "Đ", "Đ");
        kh_buf_puts(&all, "Đặng đường");
        round_trip(encodings[e], kh_buf_cstr(&all), "all letters");
        kh_buf_free(&all);
    }
}

/* Our TCVN3 bytes A0-FF read as glibc's TCVN5712-1 reads them (VN1 and
 * VN3/VN2 agree there); 80-9F as Windows-1252. */
static void test_tcvn3_against_glibc(void)
{
    for (unsigned c = 0x80; c <= 0xFF; c++) {
        char byte = (char)c, *ours = NULL;
        size_t n = 0, m = 0;
        const char *lib = c >= 0xA0 ? "TCVN5712-1" : "CP1252";
        iconv_t cd = iconv_open("UTF-8", lib);
        char out[16], *o = out, *in = &byte;
        size_t left = 1, room = sizeof out;
        size_t r = iconv(cd, &in, &left, &o, &room);
        if (r != (size_t)-1)
            iconv(cd, NULL, NULL, &o, &room);
        iconv_close(cd);
        kh_convert_to_utf8("tcvn3", &byte, 1, &ours, &n);
        if (r == (size_t)-1) /* undefined in CP1252: U+FFFD for us */
            CHECK(ours && strcmp(ours, "\xEF\xBF\xBD") == 0, "tcvn3 0x%02X undefined", c);
        else
            CHECK(ours && n == (m = (size_t)(o - out)) && memcmp(ours, out, m) == 0,
                  "tcvn3 0x%02X: \"%s\" vs %s \"%.*s\"", c, ours ? ours : "", lib,
                  (int)(o - out), out);
        free(ours);
    }
}

/* ---- detection ---- */

static const char *const texts[] = {
    "Giá xăng giảm lần thứ ba liên tiếp. Từ 15 giờ chiều nay, mỗi lít xăng "
    "RON 95 giảm 520 đồng, xuống còn 21.300 đồng. Liên Bộ Công Thương - Tài "
    "chính cho biết giá thế giới đã hạ nhiệt trong tuần qua.",
    "Mưa lớn gây ngập sâu nhiều tuyến phố ở Hà Nội. Nước dâng cao khiến hàng "
    "trăm xe máy chết máy, giao thông ùn tắc kéo dài đến tối. Công ty Thoát "
    "nước cho biết lượng mưa đo được vượt 200 mm.",
    "Ông Nguyễn Văn Hùng, chủ tịch hiệp hội, khẳng định ngành du lịch đang "
    "phục hồi nhanh. Lượng khách quốc tế đến Đà Nẵng trong quý hai tăng gấp "
    "đôi, chủ yếu từ Hàn Quốc và Nhật Bản.",
    "Đội tuyển nữ thắng đậm Myanmar. Huỳnh Như ghi hai bàn, còn thủ thành "
    "Kim Thanh gần như không phải làm việc. Trận tới, các cô gái sẽ gặp "
    "Philippines để tranh ngôi nhất bảng.",
};

static void test_detection(void)
{
    for (size_t e = 0; e < 4; e++)
        for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
            size_t n = 0;
            char *bytes = encode(encodings[e], texts[i], &n);
            const char *got = bytes ? kh_detect_encoding(bytes, n) : NULL;
            CHECK_STR(got, encodings[e], texts[i]);
            round_trip(encodings[e], texts[i], "text");
            free(bytes);
        }
}

/* A long text: detection reads a sample from the start. */
static void test_long_text(void)
{
    kh_buf b;
    kh_buf_init(&b);
    while (b.len < 200 * 1024)
        for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
            kh_buf_printf(&b, "%s\n\n", texts[i]);
    for (size_t e = 0; e < 4; e++) {
        size_t n = 0;
        char *bytes = encode(encodings[e], kh_buf_cstr(&b), &n);
        CHECK_STR(bytes ? kh_detect_encoding(bytes, n) : NULL, encodings[e], "200 KiB");
        free(bytes);
    }
    kh_buf_free(&b);
}

static void test_not_vietnamese(void)
{
    const char fr[] =
        "Le gouvernement fran\xE7" "ais a annonc\xE9 mercredi une s\xE9rie de "
        "mesures pour soutenir l'\xE9" "conomie. \xAB Nous ferons tout ce qui est "
        "n\xE9" "cessaire \xBB, a d\xE9" "clar\xE9 le ministre \xE0 la t\xE9l\xE9vision. "
        "L\xE0, les pr\xE9visions ont \xE9t\xE9 r\xE9vis\xE9" "es \xE0 la baisse. "
        "O\xF9 va-t-on ? \xC7" "a d\xE9pend du march\xE9.";
    CHECK(kh_detect_encoding(fr, sizeof fr - 1) == NULL, "French Latin-1 is not Vietnamese");
    const char de[] = "Die M\xFCller GmbH \xFC" "bernimmt die Stra\xDF" "enbahn in "
                      "K\xF6ln; \xC4rger \xFC" "ber den Pr\xE4sidenten.";
    CHECK(kh_detect_encoding(de, sizeof de - 1) == NULL, "German Latin-1 is not Vietnamese");
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        CHECK(kh_detect_encoding(texts[i], strlen(texts[i])) == NULL,
              "UTF-8 text %zu is not a legacy encoding", i);
    const char ascii[] = "Tin tuc trong ngay: gia vang tang nhe.";
    CHECK(kh_detect_encoding(ascii, sizeof ascii - 1) == NULL, "ASCII: nothing to detect");
    CHECK(kh_detect_encoding("", 0) == NULL, "empty");
}

static void test_names(void)
{
    char *out = NULL;
    size_t n = 0;
    const struct { const char *name, *bytes, *want; } rows[] = {
        {"CP1258", "Vi\xEA\xF2t", "Việt"},  {"Windows-1258", "ho\xE0", "hoà"},
        {"VISCII", "Vi\xAEt", "Việt"},      {"ABC", "Vi\xD6t", "Việt"},
        {"TCVN3", "\xA7\xC6ng", "Đặng"},    {"VNI", "Vie\xE4t", "Việt"},
        {"vni-windows", "\xD1OA\xD8N", "ĐOÀN"}, {"iso-8859-1", "caf\xE9", "café"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        CHECK(kh_convert_to_utf8(rows[i].name, rows[i].bytes, strlen(rows[i].bytes),
                                 &out, &n) == 0, "%s: %s", rows[i].name, khotin_last_error());
        CHECK_STR(out, rows[i].want, rows[i].name);
        free(out);
    }
    int rc = kh_convert_to_utf8("klingon-8", "abc", 3, &out, &n);
    CHECK(rc == KHOTIN_EINPUT && out == NULL, "unknown encoding refused");
    CHECK(strstr(khotin_last_error(), "klingon-8") && strstr(khotin_last_error(), "tcvn3") &&
              strstr(khotin_last_error(), "vni") && strstr(khotin_last_error(), "viscii"),
          "message lists the encodings: %s", khotin_last_error());
    /* a VNI letter cut at the end of the input; a mark byte with no vowel */
    CHECK(kh_convert_to_utf8("vni", "Vie\xE4t", 3, &out, &n) == 0, "cut");
    CHECK_STR(out, "Vie", "VNI cut after the vowel");
    free(out);
    CHECK(kh_convert_to_utf8("vni", "\xF9" "a", 2, &out, &n) == 0, "lone mark");
    CHECK_STR(out, "ùa", "VNI mark byte with no vowel before it");
    free(out);
    /* empty input converts to an empty string */
    CHECK(kh_convert_to_utf8("vni", "", 0, &out, &n) == 0 && out && n == 0, "empty");
    free(out);
}

/* ---- fixtures ---- */

typedef struct collected {
    int count, status;
    kh_doc doc;
} collected;

static int collect(void *ctx, int status, kh_doc *d)
{
    collected *c = ctx;
    c->count++;
    c->status = status;
    kh_doc_clear(&c->doc);
    c->doc = *d;
    memset(d, 0, sizeof *d);
    return 0;
}

static void check_reader(const char *path, const char *data, size_t len,
                         const char *encoding, const char *want)
{
    kh_read_opts o = {encoding};
    collected c = {0};
    int rc = kh_read_docs(path, data, len, &o, collect, &c);
    CHECK(rc == 0 && c.count == 1 && c.status == 0, "%s (%s): read: %s", path,
          encoding ? encoding : "detected", khotin_last_error());
    CHECK_STR(c.doc.text, want, path);
    CHECK_STR(c.doc.name, path, "document name");
    kh_doc_clear(&c.doc);
}

static void test_fixture(const char *dir, const char *enc)
{
    char path[1024], upath[1024];
    snprintf(path, sizeof path, "%s/encodings/%s.txt", dir, enc);
    snprintf(upath, sizeof upath, "%s/encodings/%s.utf8.txt", dir, enc);
    size_t n = 0, un = 0, m = 0, wn = 0;
    char *data = check_read_file(path, &n), *utf8 = check_read_file(upath, &un), *conv = NULL, *want = NULL;
    CHECK(data && utf8, "fixture %s missing", enc);
    if (!data || !utf8)
        goto out;
    CHECK_STR(kh_detect_encoding(data, n), enc, path);
    CHECK(kh_convert_to_utf8(enc, data, n, &conv, &m) == 0, "%s: convert", enc);
    CHECK_STR(conv, utf8, "conversion equals the .utf8.txt file");
    CHECK(khotin_read_buffer(upath, utf8, un, &want, &wn) == 0, "%s", upath);
    if (want) {
        check_reader(path, data, n, NULL, want); /* detected in reader.c */
        check_reader(path, data, n, enc, want);  /* named: --encoding */
    }
out:
    free(data);
    free(utf8);
    free(conv);
    free(want);
}

/* ---- import and unaccented search ---- */

static const char *const headlines[] = {
    "Đặng Văn Lâm giữ sạch lưới, Việt Nam thắng Thái Lan 2-0",
    "Thuỷ điện Hoà Bình mở thêm cửa xả đáy",
    "Nguyễn Thị Ngọc Thịnh đoạt huy chương vàng Olympic Vật lý",
    "Xuất khẩu gạo sáu tháng tăng mạnh"};

/* Is each of the four headlines among the hits of `query`? */
static void check_search(khotin_db *db, const char *query, int expect_all, size_t only)
{
    khotin_search_opts o = {0};
    o.limit = 50;
    khotin_results *r = NULL;
    CHECK(khotin_search(db, query, &o, &r) == 0, "search %s: %s", query, khotin_last_error());
    if (!r)
        return;
    for (size_t h = 0; h < 4; h++) {
        int found = 0;
        for (size_t i = 0; i < khotin_results_count(r); i++)
            found |= strcmp(khotin_results_get(r, i)->headline, headlines[h]) == 0;
        if (expect_all || h == only)
            CHECK(found, "\"%s\" finds \"%s\"", query, headlines[h]);
    }
    if (!expect_all)
        CHECK(khotin_results_count(r) == 1, "\"%s\": one hit, got %zu", query,
              khotin_results_count(r));
    khotin_results_free(r);
}

/* Remove the temporary archive folder and what the archive left in it. */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[1100];
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

static void test_search(const char *dir)
{
    char tmp[] = "/tmp/khotin-enc-XXXXXX", dbpath[1100], path[1024];
    if (!mkdtemp(tmp)) {
        CHECK(0, "mkdtemp");
        return;
    }
    snprintf(dbpath, sizeof dbpath, "%s/a.db", tmp);
    khotin_db *db = NULL;
    khotin_importer *imp = NULL;
    CHECK(khotin_open(dbpath, 0, &db) == 0, "open: %s", khotin_last_error());
    CHECK(db && khotin_importer_new(db, 0, &imp) == 0, "importer");
    for (size_t e = 0; imp && e < 4; e++) {
        snprintf(path, sizeof path, "%s/encodings/%s.txt", dir, encodings[e]);
        CHECK(khotin_importer_add(imp, path, NULL, NULL) == 0, "add %s", path);
    }
    if (imp) {
        CHECK(khotin_importer_finish(imp) == 0, "finish: %s", khotin_last_error());
        const khotin_import_stats *st = khotin_importer_stats(imp);
        CHECK(st->imported == 4 && st->failed == 0, "imported %llu, failed %llu",
              (unsigned long long)st->imported, (unsigned long long)st->failed);
        khotin_importer_free(imp);
    }
    if (db) {
        check_search(db, "dang van lam", 1, 0);
        check_search(db, "my dinh", 0, 0);
        check_search(db, "thuy dien hoa binh", 0, 1);
        check_search(db, "ngoc thinh", 0, 2);
        check_search(db, "xuat khau gao", 0, 3);
    }
    khotin_close(db);
    remove_dir(tmp);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "fixtures";
    test_round_trips();
    test_tcvn3_against_glibc();
    test_detection();
    test_long_text();
    test_not_vietnamese();
    test_names();
    for (size_t e = 0; e < 4; e++)
        test_fixture(dir, encodings[e]);
    test_search(dir);
    return check_summary("test_encoding");
}
