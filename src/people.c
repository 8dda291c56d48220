/* people.c - people named in an article, their roles and what they said
 * (part of the extract stage). A first, rule-based pass:
 *
 *  1. Candidate names are runs of capitalised words ("Andrey Krutskikh",
 *     "Nguyễn Tấn Dũng"), with leading function words, honorifics and place
 *     names stripped ("Tổng thống Nga Vladimir Putin" -> "Vladimir Putin").
 *  2. A candidate is a person when something says so: a title before it
 *     (role "Tổng thống Nga"), an honorific (ông, bà), a role in apposition
 *     ("X, một quan chức Nga,"), a speech verb after it ("X cho biết"),
 *     "theo X" / "trích dẫn X", or a Vietnamese surname with three syllables.
 *  3. Later mentions by a shorter form ("ông Trump", "Bossert") or with a
 *     one-letter typo ("Kratskikh") link to the full name.
 *  4. A mention is quoted when a speech verb follows it in the same sentence
 *     (after any appositions) or "theo"/"trích dẫn" precedes it; the quote is
 *     the quoted passage near the verb or the reported speech after it.
 *
 * Word lists are written in lower case with the tone placement of text.c.
 */
#include "extract.h"

#include <stdint.h>
#include <threads.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- word lists ---- */

static const char *const honorifics[] = {"ông", "bà", "anh", "chị", "cô",
                                         "chú", "ngài", "bác", "cụ", "em", NULL};

static const char *const lead_strip[] = {
    "theo", "tại", "trong", "khi", "sau", "trước", "với", "về", "từ", "đến",
    "cho", "của", "các", "những", "nhưng", "và", "còn", "hôm", "ngày", "năm",
    "tháng", "sáng", "chiều", "tối", "đêm", "trưa", "phía", "người", "tuy",
    "nếu", "do", "đây", "đó", "là", "vì", "ở", "ngoài", "hiện", "như",
    "phó", "thủ", "tổng", "chủ", "đại", "trung", "thượng", "thiếu", "nguyên",
    "cựu", "tân", "quyền", "gs", "pgs", "ts", "hlv", "tiền", "hậu", "thủ",
    "luật", "bác", "giáo", "kỹ", "nhà", "trả", "khác", "một", "hai", "ba",
    "bốn", "mới", "tin", "ảnh", "video", "clip", "bài", "thư", "lời",
    "đặc", "tổng", "ngoại", "nữ", "cầu", "tuyển", "đội", "trên", "dưới",
    "bên", "gần", "qua", "giữa", "cạnh", "dọc", NULL};

/* Multi-word place names, lower case. Stripped from the start of a name
 * ("Nga Vladimir Putin") and never a person by themselves. */
static const char *const places[] = {
    "nga", "mỹ", "hoa kỳ", "trung quốc", "việt nam", "pháp", "đức", "anh",
    "nhật bản", "nhật", "hàn quốc", "triều tiên", "ấn độ", "ukraine", "israel",
    "iran", "iraq", "syria", "thái lan", "lào", "campuchia", "singapore",
    "malaysia", "indonesia", "philippines", "australia", "úc", "canada",
    "brazil", "châu âu", "châu á", "châu phi", "châu mỹ", "hà nội", "tp hcm",
    "tp.hcm", "thành phố hồ chí minh", "đà nẵng", "hải phòng", "cần thơ",
    "huế", "moscow", "washington", "bắc kinh", "tokyo", "seoul", "paris",
    "london", "berlin", "hamburg", "nha trang", "kremlin", "điện kremlin",
    "nhà trắng", "liên hợp quốc", "liên hiệp quốc", "trung đông",
    "đông nam á", "biển đông", "quảng ninh", "quảng nam", "quảng ngãi",
    "nghệ an", "hà tĩnh", "thanh hoá", "bình dương", "đồng nai", "long an",
    "khánh hoà", "lâm đồng", "đắk lắk", "gia lai", "kon tum", "bình định",
    "phú yên", "hà giang", "cao bằng", "lạng sơn", "lào cai", "yên bái",
    "sơn la", "điện biên", "lai châu", "hoà bình", "thái nguyên", "bắc ninh",
    "bắc giang", "hưng yên", "hải dương", "nam định", "thái bình", "ninh bình",
    "hà nam", "vĩnh phúc", "phú thọ", "tuyên quang", "bắc kạn", "quảng bình",
    "quảng trị", "thừa thiên huế", "bình thuận", "ninh thuận", "tây ninh",
    "bình phước", "bà rịa", "vũng tàu", "tiền giang", "bến tre", "vĩnh long",
    "trà vinh", "đồng tháp", "an giang", "kiên giang", "hậu giang",
    "sóc trăng", "bạc liêu", "cà mau", "đắk nông", "phú quốc", "hội an",
    "sa pa", "đà lạt", "vịnh hạ long", "hạ long", "mỹ đình", "thế giới",
    "đông nam", "tây nguyên", "nam bộ", "bắc bộ", "trung bộ", "miền bắc",
    "miền nam", "miền trung", "đông á", "bắc mỹ", "nam mỹ", "mỹ latinh",
    "thượng hải", "hồng kông", "đài loan", "ma cao", "kenya", "ethiopia",
    "hà lan", "amsterdam", "tây ban nha", "bồ đào nha", "ý", "italy",
    "thụy điển", "thuỵ điển", "na uy", "đan mạch", "phần lan", "ba lan", "séc",
    "hungary", "romania", "hy lạp", "thổ nhĩ kỳ", "ai cập", "nam phi",
    "nigeria", "mexico", "argentina", "chile", "peru", "colombia", "venezuela",
    "cuba", "new zealand", "myanmar", "brunei", "đông timor", "timor",
    "bangladesh", "pakistan", "afghanistan", "ả rập xê út", "saudi arabia",
    "qatar", "kuwait", "jordan", "lebanon", "thụy sĩ", "thuỵ sĩ", "áo", "bỉ",
    "ireland", "scotland", "bắc ireland", "sri lanka", "nepal", "mông cổ",
    "kazakhstan", "belarus", "ba lan", "vatican", "bắc triều tiên", "nam hàn",
    "hồ bắc", "quảng đông", "quảng tây", "vân nam", "tứ xuyên", "bắc kinh",
    "tokyo", "osaka", "singapore", "kuala lumpur", "jakarta", "manila",
    "bangkok", "phnom penh", "viêng chăn", "new york", "los angeles",
    "california", "texas", "florida", "sydney", "melbourne", "canberra",
    NULL};

/* First words of organisations and places that look like names. */
static const char *const org_starts[] = {
    "bộ", "sở", "ủy", "uỷ", "ban", "công", "ngân", "trường", "bệnh",
    "viện", "tòa", "toà", "quốc", "đảng", "thành", "tỉnh", "quận", "huyện",
    "xã", "phường", "hội", "liên", "câu", "đội", "học", "cục", "văn", "sân",
    "giải", "khu", "cảng", "hãng", "báo", "đài", "kênh", "chính", "mặt",
    "mạng", "hiệp", "sông", "núi", "biển", "vịnh", "đảo", "tàu", "chợ",
    "đường", "phố", "khách", "thủ", "tổng", "đại", "trung", "nhà", "vụ",
    "quỹ", "lực", "quân", "hạm", "chiến", "cuộc", "chương", "dự", "luật",
    "nghị", "hiến", "tuyên", "sách", "phim", "giáo", "thế", "cúp",
    "world", "vòng", "tuần", "lễ", "tết", "mùa", "hệ", "phòng", NULL};

static const char *const surnames[] = {
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ",
    "đặng", "bùi", "đỗ", "hồ", "ngô", "dương", "lý", "đinh", "đoàn", "lâm",
    "trương", "mai", "cao", "lương", "tô", "trịnh", "tạ", "đào", "châu",
    "lưu", "thái", "quách", "kiều", "vương", "hà", "đàm", "triệu", "tăng",
    "lại", "la", "phùng", "mạc", "khổng", "nông", "lục", "chu", "diệp",
    "hứa", "âu", "lò", "lã", "tôn", "giang", "thân", "văn", "khúc", "ninh",
    "doãn", "bạch", "quan", "tiêu", "lô", "vi", "sầm", "bế", "quàng", "cầm",
    "tòng", "mùa", "giàng", "sùng", "thào", "vàng", "lầu", "hầu", "kha", "lữ",
    "mã", "thạch", "ksor", "nay", "rơ", "đàng", "tống", "trang", "ưng", NULL};

/* Titles, longest first where one is a prefix of another. */
static const char *const titles[] = {
    "phó thủ tướng", "thủ tướng", "phó tổng thống", "tổng thống",
    "bộ trưởng", "thứ trưởng", "phó chủ tịch", "chủ tịch", "tổng bí thư",
    "phó bí thư", "bí thư", "người phát ngôn", "phát ngôn viên", "đại sứ",
    "trung tướng", "thiếu tướng", "thượng tướng", "đại tướng", "đại tá",
    "thượng tá", "trung tá", "thiếu tá", "phó giáo sư", "giáo sư", "gs",
    "pgs", "ts", "tiến sĩ", "thạc sĩ", "bác sĩ", "luật sư", "kỹ sư",
    "nhà báo", "hlv", "huấn luyện viên", "tiền đạo", "hậu vệ", "tiền vệ",
    "thủ môn", "cầu thủ", "phó tổng giám đốc", "tổng giám đốc",
    "phó giám đốc", "giám đốc", "chánh văn phòng", "chánh án",
    "viện trưởng", "cục trưởng", "phó cục trưởng", "vụ trưởng",
    "trưởng phòng", "trưởng ban", "trưởng đoàn", "ngoại trưởng",
    "thủ lĩnh", "đặc phái viên", "cố vấn", "chuyên gia", "nghị sĩ",
    "thượng nghị sĩ", "hạ nghị sĩ", "thống đốc", "thị trưởng", "quốc vương",
    "nhà vua", "hoàng tử", "công chúa", "thái tử", "nữ hoàng", "giáo hoàng",
    "tổng thư ký", "người đứng đầu", "đại biểu", "phó chánh", "chủ nhiệm",
    "phó chủ nhiệm", "tổng biên tập", "ca sĩ", "diễn viên", "nhà văn",
    "nhà nghiên cứu", "nhà khoa học", "kinh tế gia", "phóng viên",
    "tổng tham mưu trưởng", "bộ trưởng quốc phòng", "trưởng công an",
    "giám đốc công an", "chỉ huy trưởng", "tư lệnh", "phó tư lệnh",
    "đô đốc", "chánh thanh tra", "tổng kiểm toán", "thống đốc ngân hàng",
    "vận động viên", "trọng tài", "kiểm sát viên", "thẩm phán", "điều tra viên",
    "chủ tọa", "chủ toạ", "luật sư", "giảng viên", "hiệu trưởng", "nghệ sĩ",
    "nhạc sĩ", "họa sĩ", "hoạ sĩ", "đạo diễn", "giám đốc điều hành",
    "phó hiệu trưởng", "bí thư tỉnh ủy", "bí thư tỉnh uỷ", "bác sĩ",
    "trưởng khoa", "phó trưởng khoa", "trưởng bộ môn", "trưởng thôn",
    "trưởng bản", "trưởng đài", "trưởng phòng", "trưởng trạm", "trưởng ban", NULL};

static const char *const role_modifiers[] = {"phó", "nguyên", "cựu", "tân",
                                             "quyền", "tổng", "trợ lý", NULL};

/* Abbreviated titles: they apply only right before the name ("TS Lê A"). */
static const char *const title_abbrevs[] = {"gs", "pgs", "ts", "hlv", "ths", "bs",
                                            "ls", "bsck2", "bsckii", "ck2", NULL};

/* Words between a title and the name that show the title is not the
 * name's role ("tàu ... TS do ông Phạm Văn Lộc làm thuyền trưởng"). */
static const char *const title_blockers[] = {"do", "bởi", "cùng", "với", "gặp",
                                             "thăm", "tiếp", "ông", "bà", "anh",
                                             "chị", "cô", "chú", "em", "cụ", NULL};

/* Lower-case particles inside foreign names: "Pieter van Loon". */
static const char *const name_particles[] = {"van", "de", "der", "von", "bin", "binti",
                                             "al", "da", "di", "du", "dos", "del",
                                             "ter", "ten", "la", "le", NULL};

/* Lower-case words that put a capitalised name in a place or an
 * organisation: "sân Lạch Tray", "huyện Kon Plông", "quận Hoàn Kiếm". */
static const char *const classifiers[] = {
    "sân", "tỉnh", "huyện", "xã", "quận", "phường", "thị", "trấn", "thôn",
    "làng", "bản", "ấp", "sông", "suối", "đường", "phố", "ngõ", "hẻm", "cầu",
    "chợ", "núi", "đèo", "đảo", "vịnh", "hồ", "khu", "cảng", "bay",
    "viện", "trường", "công", "ty", "đoàn", "hãng", "báo", "đài", "kênh",
    "hội", "giải", "cúp", "tỉnh", "thành", "phố", "bệnh", "ga", "tàu",
    "chùa", "đền", "nhà", "hàng", "tiệm", "quán", "thương", "hiệu", "dự",
    "án", "chương", "trình", "mạng", "nước", "miền", "vùng", "biển",
    "trạm", "đội", "câu", "lạc", "bộ", "tập", "nhóm", "liên", "minh",
    "tổ", "chức", "cơ", "quan", "ứng", "dụng", "nền", "tảng",
    "tp", "tx", "chuyên", "thpt", "thcs", "ubnd", "hđnd", "phố", "hẻm", "lộ",
    NULL};

/* Speech verbs: after a name, they make the mention a quoted source. */
static const char *const speech_verbs[] = {
    "nói", "cho biết", "khẳng định", "tuyên bố", "nhấn mạnh", "nêu rõ",
    "bày tỏ", "thông báo", "chia sẻ", "phát biểu", "giải thích", "thừa nhận",
    "cảnh báo", "nhận định", "đánh giá", "viết", "tiết lộ", "xác nhận",
    "bác bỏ", "phủ nhận", "trả lời", "kể", "lưu ý", "nhận xét", "cam kết",
    "kêu gọi", "khuyến cáo", "hỏi", "trấn an", "phân tích", "nhắc lại",
    "lập luận", "cho rằng", "bình luận", "dự báo", "thông tin", "tâm sự",
    "chỉ rõ", "nhắn nhủ", "lên tiếng", "phát đi", "tuyên bố rằng", "nói rõ",
    "trao đổi", "mô tả", "thổ lộ", "bộc bạch", "than", "kết luận", "đề nghị",
    NULL};

/* Before a name, these make it a cited source: "theo X", "trích dẫn X". */
static const char *const cite_before[] = {"theo", "trích dẫn", "dẫn lời",
                                          "trích lời", "lời", NULL};

/* ---- words of a paragraph ---- */

typedef struct pword {
    size_t start, end; /* byte offsets in the paragraph */
    char *exact;       /* lower case, tone-normalised */
    size_t exact_len;
    char *folded;
    int cap;           /* starts with an upper-case letter */
    int allcaps;       /* two or more letters, all upper case */
    int sentence;      /* sentence number */
    int in_quote;      /* inside a quoted passage */
} pword;

typedef struct pwords {
    const char *next_text; /* the next paragraph, for quotes that run on */
    const char *text;
    pword *v;
    size_t n, cap;
    kh_buf arena; /* exact and folded forms, NUL-separated */
} pwords;

static int add_word(void *ctx, const char *exact, size_t exact_len,
                    const char *folded, size_t folded_len, size_t start,
                    size_t end)
{
    pwords *ws = ctx;
    if (ws->n == ws->cap) {
        size_t cap = ws->cap ? ws->cap * 2 : 64;
        pword *p = realloc(ws->v, cap * sizeof *p);
        if (!p)
            return KHOTIN_ENOMEM;
        ws->v = p;
        ws->cap = cap;
    }
    pword *w = &ws->v[ws->n];
    memset(w, 0, sizeof *w);
    w->start = start;
    w->end = end;
    /* forms go into the arena; pointers are set once it stops moving */
    w->exact = (char *)(uintptr_t)ws->arena.len;
    kh_buf_append(&ws->arena, exact, exact_len);
    kh_buf_putc(&ws->arena, '\0');
    w->folded = (char *)(uintptr_t)ws->arena.len;
    kh_buf_append(&ws->arena, folded, folded_len);
    kh_buf_putc(&ws->arena, '\0');
    w->exact_len = exact_len;
    if (ws->arena.oom)
        return KHOTIN_ENOMEM;
    /* capitalisation from the original text */
    int32_t cp;
    utf8proc_iterate((const utf8proc_uint8_t *)ws->text + start,
                     (utf8proc_ssize_t)(end - start), &cp);
    w->cap = utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
    int upper = 0, letters = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)ws->text + start;
    utf8proc_ssize_t left = (utf8proc_ssize_t)(end - start);
    while (left > 0) {
        utf8proc_ssize_t k = utf8proc_iterate(p, left, &cp);
        if (k <= 0)
            break;
        utf8proc_category_t c = utf8proc_category(cp);
        if (c == UTF8PROC_CATEGORY_LU)
            upper++;
        if (c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LL)
            letters++;
        p += k;
        left -= k;
    }
    w->allcaps = letters >= 2 && upper == letters;
    ws->n++;
    return 0;
}

static void mark_sentences(pwords *ws);
static int merge_hyphens(pwords *ws);

static void pwords_free(pwords *ws)
{
    free(ws->v);
    kh_buf_free(&ws->arena);
}

/* Split a paragraph into words with their forms and sentence numbers. */
static int pwords_build(pwords *ws, const char *para, size_t n)
{
    memset(ws, 0, sizeof *ws);
    ws->text = para;
    kh_buf_init(&ws->arena);
    int rc = kh_words(para, n, add_word, ws);
    if (rc == 0)
        rc = merge_hyphens(ws);
    if (rc)
        return rc;
    /* the arena is final: offsets become pointers */
    for (size_t i = 0; i < ws->n; i++) {
        ws->v[i].exact = ws->arena.data + (uintptr_t)ws->v[i].exact;
        ws->v[i].folded = ws->arena.data + (uintptr_t)ws->v[i].folded;
    }
    mark_sentences(ws);
    return 0;
}

/* Quote characters: '"', “ (E2 80 9C), ” (E2 80 9D). */
static int quote_at(const char *s, int *opening)
{
    if (*s == '"') {
        *opening = -1; /* toggles */
        return 1;
    }
    if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80) {
        if ((unsigned char)s[2] == 0x9C) {
            *opening = 1;
            return 3;
        }
        if ((unsigned char)s[2] == 0x9D) {
            *opening = 0;
            return 3;
        }
    }
    return 0;
}

/* A capitalised word joined by "-" to another word is one name word
 * ("Hang-seo", "Jong-Un": folded alike whatever the case). Runs while the words still hold arena offsets (the arena
 * grows here, so no pointer into it may be kept). */
static int merge_hyphens(pwords *ws)
{
    size_t out = 0;
    for (size_t i = 0; i < ws->n; i++) {
        pword w = ws->v[i];
        if (w.cap && !w.allcaps && i + 1 < ws->n && !ws->v[i + 1].allcaps &&
            ws->v[i + 1].start == w.end + 1 && ws->text[w.end] == '-' &&
            !(ws->text[ws->v[i + 1].start] >= '0' && ws->text[ws->v[i + 1].start] <= '9')) {
            const pword *nx = &ws->v[i + 1];
            /* copy the four forms out of the arena before appending to it */
            char *ex = kh_strdup(ws->arena.data + (uintptr_t)w.exact);
            char *fo = kh_strdup(ws->arena.data + (uintptr_t)w.folded);
            char *nex = kh_strdup(ws->arena.data + (uintptr_t)nx->exact);
            char *nfo = kh_strdup(ws->arena.data + (uintptr_t)nx->folded);
            int ok = ex && fo && nex && nfo;
            size_t off = ws->arena.len;
            if (ok) {
                kh_buf_printf(&ws->arena, "%s-%s", ex, nex);
                kh_buf_putc(&ws->arena, '\0');
                size_t foff = ws->arena.len;
                kh_buf_printf(&ws->arena, "%s-%s", fo, nfo);
                kh_buf_putc(&ws->arena, '\0');
                w.exact = (char *)(uintptr_t)off;
                w.folded = (char *)(uintptr_t)foff;
                w.exact_len = strlen(ex) + 1 + strlen(nex);
                w.end = nx->end;
            }
            free(ex);
            free(fo);
            free(nex);
            free(nfo);
            if (!ok || ws->arena.oom)
                return KHOTIN_ENOMEM;
            i++;
        }
        ws->v[out++] = w;
    }
    ws->n = out;
    return 0;
}

/* Sentence numbers and quote state for each word. */
static void mark_sentences(pwords *ws)
{
    int sentence = 0, inq = 0;
    size_t pos = 0;
    for (size_t i = 0; i < ws->n; i++) {
        for (size_t j = pos; j < ws->v[i].start; j++) {
            int opening;
            int k = quote_at(ws->text + j, &opening);
            if (k) {
                inq = opening < 0 ? !inq : opening;
                j += (size_t)k - 1;
                continue;
            }
            char c = ws->text[j];
            if (!inq && (c == '.' || c == '!' || c == '?') &&
                !(c == '.' && j > 0 && ws->text[j - 1] >= '0' && ws->text[j - 1] <= '9' &&
                  ws->text[j + 1] >= '0' && ws->text[j + 1] <= '9'))
                sentence++;
        }
        ws->v[i].sentence = sentence;
        ws->v[i].in_quote = inq;
        pos = ws->v[i].end;
    }
}

/* The separator text between word i-1 and word i contains only spaces? */
static int gap_is_space(const pwords *ws, size_t i)
{
    for (size_t j = ws->v[i - 1].end; j < ws->v[i].start; j++)
        if (ws->text[j] != ' ')
            return 0;
    return 1;
}

static int gap_has(const pwords *ws, size_t i, char c)
{
    for (size_t j = ws->v[i - 1].end; j < ws->v[i].start; j++)
        if (ws->text[j] == c)
            return 1;
    return 0;
}

/* ---- fast word-list lookups ----
 * Most words are in no list: a 1024-bit filter of each big list's first
 * words rejects them without comparing strings. */

typedef struct list_filter {
    const char *const *list;
    uint64_t bits[16];
} list_filter;

static list_filter filters[16];
static size_t nfilters;
static once_flag filters_once = ONCE_FLAG_INIT;

static unsigned word_hash(const char *w, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)w[i];
        h *= 16777619u;
    }
    return h & 1023u;
}

static void build_filters(void)
{
    const char *const *const lists[] = {honorifics, lead_strip, places, org_starts,
                                        classifiers, surnames, titles, role_modifiers,
                                        title_abbrevs, title_blockers, name_particles,
                                        speech_verbs, cite_before};
    for (size_t l = 0; l < sizeof lists / sizeof lists[0] && nfilters < 16; l++) {
        list_filter *f = &filters[nfilters++];
        f->list = lists[l];
        for (size_t i = 0; lists[l][i]; i++) {
            const char *e = lists[l][i];
            unsigned h = word_hash(e, strcspn(e, " "));
            f->bits[h / 64] |= (uint64_t)1 << (h % 64);
        }
    }
}

/* 0 when no entry of `list` can start with the word w[0..n); 1 maybe. */
static int may_start(const char *const *list, const char *w, size_t n)
{
    call_once(&filters_once, build_filters);
    for (size_t i = 0; i < nfilters; i++)
        if (filters[i].list == list) {
            unsigned h = word_hash(w, n);
            return (filters[i].bits[h / 64] >> (h % 64)) & 1;
        }
    return 1; /* a small list without a filter */
}

static int in_list(const char *w, const char *const *list)
{
    if (!may_start(list, w, strlen(w)))
        return 0;
    for (size_t i = 0; list[i]; i++)
        if (strcmp(w, list[i]) == 0)
            return 1;
    return 0;
}

/* Does the phrase `entry` (space-separated exact words) match the words
 * starting at i (separated by spaces only)? Returns its word count or 0. */
static size_t phrase_at(const pwords *ws, size_t i, const char *entry)
{
    if (i >= ws->n || ws->v[i].exact[0] != entry[0])
        return 0; /* fast reject: first letter differs */
    size_t k = 0;
    const char *p = entry;
    while (*p) {
        size_t n = 0;
        while (p[n] && p[n] != ' ')
            n++;
        if (i + k >= ws->n || ws->v[i + k].exact_len != n ||
            memcmp(ws->v[i + k].exact, p, n) != 0)
            return 0;
        if (k > 0 && !gap_is_space(ws, i + k))
            return 0;
        k++;
        p += n;
        while (*p == ' ')
            p++;
    }
    return k;
}

static size_t list_phrase_at(const pwords *ws, size_t i,
                             const char *const *list)
{
    if (i >= ws->n || !may_start(list, ws->v[i].exact, ws->v[i].exact_len))
        return 0;
    size_t best = 0;
    for (size_t k = 0; list[k]; k++) {
        size_t n = phrase_at(ws, i, list[k]);
        if (n > best)
            best = n;
    }
    return best;
}

/* ---- people registry ---- */

typedef struct person {
    char *name;
    char **fwords; /* folded words of the name */
    size_t nfw;
    char *role;
    char *quote;
    int quote_kind; /* 0 none, 1 reported speech, 2 direct quote */
    int quoted;
} person;

typedef struct registry {
    person *v;
    size_t n, cap;
} registry;

static void registry_free(registry *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].name);
        for (size_t k = 0; k < r->v[i].nfw; k++)
            free(r->v[i].fwords[k]);
        free(r->v[i].fwords);
        free(r->v[i].role);
        free(r->v[i].quote);
    }
    free(r->v);
}

static int same_words(const person *p, const pwords *ws, size_t s, size_t e)
{
    if (p->nfw != e - s)
        return 0;
    for (size_t k = 0; k < p->nfw; k++)
        if (strcmp(p->fwords[k], ws->v[s + k].folded) != 0)
            return 0;
    return 1;
}

/* The known person that words [s,e) refer to: the same name, a shorter
 * form of it (consecutive words: "Ahmad Faizal", "Xuân Phúc"; one word: the
 * first or last, "Trump", "ông Park", "bà Hằng"), or a one-letter typo of
 * its last word ("Kratskikh"). */
static person *lookup(registry *r, const pwords *ws, size_t s, size_t e)
{
    for (size_t i = 0; i < r->n; i++)
        if (same_words(&r->v[i], ws, s, e))
            return &r->v[i];
    size_t n = e - s;
    for (size_t i = r->n; i-- > 0;) { /* the latest person first */
        person *p = &r->v[i];
        if (n >= p->nfw)
            continue;
        for (size_t off = 0; off + n <= p->nfw; off++) {
            if (n == 1 && off != 0 && off + 1 != p->nfw)
                continue;
            int ok = 1;
            for (size_t k = 0; k < n && ok; k++)
                ok = strcmp(p->fwords[off + k], ws->v[s + k].folded) == 0;
            if (ok)
                return p;
        }
    }
    if (n == 1 && strlen(ws->v[s].folded) >= 5) {
        for (size_t i = 0; i < r->n; i++) {
            person *p = &r->v[i];
            if (p->nfw >= 2 && kh_within_one_edit(p->fwords[p->nfw - 1],
                                               ws->v[s].folded))
                return p;
        }
    }
    return NULL;
}

static person *registry_add(registry *r, const pwords *ws, size_t s, size_t e)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        person *p = realloc(r->v, cap * sizeof *p);
        if (!p)
            return NULL;
        r->v = p;
        r->cap = cap;
    }
    person *p = &r->v[r->n];
    memset(p, 0, sizeof *p);
    p->name = kh_strndup(ws->text + ws->v[s].start, ws->v[e - 1].end - ws->v[s].start);
    p->fwords = calloc(e - s, sizeof *p->fwords);
    p->role = kh_strdup("");
    p->quote = kh_strdup("");
    if (!p->name || !p->fwords || !p->role || !p->quote)
        goto fail;
    for (size_t k = s; k < e; k++) {
        p->fwords[p->nfw] = kh_strdup(ws->v[k].folded);
        if (!p->fwords[p->nfw])
            goto fail;
        p->nfw++;
    }
    r->n++;
    return p;
fail:
    free(p->name);
    for (size_t k = 0; k < p->nfw; k++)
        free(p->fwords[k]);
    free(p->fwords);
    free(p->role);
    free(p->quote);
    return NULL;
}

static int set_str(char **dst, const char *s, size_t n)
{
    char *p = kh_strndup(s, n);
    if (!p)
        return KHOTIN_ENOMEM;
    free(*dst);
    *dst = p;
    return 0;
}

/* ---- analysis of one name mention ---- */

/* Words [s,e) of a run of capitalised words: strip leading function words,
 * honorifics and places. Returns the new start. */
static size_t strip_run(const pwords *ws, size_t s, size_t e)
{
    for (;;) {
        if (s >= e)
            return s;
        size_t pl = list_phrase_at(ws, s, places);
        if (pl && s + pl < e) {
            s += pl;
            continue;
        }
        if (in_list(ws->v[s].exact, lead_strip) ||
            in_list(ws->v[s].exact, honorifics)) {
            s++;
            continue;
        }
        return s;
    }
}

/* Role from a title before the name: the last title in the clause before
 * word s, through the word before s. Returns 1 and sets [*rs, s). */
static int title_before(const pwords *ws, size_t s, size_t *rs)
{
    size_t from = s;
    size_t steps = 0;
    while (from > 0 && steps < 8 && gap_is_space(ws, from) &&
           ws->v[from - 1].sentence == ws->v[s].sentence) {
        from--;
        steps++;
    }
    size_t found = (size_t)-1;
    for (size_t i = from; i < s;) {
        size_t n = list_phrase_at(ws, i, titles);
        if (n && i + n <= s) {
            found = i;
            i += n;
        } else {
            i++;
        }
    }
    if (found == (size_t)-1)
        return 0;
    for (;;) {
        if (found > from && in_list(ws->v[found - 1].exact, role_modifiers))
            found--;
        else if (found >= from + 2 && phrase_at(ws, found - 2, "trợ lý") == 2)
            found -= 2;
        else
            break;
    }
    /* an abbreviation applies only right before the name */
    size_t t = found;
    while (t < s && in_list(ws->v[t].exact, role_modifiers))
        t++;
    if (t + 1 < s && phrase_at(ws, t, "trợ lý") == 2)
        t += 2;
    size_t tn = list_phrase_at(ws, t, titles);
    if (tn == 1 && in_list(ws->v[t].exact, title_abbrevs) && t + 1 != s)
        return 0;
    for (size_t k = t + tn; k < s; k++) {
        if (in_list(ws->v[k].exact, title_blockers))
            return 0;
        if (k + 1 < s && ws->v[k].cap && ws->v[k + 1].cap && !ws->v[k].allcaps &&
            !ws->v[k + 1].allcaps && !list_phrase_at(ws, k, places) &&
            !(k > 0 && list_phrase_at(ws, k - 1, places) > 1) &&
            !in_list(ws->v[k].exact, org_starts))
            return 0;
    }
    *rs = found;
    return 1;
}

static int is_speech_verb_at(const pwords *ws, size_t i)
{
    return list_phrase_at(ws, i, speech_verbs) > 0;
}

/* A speech verb at word i ("đánh giá cao" is praise, not speech): its
 * length in words, or 0. */
static size_t speech_verb_at(const pwords *ws, size_t i)
{
    size_t n = list_phrase_at(ws, i, speech_verbs);
    if (n && phrase_at(ws, i, "đánh giá cao") == 3)
        return 0;
    return n;
}

/* A title at word i, possibly after modifiers ("Phó Viện trưởng"). */
static int title_at(const pwords *ws, size_t i)
{
    while (i < ws->n && in_list(ws->v[i].exact, role_modifiers))
        i++;
    return i < ws->n && list_phrase_at(ws, i, titles) > 0;
}

/* Separator between apposition words: spaces and parentheses only. */
static int gap_is_phrase(const pwords *ws, size_t i)
{
    for (size_t j = ws->v[i - 1].end; j < ws->v[i].start; j++)
        if (ws->text[j] != ' ' && ws->text[j] != '(' && ws->text[j] != ')')
            return 0;
    return 1;
}

/* An apposition after word e-1: ", role," Returns the index of the first
 * word after the apposition segment, or 0 when there is none. The role
 * words are [*rs, *re). */
static size_t apposition(const pwords *ws, size_t e, size_t *rs, size_t *re)
{
    if (e >= ws->n || !gap_has(ws, e, ',') || ws->v[e].sentence != ws->v[e - 1].sentence)
        return 0;
    const pword *first = &ws->v[e];
    if (is_speech_verb_at(ws, e) || first->in_quote)
        return 0;
    static const char *const not_role[] = {"và", "nhưng", "khi", "thì", "rồi",
                                           "đã", "sẽ", "đang", "cũng", "còn",
                                           "vì", "nên", "mà", "song", NULL};
    static const char *const not_noun[] = {"qua", "sau", "trước", "để", "nhằm",
                                           "với", "tại", "trong", "từ", "khi",
                                           "theo", "do", "bởi", "nếu", "buộc",
                                           "khiến", "làm", "gây", "đưa", "giúp",
                                           "mang", "kéo", "đẩy", "tạo", "có",
                                           "được", "bị", "vẫn", "lại", "vừa",
                                           "mới", "thì", "là", "ở", "đến", NULL};
    if (in_list(first->exact, not_role) || in_list(first->exact, not_noun) ||
        (first->exact[0] >= '0' && first->exact[0] <= '9'))
        return 0;
    if (first->cap && !title_at(ws, e) &&
        !(in_list(first->exact, (const char *const[]){"trưởng", "phó", "giám", NULL}) &&
          e + 1 < ws->n && gap_is_space(ws, e + 1)))
        return 0;
    size_t i = e + 1;
    while (i < ws->n && gap_is_phrase(ws, i) && ws->v[i].sentence == first->sentence)
        i++;
    if (i - e > 24)
        return 0;
    for (size_t k = e; k < i; k++) {
        size_t v = list_phrase_at(ws, k, speech_verbs);
        if (v && (k + v == i || k == e) && !ws->v[k].cap)
            return 0; /* ", xúc động nói:" is speech, not a role */
    }
    *rs = e;
    *re = i;
    if (in_list(ws->v[*rs].exact, (const char *const[]){"một", "là", NULL}) &&
        *rs + 1 < *re)
        (*rs)++;
    return i;
}

/* Is there a speech verb after the mention [s,e) in its sentence? Returns
 * the word index after the verb, or 0. */
/* Is there a speech verb after the mention ending at word e, in its
 * sentence, after any appositions and before another name? Returns the
 * word index after the verb, or 0. `appositive`: the mention itself stands
 * between commas (", kiểm sát viên Tô Thanh Bình, nêu rõ ..."), so a comma
 * may separate it from its verb. */
static size_t verb_after(const pwords *ws, int appositive, size_t e)
{
    size_t i = e;
    size_t rs, re;
    /* skip up to two appositions ("X, role, Bệnh viện Chợ Rẫy, cho biết") */
    for (int k = 0; k < 2; k++) {
        size_t next = apposition(ws, i, &rs, &re);
        if (!next && k > 0 && i < ws->n && gap_has(ws, i, ',') && ws->v[i].cap &&
            in_list(ws->v[i].exact, org_starts)) {
            size_t j = i + 1; /* an organisation in apposition */
            while (j < ws->n && j < i + 12 && gap_is_phrase(ws, j) &&
                   ws->v[j].sentence == ws->v[i].sentence)
                j++;
            if (j < ws->n && gap_has(ws, j, ','))
                next = j;
        }
        if (!next)
            break;
        i = next;
    }
    size_t limit = i + 12;
    static const char *const preps[] = {"của", "tại", "ở", "thuộc", "từ", "với", NULL};
    for (size_t j = i; j < ws->n && j < limit; j++) {
        if (ws->v[j].sentence != ws->v[e - 1].sentence || ws->v[j].in_quote)
            return 0;
        if (j > i && (gap_has(ws, j, ',') || gap_has(ws, j, ';')))
            return 0;
        if (j == i && i == e && gap_has(ws, j, ',') && !appositive)
            return 0; /* "X, nói ..." is not "X nói" */
        if (j == i && i == e && !gap_is_space(ws, j) && !gap_has(ws, j, ','))
            return 0;
        size_t n = speech_verb_at(ws, j);
        if (n)
            return j + n;
        /* another name first; a place or organisation after a
         * preposition ("của U23 Thái Lan") is no speaker */
        if (ws->v[j].cap && j > i && !ws->v[j].allcaps && j + 1 < ws->n &&
            ws->v[j + 1].cap && !list_phrase_at(ws, j, places) &&
            !in_list(ws->v[j - 1].exact, preps))
            return 0;
    }
    return 0;
}

/* Does the mention [s, e) (with its title from rs) stand between commas? */
static int is_appositive(const pwords *ws, size_t s)
{
    size_t rs;
    size_t start = title_before(ws, s, &rs) ? rs : s;
    if (start > 0 && in_list(ws->v[start - 1].exact, honorifics))
        start--;
    return start > 0 && gap_has(ws, start, ',');
}

static int cited_before(const pwords *ws, size_t s)
{
    size_t i = s;
    /* skip an honorific: "theo ông X" */
    if (i > 0 && in_list(ws->v[i - 1].exact, honorifics) && gap_is_space(ws, i))
        i--;
    for (size_t back = 1; back <= 2 && back <= i; back++) {
        size_t k = i - back;
        if (ws->v[k].sentence != ws->v[s].sentence || !gap_is_space(ws, i))
            return 0;
        if (list_phrase_at(ws, k, cite_before) == back)
            return 1;
    }
    return 0;
}

/* "X ... : “quote”": a colon then a direct quote in the same sentence
 * shortly after the mention. Returns the word index after the colon or 0. */
static size_t colon_quote_after(const pwords *ws, size_t e)
{
    for (size_t j = e; j < ws->n && j < e + 12; j++) {
        if (ws->v[j].sentence != ws->v[e - 1].sentence)
            return 0;
        if (j > e && ws->v[j].cap && !ws->v[j].in_quote)
            return 0;
        if (j > e && !ws->v[j].in_quote && gap_has(ws, j, ','))
            return 0;
        if (ws->v[j].in_quote && gap_has(ws, j, ':'))
            return j;
        if (ws->v[j].in_quote)
            return 0;
    }
    return 0;
}

/* The quoted passage that starts after byte `from` in the paragraph, or
 * one that ends before byte `before` (when from is past the end). */
/* The quoted passage that opens after byte `from` of the paragraph (before
 * its sentence ends). A quote that does not close in the paragraph runs on
 * into the next one (up to its closing mark): *joined then holds both parts
 * joined by a space, and *qs points into it. */
static int quote_after(const pwords *ws, size_t from, const char **qs, size_t *qn,
                       kh_buf *joined)
{
    const char *text = ws->text;
    size_t n = strlen(text);
    for (size_t i = from; i < n; i++) {
        int opening;
        int k = quote_at(text + i, &opening);
        if (k && opening != 0) {
            size_t s = i + (size_t)k;
            for (size_t j = s; j < n; j++) {
                int op2;
                int k2 = quote_at(text + j, &op2);
                if (k2 && op2 != 1) {
                    *qs = text + s;
                    *qn = j - s;
                    return 1;
                }
            }
            /* open to the end of the paragraph */
            kh_buf_reset(joined);
            kh_buf_append(joined, text + s, n - s);
            const char *next = ws->next_text;
            if (next) {
                size_t m = strlen(next);
                for (size_t j = 0; j < m; j++) {
                    int op2;
                    int k2 = quote_at(next + j, &op2);
                    if (k2 && op2 == 1)
                        break; /* a new quote opens: this one ended unclosed */
                    if (k2) {
                        kh_buf_putc(joined, ' ');
                        kh_buf_append(joined, next, j);
                        break;
                    }
                }
            }
            if (joined->oom || !joined->len)
                return 0;
            *qs = joined->data;
            *qn = joined->len;
            return 1;
        }
        if (text[i] == '.' && i > from + 2 && i + 1 < n && text[i + 1] == ' ')
            return 0; /* the sentence ended */
    }
    return 0;
}

static int quote_before(const char *text, size_t before, const char **qs, size_t *qn)
{
    /* the last closing quote before `before` and its opening */
    size_t close = (size_t)-1;
    for (size_t i = 0; i < before; i++) {
        int op;
        int k = quote_at(text + i, &op);
        if (k && op != 1)
            close = i;
        if (k)
            i += (size_t)k - 1;
    }
    if (close == (size_t)-1)
        return 0;
    for (size_t i = close; i-- > 0;) {
        int op;
        int k = quote_at(text + i, &op);
        if (k && op != 0) {
            *qs = text + i + k;
            *qn = close - i - (size_t)k;
            return 1;
        }
    }
    return 0;
}

static void trim_span(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == ',' || **s == ':'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == ',' || (*s)[*n - 1] == '.'))
        (*n)--;
}

static int record_quote(person *p, const pwords *ws, size_t s, size_t verb_end)
{
    const char *qs = NULL;
    size_t qn = 0;
    int kind = 1;
    const char *text = ws->text;
    kh_buf joined;
    kh_buf_init(&joined);
    if (verb_end) {
        size_t from = verb_end <= ws->n ? ws->v[verb_end - 1].end : strlen(text);
        if (quote_after(ws, from, &qs, &qn, &joined) ||
            quote_before(text, ws->v[s].start, &qs, &qn)) {
            kind = 2; /* direct quote */
        } else if (verb_end < ws->n) {
            size_t i = verb_end;
            /* "X nói với các phóng viên rằng ...": the speech follows rằng */
            for (size_t k = i; k < ws->n && k < i + 10 &&
                               ws->v[k].sentence == ws->v[verb_end - 1].sentence; k++)
                if (strcmp(ws->v[k].exact, "rằng") == 0 && k + 1 < ws->n) {
                    i = k + 1;
                    break;
                }
            size_t j = i;
            while (j + 1 < ws->n && ws->v[j + 1].sentence == ws->v[i].sentence)
                j++;
            if (ws->v[i].sentence == ws->v[verb_end - 1].sentence) {
                qs = text + ws->v[i].start;
                qn = ws->v[j].end - ws->v[i].start;
            }
        }
    } else if (quote_after(ws, ws->v[s].start, &qs, &qn, &joined)) {
        kind = 2;
    } else {
        /* "theo X, ..." reported speech: the rest of the sentence */
        size_t i = s, j = s;
        while (i > 0 && ws->v[i - 1].sentence == ws->v[s].sentence)
            i--;
        while (j + 1 < ws->n && ws->v[j + 1].sentence == ws->v[s].sentence)
            j++;
        qs = text + ws->v[i].start;
        qn = ws->v[j].end - ws->v[i].start;
    }
    int rc = 0;
    if (qs && kind > p->quote_kind) {
        trim_span(&qs, &qn);
        if (qn) {
            p->quote_kind = kind;
            rc = set_str(&p->quote, qs, qn);
        }
    }
    kh_buf_free(&joined);
    return rc;
}

/* Role from apposition words [as, ae), with a closing parenthesis kept
 * when the role opened one: "người dân xã Y Tý (Bát Xát)". */
static int set_role_span(person *p, const pwords *ws, size_t as, size_t ae)
{
    size_t start = ws->v[as].start, end = ws->v[ae - 1].end;
    int open = 0;
    for (size_t j = start; j < end; j++)
        open += ws->text[j] == '(' ? 1 : ws->text[j] == ')' ? -1 : 0;
    while (open > 0 && ws->text[end] == ')') {
        end++;
        open--;
    }
    return set_str(&p->role, ws->text + start, end - start);
}

/* ---- the two passes ---- */

typedef struct mention {
    size_t s, e; /* name words */
} mention;

/* Find runs of capitalised words; call fn for each stripped run. */
static int each_run(pwords *ws, int (*fn)(void *, pwords *, size_t, size_t, size_t),
                    void *ctx)
{
    size_t i = 0;
    while (i < ws->n) {
        if (!ws->v[i].cap || ws->v[i].allcaps) {
            i++;
            continue;
        }
        size_t e = i + 1;
        for (;;) {
            if (e < ws->n && ws->v[e].cap && !ws->v[e].allcaps &&
                gap_is_space(ws, e) && ws->v[e].sentence == ws->v[i].sentence) {
                e++;
            } else if (e + 1 < ws->n && !ws->v[e].cap && gap_is_space(ws, e) &&
                       in_list(ws->v[e].exact, name_particles) && ws->v[e + 1].cap &&
                       !ws->v[e + 1].allcaps && gap_is_space(ws, e + 1)) {
                e += 2; /* "van Loon" */
            } else {
                break;
            }
        }
        size_t s = strip_run(ws, i, e);
        int rc = s < e ? fn(ctx, ws, i, s, e) : 0;
        if (rc)
            return rc;
        i = e;
    }
    return 0;
}

typedef struct pass_ctx {
    registry *reg;
} pass_ctx;

static int is_place(const pwords *ws, size_t s, size_t e)
{
    return list_phrase_at(ws, s, places) == e - s;
}

/* Pass 1: decide which runs are people and record them with roles. */
static int find_people(void *vctx, pwords *ws, size_t run_start, size_t s, size_t e)
{
    pass_ctx *c = vctx;
    (void)run_start;
    if (e - s < 2 || e - s > 6 || is_place(ws, s, e) ||
        in_list(ws->v[s].exact, org_starts))
        return 0;
    for (size_t k = s; k < e; k++)
        if (ws->v[k].in_quote)
            return 0;
    person *known = lookup(c->reg, ws, s, e);
    if (known) {
        if (known->role[0] || !same_words(known, ws, s, e))
            return 0;
        size_t rs, as, ae;
        if (title_before(ws, s, &rs) && rs < s)
            return set_str(&known->role, ws->text + ws->v[rs].start,
                           ws->v[s - 1].end - ws->v[rs].start);
        if (apposition(ws, e, &as, &ae) && !ws->v[as].in_quote)
            return set_role_span(known, ws, as, ae);
        return 0;
    }
    /* "huyện Kon Plông", "sân Lạch Tray", "TP Hồ Chí Minh"; but in "Bộ Tài
     * nguyên và Môi trường Lục Văn Thái" the word before the name ends an
     * organisation's name */
    static const char *const classifier_compounds[] = {
        "bệnh viện", "công ty", "tập đoàn", "sân bay", "thành phố", "thị xã",
        "thị trấn", "học viện", "nhà máy", "ngân hàng", "đại học", "khách sạn",
        "nhà hát", "bến xe", "nhà ga", "trung tâm", NULL};
    static const char *const classifier_pairs[] = {"tạp chí", "tờ báo", "nhãn hiệu",
                                                   "thương hiệu", NULL};
    if (s > 1 && list_phrase_at(ws, s - 2, classifier_pairs) == 2)
        return 0; /* "tạp chí Forbes Việt Nam" */
    /* "Chủ tịch UBND tỉnh Nguyễn Xuân Đường": an administrative unit
     * before a full Vietnamese name that follows a title is the title's */
    static const char *const admin_units[] = {"tỉnh", "huyện", "xã", "quận", "phường",
                                              "thị", "tp", "tx", NULL};
    size_t trs;
    int admin_title = s > 0 && in_list(ws->v[s - 1].exact, admin_units) &&
                      in_list(ws->v[s].exact, surnames) && e - s >= 3 &&
                      title_before(ws, s, &trs);
    int org_tail = s > 1 && ws->v[s - 2].cap && !ws->v[s - 2].allcaps &&
                   !in_list(ws->v[s - 2].exact, lead_strip) &&
                   !(s == 2 || ws->v[s - 3].sentence != ws->v[s - 2].sentence) &&
                   !ws->v[s - 1].cap && gap_is_space(ws, s - 1) && gap_is_space(ws, s) &&
                   list_phrase_at(ws, s - 2, classifier_compounds) != 2;
    if (s > 0 && in_list(ws->v[s - 1].exact, classifiers) && !org_tail && !admin_title)
        return 0;
    for (size_t k = s + 1; k < e && !in_list(ws->v[s].exact, surnames); k++)
        if (list_phrase_at(ws, k, places) == e - k)
            return 0; /* "Internet Hàn Quốc": ends with a place name */
    size_t rs = 0, re = 0;
    int has_title = title_before(ws, s, &rs);
    if (has_title)
        re = s;
    int honor = s > 0 && in_list(ws->v[s - 1].exact, honorifics) &&
                gap_is_space(ws, s);
    size_t as = 0, ae = 0;
    int appos = apposition(ws, e, &as, &ae) != 0;
    int surname_first = in_list(ws->v[s].exact, surnames);
    int foreign = 1; /* every word plain ASCII: "Robert Elliot" */
    for (size_t k = s; k < e && foreign; k++)
        foreign = !kh_has_diacritics(ws->v[k].exact, ws->v[k].exact_len);
    int verb = (verb_after(ws, is_appositive(ws, s), e) != 0 || colon_quote_after(ws, e) != 0) &&
               (surname_first || foreign);
    /* "Theo Daily Mail" names a source, not a person: "theo" makes a person
     * only of a name that looks like one */
    int cited = cited_before(ws, s) && (surname_first || honor);
    int surname = surname_first && e - s >= 3;
    if (has_title && !surname_first && !honor && !appos && e - s == 2 && rs < s) {
        /* "Giám đốc Công ty cổ phần Địa ốc Hưng Phát" is a company: the word
         * right before a two-word name must end the title or be a
         * capitalised place or organisation ("Bộ trưởng Du lịch Malaysia") */
        size_t tend = rs + list_phrase_at(ws, rs, titles);
        if (s - 1 >= tend && !ws->v[s - 1].cap)
            has_title = 0;
    }
    if (!(has_title || honor || appos || verb || cited || surname))
        return 0;
    person *p = registry_add(c->reg, ws, s, e);
    if (!p)
        return KHOTIN_ENOMEM;
    if (has_title && re > rs)
        return set_str(&p->role, ws->text + ws->v[rs].start,
                       ws->v[re - 1].end - ws->v[rs].start);
    static const char *const relative[] = {"đã", "đang", "từng", "vừa", "sẽ",
                                           "được", "bị", "có", "là", "mà", NULL};
    int relative_clause = in_list(ws->v[as].exact, (const char *const[]){"người", NULL}) &&
                          as + 1 < ae && in_list(ws->v[as + 1].exact, relative);
    if (appos && !relative_clause)
        return set_role_span(p, ws, as, ae);
    return 0;
}

/* Pass 2: mentions (full or short) followed by speech or cited. */
static int find_quotes(void *vctx, pwords *ws, size_t run_start, size_t s, size_t e)
{
    pass_ctx *c = vctx;
    (void)run_start;
    person *p = lookup(c->reg, ws, s, e);
    if (!p || ws->v[s].in_quote)
        return 0;
    size_t verb_end = verb_after(ws, is_appositive(ws, s), e);
    if (!verb_end)
        verb_end = colon_quote_after(ws, e);
    int cited = cited_before(ws, s);
    if (!verb_end && !cited)
        return 0;
    p->quoted = 1;
    return record_quote(p, ws, s, verb_end);
}

typedef struct para_words {
    char **texts;
    pwords *ws;
    size_t n, cap;
} para_words;

static void para_words_free(para_words *pw)
{
    for (size_t i = 0; i < pw->n; i++) {
        pwords_free(&pw->ws[i]);
        free(pw->texts[i]);
    }
    free(pw->texts);
    free(pw->ws);
}

/* Tokenise headline, lead and body paragraphs once for both passes. */
static int para_words_build(khotin_article *a, para_words *pw)
{
    struct kh_article_fields *f = kh_article_fields(a);
    const char *parts[] = {f->headline, f->lead, f->body};
    for (size_t pi = 0; pi < 3; pi++) {
        const char *p = parts[pi];
        while (*p) {
            const char *e = strchr(p, '\n');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            if (pw->n == pw->cap) {
                size_t cap = pw->cap ? pw->cap * 2 : 16;
                char **t = realloc(pw->texts, cap * sizeof *t);
                if (!t)
                    return KHOTIN_ENOMEM;
                pw->texts = t;
                pwords *w = realloc(pw->ws, cap * sizeof *w);
                if (!w)
                    return KHOTIN_ENOMEM;
                pw->ws = w;
                pw->cap = cap;
            }
            char *para = kh_strndup(p, n);
            if (!para)
                return KHOTIN_ENOMEM;
            pw->texts[pw->n] = para;
            int rc = pwords_build(&pw->ws[pw->n], para, n);
            pw->n++;
            if (rc)
                return rc;
            if (pw->n >= 2)
                pw->ws[pw->n - 2].next_text = para;
            p += n;
            while (*p == '\n')
                p++;
        }
    }
    return 0;
}

static int for_each_paragraph(para_words *pw, registry *reg,
                              int (*fn)(void *, pwords *, size_t, size_t, size_t))
{
    pass_ctx c = {reg};
    for (size_t i = 0; i < pw->n; i++) {
        int rc = each_run(&pw->ws[i], fn, &c);
        if (rc)
            return rc;
    }
    return 0;
}

int kh_is_place_name(const char *text)
{
    pwords ws;
    if (pwords_build(&ws, text, strlen(text)))
        return 0;
    int yes = ws.n > 0 && list_phrase_at(&ws, 0, places) == ws.n;
    pwords_free(&ws);
    return yes;
}

int kh_extract_people(khotin_article *a)
{
    registry reg = {0};
    para_words pw = {0};
    int rc = para_words_build(a, &pw);
    if (rc == 0)
        rc = for_each_paragraph(&pw, &reg, find_people);
    if (rc == 0)
        rc = for_each_paragraph(&pw, &reg, find_quotes);
    para_words_free(&pw);
    for (size_t i = 0; rc == 0 && i < reg.n; i++)
        rc = kh_article_add_person(a, reg.v[i].name, reg.v[i].role,
                                   reg.v[i].quote, reg.v[i].quoted);
    /* One quote per quoted person for now, in person order. */
    for (size_t i = 0; rc == 0 && i < reg.n; i++)
        if (reg.v[i].quoted && reg.v[i].quote && reg.v[i].quote[0])
            rc = kh_article_add_quote(a, i, reg.v[i].quote, 0, 1);
    registry_free(&reg);
    return rc;
}
