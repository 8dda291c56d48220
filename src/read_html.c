/* read_html.c - saved web pages -> one kh_doc in the plain-article shape.
 *
 * What it does, in order:
 *   1. Bytes -> UTF-8. The charset comes from a BOM, the reader's
 *      --encoding, the content (valid UTF-8 wins over any declaration),
 *      <meta charset> / http-equiv content-type, then kh_detect_encoding().
 *      Legacy charsets go through kh_convert_to_utf8(); when that cannot
 *      (yet) convert them, libxml2's own iconv decoding is tried. Invalid
 *      UTF-8 bytes become U+FFFD; NUL bytes become spaces.
 *   2. libxml2's forgiving HTML parser builds the tree (never the network).
 *   3. Metadata, most trusted first: JSON-LD NewsArticle, Open Graph and
 *      article:* meta tags, other meta tags (author, pubdate, description),
 *      <time datetime>, the canonical link, then the visible page: the h1
 *      title, the sapo block, the dateline element, the byline.
 *   4. The body, readability-style: paragraphs are collected outside
 *      boilerplate (scripts, nav, aside, header, footer, figures and
 *      captions, and anything whose class/id says related, comment, share,
 *      menu, sidebar, ads...); each paragraph scores its ancestors by its
 *      length and commas; scores are cut by link density; the best block
 *      (and strong sibling blocks) is the body. Paragraphs made mostly of
 *      links and a trailing byline ("Lê Phương" in bold, right-aligned)
 *      are dropped from it.
 *   5. doc->text = headline, lead, body paragraphs, separated by blank
 *      lines, NFC; the metadata goes to the kh_doc fields (dates as
 *      "2025-10-22T14:05+07:00", publisher as the outlet's usual name).
 *
 * What it does not: run scripts, fetch anything, follow frames or "next
 * page" links, read comments, or split a page holding several articles
 * (the main one wins). Work is capped (input size, tree depth, nodes,
 * paragraphs) so giant or hostile pages cost bounded time and memory.
 * Regular expressions are never used on the markup.
 */
#include "extract.h" /* kh_date_line, kh_publisher_for_url */
#include "reader.h"

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

/* ---- limits ---- */

#define PAGE_MAX_BYTES (64u << 20)  /* bytes parsed; the rest is ignored */
#define WALK_MAX_DEPTH 300          /* tree levels walked (libxml2 stops at ~256) */
#define WALK_MAX_NODES 3000000u     /* nodes visited per walk */
#define MAX_PARAS 20000u            /* paragraphs collected */
#define MAX_PARA_BYTES (256u << 10) /* one paragraph */
#define NODE_TEXT_MAX 4096u         /* text gathered for titles, sapos, dates */
#define MAX_H1 16
#define MAX_CANDS 16 /* sapo and dateline candidates */

/* ---- small helpers ---- */

static int ci_contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return 0;
}

static int is_tag(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static int tag_in(const xmlNode *n, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp((const char *)n->name, list[i]) == 0)
            return 1;
    return 0;
}

/* The value of attribute `name` (NULL when absent). Never allocates. */
static const char *attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (a->name && strcasecmp((const char *)a->name, name) == 0) {
            const xmlNode *t = a->children;
            return t && t->content ? (const char *)t->content : "";
        }
    return NULL;
}

/* Set *slot to a copy of s unless it already holds a value. */
static void set_once(char **slot, const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
                     s[n - 1] == '\r'))
        n--;
    if (!*slot && n > 0)
        *slot = kh_strndup(s, n);
}

static size_t utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

/* ---- whitespace-collapsing text accumulation ---- */

/* Length of the space-like character at s (0 if none). *zero is set for
 * characters that vanish: zero-width space/joiners, BOM, soft hyphen. */
static size_t space_at(const unsigned char *s, int *zero)
{
    *zero = 0;
    if (*s < 0x20 || *s == ' ' || *s == 0x7F)
        return 1;
    if (s[0] == 0xC2 && (s[1] == 0xA0 || s[1] == 0xAD)) {
        *zero = s[1] == 0xAD;
        return 2;
    }
    if (s[0] == 0xE2 && s[1] == 0x80 &&
        (s[2] <= 0x8D || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF)) {
        *zero = s[2] >= 0x8B && s[2] <= 0x8D;
        return 3;
    }
    if ((s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F) ||
        (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80))
        return 3;
    if (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        *zero = 1;
        return 3;
    }
    return 0;
}

/* Text being collected: runs of whitespace become one space, none at the
 * start or the end. */
typedef struct acc {
    kh_buf b;
    int space; /* a space is pending before the next visible character */
} acc;

/* Append text; returns the number of bytes added. */
static size_t acc_text(acc *a, const char *text)
{
    size_t before = a->b.len;
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        int zero;
        size_t k = space_at(s, &zero);
        if (k) {
            a->space |= !zero;
            s += k;
            continue;
        }
        const unsigned char *e = s + 1;
        while (*e && !space_at(e, &zero))
            e++;
        if (a->space && a->b.len)
            kh_buf_putc(&a->b, ' ');
        a->space = 0;
        kh_buf_append(&a->b, s, (size_t)(e - s));
        s = e;
    }
    return a->b.len - before;
}

/* ---- tag and class vocabularies ---- */

/* Never visible text. */
static const char *const TAGS_NO_TEXT[] = {
    "script", "style", "noscript", "template", "iframe", "svg", "math",
    "object", "embed", "canvas", "video", "audio", "select", "option",
    "textarea", "button", "input", "head", "title", "map", NULL};

/* Page furniture: never part of the article body. */
static const char *const TAGS_FURNITURE[] = {
    "nav", "aside", "footer", "header", "figure", "figcaption", "menu",
    "dialog", NULL};

/* Elements that end a line of text. */
static const char *const TAGS_BLOCK[] = {
    "address", "article", "aside", "blockquote", "body", "caption", "center",
    "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu",
    "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul", NULL};

/* Blocks that hold their text themselves (a paragraph of the body). */
static const char *const TAGS_PARAGRAPH[] = {
    "p", "h2", "h3", "h4", "h5", "h6", "li", "dd", "dt", "blockquote",
    "pre", "td", "th", "caption", "summary", "legend", "address", NULL};

/* Class/id/type words of boilerplate, matched anywhere in the value... */
static const char *const NEG_ANYWHERE[] = {
    "related", "relate", "comment", "share", "social", "breadcrumb",
    "bread-crumb", "menu", "sidebar", "footer", "header", "box-category",
    "popup", "modal", "newsletter", "subscribe", "lienquan", "lien-quan",
    "xemthem", "xem-them", "tinkhac", "tin-khac", "readmore", "read-more",
    "mostread", "most-read", "mostview", "most-view", "trending", "hashtag",
    "recommend", "outbrain", "toolbar", "masthead", "pagination", "rating",
    NULL};
/* ...or as a whole part ("tags", "nav-main"). */
static const char *const NEG_PART[] = {
    "tag", "tags", "nav", "navbar", "topbar", "hidden", "hide", "cmt", "zalo",
    "fb", "like", "vote", "poll", "print", NULL};
/* Regions whose dates, sapos and bylines belong to other articles (for
 * the metadata scan, which still looks inside headers and breadcrumbs,
 * where datelines live). */
static const char *const OFF_ANYWHERE[] = {
    "related", "relate", "comment", "box-category", "lienquan", "lien-quan",
    "xemthem", "xem-them", "tinkhac", "tin-khac", "readmore", "read-more",
    "mostread", "most-read", "mostview", "most-view", "trending", "recommend",
    "outbrain", "sidebar", "footer", "menu", "popup", "modal", NULL};
static const char *const OFF_PART[] = {"cmt", "nav", NULL};
/* Weaker words: advertising slots. Content containers carry them too
 * ("fck_detail block_ads_connect"), so they only count on elements that
 * do not also say they are content (POS_ANYWHERE). */
static const char *const ADS_ANYWHERE[] = {"banner", "advert", "sponsor", "widget", NULL};
static const char *const ADS_PART[] = {"ad", "ads", "promo", "qc", "quangcao", NULL};

/* Picture captions and image boxes (class/id). */
static const char *const CAPTION_ANYWHERE[] = {"caption", "desc_cation", NULL};
static const char *const CAPTION_PART[] = {"image", "img", "photo", "picture",
                                           "pic", "thumb", NULL};

/* Classes of article containers, for scoring. */
static const char *const POS_ANYWHERE[] = {
    "article", "content", "detail", "body", "entry", "story", "fck",
    "noidung", "chitiet", "singular", "post", "text", "main", NULL};

/* The sapo (lead) block. */
static const char *const SAPO_ANYWHERE[] = {
    "sapo", "chappeau", "chapeau", "description", "summary", "intro",
    "excerpt", "standfirst", NULL};
static const char *const SAPO_PART[] = {"lead", NULL};

/* Date and byline elements. */
static const char *const DATE_ANYWHERE[] = {"date", "time", "publish", NULL};
static const char *const BYLINE_ANYWHERE[] = {"author", "byline", "tacgia",
                                              "tac-gia", NULL};

static int is_alnum_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* 1 when `value` has one of `anywhere` as a substring or one of `parts`
 * as a whole part (parts are separated by anything not a letter or digit);
 * case-insensitive. */
static int value_matches(const char *value, const char *const *anywhere,
                         const char *const *parts)
{
    if (!value || !*value)
        return 0;
    for (size_t i = 0; anywhere && anywhere[i]; i++)
        if (ci_contains(value, anywhere[i]))
            return 1;
    for (const char *p = value; parts && *p;) {
        while (*p && !is_alnum_byte((unsigned char)*p))
            p++;
        const char *e = p;
        while (*e && is_alnum_byte((unsigned char)*e))
            e++;
        for (size_t i = 0; e > p && parts[i]; i++)
            if (strlen(parts[i]) == (size_t)(e - p) &&
                strncasecmp(p, parts[i], (size_t)(e - p)) == 0)
                return 1;
        p = e;
    }
    return 0;
}

/* Does the element's class, id, type or data-role match? */
static int node_matches(const xmlNode *n, const char *const *anywhere,
                        const char *const *parts)
{
    static const char *const names[] = {"class", "id", "type", "data-role", NULL};
    for (size_t i = 0; names[i]; i++)
        if (value_matches(attr(n, names[i]), anywhere, parts))
            return 1;
    return 0;
}

static int is_hidden(const xmlNode *n)
{
    const char *style = attr(n, "style");
    if (attr(n, "hidden"))
        return 1;
    if (!style)
        return 0;
    char compact[256];
    size_t k = 0;
    for (const char *p = style; *p && k + 1 < sizeof compact; p++)
        if (*p != ' ')
            compact[k++] = *p;
    compact[k] = '\0';
    return ci_contains(compact, "display:none") || ci_contains(compact, "visibility:hidden");
}

static char *node_text(const xmlNode *n);

/* Picture captions and picture boxes. The weaker words ("image", "photo")
 * only count on short blocks: a picture and a line of caption. */
static int is_caption(const xmlNode *n)
{
    if (is_tag(n, "figcaption") || node_matches(n, CAPTION_ANYWHERE, NULL))
        return 1;
    if (!node_matches(n, NULL, CAPTION_PART))
        return 0;
    char *t = node_text(n);
    size_t len = t ? strlen(t) : 0;
    free(t);
    return len < 500;
}

/* ---- the visible text of an element ---- */

static void gather(const xmlNode *n, acc *a, int depth)
{
    for (const xmlNode *k = n->children; k && a->b.len < NODE_TEXT_MAX; k = k->next) {
        if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
            if (k->content)
                acc_text(a, (const char *)k->content);
        } else if (k->type == XML_ELEMENT_NODE && depth < WALK_MAX_DEPTH &&
                   !tag_in(k, TAGS_NO_TEXT)) {
            int block = tag_in(k, TAGS_BLOCK) || is_tag(k, "br");
            a->space |= block;
            gather(k, a, depth + 1);
            a->space |= block;
        }
    }
}

/* Collapsed text of n (at most about NODE_TEXT_MAX bytes), or NULL. */
static char *node_text(const xmlNode *n)
{
    acc a = {{0}, 0};
    gather(n, &a, 0);
    if (a.b.oom) {
        kh_buf_free(&a.b);
        return NULL;
    }
    return kh_buf_take(&a.b);
}

/* ---- charset and bytes -> UTF-8 ---- */

/* The charset declared by a <meta> tag in the first bytes (a browser-like
 * byte prescan: the parser needs the charset before it can run). */
static void declared_charset(const char *s, size_t len, char *out, size_t outn)
{
    out[0] = '\0';
    size_t n = len < 8192 ? len : 8192;
    for (size_t i = 0; i + 7 < n; i++) {
        if (strncasecmp(s + i, "charset", 7) != 0)
            continue;
        /* inside a <meta ...> tag? */
        size_t lt = i;
        while (lt > 0 && s[lt] != '<' && s[lt] != '>')
            lt--;
        if (s[lt] != '<' || lt + 5 > n || strncasecmp(s + lt, "<meta", 5) != 0)
            continue;
        size_t j = i + 7;
        while (j < n && (s[j] == ' ' || s[j] == '\t'))
            j++;
        if (j >= n || s[j] != '=')
            continue;
        j++;
        while (j < n && (s[j] == ' ' || s[j] == '"' || s[j] == '\''))
            j++;
        size_t k = 0;
        while (j < n && k + 1 < outn &&
               (is_alnum_byte((unsigned char)s[j]) || strchr("-_.:", s[j])))
            out[k++] = s[j++];
        out[k] = '\0';
        if (k)
            return;
    }
}

static int is_utf8_name(const char *cs)
{
    return !*cs || strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0 ||
           strcasecmp(cs, "unicode-1-1-utf-8") == 0 || strcasecmp(cs, "us-ascii") == 0 ||
           strcasecmp(cs, "ascii") == 0;
}

/* Copy as valid UTF-8: invalid bytes -> U+FFFD, NUL -> space. */
static char *utf8_sanitize(const char *s, size_t len, size_t *out_len)
{
    kh_buf b;
    kh_buf_init(&b);
    size_t i = 0;
    while (i < len) {
        size_t bad = kh_utf8_invalid_offset(s + i, len - i);
        size_t good = bad == (size_t)-1 ? len - i : bad;
        for (size_t k = 0; k < good; k++)
            kh_buf_putc(&b, s[i + k] ? s[i + k] : ' ');
        i += good;
        if (i < len) {
            kh_buf_puts(&b, "\xEF\xBF\xBD");
            i++;
        }
    }
    kh_buf_putc(&b, '\0'); /* so an empty page is a valid string too */
    b.len--;
    *out_len = b.len;
    return kh_buf_take(&b);
}

/* Binary junk: NUL or control bytes in the first 64 KiB. */
static int looks_binary(const unsigned char *s, size_t len)
{
    size_t n = len < 65536 ? len : 65536, ctl = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f')
            ctl++;
    return n > 0 && ctl * 100 > n;
}

/* The page as UTF-8 in *out (owned). When only libxml2 can decode the
 * charset, *out is a copy of the raw bytes and *xml_enc names it. */
static int page_to_utf8(const char *name, const unsigned char *s, size_t len,
                        const kh_read_opts *opts, char **out, size_t *out_len,
                        const char **xml_enc)
{
    char declared[64];
    const char *cs;
    *xml_enc = NULL;
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        s += 3;
        len -= 3;
        cs = "utf-8";
    } else if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
        cs = s[0] == 0xFF ? "utf-16le" : "utf-16be";
    } else if (opts && opts->encoding) {
        cs = opts->encoding;
    } else if (kh_utf8_invalid_offset((const char *)s, len) == (size_t)-1) {
        cs = "utf-8"; /* valid UTF-8 beats a (wrong) declaration */
    } else {
        declared_charset((const char *)s, len, declared, sizeof declared);
        cs = declared;
        if (is_utf8_name(cs)) {
            const char *guess = kh_detect_encoding(s, len);
            cs = guess && !declared[0] ? guess : "utf-8";
        }
    }
    if (is_utf8_name(cs)) {
        *out = utf8_sanitize((const char *)s, len, out_len);
        return *out ? 0 : kh_error(KHOTIN_ENOMEM, "out of memory");
    }
    char *conv = NULL;
    size_t n = 0;
    if (kh_convert_to_utf8(cs, s, len, &conv, &n) == 0) {
        *out = utf8_sanitize(conv, n, out_len);
        free(conv);
        return *out ? 0 : kh_error(KHOTIN_ENOMEM, "out of memory");
    }
    char why[512];
    snprintf(why, sizeof why, "%s", khotin_last_error());
    xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(cs);
    if (!h)
        return kh_error(KHOTIN_EINPUT, "%s: the page is in %s, which khotin cannot read (%s)",
                        name, cs, why);
    xmlCharEncCloseFunc(h);
    *xml_enc = cs; /* libxml2 decodes it while parsing */
    *out = kh_strndup((const char *)s, len);
    *out_len = len;
    return *out ? 0 : kh_error(KHOTIN_ENOMEM, "out of memory");
}

/* ---- what the page says about itself ---- */

enum slot {
    S_LD_HEADLINE, S_LD_DESC, S_LD_DATE, S_LD_AUTHOR, S_LD_PUBLISHER, S_LD_URL,
    S_OG_TITLE, S_OG_DESC, S_OG_URL, S_OG_SITE, S_ART_TIME, S_ART_AUTHOR,
    S_META_TITLE, S_META_DESC, S_META_DATE, S_META_AUTHOR,
    S_CANONICAL, S_TIME_PUB, S_TIME, S_TITLE, S_VIS_DATE, S_VIS_AUTHOR,
    S_COUNT
};

typedef struct noderec {
    xmlNode *node;
    size_t order;
} noderec;

typedef struct page {
    char *slot[S_COUNT];   /* first value of each source (owned) */
    int ld_done;           /* a JSON-LD article was read */
    noderec h1[MAX_H1];      /* visible h1 elements, in order */
    size_t nh1;
    noderec sapo[MAX_CANDS]; /* sapo candidates, in order */
    size_t nsapo;
    noderec dates[MAX_CANDS]; /* visible dateline candidates, in order */
    kh_date date_val[MAX_CANDS];
    size_t ndates;
    xmlNode *guard[MAX_H1 * 64]; /* ancestors of h1s: never boilerplate */
    size_t nguard;
    xmlNode *title_node, *sapo_node, *date_node;
    size_t order, budget;
} page;

static void page_free(page *pg)
{
    for (int i = 0; i < S_COUNT; i++)
        free(pg->slot[i]);
}

static int guarded(const page *pg, const xmlNode *n)
{
    for (size_t i = 0; i < pg->nguard; i++)
        if (pg->guard[i] == n)
            return 1;
    return 0;
}

/* Boilerplate by class/id (related boxes, comments, menus...), unless the
 * element holds an h1: VnExpress wraps its article in "sidebar-1". */
static int boilerplate_class(const xmlNode *n)
{
    return node_matches(n, NEG_ANYWHERE, NEG_PART) ||
           (node_matches(n, ADS_ANYWHERE, ADS_PART) && !node_matches(n, POS_ANYWHERE, NULL));
}

static int neg_class(const page *pg, const xmlNode *n)
{
    return boilerplate_class(n) && !guarded(pg, n);
}

/* Pass 0: the h1 elements, whose ancestors are guarded. */
static void find_h1(page *pg, xmlNode *n, int depth)
{
    for (xmlNode *k = n->children; k && pg->budget; k = k->next, pg->budget--) {
        if (k->type != XML_ELEMENT_NODE || depth > WALK_MAX_DEPTH || tag_in(k, TAGS_NO_TEXT))
            continue;
        if (is_tag(k, "h1")) {
            for (xmlNode *p = k->parent; p && p->type == XML_ELEMENT_NODE &&
                                         pg->nguard < sizeof pg->guard / sizeof pg->guard[0];
                 p = p->parent)
                pg->guard[pg->nguard++] = p;
        }
        find_h1(pg, k, depth + 1);
    }
}

/* ---- JSON-LD ---- */

/* Decode the HTML entities some sites leave in JSON-LD strings ("&quot;",
 * "&#39;", "&agrave;"), with libxml2's table of HTML entity names. */
static char *decode_entities(const char *s)
{
    kh_buf b;
    kh_buf_init(&b);
    while (*s) {
        const char *semi = *s == '&' ? strchr(s, ';') : NULL;
        unsigned cp = 0;
        if (semi && semi - s > 2 && semi - s < 12) {
            char name[16];
            snprintf(name, sizeof name, "%.*s", (int)(semi - s - 1), s + 1);
            char *end = NULL;
            if (name[0] == '#' && (name[1] == 'x' || name[1] == 'X'))
                cp = (unsigned)strtoul(name + 2, &end, 16);
            else if (name[0] == '#')
                cp = (unsigned)strtoul(name + 1, &end, 10);
            else {
                const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
                cp = e ? e->value : 0;
            }
            if (end && *end)
                cp = 0;
        }
        if (cp && utf8proc_codepoint_valid((utf8proc_int32_t)cp)) {
            utf8proc_uint8_t u[4];
            utf8proc_ssize_t un = utf8proc_encode_char((utf8proc_int32_t)cp, u);
            kh_buf_append(&b, u, (size_t)un);
            s = semi + 1;
        } else {
            kh_buf_putc(&b, *s++);
        }
    }
    return kh_buf_take(&b);
}

static void set_json_string(page *pg, int slot, json_t *v)
{
    if (!json_is_string(v) || pg->slot[slot])
        return;
    char *d = decode_entities(json_string_value(v));
    if (d) {
        acc a = {{0}, 0};
        acc_text(&a, d);
        char *t = kh_buf_take(&a.b);
        if (t && *t)
            pg->slot[slot] = t;
        else
            free(t);
        free(d);
    }
}

static int ld_type_is(json_t *type, const char *suffix)
{
    if (json_is_array(type)) {
        size_t i;
        json_t *t;
        json_array_foreach(type, i, t) {
            if (ld_type_is(t, suffix))
                return 1;
        }
        return 0;
    }
    if (!json_is_string(type))
        return 0;
    const char *s = json_string_value(type);
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int ld_is_article(json_t *o)
{
    json_t *t = json_object_get(o, "@type");
    return ld_type_is(t, "Article") || ld_type_is(t, "BlogPosting") ||
           ld_type_is(t, "LiveBlogPosting") || ld_type_is(t, "Report");
}

/* Person names of a JSON-LD author value, "; "-joined into b.
 * Organisations are publishers, not authors. */
static void ld_names(json_t *v, kh_buf *b, int depth)
{
    if (depth > 4)
        return;
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) ld_names(x, b, depth + 1);
        return;
    }
    json_t *name = v;
    if (json_is_object(v)) {
        if (ld_type_is(json_object_get(v, "@type"), "Organization") ||
            ld_type_is(json_object_get(v, "@type"), "NewsMediaOrganization"))
            return;
        name = json_object_get(v, "name");
    }
    if (!json_is_string(name) || !*json_string_value(name))
        return;
    if (b->len)
        kh_buf_puts(b, "; ");
    kh_buf_puts(b, json_string_value(name));
}

static void ld_take_article(page *pg, json_t *o)
{
    set_json_string(pg, S_LD_HEADLINE, json_object_get(o, "headline"));
    set_json_string(pg, S_LD_DESC, json_object_get(o, "description"));
    set_json_string(pg, S_LD_DATE, json_object_get(o, "datePublished"));
    set_json_string(pg, S_LD_URL, json_object_get(o, "url"));
    json_t *main = json_object_get(o, "mainEntityOfPage");
    set_json_string(pg, S_LD_URL, json_is_object(main) ? json_object_get(main, "@id") : main);
    json_t *pub = json_object_get(o, "publisher");
    if (json_is_array(pub))
        pub = json_array_get(pub, 0);
    set_json_string(pg, S_LD_PUBLISHER, json_is_object(pub) ? json_object_get(pub, "name") : pub);
    kh_buf b;
    kh_buf_init(&b);
    ld_names(json_object_get(o, "author"), &b, 0);
    if (b.len) {
        json_t *s = json_string(kh_buf_cstr(&b));
        set_json_string(pg, S_LD_AUTHOR, s);
        json_decref(s);
    }
    kh_buf_free(&b);
    pg->ld_done = 1;
}

static void ld_visit(page *pg, json_t *v, int depth)
{
    if (depth > 6 || pg->ld_done)
        return;
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) ld_visit(pg, x, depth + 1);
        return;
    }
    if (!json_is_object(v))
        return;
    if (ld_is_article(v)) {
        ld_take_article(pg, v);
        return;
    }
    ld_visit(pg, json_object_get(v, "@graph"), depth + 1);
    ld_visit(pg, json_object_get(v, "mainEntity"), depth + 1);
}

/* A <script type="application/ld+json">. Raw control characters (often
 * left inside strings by CMSs) become spaces so the JSON parses. */
static void ld_script(page *pg, xmlNode *script)
{
    xmlChar *raw = xmlNodeGetContent(script);
    if (!raw)
        return;
    for (xmlChar *p = raw; *p; p++)
        if (*p < 0x20)
            *p = ' ';
    json_error_t err;
    json_t *root = json_loads((const char *)raw, JSON_DECODE_ANY, &err);
    if (root) {
        ld_visit(pg, root, 0);
        json_decref(root);
    }
    xmlFree(raw);
}

/* ---- meta tags, links, <time>, visible elements ---- */

static const struct meta_key {
    const char *key;
    int slot;
} META_KEYS[] = {
    {"og:title", S_OG_TITLE}, {"og:description", S_OG_DESC}, {"og:url", S_OG_URL},
    {"og:site_name", S_OG_SITE}, {"article:published_time", S_ART_TIME},
    {"article:author", S_ART_AUTHOR}, {"twitter:title", S_META_TITLE},
    {"headline", S_META_TITLE}, {"dc.title", S_META_TITLE},
    {"description", S_META_DESC}, {"twitter:description", S_META_DESC},
    {"pubdate", S_META_DATE}, {"publishdate", S_META_DATE},
    {"publish-date", S_META_DATE}, {"datepublished", S_META_DATE},
    {"dc.date.issued", S_META_DATE}, {"dc.date", S_META_DATE},
    {"date", S_META_DATE}, {"author", S_META_AUTHOR}, {"dc.creator", S_META_AUTHOR},
    {NULL, 0}};

static void meta_tag(page *pg, const xmlNode *n)
{
    const char *content = attr(n, "content");
    if (!content)
        content = attr(n, "value");
    if (!content)
        return;
    static const char *const keys[] = {"property", "name", "itemprop", NULL};
    for (size_t i = 0; keys[i]; i++) {
        const char *k = attr(n, keys[i]);
        for (size_t j = 0; k && META_KEYS[j].key; j++)
            if (strcasecmp(k, META_KEYS[j].key) == 0)
                set_once(&pg->slot[META_KEYS[j].slot], content, strlen(content));
    }
}

static void link_tag(page *pg, const xmlNode *n)
{
    const char *rel = attr(n, "rel"), *href = attr(n, "href");
    if (rel && href && strcasecmp(rel, "canonical") == 0 && strstr(href, "://"))
        set_once(&pg->slot[S_CANONICAL], href, strlen(href));
}

static void time_tag(page *pg, const xmlNode *n)
{
    const char *dt = attr(n, "datetime");
    if (!dt)
        return;
    const char *ip = attr(n, "itemprop");
    int pub = attr(n, "pubdate") || (ip && strcasecmp(ip, "datePublished") == 0) ||
              value_matches(attr(n, "class"), (const char *const[]){"publish", NULL}, NULL);
    set_once(&pg->slot[pub ? S_TIME_PUB : S_TIME], dt, strlen(dt));
}

static int name_like(const char *s, size_t min_words);

static const char *outlet_name(const char *s);

/* A byline cleaned in place: without its label ("Tác giả: X", "Bài và
 * ảnh: X") and without the outlet after a slash ("Hồng Nhung/VOV.VN"). */
static char *byline_name(char *t)
{
    static const char *const labels[] = {"Tác giả:", "Bài và ảnh:", "Bài, ảnh:",
                                         "Bài:", "Phóng viên:", NULL};
    for (size_t i = 0; labels[i]; i++)
        if (strncasecmp(t, labels[i], strlen(labels[i])) == 0) {
            t += strlen(labels[i]);
            while (*t == ' ')
                t++;
        }
    char *slash = strrchr(t, '/');
    if (slash && outlet_name(slash + 1)) {
        while (slash > t && slash[-1] == ' ')
            slash--;
        *slash = '\0';
    }
    return t;
}

/* Visible h1, sapo, dateline and byline candidates. */
static void visible_element(page *pg, xmlNode *n)
{
    if (is_tag(n, "h1") && pg->nh1 < MAX_H1) {
        pg->h1[pg->nh1++] = (noderec){n, pg->order};
        return;
    }
    int is_sapo = node_matches(n, SAPO_ANYWHERE, SAPO_PART) && pg->nsapo < MAX_CANDS;
    int is_date = pg->ndates < MAX_CANDS &&
                  (is_tag(n, "time") || node_matches(n, DATE_ANYWHERE, NULL));
    int is_by = !pg->slot[S_VIS_AUTHOR] &&
                (node_matches(n, BYLINE_ANYWHERE, NULL) ||
                 value_matches(attr(n, "rel"), BYLINE_ANYWHERE, NULL) ||
                 value_matches(attr(n, "itemprop"), BYLINE_ANYWHERE, NULL));
    if (!is_sapo && !is_date && !is_by)
        return;
    char *t = node_text(n);
    if (!t)
        return;
    size_t len = strlen(t);
    kh_date d;
    if (is_sapo && len >= 20 && len <= 1500 && !guarded(pg, n))
        pg->sapo[pg->nsapo++] = (noderec){n, pg->order};
    if (is_date && len <= 100 && kh_date_line(t, &d)) {
        pg->date_val[pg->ndates] = d;
        pg->dates[pg->ndates++] = (noderec){n, pg->order};
    }
    const char *by = byline_name(t);
    if (is_by && name_like(by, 1))
        set_once(&pg->slot[S_VIS_AUTHOR], by, strlen(by));
    free(t);
}

/* Pass 1: every source of metadata, in document order. `off` is set
 * inside boilerplate (nav, related boxes...), where only meta tags and
 * JSON-LD count. */
static void scan(page *pg, xmlNode *n, int depth, int off)
{
    for (xmlNode *k = n->children; k && pg->budget; k = k->next, pg->budget--) {
        if (k->type != XML_ELEMENT_NODE || depth > WALK_MAX_DEPTH)
            continue;
        pg->order++;
        if (is_tag(k, "meta"))
            meta_tag(pg, k);
        else if (is_tag(k, "link"))
            link_tag(pg, k);
        else if (is_tag(k, "script") && ci_contains(attr(k, "type") ? attr(k, "type") : "", "ld+json"))
            ld_script(pg, k);
        else if (is_tag(k, "title") && !pg->slot[S_TITLE])
            pg->slot[S_TITLE] = node_text(k);
        if (tag_in(k, TAGS_NO_TEXT) && !is_tag(k, "head"))
            continue;
        int koff = off || is_tag(k, "nav") || is_tag(k, "footer") || is_tag(k, "aside") ||
                   is_hidden(k) ||
                   (node_matches(k, OFF_ANYWHERE, OFF_PART) && !guarded(pg, k));
        if (!koff && is_tag(k, "time"))
            time_tag(pg, k);
        if (!koff)
            visible_element(pg, k);
        scan(pg, k, depth + 1, koff);
    }
}

/* ---- dates ---- */

static int digits_at(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

/* The zone after a time: "Z", "+07:00", "+0700", "+07", " GMT+7" ->
 * "+07:00" ("" when there is none). */
static void zone_suffix(const char *p, char *zone, size_t n)
{
    int zh = 0, zm = 0;
    zone[0] = '\0';
    while (*p == ' ')
        p++;
    if (strncasecmp(p, "GMT", 3) == 0 || strncasecmp(p, "UTC", 3) == 0) {
        p += 3;
        if (*p != '+' && *p != '-') {
            snprintf(zone, n, "+00:00");
            return;
        }
    }
    if (*p == 'Z' || *p == 'z') {
        snprintf(zone, n, "+00:00");
        return;
    }
    if (*p != '+' && *p != '-')
        return;
    const char *q = p + 1;
    int k = digits_at(q, 2, &zh) ? 2 : digits_at(q, 1, &zh) ? 1 : 0;
    if (!k || zh > 14)
        return;
    q += k;
    if (*q == ':')
        q++;
    if (k != 2 || !digits_at(q, 2, &zm) || zm >= 60)
        zm = 0;
    snprintf(zone, n, "%c%02d:%02d", *p, zh, zm);
}

/* Machine dates: "2025-10-22", "2025-10-22T14:05[:00[.000]][Z|+07:00|+0700]"
 * (or a space for T) -> "2025-10-22T14:05+07:00"; seconds are dropped. */
static int iso_date(const char *s, kh_date *d)
{
    int y, mo, da, h, mi;
    while (*s == ' ')
        s++;
    if (!digits_at(s, 4, &y) || s[4] != '-' || !digits_at(s + 5, 2, &mo) ||
        s[7] != '-' || !digits_at(s + 8, 2, &da) || mo < 1 || mo > 12 || da < 1 || da > 31)
        return 0;
    const char *p = s + 10;
    if (*p != 'T' && *p != 't' && *p != ' ') {
        if (*p && *p != '"')
            return 0;
        snprintf(d->iso, sizeof d->iso, "%04d-%02d-%02d", y, mo, da);
        d->precision = KHOTIN_DATE_DAY;
        return 1;
    }
    if (!digits_at(p + 1, 2, &h) || p[3] != ':' || !digits_at(p + 4, 2, &mi) || h > 23 || mi > 59)
        return 0;
    p += 6;
    int sec;
    if (*p == ':' && digits_at(p + 1, 2, &sec))
        p += 3;
    if (*p == '.' || *p == ',')
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    char zone[16] = "";
    zone_suffix(p, zone, sizeof zone);
    snprintf(d->iso, sizeof d->iso, "%04d-%02d-%02dT%02d:%02d%s", y, mo, da, h, mi, zone);
    d->precision = KHOTIN_DATE_TIME;
    return 1;
}

/* A publication date from any source: ISO 8601, else a Vietnamese dateline
 * ("Thứ năm, 20/7/2017, 14:30 (GMT+7)", "22/10/2025 14:05"). */
static int any_date(const char *s, kh_date *d)
{
    memset(d, 0, sizeof *d);
    if (!s)
        return 0;
    if (iso_date(s, d))
        return 1;
    return kh_date_line(s, d) && d->precision >= KHOTIN_DATE_DAY;
}

static int resolve_date(const page *pg, kh_date *d)
{
    static const int order[] = {S_LD_DATE, S_ART_TIME, S_META_DATE, S_TIME_PUB,
                                S_TIME, S_VIS_DATE};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (any_date(pg->slot[order[i]], d))
            return 1;
    return 0;
}

/* ---- publishers, titles, authors ---- */

static const struct alias {
    const char *key; /* folded, letters and digits only, "bao" prefix cut */
    const char *name;
} ALIASES[] = {
    {"vnexpress", "VnExpress"}, {"tinnhanhvnexpress", "VnExpress"},
    {"tuoitre", "Tuổi Trẻ"}, {"tuoitreonline", "Tuổi Trẻ"}, {"tto", "Tuổi Trẻ"},
    {"thanhnien", "Thanh Niên"}, {"thanhnienonline", "Thanh Niên"}, {"tno", "Thanh Niên"},
    {"dantri", "Dân trí"}, {"vietnamnet", "VietNamNet"}, {"toquoc", "Tổ Quốc"},
    {"chinhphu", "Báo Chính phủ"}, {"congthongtindientuchinhphu", "Báo Chính phủ"},
    {"nguoilaodong", "Người Lao Động"}, {"nld", "Người Lao Động"},
    {"laodong", "Lao Động"}, {"ldo", "Lao Động"}, {"vov", "VOV"},
    {"daitiengnoivietnam", "VOV"}, {"tiengnoivietnam", "VOV"}, {"vtv", "VTV"},
    {"truyenhinhvietnam", "VTV"}, {"daitruyenhinhvietnam", "VTV"},
    {NULL, NULL}};

static int host_like(const char *s)
{
    return strchr(s, '.') && !strchr(s, ' ');
}

/* The outlet's usual name for a publisher name or host ("Báo Dân trí",
 * "vnexpress.net", "VOV.VN" -> "Dân trí", "VnExpress", "VOV"), or NULL. */
static const char *outlet_name(const char *s)
{
    if (!s || !*s)
        return NULL;
    if (host_like(s)) {
        char low[256];
        size_t n = 0;
        for (; s[n] && n + 1 < sizeof low; n++)
            low[n] = (char)((s[n] >= 'A' && s[n] <= 'Z') ? s[n] + 32 : s[n]);
        low[n] = '\0';
        return kh_publisher_for_url(low);
    }
    char *f = khotin_text_fold(s);
    if (!f)
        return NULL;
    size_t k = 0;
    for (const char *p = f; *p; p++)
        if (is_alnum_byte((unsigned char)*p))
            f[k++] = *p;
    f[k] = '\0';
    const char *key = f;
    static const char *const prefixes[] = {"baodientu", "bao", "dientu", NULL};
    for (size_t i = 0; prefixes[i]; i++)
        if (strncmp(key, prefixes[i], strlen(prefixes[i])) == 0 &&
            strlen(key) > strlen(prefixes[i]) + 1) {
            key += strlen(prefixes[i]);
            break;
        }
    const char *name = NULL;
    for (size_t i = 0; ALIASES[i].key && !name; i++)
        if (strcmp(key, ALIASES[i].key) == 0 || strcmp(f, ALIASES[i].key) == 0)
            name = ALIASES[i].name;
    free(f);
    return name;
}

static const char *resolve_url(const page *pg)
{
    if (pg->slot[S_CANONICAL])
        return pg->slot[S_CANONICAL];
    if (pg->slot[S_OG_URL] && strstr(pg->slot[S_OG_URL], "://"))
        return pg->slot[S_OG_URL];
    if (pg->slot[S_LD_URL] && strstr(pg->slot[S_LD_URL], "://"))
        return pg->slot[S_LD_URL];
    return NULL;
}

/* JSON-LD publisher, og:site_name, then the URL's host, mapped to the
 * outlet's usual name; an unknown outlet keeps the name it gives itself. */
static const char *resolve_publisher(const page *pg, const char *url)
{
    const char *cands[] = {pg->slot[S_LD_PUBLISHER], pg->slot[S_OG_SITE], url};
    for (size_t i = 0; i < 3; i++) {
        const char *name = cands[i] == url ? (url ? kh_publisher_for_url(url) : NULL)
                                           : outlet_name(cands[i]);
        if (name)
            return name;
    }
    for (size_t i = 0; i < 2; i++)
        if (cands[i] && !host_like(cands[i]))
            return cands[i];
    return NULL;
}

/* Cut a trailing " - Báo Dân trí" / " | VnExpress" naming the site. */
static void strip_site_suffix(char *s, const char *site)
{
    static const char *const seps[] = {" - ", " | ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", NULL};
    char *cut = NULL;
    for (size_t i = 0; seps[i]; i++)
        for (char *p = strstr(s, seps[i]); p; p = strstr(p + 1, seps[i]))
            if (!cut || p > cut)
                cut = p;
    if (!cut)
        return;
    const char *tail = cut + 3 + (cut[1] != '-' && cut[1] != '|' ? 2 : 0);
    if (outlet_name(tail) || host_like(tail) || (site && strcasecmp(tail, site) == 0))
        *cut = '\0';
}

/* Text of a metadata slot with any site suffix cut (owned copy), or NULL. */
static char *clean_meta_text(const page *pg, int slot)
{
    if (!pg->slot[slot])
        return NULL;
    acc a = {{0}, 0};
    acc_text(&a, pg->slot[slot]);
    char *t = kh_buf_take(&a.b);
    if (t)
        strip_site_suffix(t, pg->slot[S_OG_SITE]);
    if (t && !*t) {
        free(t);
        t = NULL;
    }
    return t;
}

/* Person names as bylines write them: words starting with a capital
 * ("Lê Phương", "HOÀNG HƯƠNG", "Minh Anh - Hồng Hạnh"), no digits or
 * sentence punctuation, at most 8 words. */
static int name_like(const char *s, size_t min_words)
{
    size_t words = 0;
    if (!*s || strlen(s) > 80 || strpbrk(s, "0123456789.:;!?()\"/@|[]{}<>=+*#%_"))
        return 0;
    if (strncmp(s, "Theo ", 5) == 0 || strncmp(s, "Nguồn", 6) == 0 || strncmp(s, "Ảnh", 4) == 0)
        return 0;
    for (const char *p = s; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ' ' && *e != ',')
            e++;
        if (e == p)
            break;
        if ((e - p == 1 && (*p == '-' || *p == '&')) ||
            (e - p == 3 && strncmp(p, "và", 3) == 0) ||
            (e - p == 3 && strncmp(p, "\xE2\x80\x93", 3) == 0)) {
            p = e;
            continue;
        }
        utf8proc_int32_t cp;
        if (utf8proc_iterate((const utf8proc_uint8_t *)p, e - p, &cp) < 1 ||
            utf8proc_category(cp) != UTF8PROC_CATEGORY_LU)
            return 0;
        words++;
        p = e;
    }
    return words >= min_words && words <= 8;
}

/* An author value worth keeping: not a URL, not the outlet's own name. */
static int person_author(const page *pg, const char *s, int strict)
{
    if (!s || !*s || strstr(s, "://") || host_like(s) || outlet_name(s))
        return 0;
    const char *site[] = {pg->slot[S_OG_SITE], pg->slot[S_LD_PUBLISHER]};
    for (size_t i = 0; i < 2; i++)
        if (site[i] && strcasecmp(site[i], s) == 0)
            return 0;
    return !strict || name_like(s, 1);
}

static const char *resolve_author(const page *pg, const char *trailing)
{
    if (person_author(pg, pg->slot[S_LD_AUTHOR], 0))
        return pg->slot[S_LD_AUTHOR];
    if (person_author(pg, pg->slot[S_ART_AUTHOR], 1))
        return pg->slot[S_ART_AUTHOR];
    if (person_author(pg, pg->slot[S_META_AUTHOR], 1))
        return pg->slot[S_META_AUTHOR];
    if (person_author(pg, pg->slot[S_VIS_AUTHOR], 1))
        return pg->slot[S_VIS_AUTHOR];
    return trailing;
}

/* ---- the title, sapo and dateline elements ---- */

static int same_text(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* The h1 holding the headline (else the wordiest: a logo h1 has one or two
 * words), and the first sapo block after it. */
static void pick_visible(page *pg, const char *headline)
{
    size_t best_words = 0, title_order = 0;
    for (size_t i = 0; i < pg->nh1; i++) {
        char *t = node_text(pg->h1[i].node);
        if (!t)
            continue;
        size_t words = *t ? 1 : 0;
        for (const char *p = t; *p; p++)
            words += *p == ' ';
        int exact = same_text(t, headline);
        free(t);
        if (exact || words > best_words) {
            best_words = words;
            pg->title_node = pg->h1[i].node;
            title_order = pg->h1[i].order;
        }
        if (exact)
            break;
    }
    for (size_t i = 0; i < pg->nsapo && !pg->sapo_node; i++)
        if (!pg->title_node || pg->sapo[i].order > title_order)
            pg->sapo_node = pg->sapo[i].node;
    /* the dateline: the most precise date, then the nearest to the title
     * (site headers show today's date without a time) */
    size_t best = (size_t)-1, best_dist = 0;
    for (size_t i = 0; i < pg->ndates; i++) {
        size_t o = pg->dates[i].order;
        size_t dist = o > title_order ? o - title_order : title_order - o;
        if (best == (size_t)-1 || pg->date_val[i].precision > pg->date_val[best].precision ||
            (pg->date_val[i].precision == pg->date_val[best].precision && dist < best_dist)) {
            best = i;
            best_dist = dist;
        }
    }
    if (best != (size_t)-1) {
        const char *iso = pg->date_val[best].iso;
        set_once(&pg->slot[S_VIS_DATE], iso, strlen(iso));
        pg->date_node = pg->dates[best].node;
    }
}

/* ---- the body: paragraphs ---- */

typedef struct para {
    char *text;
    size_t len, links, chars;
    xmlNode *block;   /* the element holding the text */
    unsigned emph : 1;  /* all in <strong>/<b> */
    unsigned right : 1; /* right-aligned or an author block */
} para;

typedef struct collect {
    const page *pg;
    para *v;
    size_t n, cap;
    acc run;          /* the paragraph being collected */
    xmlNode *run_block;
    size_t run_links, run_emph;
    int in_link, in_emph, brs;
    int strict;       /* skip boilerplate by class/id too */
    size_t budget;
    int oom;
} collect;

static void paras_free(para *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].text);
    free(v);
}

static int right_aligned(const xmlNode *n)
{
    const char *style = attr(n, "style"), *align = attr(n, "align");
    char compact[128];
    size_t k = 0;
    for (const char *p = style ? style : ""; *p && k + 1 < sizeof compact; p++)
        if (*p != ' ')
            compact[k++] = *p;
    compact[k] = '\0';
    return ci_contains(compact, "text-align:right") || (align && strcasecmp(align, "right") == 0) ||
           node_matches(n, BYLINE_ANYWHERE, NULL);
}

/* End the current run: it becomes a paragraph when it has text. */
static void flush_run(collect *c)
{
    acc *r = &c->run;
    c->brs = 0;
    if (r->b.oom)
        c->oom = 1;
    if (r->b.len && c->n < MAX_PARAS && !c->oom) {
        if (c->n == c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 64;
            para *p = realloc(c->v, cap * sizeof *p);
            if (!p) {
                c->oom = 1;
                goto reset;
            }
            c->v = p;
            c->cap = cap;
        }
        para *p = &c->v[c->n];
        memset(p, 0, sizeof *p);
        p->text = kh_strndup(r->b.data, r->b.len);
        if (!p->text) {
            c->oom = 1;
            goto reset;
        }
        p->len = r->b.len;
        p->chars = utf8_chars(p->text, p->len);
        p->links = c->run_links;
        p->block = c->run_block;
        p->emph = c->run_emph * 10 >= p->len * 9;
        p->right = c->run_block && right_aligned(c->run_block);
        c->n++;
    }
reset:
    kh_buf_reset(&r->b);
    r->space = 0;
    c->run_links = c->run_emph = 0;
    c->run_block = NULL;
}

static int ends_sentence(const kh_buf *b)
{
    if (!b->len)
        return 0;
    char last = b->data[b->len - 1];
    if (strchr(".!?:", last))
        return 1;
    /* closing quotes ” » and the ellipsis … */
    return b->len >= 3 && ((unsigned char)b->data[b->len - 3] == 0xE2 &&
                           (unsigned char)b->data[b->len - 2] == 0x80 &&
                           ((unsigned char)last == 0x9D || (unsigned char)last == 0xA6));
}

/* Text inside a block. Pending <br>s break the paragraph when there were
 * two, or one after a finished sentence; otherwise they are a space. */
static void run_text(collect *c, const char *text, xmlNode *block)
{
    int zero;
    const unsigned char *s = (const unsigned char *)text;
    while (*s && space_at(s, &zero))
        s += space_at(s, &zero);
    if (!*s) {
        c->run.space |= *text != '\0' && c->run.b.len > 0;
        return;
    }
    if (c->brs) {
        if (c->brs >= 2 || ends_sentence(&c->run.b))
            flush_run(c);
        else
            c->run.space = 1;
        c->brs = 0;
    }
    if (!c->run.b.len)
        c->run_block = block;
    if (c->run.b.len >= MAX_PARA_BYTES)
        return;
    size_t added = acc_text(&c->run, text);
    if (c->in_link)
        c->run_links += added;
    if (c->in_emph)
        c->run_emph += added;
}

/* Elements whose text never belongs to the body. */
static int skip_in_body(const collect *c, const xmlNode *n)
{
    const page *pg = c->pg;
    if (n == pg->title_node || n == pg->sapo_node || n == pg->date_node)
        return 1;
    if (tag_in(n, TAGS_NO_TEXT) || is_hidden(n) || is_caption(n))
        return 1;
    if (tag_in(n, TAGS_FURNITURE) && (c->strict || !is_tag(n, "header")))
        return 1;
    return c->strict && neg_class(pg, n);
}

static void walk_body(collect *c, xmlNode *n, xmlNode *block, int depth);

static void body_element(collect *c, xmlNode *k, xmlNode *block, int depth)
{
    if (is_tag(k, "br")) {
        c->brs++;
        return;
    }
    int blk = tag_in(k, TAGS_BLOCK);
    if (skip_in_body(c, k)) {
        if (blk)
            flush_run(c);
        else
            c->run.space |= c->run.b.len > 0;
        return;
    }
    int link = is_tag(k, "a");
    int emph = is_tag(k, "strong") || is_tag(k, "b");
    if (blk)
        flush_run(c);
    c->in_link += link;
    c->in_emph += emph;
    walk_body(c, k, blk ? k : block, depth + 1);
    c->in_link -= link;
    c->in_emph -= emph;
    if (blk)
        flush_run(c);
}

static void walk_body(collect *c, xmlNode *n, xmlNode *block, int depth)
{
    if (depth > WALK_MAX_DEPTH)
        return;
    for (xmlNode *k = n->children; k && c->budget && !c->oom; k = k->next, c->budget--) {
        if ((k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) && k->content)
            run_text(c, (const char *)k->content, block);
        else if (k->type == XML_ELEMENT_NODE)
            body_element(c, k, block, depth);
    }
}

/* ---- the body: scoring ---- */

typedef struct cand {
    xmlNode *node;
    double score;
    size_t text, links;
    int chosen;
} cand;

typedef struct scores {
    cand *v;
    size_t n, cap;
    int oom;
} scores;

static cand *cand_of(scores *s, xmlNode *n, int create)
{
    if (n->_private)
        return &s->v[(uintptr_t)n->_private - 1];
    if (!create || s->oom)
        return NULL;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        cand *p = realloc(s->v, cap * sizeof *p);
        if (!p) {
            s->oom = 1;
            return NULL;
        }
        s->v = p;
        s->cap = cap;
    }
    cand *c = &s->v[s->n++];
    memset(c, 0, sizeof *c);
    c->node = n;
    /* tag and class priors, as in Readability */
    if (is_tag(n, "div") || is_tag(n, "article") || is_tag(n, "section") || is_tag(n, "main"))
        c->score = 5;
    else if (is_tag(n, "td") || is_tag(n, "blockquote") || is_tag(n, "pre"))
        c->score = 3;
    else if (is_tag(n, "ul") || is_tag(n, "ol") || is_tag(n, "li") || is_tag(n, "form") ||
             is_tag(n, "dl") || is_tag(n, "dd") || is_tag(n, "dt"))
        c->score = -3;
    if (node_matches(n, POS_ANYWHERE, NULL))
        c->score += 25;
    if (boilerplate_class(n))
        c->score -= 25;
    n->_private = (void *)(uintptr_t)s->n;
    return c;
}

static void scores_free(scores *s)
{
    for (size_t i = 0; i < s->n; i++)
        s->v[i].node->_private = NULL;
    free(s->v);
    memset(s, 0, sizeof *s);
}

static size_t count_commas(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == ',';
    return n;
}

/* Each paragraph of 25+ characters scores the blocks above it: its
 * container fully, the next one half, the three above a third or less. */
static void score_paragraphs(scores *s, const para *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const para *p = &v[i];
        if (p->chars < 25 || !p->block)
            continue;
        double sc = 1 + (double)count_commas(p->text) + (p->chars / 100 < 3 ? (double)(p->chars / 100) : 3);
        xmlNode *up = tag_in(p->block, TAGS_PARAGRAPH) ? p->block->parent : p->block;
        for (int level = 0; level < 5 && up && up->type == XML_ELEMENT_NODE &&
                            !is_tag(up, "html");
             level++, up = up->parent) {
            cand *c = cand_of(s, up, 1);
            if (c)
                c->score += sc / (level == 0 ? 1 : level == 1 ? 2 : level * 3);
        }
    }
    /* text and link text below each candidate, for link density */
    for (size_t i = 0; i < n; i++) {
        int depth = 0;
        for (xmlNode *up = v[i].block; up && up->type == XML_ELEMENT_NODE &&
                                       depth < WALK_MAX_DEPTH;
             up = up->parent, depth++) {
            cand *c = cand_of(s, up, 0);
            if (c) {
                c->text += v[i].len;
                c->links += v[i].links;
            }
        }
    }
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].text)
            s->v[i].score *= 1.0 - (double)s->v[i].links / (double)s->v[i].text;
}

/* Mark the best block and its siblings that score at least a fifth as
 * much; 0 when nothing scored. */
static int choose_blocks(scores *s)
{
    cand *top = NULL;
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].text && (!top || s->v[i].score > top->score))
            top = &s->v[i];
    if (!top || top->score <= 0)
        return 0;
    double bar = top->score * 0.2 > 10 ? top->score * 0.2 : 10;
    for (size_t i = 0; i < s->n; i++) {
        cand *c = &s->v[i];
        c->chosen = c == top || (c->node->parent == top->node->parent && c->score >= bar);
    }
    return 1;
}

static int in_chosen(scores *s, xmlNode *n)
{
    for (int depth = 0; n && n->type == XML_ELEMENT_NODE && depth < WALK_MAX_DEPTH;
         n = n->parent, depth++) {
        cand *c = cand_of(s, n, 0);
        if (c && c->chosen)
            return 1;
    }
    return 0;
}

/* Collect the paragraphs of the page and keep those of the chosen blocks
 * that are not mostly links. Returns 0 or KHOTIN_ENOMEM; *out may be
 * empty. */
static int body_paragraphs(const page *pg, xmlNode *root, int strict, para **out, size_t *nout)
{
    collect c = {0};
    c.pg = pg;
    c.strict = strict;
    c.budget = WALK_MAX_NODES;
    walk_body(&c, root, NULL, 0);
    flush_run(&c);
    kh_buf_free(&c.run.b);
    scores s = {0};
    if (!c.oom)
        score_paragraphs(&s, c.v, c.n);
    size_t kept = 0;
    if (!c.oom && !s.oom && choose_blocks(&s)) {
        for (size_t i = 0; i < c.n; i++) {
            para *p = &c.v[i];
            if (in_chosen(&s, p->block) && p->links * 2 <= p->len) {
                para keep = *p;
                p->text = NULL;
                c.v[kept++] = keep;
            } else {
                free(p->text);
                p->text = NULL;
            }
        }
    } else {
        for (size_t i = 0; i < c.n; i++)
            free(c.v[i].text);
    }
    int oom = c.oom || s.oom;
    scores_free(&s);
    *out = c.v;
    *nout = oom ? 0 : kept;
    if (oom) {
        paras_free(c.v, kept);
        *out = NULL;
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    }
    return 0;
}

/* ---- assembling the document ---- */

/* NFC copy of s (NULL when s is NULL or empty). */
static int nfc_dup(const char *s, char **out)
{
    *out = NULL;
    if (!s || !*s)
        return 0;
    char *t = NULL;
    if (khotin_text_normalize(s, strlen(s), 0, &t) != 0)
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    *out = t;
    return 0;
}

/* Does `text` start with `prefix` (ignoring a trailing "..." / "…")? */
static int starts_like(const char *text, const char *prefix)
{
    size_t n = strlen(prefix);
    while (n > 0 && (prefix[n - 1] == '.' || prefix[n - 1] == ' '))
        n--;
    if (n >= 3 && strncmp(prefix + n - 3, "\xE2\x80\xA6", 3) == 0)
        n -= 3;
    return n >= 20 && strncmp(text, prefix, n) == 0;
}

typedef struct parts {
    char *headline, *lead, *trailing_author;
    para *body;
    size_t nbody;
} parts;

static void drop_para(parts *pt, size_t i)
{
    free(pt->body[i].text);
    memmove(&pt->body[i], &pt->body[i + 1], (pt->nbody - i - 1) * sizeof *pt->body);
    pt->nbody--;
}

/* The headline, the lead, and the body without repeats of either, and
 * without a trailing byline paragraph (kept as the author). */
static void settle_parts(const page *pg, parts *pt)
{
    if (!pt->headline && pg->title_node)
        pt->headline = node_text(pg->title_node);
    if ((!pt->headline || !*pt->headline) && pg->slot[S_TITLE]) {
        free(pt->headline);
        pt->headline = clean_meta_text(pg, S_TITLE);
    }
    if (pg->sapo_node)
        pt->lead = node_text(pg->sapo_node);
    if (!pt->lead || !*pt->lead) {
        static const int desc_order[] = {S_LD_DESC, S_OG_DESC, S_META_DESC};
        free(pt->lead);
        pt->lead = NULL;
        for (size_t i = 0; i < 3 && !pt->lead; i++)
            pt->lead = clean_meta_text(pg, desc_order[i]);
        /* a description that only repeats the first paragraph: that
         * paragraph is the lead */
        if (pt->lead && pt->nbody && starts_like(pt->body[0].text, pt->lead)) {
            free(pt->lead);
            pt->lead = pt->body[0].text;
            pt->body[0].text = NULL;
            drop_para(pt, 0);
        }
    }
    for (size_t i = 0; i < pt->nbody;) {
        if (same_text(pt->body[i].text, pt->lead) || same_text(pt->body[i].text, pt->headline))
            drop_para(pt, i);
        else
            i++;
    }
    if (pt->nbody > 1) {
        para *last = &pt->body[pt->nbody - 1];
        char *copy = (last->emph || last->right) ? kh_strdup(last->text) : NULL;
        const char *name = copy ? byline_name(copy) : NULL;
        if (name && name_like(name, 2)) {
            pt->trailing_author = kh_strdup(name);
            drop_para(pt, pt->nbody - 1);
        }
        free(copy);
    }
}

static int assemble_text(const char *name, const parts *pt, kh_doc *d)
{
    kh_buf b;
    kh_buf_init(&b);
    if (pt->headline && *pt->headline) {
        kh_buf_puts(&b, pt->headline);
        kh_buf_puts(&b, "\n\n");
    }
    if (pt->lead && *pt->lead) {
        kh_buf_puts(&b, pt->lead);
        kh_buf_puts(&b, "\n\n");
    }
    for (size_t i = 0; i < pt->nbody; i++) {
        kh_buf_puts(&b, pt->body[i].text);
        kh_buf_puts(&b, "\n\n");
    }
    if (b.oom) {
        kh_buf_free(&b);
        return kh_error(KHOTIN_ENOMEM, "out of memory");
    }
    int rc = khotin_read_buffer(name, b.data, b.len, &d->text, &d->len);
    kh_buf_free(&b);
    return rc;
}

static int set_metadata(const char *name, const page *pg, const parts *pt, kh_doc *d)
{
    const char *url = resolve_url(pg);
    kh_date date;
    int rc = nfc_dup(pt->headline, &d->headline);
    if (!rc)
        rc = nfc_dup(pt->lead, &d->lead);
    if (!rc)
        rc = nfc_dup(resolve_author(pg, pt->trailing_author), &d->author);
    if (!rc)
        rc = nfc_dup(resolve_publisher(pg, url), &d->publisher);
    if (!rc)
        rc = nfc_dup(url, &d->url);
    if (!rc && resolve_date(pg, &date)) {
        rc = nfc_dup(date.iso, &d->date);
        d->date_precision = date.precision;
    }
    if (!rc && !(d->name = kh_strdup(name)))
        rc = kh_error(KHOTIN_ENOMEM, "out of memory");
    return rc;
}

static void parts_free(parts *pt)
{
    free(pt->headline);
    free(pt->lead);
    free(pt->trailing_author);
    paras_free(pt->body, pt->nbody);
}

/* The whole pipeline on a parsed page. */
static int build_doc(const char *name, htmlDocPtr doc, kh_doc *d)
{
    xmlNode *root = (xmlNode *)doc;
    page pg;
    memset(&pg, 0, sizeof pg);
    pg.budget = WALK_MAX_NODES;
    find_h1(&pg, root, 0);
    pg.budget = WALK_MAX_NODES;
    scan(&pg, root, 0, 0);
    /* the headline from metadata, which also finds the title h1 */
    parts pt = {0};
    static const int title_order[] = {S_LD_HEADLINE, S_OG_TITLE, S_META_TITLE};
    for (size_t i = 0; i < 3 && !pt.headline; i++)
        pt.headline = clean_meta_text(&pg, title_order[i]);
    pick_visible(&pg, pt.headline);
    /* first without boilerplate classes; when that leaves nothing, with */
    int rc = body_paragraphs(&pg, root, 1, &pt.body, &pt.nbody);
    if (!rc && pt.nbody == 0) {
        free(pt.body);
        pt.body = NULL;
        rc = body_paragraphs(&pg, root, 0, &pt.body, &pt.nbody);
    }
    if (!rc && pt.nbody == 0)
        rc = kh_error(KHOTIN_EINPUT, "%s: no article text found in the page", name);
    if (!rc) {
        settle_parts(&pg, &pt);
        rc = assemble_text(name, &pt, d);
    }
    if (!rc)
        rc = set_metadata(name, &pg, &pt, d);
    parts_free(&pt);
    page_free(&pg);
    return rc;
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser();
}

int kh_read_html(const char *name, const void *data, size_t len,
                 const kh_read_opts *opts, kh_doc_cb cb, void *ctx)
{
    pthread_once(&xml_once, xml_init);
    if (len > PAGE_MAX_BYTES)
        len = PAGE_MAX_BYTES;
    const unsigned char *u = data;
    int utf16 = len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
    if (!utf16 && looks_binary(data, len))
        return kh_error(KHOTIN_EINPUT, "%s: binary data, not a web page", name);
    char *utf8 = NULL;
    size_t n = 0;
    const char *xml_enc = NULL;
    int rc = page_to_utf8(name, data, len, opts, &utf8, &n, &xml_enc);
    if (rc)
        return rc;
    htmlDocPtr doc = NULL;
    if (n > 0)
        doc = htmlReadMemory(utf8, (int)n, NULL, xml_enc ? xml_enc : "UTF-8",
                             HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                 HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC);
    free(utf8);
    if (!doc)
        return kh_error(KHOTIN_EINPUT, "%s: no article text found in the page", name);
    kh_doc d = {0};
    rc = build_doc(name, doc, &d);
    xmlFreeDoc(doc);
    if (rc) {
        kh_doc_clear(&d);
        return rc;
    }
    return cb(ctx, 0, &d);
}
