/* test_gold_score.c - the scorer of the gold set (bench/gold_score.c): the
 * comparison keys, reading gold files (and refusing bad ones with file and
 * line), and the counts on a hand-written article, gold and output
 * (fixtures/gold/). Usage: test_gold_score FIXTURES_DIR */
#define _POSIX_C_SOURCE 200809L /* open_memstream, mkstemp */

#include "gold_score.h"

#include "check.h"

#include <unistd.h>

static char fixtures[1024];

static const char *fx(const char *rel)
{
    static char buf[4][1200];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/gold/%s", fixtures, rel);
    return buf[i];
}

static void test_keys(void)
{
    struct {
        const char *a, *b;
    } same[] = {
        {"Moon Jae - in", "Moon Jae-in"},
        {"Nguyễn Văn T.", "nguyen van t"},
        {"Đặng  Văn Lâm", "dang van lam"},
        {"ĐINH LA THĂNG", "Đinh La Thăng"},
    };
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
        char *a = gs_name_key(same[i].a), *b = gs_name_key(same[i].b);
        CHECK(a && b && strcmp(a, b) == 0, "name keys of '%s' and '%s': %s / %s",
              same[i].a, same[i].b, a ? a : "(null)", b ? b : "(null)");
        free(a);
        free(b);
    }
    char *a = gs_name_key("Lê Văn Tám"), *b = gs_name_key("Lê Văn Tâm");
    CHECK(a && b && strcmp(a, b) == 0, "diacritics fold: %s / %s", a, b);
    free(a);
    free(b);
    a = gs_name_key("Nguyễn Văn An"), b = gs_name_key("Nguyễn Văn Anh");
    CHECK(a && b && strcmp(a, b) != 0, "different names stay different");
    free(a);
    free(b);

    char *w = gs_words_key("“Tôi đã nói, rằng: 1,5 tỷ đồng…” - ông Hùng");
    CHECK_STR(w, "toi da noi rang 1 5 ty dong ong hung", "words key");
    free(w);
    w = gs_words_key("Trưởng Công an huyện Châu Thành (Long An)");
    CHECK_STR(w, "truong cong an huyen chau thanh long an", "role words");
    free(w);
    w = gs_words_key("");
    CHECK_STR(w, "", "empty words key");
    free(w);
}

static void test_read(void)
{
    gs_doc d;
    char err[512];
    CHECK(gs_doc_read(fx("gold/bai_mau.gold"), &d, err, sizeof err) == 0,
          "read the sample gold: %s", err);
    CHECK_STR(d.file, "articles/bai_mau.txt", "file record");
    CHECK(d.n_person == 3 && d.n_quote == 4 && d.n_source == 1 &&
              d.n_byline == 1,
          "counts %zu %zu %zu %zu", d.n_person, d.n_quote, d.n_source,
          d.n_byline);
    if (d.n_person == 3) {
        CHECK_STR(d.person[0].name, "Nguyễn Văn Bình", "first person");
        CHECK_STR(d.person[0].role, "Giám đốc Sở Y tế tỉnh Nam Định", "role");
        CHECK_STR(d.person[0].title, "", "no title");
        CHECK(d.person[0].quoted == 1, "quoted");
        CHECK_STR(d.person[1].role, "", "empty role");
    }
    if (d.n_quote == 4)
        CHECK_STR(d.quote[2].speaker, "Trần Thị Mai", "third speaker");
    gs_doc_free(&d);

    /* Bad gold files: one message naming the file and the line. */
    struct {
        const char *text, *want;
    } bad[] = {
        {"file: a.txt\nperson: Lê Văn A | nói | |\n", ":2: expected 'person:"},
        {"file: a.txt\n\n# note\nnguoi: Lê Văn A\n", ":4: unknown record"},
        {"file: a.txt\nquote: Lê Văn A | xin chào các bạn\n",
         "speaker 'Lê Văn A' of quote 1 has no person"},
        {"person: Lê Văn A | mentioned | |\n", "no 'file:' record"},
        {"file: a.txt\nperson: Lê Văn A | mentioned\nperson: le van a | quoted\n",
         ":3: person 'le van a' recorded twice"},
        {"file: a.txt\nquote: ? |\n", ":2: expected 'quote:"},
        {"file: a.txt\nsource:   \n", ":2: empty 'source:' record"},
    };
    char path[] = "/tmp/khotin_gold_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "temporary file");
    if (fd < 0)
        return;
    close(fd);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        check_write_file(path, bad[i].text);
        err[0] = '\0';
        int rc = gs_doc_read(path, &d, err, sizeof err);
        CHECK(rc < 0 && strstr(err, bad[i].want) && strstr(err, path),
              "bad gold %zu: rc %d, message '%s', want '%s'", i, rc, err,
              bad[i].want);
        CHECK(d.n_person == 0 && d.file == NULL, "bad gold %zu left empty", i);
    }
    unlink(path);
    CHECK(gs_doc_read(fx("no/such.gold"), &d, err, sizeof err) < 0,
          "missing gold file refused");
}

/* The hand-written output against the gold: every count worked out by hand
 * in fixtures/gold/output/bai_mau.gold's comment. */
static void test_score_handwritten(void)
{
    gs_doc gold, out;
    char err[512];
    if (gs_doc_read(fx("gold/bai_mau.gold"), &gold, err, sizeof err) < 0 ||
        gs_doc_read(fx("output/bai_mau.gold"), &out, err, sizeof err) < 0) {
        CHECK(0, "read: %s", err);
        return;
    }
    gs_counts c[GS_NFIELDS];
    memset(c, 0, sizeof c);
    char *log = NULL;
    size_t loglen = 0;
    FILE *v = open_memstream(&log, &loglen);
    CHECK(gs_score(&gold, &out, c, v, "bai_mau") == 0, "score");
    fclose(v);

    const size_t want[GS_NFIELDS][4] = {
        /* gold output found correct */
        {3, 3, 2, 2}, /* people: Trần Thị Mai missed, Lê Lợi wrong */
        {3, 2, 1, 1}, /* quoted: only Bình both ways */
        {2, 2, 1, 1}, /* role: Phạm Đình Nghị's "Phó chủ tịch" too short */
        {4, 3, 1, 1}, /* quote: no text given, the later part is wrong */
        {1, 2, 1, 1}, /* source: TTXVN not cited */
        {1, 1, 1, 1}, /* byline */
    };
    for (int f = 0; f < GS_NFIELDS; f++)
        CHECK(c[f].gold == want[f][0] && c[f].output == want[f][1] &&
                  c[f].found == want[f][2] && c[f].correct == want[f][3],
              "%s: got %zu %zu %zu %zu, want %zu %zu %zu %zu",
              gs_field_name(f), c[f].gold, c[f].output, c[f].found,
              c[f].correct, want[f][0], want[f][1], want[f][2], want[f][3]);

    /* The verbose lines name the article, the field and the name. */
    const char *lines[] = {
        "bai_mau\tpeople\tmiss\tTrần Thị Mai\n",
        "bai_mau\tpeople\twrong\tLê Lợi\n",
        "bai_mau\tquoted\tmiss\tPhạm Đình Nghị (found, not quoted)\n",
        ("bai_mau\tquote\twrong\tLê Lợi | Gia đình tôi mong bệnh viện sớm đi "
         "vào hoạt động (gold speaker: Trần Thị Mai)\n"),
        "bai_mau\tquote\tmiss\tTrần Thị Mai | Gia đình tôi mong",
        "bai_mau\tsource\twrong\tTTXVN\n",
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        CHECK(log && strstr(log, lines[i]), "verbose line '%s' in:\n%s",
              lines[i], log ? log : "");
    CHECK(log && !strstr(log, "byline"), "no byline line: %s", log);
    free(log);

    /* With the article's text, a later part of a gold passage in the same
     * paragraph and under the same speaker is a right attribution. */
    size_t len;
    char *text = check_read_file(fx("articles/bai_mau.txt"), &len);
    CHECK(text != NULL, "read the sample article");
    out.text = text;
    memset(c, 0, sizeof c);
    CHECK(gs_score(&gold, &out, c, NULL, "bai_mau") == 0, "score with text");
    CHECK(c[GS_QUOTE].output == 3 && c[GS_QUOTE].correct == 2 &&
              c[GS_QUOTE].found == 1,
          "quotes with text: %zu %zu %zu", c[GS_QUOTE].output,
          c[GS_QUOTE].correct, c[GS_QUOTE].found);

    /* Against itself the gold scores 1 everywhere. */
    memset(c, 0, sizeof c);
    CHECK(gs_score(&gold, &gold, c, NULL, "self") == 0, "self score");
    for (int f = 0; f < GS_NFIELDS; f++)
        CHECK(gs_f1(&c[f]) == 1.0, "self F1 of %s is %.3f", gs_field_name(f),
              gs_f1(&c[f]));
    gs_doc_free(&gold);
    gs_doc_free(&out);

    gs_counts none = {0, 0, 0, 0}, nothing_found = {4, 0, 0, 0};
    CHECK(gs_f1(&none) == 1.0 && gs_f1(&nothing_found) == 0.0,
          "F1 of empty fields");
    gs_counts half = {4, 2, 2, 2};
    CHECK(gs_precision(&half) == 1.0 && gs_recall(&half) == 0.5 &&
              gs_f1(&half) > 0.666 && gs_f1(&half) < 0.667,
          "P/R/F1 of 2 of 4 found");
}

/* The sample article through the library: the gold side is counted as
 * written, and the plainest case (title, name, apposition, "cho biết:") is
 * found with its role and quote. */
static int on_article(void *ctx, const char *name, int status,
                      const khotin_article *a)
{
    (void)name;
    gs_doc *out = ctx;
    if (status == KHOTIN_OK && !out->text)
        return gs_doc_from_article(a, out) < 0;
    return 0;
}

static void test_score_library(void)
{
    gs_doc gold, out;
    memset(&out, 0, sizeof out);
    char err[512];
    if (gs_doc_read(fx("gold/bai_mau.gold"), &gold, err, sizeof err) < 0) {
        CHECK(0, "read: %s", err);
        return;
    }
    int rc = khotin_parse_file(fx("articles/bai_mau.txt"), NULL, on_article,
                               &out);
    CHECK(rc == 0 && out.text != NULL, "parse the sample article: %d %s", rc,
          khotin_last_error());
    gs_counts c[GS_NFIELDS];
    memset(c, 0, sizeof c);
    CHECK(gs_score(&gold, &out, c, NULL, "bai_mau") == 0, "score");
    const size_t gold_counts[GS_NFIELDS] = {3, 3, 2, 4, 1, 1};
    for (int f = 0; f < GS_NFIELDS; f++) {
        CHECK(c[f].gold == gold_counts[f], "%s gold count %zu",
              gs_field_name(f), c[f].gold);
        CHECK(c[f].found <= c[f].gold && c[f].correct <= c[f].output,
              "%s counts bounded", gs_field_name(f));
    }
    int binh = 0;
    for (size_t i = 0; i < out.n_person; i++)
        if (strcmp(out.person[i].name, "Nguyễn Văn Bình") == 0)
            binh = 1;
    CHECK(binh && c[GS_PEOPLE].found >= 1 && c[GS_ROLE].found >= 1 &&
              c[GS_QUOTE].found >= 1,
          "Nguyễn Văn Bình found with role and quote (people %zu, role %zu, "
          "quote %zu)",
          c[GS_PEOPLE].found, c[GS_ROLE].found, c[GS_QUOTE].found);
    gs_doc_free(&gold);
    gs_doc_free(&out);
}

int main(int argc, char **argv)
{
    snprintf(fixtures, sizeof fixtures, "%s", argc > 1 ? argv[1] : "fixtures");
    test_keys();
    test_read();
    test_score_handwritten();
    test_score_library();
    return check_summary("test_gold_score");
}
