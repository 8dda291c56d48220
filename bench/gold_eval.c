/* gold_eval.c - khotin_gold_eval: khotin's people, quotes, roles, cited
 * sources and bylines scored against the hand-annotated gold set of real
 * articles (tests/gold/, issue 11 item 6; rules in docs/annotation.md).
 *
 *   khotin_gold_eval GOLD_DIR [--corpus DIR] [--verbose] [--floors FILE]
 *
 * For every GOLD_DIR/<id>.gold (in name order) the article named by its
 * "file:" record is read from the corpus directory (default: the source
 * tree's ../shared/corpus) through khotin_parse_file, and khotin's output is
 * compared with the gold (bench/gold_score.c). Prints per-field counts and
 * P/R/F1, micro-averaged over the articles. --verbose lists each miss and
 * each wrong output (article, field, detail) on stdout before the table.
 * --floors FILE: lines "field min_f1" ('#' comments); exit 1 when an F1 is
 * below its floor.
 *
 * Exit: 0 figures printed (and floors met), 1 a floor missed, 2 cannot run
 * (bad options, bad gold file, article unreadable), 77 corpus directory
 * missing (the test is skipped then).
 */
#include "gold_score.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef KHOTIN_GOLD_EVAL_SOURCE_DIR
#define KHOTIN_GOLD_EVAL_SOURCE_DIR "."
#endif

static void usage(void)
{
    fputs("usage: khotin_gold_eval GOLD_DIR [--corpus DIR] [--verbose] "
          "[--floors FILE]\n",
          stderr);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct parse_ctx {
    gs_doc out;
    int got, status;
    char err[512];
} parse_ctx;

static int on_article(void *vctx, const char *name, int status,
                      const khotin_article *a)
{
    parse_ctx *ctx = vctx;
    if (ctx->got)
        return 0; /* one article per corpus file */
    ctx->got = 1;
    if (status != KHOTIN_OK) {
        ctx->status = status;
        snprintf(ctx->err, sizeof ctx->err, "%s: %s", name,
                 khotin_last_error());
        return 1;
    }
    if (gs_doc_from_article(a, &ctx->out) < 0) {
        ctx->status = KHOTIN_ENOMEM;
        snprintf(ctx->err, sizeof ctx->err, "%s: out of memory", name);
        return 1;
    }
    return 0;
}

/* Floors: min F1 per field, -1 when none. Returns 0 or -1 (message printed). */
static int read_floors(const char *path, double floor[GS_NFIELDS])
{
    for (int i = 0; i < GS_NFIELDS; i++)
        floor[i] = -1;
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "khotin_gold_eval: %s: cannot open the floors file\n",
                path);
        return -1;
    }
    char line[256];
    int ln = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        ln++;
        char name[64];
        double v;
        char extra[2];
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || *p == '\0')
            continue;
        int n = sscanf(p, "%63s %lf %1s", name, &v, extra);
        int field = n >= 2 ? gs_field_by_name(name) : -1;
        if (n != 2 || field < 0 || v < 0 || v > 1) {
            fprintf(stderr,
                    "khotin_gold_eval: %s:%d: expected 'FIELD MIN_F1' with "
                    "FIELD one of people, quoted, role, quote, source, byline "
                    "and MIN_F1 between 0 and 1\n",
                    path, ln);
            rc = -1;
            break;
        }
        floor[field] = v;
    }
    fclose(f);
    return rc;
}

int main(int argc, char **argv)
{
    const char *gold_dir = NULL, *corpus = NULL, *floors_path = NULL;
    int verbose = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
            verbose = 1;
        } else if (strcmp(argv[i], "--corpus") == 0 && i + 1 < argc) {
            corpus = argv[++i];
        } else if (strcmp(argv[i], "--floors") == 0 && i + 1 < argc) {
            floors_path = argv[++i];
        } else if (argv[i][0] == '-' || gold_dir) {
            usage();
            return 2;
        } else {
            gold_dir = argv[i];
        }
    }
    if (!gold_dir) {
        usage();
        return 2;
    }
    struct stat st;
    if (stat(gold_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "khotin_gold_eval: %s: not a directory of .gold files\n",
                gold_dir);
        return 2;
    }
    char default_corpus[4096];
    if (!corpus) {
        int k = snprintf(default_corpus, sizeof default_corpus,
                         "%s/../shared/corpus", KHOTIN_GOLD_EVAL_SOURCE_DIR);
        if (k < 0 || (size_t)k >= sizeof default_corpus) {
            fputs("khotin_gold_eval: source path too long; use --corpus\n",
                  stderr);
            return 2;
        }
        corpus = default_corpus;
    }
    if (stat(corpus, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr,
                "khotin_gold_eval: %s: corpus directory not found; give it "
                "with --corpus DIR\n",
                corpus);
        return 77;
    }
    double floor[GS_NFIELDS];
    if (floors_path && read_floors(floors_path, floor) < 0)
        return 2;

    DIR *dir = opendir(gold_dir);
    if (!dir) {
        fprintf(stderr, "khotin_gold_eval: %s: cannot open the gold directory\n",
                gold_dir);
        return 2;
    }
    char **names = NULL;
    size_t n_names = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len <= 5 || strcmp(e->d_name + len - 5, ".gold") != 0)
            continue;
        char **nn = realloc(names, (n_names + 1) * sizeof *names);
        char *s = strdup(e->d_name);
        if (!nn || !s) {
            free(s);
            free(nn ? nn : names);
            closedir(dir);
            fputs("khotin_gold_eval: out of memory\n", stderr);
            return 2;
        }
        names = nn;
        names[n_names++] = s;
    }
    closedir(dir);
    if (n_names == 0) {
        fprintf(stderr, "khotin_gold_eval: %s: no .gold files\n", gold_dir);
        free(names);
        return 2;
    }
    qsort(names, n_names, sizeof *names, cmp_str);

    gs_counts c[GS_NFIELDS];
    memset(c, 0, sizeof c);
    int rc = 0;
    for (size_t i = 0; i < n_names && rc == 0; i++) {
        char path[4096], article[4096], id[256], err[1024];
        int k1 = snprintf(path, sizeof path, "%s/%s", gold_dir, names[i]);
        int k2 = snprintf(id, sizeof id, "%.*s", (int)(strlen(names[i]) - 5),
                          names[i]);
        if (k1 < 0 || (size_t)k1 >= sizeof path || k2 < 0 ||
            (size_t)k2 >= sizeof id) {
            fprintf(stderr, "khotin_gold_eval: %s/%s: path too long\n",
                    gold_dir, names[i]);
            rc = 2;
            break;
        }
        gs_doc gold;
        if (gs_doc_read(path, &gold, err, sizeof err) < 0) {
            fprintf(stderr, "khotin_gold_eval: %s\n", err);
            rc = 2;
            break;
        }
        int k3 = snprintf(article, sizeof article, "%s/%s", corpus, gold.file);
        if (k3 < 0 || (size_t)k3 >= sizeof article) {
            fprintf(stderr, "khotin_gold_eval: %s: the file path is too long\n",
                    path);
            gs_doc_free(&gold);
            rc = 2;
            break;
        }
        parse_ctx ctx;
        memset(&ctx, 0, sizeof ctx);
        int prc = khotin_parse_file(article, NULL, on_article, &ctx);
        if (ctx.status != KHOTIN_OK || (!ctx.got && prc < 0)) {
            fprintf(stderr, "khotin_gold_eval: %s (named in %s)\n",
                    ctx.got ? ctx.err : khotin_last_error(), path);
            rc = 2;
        } else if (!ctx.got) {
            fprintf(stderr, "khotin_gold_eval: %s: no article (named in %s)\n",
                    article, path);
            rc = 2;
        } else if (gs_score(&gold, &ctx.out, c, verbose ? stdout : NULL, id) <
                   0) {
            fputs("khotin_gold_eval: out of memory\n", stderr);
            rc = 2;
        }
        gs_doc_free(&ctx.out);
        gs_doc_free(&gold);
    }
    for (size_t i = 0; i < n_names; i++)
        free(names[i]);
    free(names);
    if (rc != 0)
        return rc;

    printf("gold set %s: %zu articles\n", gold_dir, n_names);
    printf("%-8s %6s %6s %6s %8s %6s %6s %6s\n", "field", "gold", "output",
           "found", "correct", "P", "R", "F1");
    for (int f = 0; f < GS_NFIELDS; f++)
        printf("%-8s %6zu %6zu %6zu %8zu %6.3f %6.3f %6.3f\n", gs_field_name(f),
               c[f].gold, c[f].output, c[f].found, c[f].correct,
               gs_precision(&c[f]), gs_recall(&c[f]), gs_f1(&c[f]));
    if (floors_path) {
        for (int f = 0; f < GS_NFIELDS; f++) {
            if (floor[f] < 0)
                continue;
            double f1 = gs_f1(&c[f]);
            /* compare at the printed precision, so "0.512" meets 0.512 */
            if (f1 + 5e-4 < floor[f]) {
                printf("FAIL %s F1 %.3f is below its floor %.3f\n",
                       gs_field_name(f), f1, floor[f]);
                rc = 1;
            }
        }
        if (rc == 0)
            printf("all floors met (%s)\n", floors_path);
    }
    return rc;
}
