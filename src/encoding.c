/* encoding.c - legacy Vietnamese encodings -> UTF-8 NFC, and detection.
 *
 * Who converts what:
 *   windows-1258 (cp1258)  ICU's "windows-1258" converter (glibc iconv
 *                          "CP1258" when ICU lacks it). Tones are combining
 *                          marks after the letter; NFC composes them.
 *   VISCII                 glibc iconv "VISCII" (ICU does not carry it).
 *   TCVN3 (ABC, VN3)       own table below: no library carries it (glibc's
 *                          "TCVN5712-1" is VN1, which puts capitals in the
 *                          C0/C1 ranges where TCVN3 files have controls and
 *                          Windows punctuation).
 *   VNI (VNI-Windows)      own table below: a vowel plus a "mark byte".
 *   any other name         ICU ucnv_open(name), e.g. "iso-8859-1".
 * The result is always NFC (utf8proc).
 *
 * Detection (kh_detect_encoding) decodes a sample with each of the four,
 * then counts the words with non-ASCII letters that are well-formed
 * Vietnamese syllables (onset + vowel group + final, at most one tone,
 * and a sharp or heavy tone on syllables ending in c/ch/p/t) against the
 * words that are not, plus control and undefined characters. The decoding
 * with the best share of good words wins if the share is high enough.
 */
#include "reader.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ucnv.h>
#include <utf8proc.h>

typedef enum enc_id { ENC_CP1258, ENC_VISCII, ENC_TCVN3, ENC_VNI, ENC_OTHER } enc_id;

/* Canonical names, as kh_detect_encoding returns them (by enc_id). */
static const char *const enc_names[] = {"windows-1258", "viscii", "tcvn3", "vni"};

static const struct enc_alias {
    const char *name;
    enc_id id;
} enc_aliases[] = {
    {"windows-1258", ENC_CP1258}, {"cp1258", ENC_CP1258},
    {"cp-1258", ENC_CP1258},      {"viscii", ENC_VISCII},
    {"tcvn3", ENC_TCVN3},         {"tcvn-3", ENC_TCVN3},
    {"abc", ENC_TCVN3},           {"vn3", ENC_TCVN3},
    {"vni", ENC_VNI},             {"vni-windows", ENC_VNI},
    {"vni-win", ENC_VNI},         {NULL, ENC_OTHER}};

static enc_id enc_lookup(const char *name)
{
    for (size_t i = 0; enc_aliases[i].name; i++)
        if (strcasecmp(name, enc_aliases[i].name) == 0)
            return enc_aliases[i].id;
    return ENC_OTHER;
}

/* ---- tables ---- */

#define BAD 0xFFFD /* an undefined byte */

/* Bytes 0x80-0x9F as in Windows-1252 (Microsoft's cp1252.txt mapping).
 * The TCVN3 and VNI fonts for Windows keep these symbols (curly quotes,
 * dashes, ellipsis) where the Latin fonts have them; UniKey's converter
 * tables do the same. */
static const uint16_t c1_cp1252[32] = {
    0x20AC, BAD,    0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, /* 80 */
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, BAD,    0x017D, BAD,    /* 88 */
    BAD,    0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, /* 90 */
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, BAD,    0x017E, 0x0178, /* 98 */
};

/* TCVN3 bytes 0xA0-0xFF. Source: TCVN 5712:1993. VN3 ("TCVN3", the
 * .VnTime fonts of the ABC package) assigns NBSP, the 7 capitals
 * Ă Â Ê Ô Ơ Ư Đ (A1-A7) and the 67 lower-case letters; capitals with a
 * tone come from a second, all-capital font and so read as lower case.
 * The 21 positions VN3 leaves free are read as VN2 has them (marked *):
 * five combining tones at B0-B4 and 16 toned capitals. The positions agree
 * with glibc's TCVN5712-1 over this range (checked by test_encoding). */
static const uint16_t tcvn3_hi[96] = {
    0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110, /* A0 */
    0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0, /* A8 ă â ê ô ơ ư đ Ằ* */
    0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3, /* B0 *tones, à ả ã */
    0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4, /* B8 á ạ Ẳ* ằ ẳ ẵ ắ Ẵ* */
    0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7, /* C0 Ắ* Ầ* Ẩ* Ẫ* Ấ* Ề* ặ ầ */
    0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD, /* C8 ẩ ẫ ấ ậ è Ể* ẻ ẽ */
    0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC, /* D0 é ẹ ề ể ễ ế ệ ì */
    0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2, /* D8 ỉ Ễ* Ế* Ồ* ĩ í ị ò */
    0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7, /* E0 Ổ* ỏ õ ó ọ ồ ổ ỗ */
    0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9, /* E8 ố ộ ờ ở ỡ ớ ợ ù */
    0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF, /* F0 Ỗ* ủ ũ ú ụ ừ ử ữ */
    0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0, /* F8 ứ ự ỳ ỷ ỹ ý ỵ Ố* */
};

/* VNI-Windows (VNI Software's font encoding; the layout UniKey and xvnkb
 * convert). A toned or hatted vowel is the plain vowel (or ơ/ư) followed
 * by one "mark byte"; the mark bytes are Latin-1 letters, lower-case after
 * a lower-case vowel, upper-case (byte - 0x20) after a capital. Both cases
 * are accepted after either vowel, as the fonts draw them alike. */
#define VB_A 1u /* allowed after a/A */
#define VB_E 2u
#define VB_O 4u
#define VB_TONE 8u /* a tone alone: after any vowel, ơ and ư too */
static const struct vni_mark {
    unsigned char lower; /* the byte after a lower-case vowel */
    const char *marks;   /* combining marks it stands for */
    unsigned bases;      /* VB_*: which vowels take it */
} vni_marks[] = {
    {0xF9, "\u0301", VB_TONE},              /* ù: sắc     (aù = á) */
    {0xF8, "\u0300", VB_TONE},              /* ø: huyền   (aø = à) */
    {0xFB, "\u0309", VB_TONE},              /* û: hỏi     (aû = ả) */
    {0xF5, "\u0303", VB_TONE},              /* õ: ngã     (aõ = ã) */
    {0xEF, "\u0323", VB_TONE},              /* ï: nặng    (aï = ạ) */
    {0xE2, "\u0302", VB_A | VB_E | VB_O},   /* â: mũ      (aâ = â) */
    {0xE1, "\u0302\u0301", VB_A | VB_E | VB_O}, /* á: ấ */
    {0xE0, "\u0302\u0300", VB_A | VB_E | VB_O}, /* à: ầ */
    {0xE5, "\u0302\u0309", VB_A | VB_E | VB_O}, /* å: ẩ */
    {0xE3, "\u0302\u0303", VB_A | VB_E | VB_O}, /* ã: ẫ */
    {0xE4, "\u0302\u0323", VB_A | VB_E | VB_O}, /* ä: ậ */
    {0xEA, "\u0306", VB_A},                 /* ê: trăng   (aê = ă) */
    {0xE9, "\u0306\u0301", VB_A},           /* é: ắ */
    {0xE8, "\u0306\u0300", VB_A},           /* è: ằ */
    {0xFA, "\u0306\u0309", VB_A},           /* ú: ẳ */
    {0xFC, "\u0306\u0303", VB_A},           /* ü: ẵ */
    {0xEB, "\u0306\u0323", VB_A},           /* ë: ặ */
};

/* VNI letters that are one byte (upper case: the byte - 0x20). */
static const struct vni_single {
    unsigned char lower;
    uint16_t lower_cp, upper_cp;
} vni_singles[] = {
    {0xF1, 0x0111, 0x0110}, /* ñ Ñ: đ Đ */
    {0xF4, 0x01A1, 0x01A0}, /* ô Ô: ơ Ơ (and the base of ớ ờ ở ỡ ợ) */
    {0xF6, 0x01B0, 0x01AF}, /* ö Ö: ư Ư (and the base of ứ ừ ử ữ ự) */
    {0xED, 0x00ED, 0x00CD}, /* í Í */
    {0xEC, 0x00EC, 0x00CC}, /* ì Ì */
    {0xE6, 0x1EC9, 0x1EC8}, /* æ Æ: ỉ Ỉ */
    {0xF3, 0x0129, 0x0128}, /* ó Ó: ĩ Ĩ */
    {0xF2, 0x1ECB, 0x1ECA}, /* ò Ò: ị Ị */
    {0xEE, 0x1EF5, 0x1EF4}, /* î Î: ỵ Ỵ */
};

/* ---- own decoders ---- */

static int put_cp(kh_buf *b, int32_t cp)
{
    uint8_t u[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, u);
    return kh_buf_append(b, u, (size_t)n);
}

/* A byte in the Windows-1252 layout (Latin-1 above 0x9F). */
static int32_t cp1252_byte(unsigned char c)
{
    return c >= 0x80 && c < 0xA0 ? c1_cp1252[c - 0x80] : c;
}

static int decode_tcvn3(const unsigned char *s, size_t len, kh_buf *out)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        int32_t cp = c >= 0xA0 ? tcvn3_hi[c - 0xA0] : cp1252_byte(c);
        if (put_cp(out, cp))
            return KHOTIN_ENOMEM;
    }
    return 0;
}

/* Which VB_* class a VNI base byte is, or 0 when it takes no mark. */
static unsigned vni_base_class(unsigned char c)
{
    switch (c | 0x20) {
    case 'a': return VB_A | VB_TONE;
    case 'e': return VB_E | VB_TONE;
    case 'o': return VB_O | VB_TONE;
    case 'u': case 'y': return VB_TONE;
    case 0xF4: case 0xF6: return VB_TONE; /* ơ, ư */
    default: return 0;
    }
}

static const struct vni_mark *vni_mark_for(unsigned char base, unsigned char c)
{
    unsigned cls = vni_base_class(base);
    if (!cls || c < 0xC0)
        return NULL;
    for (size_t i = 0; i < sizeof vni_marks / sizeof vni_marks[0]; i++)
        if ((c | 0x20) == vni_marks[i].lower && (vni_marks[i].bases & cls))
            return &vni_marks[i];
    return NULL;
}

/* The letter a single VNI byte stands for, or -1. */
static int32_t vni_single(unsigned char c)
{
    if (c < 0xC0)
        return -1;
    for (size_t i = 0; i < sizeof vni_singles / sizeof vni_singles[0]; i++) {
        if (c == vni_singles[i].lower)
            return vni_singles[i].lower_cp;
        if (c == vni_singles[i].lower - 0x20)
            return vni_singles[i].upper_cp;
    }
    return -1;
}

/* Longest match: base + mark byte, else a one-byte letter, else the byte
 * as Windows-1252. Marks come out as combining characters; NFC composes. */
static int decode_vni(const unsigned char *s, size_t len, kh_buf *out)
{
    for (size_t i = 0; i < len; i++) {
        const struct vni_mark *m = i + 1 < len ? vni_mark_for(s[i], s[i + 1]) : NULL;
        int32_t single = vni_single(s[i]);
        int rc = put_cp(out, single >= 0 ? single : cp1252_byte(s[i]));
        if (!rc && m) {
            rc = kh_buf_puts(out, m->marks);
            i++;
        }
        if (rc)
            return KHOTIN_ENOMEM;
    }
    return 0;
}

/* ---- library decoders ---- */

#define NOT_AVAILABLE 1 /* the library has no such converter */

/* ICU, streaming through a UTF-16 pivot into UTF-8. Bytes a table leaves
 * undefined come out as ICU's table says (U+FFFD; in windows-1258 the C1
 * control of the same value), which detection counts as implausible. */
static int decode_icu(const char *name, const char *s, size_t len, kh_buf *out)
{
    UErrorCode e = U_ZERO_ERROR;
    UConverter *src = ucnv_open(name, &e);
    if (U_FAILURE(e))
        return NOT_AVAILABLE;
    UConverter *utf8 = ucnv_open("UTF-8", &e);
    if (U_FAILURE(e)) {
        ucnv_close(src);
        return NOT_AVAILABLE;
    }
    UChar pivot[1024], *ps = pivot, *pt = pivot;
    const char *in = s, *end = s + len;
    char chunk[8192];
    UBool reset = 1;
    int rc = 0;
    do {
        char *t = chunk;
        e = U_ZERO_ERROR;
        ucnv_convertEx(utf8, src, &t, chunk + sizeof chunk, &in, end, pivot, &ps,
                       &pt, pivot + 1024, reset, 1, &e);
        reset = 0;
        if (kh_buf_append(out, chunk, (size_t)(t - chunk)))
            rc = KHOTIN_ENOMEM;
    } while (!rc && e == U_BUFFER_OVERFLOW_ERROR);
    if (!rc && U_FAILURE(e))
        rc = kh_error(KHOTIN_EINPUT, "conversion from %s failed: %s", name, u_errorName(e));
    ucnv_close(src);
    ucnv_close(utf8);
    return rc;
}

/* Keep what iconv wrote into chunk (up to o). */
static int append_written(kh_buf *out, const char *chunk, const char *o)
{
    return kh_buf_append(out, chunk, (size_t)(o - chunk)) ? KHOTIN_ENOMEM : 0;
}

/* glibc iconv. A byte it cannot convert becomes U+FFFD. The final call
 * with no input flushes a letter CP1258 holds back for a tone mark. */
static int decode_iconv(const char *name, const char *s, size_t len, kh_buf *out)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return NOT_AVAILABLE;
    char *in = (char *)s;
    size_t left = len;
    int rc = 0;
    while (!rc && left) {
        char chunk[8192], *o = chunk;
        size_t room = sizeof chunk;
        size_t r = iconv(cd, &in, &left, &o, &room);
        int err = errno;
        rc = append_written(out, chunk, o);
        if (rc || r != (size_t)-1 || err == E2BIG)
            continue;
        if (err == EILSEQ || err == EINVAL) {
            rc = kh_buf_puts(out, "\xEF\xBF\xBD") ? KHOTIN_ENOMEM : 0;
            in++;
            left--;
        } else {
            rc = kh_error(KHOTIN_EINPUT, "conversion from %s failed: %s", name,
                          strerror(err));
        }
    }
    if (!rc) {
        char chunk[64], *o = chunk;
        size_t room = sizeof chunk;
        iconv(cd, NULL, NULL, &o, &room);
        rc = append_written(out, chunk, o);
    }
    iconv_close(cd);
    return rc;
}

/* ICU first, then iconv. */
static int decode_library(const char *icu_name, const char *iconv_name,
                          const char *s, size_t len, kh_buf *out)
{
    int rc = icu_name ? decode_icu(icu_name, s, len, out) : NOT_AVAILABLE;
    if (rc == NOT_AVAILABLE && iconv_name)
        rc = decode_iconv(iconv_name, s, len, out);
    return rc;
}

/* Decode without normalising (detection scores the raw decoding). */
static int decode_raw(enc_id id, const char *name, const void *data, size_t len,
                      kh_buf *out)
{
    switch (id) {
    case ENC_CP1258: return decode_library("windows-1258", "CP1258", data, len, out);
    case ENC_VISCII: return decode_library("VISCII", "VISCII", data, len, out);
    case ENC_TCVN3: return decode_tcvn3(data, len, out);
    case ENC_VNI: return decode_vni(data, len, out);
    default: return decode_library(name, NULL, data, len, out);
    }
}

/* NFC of the decoded text, handed to the caller (utf8proc's malloc). */
static int to_nfc(kh_buf *b, const char *encoding, char **out, size_t *out_len)
{
    if (kh_buf_append(b, "", 0)) /* data is never NULL, even when empty */
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)b->data,
                                      (utf8proc_ssize_t)b->len, &nfc,
                                      UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    if (n < 0)
        return kh_error(n == UTF8PROC_ERROR_NOMEM ? KHOTIN_ENOMEM : KHOTIN_EINPUT,
                        "normalising text converted from %s: %s", encoding,
                        utf8proc_errmsg(n));
    *out = (char *)nfc;
    *out_len = (size_t)n;
    return 0;
}

int kh_convert_to_utf8(const char *encoding, const void *data, size_t len,
                       char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    kh_buf b;
    kh_buf_init(&b);
    int rc = decode_raw(enc_lookup(encoding), encoding, data, len, &b);
    if (rc == NOT_AVAILABLE)
        rc = kh_error(KHOTIN_EINPUT,
                      "unknown encoding '%s': use windows-1258 (cp1258), viscii, "
                      "tcvn3 (abc), vni, utf-8, or a name ICU knows such as "
                      "iso-8859-1", encoding);
    if (rc == 0)
        rc = to_nfc(&b, encoding, out, out_len);
    kh_buf_free(&b);
    return rc;
}

/* ---- detection: is a word a Vietnamese syllable? ---- */

enum { TONE_NONE, TONE_GRAVE, TONE_ACUTE, TONE_TILDE, TONE_HOOK, TONE_DOT };

/* A word reduced to lower-case letters without their tone ("Nguyễn" ->
 * "nguyên", UTF-8) and its tone. */
typedef struct syl {
    char base[48];
    size_t n;
    int tone, tones;
    int ok; /* 0 once a character is no Vietnamese letter */
} syl;

static int tone_of(int32_t mark)
{
    switch (mark) {
    case 0x0300: return TONE_GRAVE;
    case 0x0301: return TONE_ACUTE;
    case 0x0303: return TONE_TILDE;
    case 0x0309: return TONE_HOOK;
    case 0x0323: return TONE_DOT;
    default: return TONE_NONE;
    }
}

/* Put a hat, breve or horn on the last letter: a+U+0302 -> "â". */
static int syl_shape(syl *s, int32_t mark)
{
    static const struct { char base; int32_t mark; const char *letter; } shapes[] = {
        {'a', 0x0302, "â"}, {'a', 0x0306, "ă"}, {'e', 0x0302, "ê"},
        {'o', 0x0302, "ô"}, {'o', 0x031B, "ơ"}, {'u', 0x031B, "ư"}};
    if (s->n == 0)
        return 0;
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        if (s->base[s->n - 1] == shapes[i].base && mark == shapes[i].mark) {
            s->n--;
            memcpy(s->base + s->n, shapes[i].letter, 2);
            s->n += 2;
            return 1;
        }
    return 0;
}

/* One decomposed code point of the word. */
static int syl_part(syl *s, int32_t cp)
{
    int t = tone_of(cp);
    if (t) {
        s->tone = t;
        return s->n > 0 && ++s->tones == 1;
    }
    if (cp == 0x0302 || cp == 0x0306 || cp == 0x031B)
        return syl_shape(s, cp);
    if (s->n + 2 >= sizeof s->base)
        return 0;
    if (cp >= 'a' && cp <= 'z') {
        s->base[s->n++] = (char)cp;
        return 1;
    }
    if (cp == 0x0111) { /* đ */
        memcpy(s->base + s->n, "đ", 2);
        s->n += 2;
        return 1;
    }
    return 0;
}

static void syl_add(syl *s, int32_t cp)
{
    utf8proc_int32_t d[8];
    int bc = 0;
    utf8proc_ssize_t k = utf8proc_decompose_char(utf8proc_tolower(cp), d, 8,
                                                 UTF8PROC_DECOMPOSE, &bc);
    if (k <= 0 || k > 8) {
        s->ok = 0;
        return;
    }
    for (utf8proc_ssize_t i = 0; i < k && s->ok; i++)
        s->ok = syl_part(s, d[i]);
}

static size_t match_prefix(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return k <= n && memcmp(s, p, k) == 0 ? k : (size_t)-1;
}

/* Is [s, s+n) a final consonant that fits the tone? */
static int syl_coda(const char *s, size_t n, int tone)
{
    static const char *const stops[] = {"c", "ch", "p", "t", NULL};
    static const char *const others[] = {"", "m", "n", "ng", "nh", NULL};
    for (size_t i = 0; stops[i]; i++)
        if (strlen(stops[i]) == n && memcmp(s, stops[i], n) == 0)
            return tone == TONE_ACUTE || tone == TONE_DOT;
    for (size_t i = 0; others[i]; i++)
        if (strlen(others[i]) == n && memcmp(s, others[i], n) == 0)
            return 1;
    return 0;
}

/* Onset + vowel group + final consonant (the spelling of every Vietnamese
 * syllable; groups include their final i/y/o/u). */
static int syl_valid(const syl *s)
{
    static const char *const onsets[] = {
        "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b",
        "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v",
        "x", "", NULL};
    static const char *const vowels[] = {
        "iêu", "yêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyê",
        "uyu", "ươi", "ươu", "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu",
        "ia", "iê", "iu", "oa", "oă", "oe", "oi", "oo", "ôi", "ơi", "ua", "uâ",
        "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", "a", "ă",
        "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", NULL};
    if (!s->ok || s->n == 0)
        return 0;
    for (size_t i = 0; onsets[i]; i++) {
        size_t a = match_prefix(s->base, s->n, onsets[i]);
        if (a == (size_t)-1)
            continue;
        for (size_t j = 0; vowels[j]; j++) {
            size_t b = match_prefix(s->base + a, s->n - a, vowels[j]);
            if (b != (size_t)-1 && syl_coda(s->base + a + b, s->n - a - b, s->tone))
                return 1;
        }
    }
    return 0;
}

/* ---- detection: scoring a decoded text ---- */

typedef struct score {
    size_t good; /* words with non-ASCII letters that are syllables */
    size_t bad;  /* words that are not, and control/undefined characters */
} score;

typedef struct word_state {
    syl s;
    int non_ascii; /* the word has a character beyond ASCII */
    int junk;      /* it has a symbol, digit or control beyond ASCII */
} word_state;

static void word_end(word_state *w, score *sc)
{
    if (w->non_ascii) {
        if (!w->junk && syl_valid(&w->s))
            sc->good++;
        else
            sc->bad++;
    }
    memset(w, 0, sizeof *w);
    w->s.ok = 1;
}

/* Control characters other than white space, and undefined bytes. */
static int is_junk_char(int32_t cp)
{
    if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f')
        return 0;
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFFFD;
}

static int is_separator(int32_t cp)
{
    if (cp < 0x80)
        return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
                 (cp >= '0' && cp <= '9'));
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO) ||
           (c >= UTF8PROC_CATEGORY_ZS && c <= UTF8PROC_CATEGORY_ZP);
}

static void word_add(word_state *w, int32_t cp)
{
    if (cp < 0x80) {
        syl_add(&w->s, cp);
        return;
    }
    w->non_ascii = 1;
    utf8proc_category_t c = utf8proc_category(cp);
    if (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME)
        syl_add(&w->s, cp); /* letters and marks */
    else
        w->junk = 1;
}

static void score_text(const char *text, size_t len, score *sc)
{
    word_state w;
    memset(&w, 0, sizeof w);
    w.s.ok = 1;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0) { /* cannot happen on decoder output; be safe */
            cp = 0xFFFD;
            k = 1;
        }
        i += (size_t)k;
        if (is_junk_char(cp))
            sc->bad++;
        if (is_separator(cp) || is_junk_char(cp))
            word_end(&w, sc);
        else
            word_add(&w, cp);
    }
    word_end(&w, sc);
}

#define KH_DETECT_SAMPLE (64u * 1024u)
#define KH_DETECT_MIN_GOOD 2
#define KH_DETECT_MIN_SHARE 0.75

/* The first 64 KiB, cut after a space or line end so no two-byte VNI
 * letter is split. */
static size_t sample_len(const unsigned char *s, size_t len)
{
    if (len <= KH_DETECT_SAMPLE)
        return len;
    size_t n = KH_DETECT_SAMPLE;
    while (n > KH_DETECT_SAMPLE / 2 && s[n - 1] != ' ' && s[n - 1] != '\n')
        n--;
    return n;
}

static double share(const score *sc)
{
    return sc->good + sc->bad ? (double)sc->good / (double)(sc->good + sc->bad) : 0.0;
}

const char *kh_detect_encoding(const void *data, size_t len)
{
    size_t n = sample_len(data, len);
    score best = {0, 0};
    const char *best_name = NULL;
    for (int id = ENC_CP1258; id <= ENC_VNI; id++) {
        kh_buf b;
        kh_buf_init(&b);
        score sc = {0, 0};
        if (decode_raw((enc_id)id, NULL, data, n, &b) == 0)
            score_text(b.data ? b.data : "", b.len, &sc);
        kh_buf_free(&b);
        if (sc.good < KH_DETECT_MIN_GOOD || share(&sc) < KH_DETECT_MIN_SHARE)
            continue;
        if (!best_name || share(&sc) > share(&best) ||
            (share(&sc) == share(&best) && sc.good > best.good)) {
            best = sc;
            best_name = enc_names[id];
        }
    }
    return best_name;
}
