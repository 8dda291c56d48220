/* test_serve_util.c - request targets and snippet marks of `khotin serve`
 * (src/serve_util.c): %-decoding, '+' as space, UTF-8 checks, parameter
 * splitting, match spans in code points, date filters. */
#include "check.h"
#include "serve.h"

#include <stdlib.h>
#include <string.h>

static void test_decode(void)
{
    static const struct {
        const char *in;
        int plus;
        const char *want; /* NULL: refused */
    } rows[] = {
        {"an+ninh+mang", 1, "an ninh mang"},
        {"an+ninh", 0, "an+ninh"},
        {"an%20ninh", 1, "an ninh"},
        {"m%E1%BA%A1ng", 1, "mạng"},
        {"m%e1%ba%a1ng", 1, "mạng"},
        {"mạng", 1, "mạng"},
        {"%2B1", 1, "+1"},
        {"100%25", 1, "100%"},
        {"a%3Db%26c", 1, "a=b&c"},
        {"", 1, ""},
        {"%", 1, NULL},
        {"%4", 1, NULL},
        {"%ZZ", 1, NULL},
        {"%G1", 1, NULL},
        {"a%00b", 1, NULL},      /* NUL */
        {"%FF", 1, NULL},        /* not UTF-8 */
        {"%C3%28", 1, NULL},     /* bad continuation */
        {"%C0%AF", 1, NULL},     /* overlong '/' */
        {"%ED%A0%80", 1, NULL},  /* surrogate */
        {"%F4%90%80%80", 1, NULL}, /* above U+10FFFF */
        {"%F0%9F%98%80", 1, "\xF0\x9F\x98\x80"},
        {"%E1%BA", 1, NULL},     /* truncated */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int oom = 0;
        char *got = kh_url_decode(rows[i].in, strlen(rows[i].in), rows[i].plus, &oom);
        CHECK(!oom, "oom decoding %s", rows[i].in);
        if (rows[i].want)
            CHECK_STR(got, rows[i].want, rows[i].in);
        else
            CHECK(got == NULL, "%s should be refused, got \"%s\"", rows[i].in, got);
        free(got);
    }
}

static void test_request(void)
{
    kh_request r;
    CHECK(kh_request_parse("/api/search?q=an+ninh%20m%E1%BA%A1ng&limit=5&q=second&flag&=x",
                           &r) == 0, "parse");
    CHECK(!r.bad, "good target flagged bad");
    CHECK_STR(r.path, "/api/search", "path");
    CHECK_STR(kh_request_param(&r, "q"), "an ninh mạng", "first q wins");
    CHECK_STR(kh_request_param(&r, "limit"), "5", "limit");
    CHECK_STR(kh_request_param(&r, "flag"), "", "flag without value");
    CHECK(kh_request_param(&r, "missing") == NULL, "missing param");
    CHECK(r.nparams == 5, "nparams %zu", r.nparams);
    kh_request_free(&r);

    CHECK(kh_request_parse("/api/articles/12", &r) == 0, "parse");
    CHECK_STR(r.path, "/api/articles/12", "path without query");
    CHECK(r.nparams == 0, "no params");
    kh_request_free(&r);

    CHECK(kh_request_parse("/api/people/%31%32?name=%C4%90%E1%BA%B7ng", &r) == 0, "parse");
    CHECK_STR(r.path, "/api/people/12", "escaped path");
    CHECK_STR(kh_request_param(&r, "name"), "Đặng", "escaped name");
    kh_request_free(&r);

    /* '+' in a path is a plus */
    CHECK(kh_request_parse("/a+b?x=a+b", &r) == 0, "parse");
    CHECK_STR(r.path, "/a+b", "plus in path");
    CHECK_STR(kh_request_param(&r, "x"), "a b", "plus in query");
    kh_request_free(&r);

    CHECK(kh_request_parse("/api/search?q=%FF", &r) == 0, "parse");
    CHECK(r.bad, "bad UTF-8 in a parameter not flagged");
    CHECK(strstr(r.bad_what, "\"q\"") != NULL, "bad_what names q: %s", r.bad_what);
    kh_request_free(&r);

    CHECK(kh_request_parse("/api/%ZZ", &r) == 0, "parse");
    CHECK(r.bad, "bad escape in the path not flagged");
    kh_request_free(&r);

    CHECK(kh_request_parse("/?a=1;b=2&&c", &r) == 0, "parse");
    CHECK_STR(kh_request_param(&r, "b"), "2", "semicolon separates");
    CHECK(r.nparams == 3, "empty parts skipped: %zu", r.nparams);
    kh_request_free(&r);

    CHECK(kh_request_parse("/x?q=1#frag", &r) == 0, "parse");
    CHECK_STR(kh_request_param(&r, "q"), "1", "fragment dropped");
    kh_request_free(&r);
}

static void test_marks(void)
{
    char *text;
    size_t *spans, n;
    CHECK(kh_snippet_marks("…Bà \x02" "Đặng\x03 Thị Hoà \x02" "dang\x03", "\x02", "\x03", &text, &spans,
                           &n) == 0, "marks");
    CHECK_STR(text, "…Bà Đặng Thị Hoà dang", "text");
    CHECK(n == 2, "two spans, got %zu", n);
    if (n == 2) {
        /* code points: "…Bà " is 4, "Đặng" 4 more */
        CHECK(spans[0] == 4 && spans[1] == 8, "span 1: %zu..%zu", spans[0], spans[1]);
        CHECK(spans[2] == 17 && spans[3] == 21, "span 2: %zu..%zu", spans[2], spans[3]);
    }
    free(text);
    free(spans);

    /* unbalanced: an open mark runs to the end; a stray close is dropped */
    CHECK(kh_snippet_marks("a\x03 b \x02" "cd", "\x02", "\x03", &text, &spans, &n) == 0, "marks");
    CHECK_STR(text, "a b cd", "unbalanced text");
    CHECK(n == 1 && spans[0] == 4 && spans[1] == 6, "unbalanced span");
    free(text);
    free(spans);

    /* empty spans are dropped; no marks at all */
    CHECK(kh_snippet_marks("x\x02\x03" "y", "\x02", "\x03", &text, &spans, &n) == 0, "marks");
    CHECK_STR(text, "xy", "empty span text");
    CHECK(n == 0, "empty span kept");
    free(text);
    free(spans);

    /* multi-byte marks */
    CHECK(kh_snippet_marks("[[ab]] c", "[[", "]]", &text, &spans, &n) == 0, "marks");
    CHECK_STR(text, "ab c", "long marks");
    CHECK(n == 1 && spans[0] == 0 && spans[1] == 2, "long marks span");
    free(text);
    free(spans);
}

static void test_misc(void)
{
    CHECK(kh_valid_date_filter("2017"), "YYYY");
    CHECK(kh_valid_date_filter("2017-07"), "YYYY-MM");
    CHECK(kh_valid_date_filter("2017-07-20"), "YYYY-MM-DD");
    CHECK(!kh_valid_date_filter("2017-7"), "YYYY-M");
    CHECK(!kh_valid_date_filter("17"), "YY");
    CHECK(!kh_valid_date_filter("2017-07-20T10"), "time");
    CHECK(!kh_valid_date_filter("2017 OR x"), "query text");
    CHECK(!kh_valid_date_filter(""), "empty");
    CHECK(kh_utf8_valid("Đặng Thị Hoà", strlen("Đặng Thị Hoà")), "utf8 ok");
    CHECK(!kh_utf8_valid("\xC3", 1), "truncated utf8");
    CHECK(!kh_utf8_valid("\xE0\x80\x80", 3), "overlong utf8");
}

int main(void)
{
    test_decode();
    test_request();
    test_marks();
    test_misc();
    return check_summary("test_serve_util");
}
