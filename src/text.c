/* text.c - the "text" stage: NFC, case folding, Vietnamese tone placement,
 * diacritic folding (đ -> d) and splitting text into words.
 *
 * Everything accent-insensitive in khotin goes through this file, so that the
 * index, the query layer and the SQL function vn_fold() agree.
 *
 * Tone placement convention (documented in README): the "new" style, where
 * the tone sits on the main vowel: a vowel with a hat or horn (ă â ê ô ơ ư)
 * takes it; otherwise in an open syllable "oa", "oe", "uy" take it on the
 * second vowel (hoà, khoẻ, thuỷ), other open two-vowel clusters on the first
 * (mái, mía, lúa), three-vowel clusters on the middle one (khoái, khuỷu), and
 * a cluster followed by a consonant on the last vowel (hoàng, huỳnh).
 * "qu" and "gi" before a vowel count as consonants (quý, giá).
 *
 * Not for: reading files (read.c) or SQLite glue (tokenizer.c).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <utf8proc.h>

/* ---- per-codepoint tables for the Latin range Vietnamese lives in ---- */

#define TABLE_LO 0x0000
#define TABLE_MID 0x0250 /* [0, 0x250) Latin-1 + Extended-A/B */
#define EXT_LO 0x1E00    /* Latin Extended Additional: ạ ả ấ ... */
#define EXT_HI 0x1F00

enum { CP_WORD = 1, CP_MARK = 2 };

typedef struct cpinfo {
    int32_t lower;    /* lower-case code point */
    char fold;        /* folded ASCII letter, 0 when none (e.g. æ) */
    unsigned char flags;
    unsigned char tone;  /* 0 none, 1..5: grave acute hook tilde dot */
    int32_t toneless;    /* lower-case vowel without its tone mark */
} cpinfo;

static cpinfo lo_table[TABLE_MID];
static cpinfo ext_table[EXT_HI - EXT_LO];
static once_flag tables_once = ONCE_FLAG_INIT;

/* Combining tone marks in the order of cpinfo.tone. */
static const int32_t tone_marks[6] = {0, 0x0300, 0x0301, 0x0309, 0x0303, 0x0323};

/* The twelve Vietnamese vowel letters, lower case, without tone. */
static const int32_t vowels[12] = {'a', 0x0103, 0x00E2, 'e', 0x00EA, 'i',
                                   'o', 0x00F4, 0x01A1, 'u', 0x01B0, 'y'};

static int is_word_category(utf8proc_category_t c)
{
    switch (c) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return CP_WORD;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return CP_WORD | CP_MARK;
    default:
        return 0;
    }
}

/* Fold one code point to ASCII: strip marks, case fold, đ -> d. */
static char fold_ascii(int32_t cp)
{
    if (cp == 0x0111 || cp == 0x0110)
        return 'd';
    int32_t out[8];
    int last = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(
        cp, out, 8, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD,
        &last);
    if (n == 1 && out[0] < 0x80)
        return (char)out[0];
    return 0;
}

static void fill(cpinfo *e, int32_t cp)
{
    e->flags = (unsigned char)is_word_category(utf8proc_category(cp));
    e->lower = utf8proc_tolower(cp);
    e->fold = (e->flags & CP_WORD) ? fold_ascii(cp) : 0;
    e->tone = 0;
    e->toneless = e->lower;
}

static cpinfo *info_slot(int32_t cp)
{
    if (cp >= 0 && cp < TABLE_MID)
        return &lo_table[cp];
    if (cp >= EXT_LO && cp < EXT_HI)
        return &ext_table[cp - EXT_LO];
    return NULL;
}

static void init_tables(void)
{
    for (int32_t cp = 0; cp < TABLE_MID; cp++)
        fill(&lo_table[cp], cp);
    for (int32_t cp = EXT_LO; cp < EXT_HI; cp++)
        fill(&ext_table[cp - EXT_LO], cp);
    /* Ð/ð (U+00D0/U+00F0, Icelandic eth) is often typed for Đ/đ. */
    lo_table[0x00D0].lower = lo_table[0x00F0].lower = 0x0111;
    lo_table[0x00D0].fold = lo_table[0x00F0].fold = 'd';
    /* Record, for every toned vowel (both cases), its tone and base. */
    for (int v = 0; v < 12; v++) {
        for (int t = 1; t <= 5; t++) {
            int32_t buf[2] = {vowels[v], tone_marks[t]};
            utf8proc_ssize_t n =
                utf8proc_normalize_utf32(buf, 2, UTF8PROC_COMPOSE);
            if (n != 1)
                continue;
            int32_t upper = utf8proc_toupper(buf[0]);
            int32_t forms[2] = {buf[0], upper};
            for (int k = 0; k < 2; k++) {
                cpinfo *e = info_slot(forms[k]);
                if (e) {
                    e->tone = (unsigned char)t;
                    e->toneless = vowels[v];
                }
            }
        }
    }
}

static void ensure_tables(void) { call_once(&tables_once, init_tables); }

/* ASCII letters and digits. */
static const unsigned char ascii_word[128] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
    ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1,
    ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
    ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
    ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
    ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
    ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
    ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1};

static int cp_flags(int32_t cp)
{
    if (cp < 0x80)
        return ascii_word[cp] ? CP_WORD : 0;
    const cpinfo *e = info_slot(cp);
    if (e)
        return e->flags;
    return is_word_category(utf8proc_category(cp));
}

static int32_t cp_lower(int32_t cp)
{
    const cpinfo *e = info_slot(cp);
    return e ? e->lower : utf8proc_tolower(cp);
}

/* ---- tone placement ---- */

static int vowel_index(int32_t cp)
{
    for (int i = 0; i < 12; i++)
        if (vowels[i] == cp)
            return i;
    return -1;
}

static int has_hat_or_horn(int32_t cp)
{
    return cp == 0x0103 || cp == 0x00E2 || cp == 0x00EA || cp == 0x00F4 ||
           cp == 0x01A1 || cp == 0x01B0;
}

static int32_t compose_tone(int32_t base, int tone)
{
    if (tone == 0)
        return base;
    int32_t buf[2] = {base, tone_marks[tone]};
    if (utf8proc_normalize_utf32(buf, 2, UTF8PROC_COMPOSE) == 1)
        return buf[0];
    return base;
}

/* Where the tone goes in the vowel cluster base[vs..ve) of a syllable of n
 * letters (all lower case, toneless). */
static size_t tone_position(const int32_t *base, size_t n, size_t vs, size_t ve)
{
    size_t len = ve - vs;
    for (size_t i = ve; i-- > vs;)
        if (has_hat_or_horn(base[i])) {
            /* "ươ": the tone goes on ơ, the later one; scan from the end. */
            return i;
        }
    if (len == 1)
        return vs;
    int closed = ve < n;
    if (closed)
        return ve - 1;
    if (len == 2) {
        int32_t a = base[vs], b = base[vs + 1];
        if ((a == 'o' && (b == 'a' || b == 'e')) || (a == 'u' && b == 'y'))
            return vs + 1;
        return vs;
    }
    return vs + 1;
}

/* Normalise tone placement of one lower-case word in place. Words that are
 * not a single Vietnamese syllable shape are left alone. */
static void normalize_tone(int32_t *cps, size_t n)
{
    if (n < 2 || n > 8)
        return;
    int32_t base[8];
    int tone = 0;
    size_t toned = 0;
    for (size_t i = 0; i < n; i++) {
        const cpinfo *e = info_slot(cps[i]);
        if (!e || !(e->flags & CP_WORD) || e->fold == 0 ||
            (cps[i] >= '0' && cps[i] <= '9'))
            return; /* not a plain Latin syllable */
        base[i] = e->toneless;
        if (e->tone) {
            if (tone)
                return; /* two tones: not a syllable, leave it */
            tone = e->tone;
            toned = i;
        }
    }
    if (!tone)
        return;
    size_t vs = 0;
    while (vs < n && vowel_index(base[vs]) < 0)
        vs++;
    if (vs == n)
        return;
    /* "qu" + vowel and "gi" + vowel: u and i belong to the onset. */
    if (vs + 1 < n && vowel_index(base[vs + 1]) >= 0 && vs > 0 &&
        ((base[vs - 1] == 'q' && base[vs] == 'u') ||
         (base[vs - 1] == 'g' && base[vs] == 'i' && vs == 1)))
        vs++;
    size_t ve = vs;
    while (ve < n && vowel_index(base[ve]) >= 0)
        ve++;
    for (size_t i = ve; i < n; i++)
        if (vowel_index(base[i]) >= 0)
            return; /* vowels after consonants: not one syllable */
    if (toned < vs || toned >= ve)
        return;
    size_t pos = tone_position(base, n, vs, ve);
    if (pos == toned)
        return;
    cps[toned] = base[toned];
    cps[pos] = compose_tone(base[pos], tone);
}

/* ---- words ---- */

typedef struct word_state {
    int32_t *cps;
    size_t cap;
    kh_buf exact;
    kh_buf folded;
} word_state;

static int push_cp(word_state *w, size_t *n, int32_t cp)
{
    if (*n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        int32_t *p = realloc(w->cps, cap * sizeof *p);
        if (!p)
            return KHOTIN_ENOMEM;
        w->cps = p;
        w->cap = cap;
    }
    w->cps[(*n)++] = cp;
    return 0;
}

/* Decode one UTF-8 code point at s (len > 0 bytes left). Returns its length,
 * or 0 for an invalid sequence. */
static size_t decode(const unsigned char *s, size_t len, int32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF && len >= 2 && (s[1] & 0xC0) == 0x80) {
        *cp = ((int32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF && len >= 3 && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80) {
        int32_t v = ((int32_t)(c & 0x0F) << 12) | ((int32_t)(s[1] & 0x3F) << 6) |
                    (s[2] & 0x3F);
        if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))
            return 0;
        *cp = v;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4 && len >= 4 && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
        int32_t v = ((int32_t)(c & 0x07) << 18) | ((int32_t)(s[1] & 0x3F) << 12) |
                    ((int32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        if (v < 0x10000 || v > 0x10FFFF)
            return 0;
        *cp = v;
        return 4;
    }
    return 0;
}

static size_t encode(int32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Append the folded form of one code point (at most 4 * 8 bytes). */
static int fold_into(kh_buf *b, int32_t cp)
{
    const cpinfo *e = info_slot(cp);
    if (e) {
        if (e->fold)
            return kh_buf_putc(b, e->fold);
        if (e->flags & CP_MARK)
            return 0;
    }
    int32_t out[8];
    int last = 0;
    utf8proc_ssize_t k = utf8proc_decompose_char(
        cp, out, 8, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD,
        &last);
    char tmp[4];
    if (k <= 0 || k > 8)
        return kh_buf_append(b, tmp, encode(cp, tmp));
    for (utf8proc_ssize_t i = 0; i < k; i++)
        if (kh_buf_append(b, tmp, encode(out[i], tmp)))
            return KHOTIN_ENOMEM;
    return 0;
}

/* Build the exact and folded forms of the word text[start,end), whose code
 * points are already in w->cps[0..n). */
static int make_forms(word_state *w, size_t n, int has_mark)
{
    if (has_mark) {
        /* NFD or mixed input ("ê" + U+0323): utf8proc_map decomposes,
         * reorders the marks canonically and composes (NFC). */
        kh_buf_reset(&w->exact);
        for (size_t i = 0; i < n; i++) {
            char tmp[4];
            if (kh_buf_append(&w->exact, tmp, encode(w->cps[i], tmp)))
                return KHOTIN_ENOMEM;
        }
        utf8proc_uint8_t *nfc = NULL;
        utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)kh_buf_cstr(&w->exact),
                                          (utf8proc_ssize_t)w->exact.len, &nfc,
                                          UTF8PROC_COMPOSE | UTF8PROC_STABLE);
        if (m < 0)
            return m == UTF8PROC_ERROR_NOMEM ? KHOTIN_ENOMEM : 0;
        size_t k = 0;
        for (utf8proc_ssize_t i = 0; i < m;) {
            int32_t cp;
            size_t d = decode(nfc + i, (size_t)(m - i), &cp);
            if (!d)
                break;
            w->cps[k++] = cp; /* NFC never has more code points than its input */
            i += (utf8proc_ssize_t)d;
        }
        free(nfc);
        n = k;
    }
    for (size_t i = 0; i < n; i++)
        w->cps[i] = cp_lower(w->cps[i]);
    normalize_tone(w->cps, n);
    kh_buf_reset(&w->exact);
    kh_buf_reset(&w->folded);
    if (kh_buf_append(&w->exact, NULL, 0) || kh_buf_append(&w->folded, NULL, 0))
        return KHOTIN_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        char tmp[4];
        if (kh_buf_append(&w->exact, tmp, encode(w->cps[i], tmp)) ||
            fold_into(&w->folded, w->cps[i]))
            return KHOTIN_ENOMEM;
    }
    return 0;
}

int kh_words(const char *text, size_t len, kh_word_cb cb, void *ctx)
{
    ensure_tables();
    const unsigned char *s = (const unsigned char *)text;
    word_state w = {0};
    kh_buf_init(&w.exact);
    kh_buf_init(&w.folded);
    char small[128];
    int rc = 0;
    size_t i = 0;
    while (i < len && rc == 0) {
        /* skip separators */
        int32_t cp;
        size_t k = decode(s + i, len - i, &cp);
        if (k == 0 || !cp_flags(cp)) {
            i += k ? k : 1;
            continue;
        }
        size_t start = i, n = 0;
        int ascii = 1, has_mark = 0;
        while (i < len) {
            unsigned char c = s[i];
            if (c < 0x80) {
                if (!(ascii_word[c]))
                    break;
                cp = c;
                k = 1;
            } else {
                k = decode(s + i, len - i, &cp);
                int f = k ? cp_flags(cp) : 0;
                if (!f)
                    break;
                if (f & CP_MARK)
                    has_mark = 1;
                ascii = 0;
            }
            if (push_cp(&w, &n, cp)) {
                rc = KHOTIN_ENOMEM;
                break;
            }
            i += k;
        }
        if (rc)
            break;
        if (ascii && n <= sizeof small) {
            for (size_t j = 0; j < n; j++) {
                char ch = text[start + j];
                small[j] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : ch;
            }
            rc = cb(ctx, small, n, small, n, start, i);
            continue;
        }
        if (make_forms(&w, n, has_mark)) {
            rc = KHOTIN_ENOMEM;
            break;
        }
        rc = cb(ctx, kh_buf_cstr(&w.exact), w.exact.len, kh_buf_cstr(&w.folded),
                w.folded.len, start, i);
    }
    free(w.cps);
    kh_buf_free(&w.exact);
    kh_buf_free(&w.folded);
    return rc;
}

int kh_within_one_edit(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > lb + 1 || lb > la + 1)
        return 0;
    size_t i = 0, j = 0;
    int edits = 0;
    while (i < la && j < lb) {
        if (a[i] == b[j]) {
            i++;
            j++;
            continue;
        }
        if (++edits > 1)
            return 0;
        if (la > lb)
            i++;
        else if (lb > la)
            j++;
        else {
            i++;
            j++;
        }
    }
    edits += (int)((la - i) + (lb - j));
    return edits <= 1;
}

int kh_has_diacritics(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 1;
    return 0;
}

/* ---- whole-text normalisation ---- */

typedef struct norm_ctx {
    const char *text;
    kh_buf *out;
    size_t copied; /* bytes of `text` already copied */
    unsigned flags;
} norm_ctx;

static int norm_word(void *vctx, const char *exact, size_t exact_len,
                     const char *folded, size_t folded_len, size_t start,
                     size_t end)
{
    norm_ctx *c = vctx;
    kh_buf_append(c->out, c->text + c->copied, start - c->copied);
    if (c->flags & KHOTIN_TEXT_FOLD)
        kh_buf_append(c->out, folded, folded_len);
    else
        kh_buf_append(c->out, exact, exact_len);
    c->copied = end;
    return c->out->oom ? KHOTIN_ENOMEM : 0;
}

int khotin_text_normalize(const char *in, size_t len, unsigned flags,
                          char **out)
{
    *out = NULL;
    size_t bad = kh_utf8_invalid_offset(in, len);
    if (bad != (size_t)-1)
        return kh_error(KHOTIN_EINPUT, "invalid UTF-8 at byte offset %zu", bad);
    if (!(flags & (KHOTIN_TEXT_EXACT | KHOTIN_TEXT_FOLD))) {
        utf8proc_uint8_t *nfc = NULL;
        utf8proc_ssize_t n = utf8proc_map(
            (const utf8proc_uint8_t *)in, (utf8proc_ssize_t)len, &nfc,
            UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (n < 0)
            return kh_error(n == UTF8PROC_ERROR_NOMEM ? KHOTIN_ENOMEM : KHOTIN_EINPUT,
                            "cannot normalise text: %s", utf8proc_errmsg(n));
        *out = (char *)nfc;
        return KHOTIN_OK;
    }
    /* Word-wise: words get their exact (lower, tone-normalised, NFC) or
     * folded form (kh_words composes NFD words itself); separators are
     * copied unchanged. */
    kh_buf b;
    kh_buf_init(&b);
    norm_ctx c = {in, &b, 0, flags};
    int rc = kh_words(in, len, norm_word, &c);
    if (rc == 0)
        kh_buf_append(&b, in + c.copied, len - c.copied);
    if (rc || b.oom) {
        kh_buf_free(&b);
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    }
    *out = kh_buf_take(&b);
    return *out ? KHOTIN_OK : kh_error(KHOTIN_ENOMEM, "out of memory");
}

char *khotin_text_fold(const char *in)
{
    char *out = NULL;
    if (khotin_text_normalize(in, strlen(in), KHOTIN_TEXT_FOLD, &out))
        return NULL;
    return out;
}
