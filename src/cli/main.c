/* main.c - the khotin command line. Parses arguments, calls libkhotin,
 * prints. No archive logic lives here.
 *
 * Exit codes: 0 success, 1 failure (or some inputs failed), 2 usage error.
 */
#include "khotin.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

static const char *prog = "khotin";

static void errorf(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* ---- help texts ---- */

typedef struct command {
    const char *name;
    int (*run)(const char *db, int argc, char **argv);
    const char *synopsis;
    const char *help;
} command;

static const char *main_help =
    "khotin - a searchable archive of Vietnamese news articles\n"
    "\n"
    "Usage: khotin [--db FILE] COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "Commands:\n"
    "  import PATH...      import article files or folders (recursive)\n"
    "  search QUERY        search; diacritics optional (\"dang\" finds \"Đặng\")\n"
    "  export QUERY        write the matches as CSV (Excel/LibreOffice ready)\n"
    "  show ID             print one stored article with its fields\n"
    "  people [NAME]       people named in the archive, roles, counts, dates\n"
    "  quotes NAME         what a person said, with article, date and source\n"
    "  stats               articles, people, sources, dates, size\n"
    "  check [--repair]    check (and repair) the archive and its index\n"
    "  backup FILE         online copy of the archive\n"
    "  optimize            merge the index, update statistics\n"
    "  delete ID...        delete articles\n"
    "  serve               the archive in a browser (page and JSON API)\n"
    "  parse FILE          print the fields khotin extracts, without storing\n"
    "\n"
    "Options:\n"
    "  --db FILE           the archive (default: $KHOTIN_DB, else ./khotin.db)\n"
    "  -h, --help          this help; 'khotin COMMAND --help' for a command\n"
    "  --version           print the version\n"
    "\n"
    "Examples:\n"
    "  khotin import ~/bao-luu/               # a folder of saved articles\n"
    "  khotin search \"an ninh mang\"          # finds \"an ninh mạng\"\n"
    "  khotin search 'nguyen tan dung' --limit 5\n"
    "  khotin export --output ket-qua.csv \"bong da\"\n"
    "  khotin show 12\n"
    "  khotin people bossert\n"
    "  khotin quotes \"thomas bossert\"\n";

static const char *import_help =
    "Usage: khotin [--db FILE] import [--quiet] [--batch N] [--jobs N]\n"
    "                          [--encoding NAME] [--year YYYY] PATH...\n"
    "\n"
    "Import articles: plain text (UTF-8 NFC or NFD, with or without BOM, LF or\n"
    "CRLF, or an older Vietnamese encoding: windows-1258, VISCII, TCVN3, VNI),\n"
    "saved web pages (.html, .mhtml) and JSON Lines datasets (.jsonl, one article\n"
    "per line). The reader is chosen from the content. Folders are read\n"
    "recursively; hidden files and the _files folders of saved pages are\n"
    "skipped. An article already stored (same URL or same text) is skipped,\n"
    "never duplicated.\n"
    "\n"
    "Options:\n"
    "  -q, --quiet         no progress line, only failures and the summary\n"
    "  --batch N           articles per transaction (default 500)\n"
    "  -j, --jobs N        N - 1 threads parse while one stores (default: the\n"
    "                      number of cores + 1, at most 4)\n"
    "  --year YYYY         the year of articles that give only a day and month\n"
    "                      (\"ngày 20/7\"); without it their year stays unknown\n"
    "  --encoding NAME     text files are in NAME: utf-8, windows-1258, viscii,\n"
    "                      tcvn3 or vni (default: detected)\n"
    "\n"
    "Exit status: 0 all imported or present, 1 some files failed, 2 usage.\n"
    "\n"
    "Examples:\n"
    "  khotin import bai-bao/\n"
    "  khotin --db tin-tuc.db import a.txt b.txt thu-muc/\n";

static const char *search_help =
    "Usage: khotin [--db FILE] search [--limit N] [--offset N] [--sort KEY]\n"
    "                          [--fold] QUERY\n"
    "\n"
    "Query language:\n"
    "  an ninh mang        all words must match; diacritics optional\n"
    "  mạ                  a word typed with diacritics matches that spelling\n"
    "  \"an ninh mạng\"      a phrase (words adjacent, in order)\n"
    "  thuy*               prefix\n"
    "  bao OR lu           either word\n"
    "  -bong               exclude a word\n"
    "  person:bossert      articles naming a person (diacritics optional)\n"
    "  source:reuters      publisher or agency\n"
    "  from:2017-07-01 to:2017-07-31   publication date range (YYYY[-MM[-DD]])\n"
    "\n"
    "Options:\n"
    "  --limit N           hits to show (default 20)\n"
    "  --offset N          skip the first N hits\n"
    "  --sort KEY          relevance (default), date or headline (Vietnamese order)\n"
    "  --fold              ignore diacritics in every word, even accented ones\n"
    "\n"
    "Examples:\n"
    "  khotin search dang\n"
    "  khotin search '\"an ninh mang\" source:reuters' --sort date\n";

static const char *export_help =
    "Usage: khotin [--db FILE] export [--output FILE] [--no-bom] [--limit N]\n"
    "                          [--sort KEY] [--fold] QUERY\n"
    "\n"
    "Write the matches of QUERY (see 'khotin search --help') as CSV: columns\n"
    "id, date, headline, publisher, url, people, snippet; RFC 4180 with CRLF;\n"
    "UTF-8 with a BOM so Excel shows Vietnamese correctly. Cells that a\n"
    "spreadsheet would run as a formula (= + - @) are prefixed with '.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   write to FILE (default: standard output)\n"
    "  --no-bom            omit the byte order mark\n"
    "  --limit N           at most N rows (default 1000)\n"
    "\n"
    "Examples:\n"
    "  khotin export -o an-ninh-mang.csv \"an ninh mang\"\n"
    "  khotin export --no-bom 'person:\"nguyen xuan phuc\"' > phuc.csv\n";

static const char *show_help =
    "Usage: khotin [--db FILE] show ID\n"
    "\n"
    "Print a stored article: its fields, people, agencies, body and the file\n"
    "it was imported from. IDs are shown by 'khotin search'.\n"
    "\n"
    "Example:\n"
    "  khotin show 3\n";

static const char *people_help =
    "Usage: khotin [--db FILE] people [--csv] [--limit N] [NAME]\n"
    "\n"
    "List people named in the archive: their roles, how many articles name and\n"
    "quote them, and the first and last dates. NAME matches without diacritics,\n"
    "by whole words (\"bossert\") and with one typo (\"kratskikh\").\n"
    "\n"
    "Options:\n"
    "  --csv               CSV (UTF-8 with BOM) instead of a table\n"
    "  --limit N           at most N people (default 50)\n"
    "\n"
    "Examples:\n"
    "  khotin people bossert\n"
    "  khotin people --csv > nguoi.csv\n";

static const char *quotes_help =
    "Usage: khotin [--db FILE] quotes [--csv] [--limit N] NAME\n"
    "\n"
    "What a person said: each quote with its article, date and source. NAME\n"
    "matches as in 'khotin people'.\n"
    "\n"
    "Options:\n"
    "  --csv               CSV (UTF-8 with BOM): person, role, quote, date,\n"
    "                      article id, headline, publisher, url\n"
    "  --limit N           at most N quotes (default 100)\n"
    "\n"
    "Examples:\n"
    "  khotin quotes \"thomas bossert\"\n"
    "  khotin quotes --csv 'Nguyễn Xuân Phúc' > phuc.csv\n";

static const char *check_help =
    "Usage: khotin [--db FILE] check [--repair]\n"
    "\n"
    "Check the archive: SQLite integrity, the full-text index, that every\n"
    "article is indexed, and that no link points nowhere. Exit 1 on a problem.\n"
    "--repair rebuilds the full-text index from the stored articles and removes\n"
    "orphans (back up first: khotin backup FILE).\n"
    "\n"
    "Example:\n"
    "  khotin check && echo ok\n";

static const char *backup_help =
    "Usage: khotin [--db FILE] backup FILE\n"
    "\n"
    "Copy the archive to FILE with SQLite's online backup: safe while others\n"
    "search or import. FILE must not exist.\n"
    "\n"
    "Example:\n"
    "  khotin backup kho-tin-2026-11-27.db\n";

static const char *optimize_help =
    "Usage: khotin [--db FILE] optimize\n"
    "\n"
    "Merge the full-text index into fewer segments (faster searches after big\n"
    "imports), update the query planner's statistics, checkpoint the WAL.\n";

static const char *stats_help =
    "Usage: khotin [--db FILE] stats\n"
    "\n"
    "Articles, people, sources, date range and size of the archive.\n";

static const char *delete_help =
    "Usage: khotin [--db FILE] delete ID...\n"
    "\n"
    "Delete articles by id, with their index entries and the people and\n"
    "agencies no other article names.\n"
    "\n"
    "Example:\n"
    "  khotin delete 12 13\n";

static const char *serve_help =
    "Usage: khotin [--db FILE] serve [--port N] [--bind ADDR] [--threads N]\n"
    "\n"
    "Open the archive in a browser: search as you type, people, timelines and\n"
    "CSV, from a local web page and its JSON API (read-only). Listens on\n"
    "127.0.0.1:8080 by default; Ctrl-C stops it.\n"
    "\n"
    "Options:\n"
    "  --port N            TCP port (default 8080)\n"
    "  --bind ADDR         address to listen on (default 127.0.0.1; 0.0.0.0 to\n"
    "                      share on the network)\n"
    "  --threads N         worker threads (default 4)\n"
    "\n"
    "Example:\n"
    "  khotin serve --port 8080   # then open http://127.0.0.1:8080/\n";

static const char *parse_help =
    "Usage: khotin parse [--encoding NAME] FILE\n"
    "\n"
    "Print the fields khotin extracts from a file (text, saved page, MHTML or\n"
    "JSONL), without storing it, in the format of the golden files in\n"
    "fixtures/articles/.\n"
    "\n"
    "Example:\n"
    "  khotin parse bai-bao/tin-1.txt\n";

static int wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    }
    return 0;
}

static int usage_error(const char *help, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fputs(help, stderr);
    return EXIT_USAGE;
}

static int parse_int(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *s == '\0' || *end != '\0' || v < 0 || v > INT_MAX)
        return -1;
    *out = (int)v;
    return 0;
}

/* Commands that only read but would like to write (check runs FTS5's
 * own check, stats upgrades an old archive): read-write when possible. */
static int open_db_rw_or_ro(const char *path, khotin_db **db)
{
    int rc = khotin_open(path, KHOTIN_OPEN_NOCREATE, db);
    if (rc == KHOTIN_EREADONLY)
        rc = khotin_open(path, KHOTIN_OPEN_READONLY, db);
    if (rc) {
        errorf("%s", khotin_last_error());
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

static int open_db(const char *path, unsigned flags, khotin_db **db)
{
    int rc = khotin_open(path, flags, db);
    if (rc) {
        errorf("%s", khotin_last_error());
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

static int note_upgrade(khotin_db *db);

/* ---- import ---- */

typedef struct import_ui {
    int progress; /* draw a progress line on stderr */
    int64_t total; /* files to read, when known */
    time_t start;
    time_t last;
    uint64_t done;
    const khotin_importer *imp;
} import_ui;

static void clear_progress(import_ui *ui)
{
    if (ui->progress)
        fputs("\r\033[K", stderr);
}

static void on_file(void *ctx, const char *path, khotin_import_outcome outcome,
                    int64_t id, const char *message)
{
    import_ui *ui = ctx;
    (void)id;
    (void)path;
    ui->done++;
    if (outcome == KHOTIN_FAILED) {
        clear_progress(ui);
        fprintf(stderr, "failed: %s\n", message ? message : path);
    }
    time_t now = time(NULL);
    if (ui->progress && now != ui->last) {
        ui->last = now;
        const khotin_import_stats *s = khotin_importer_stats(ui->imp);
        double secs = difftime(now, ui->start);
        double rate = secs > 0 ? (double)s->files / secs : 0.0;
        fprintf(stderr, "\r\033[K%llu", (unsigned long long)s->files);
        if (ui->total > 0)
            fprintf(stderr, "/%lld", (long long)ui->total);
        fprintf(stderr, " files, %llu imported, %llu present, %llu failed, %.0f files/s",
                (unsigned long long)s->imported, (unsigned long long)s->duplicates,
                (unsigned long long)s->failed, rate);
        if (ui->total > 0 && rate > 0 && (int64_t)s->files < ui->total) {
            long eta = (long)((double)(ui->total - (int64_t)s->files) / rate);
            fprintf(stderr, ", ETA %ld:%02ld", eta / 60, eta % 60);
        }
        fflush(stderr);
    }
}

static int cmd_import(const char *dbpath, int argc, char **argv)
{
    int quiet = 0, batch = 0;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    /* parsing is the slower side: one parse thread per core plus the
     * storing thread (measured on 2 cores: 1 job 14.4 s, 2 jobs 10.0 s,
     * 3 jobs 9.0 s for 20,000 articles) */
    int jobs = cores < 1 ? 2 : cores + 1 > 4 ? 4 : (int)cores + 1;
    const char *encoding = NULL;
    int year = 0;
    int first = argc;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(argv[i], "--year") == 0) {
            if (i + 1 >= argc || parse_int(argv[i + 1], &year) || year < 1800 || year > 2200)
                return usage_error(import_help, "--year needs a year, e.g. --year 2017");
            i++;
        } else if (strcmp(argv[i], "--batch") == 0) {
            if (i + 1 >= argc || parse_int(argv[i + 1], &batch) || batch < 1)
                return usage_error(import_help, "--batch needs a positive number");
            i++;
        } else if (strcmp(argv[i], "--encoding") == 0) {
            if (i + 1 >= argc)
                return usage_error(import_help, "--encoding needs a name (utf-8, "
                                                "windows-1258, viscii, tcvn3, vni)");
            encoding = argv[++i];
        } else if (strcmp(argv[i], "--jobs") == 0 || strcmp(argv[i], "-j") == 0) {
            if (i + 1 >= argc || parse_int(argv[i + 1], &jobs) || jobs < 1 || jobs > 16)
                return usage_error(import_help, "--jobs needs a number from 1 to 16");
            i++;
        } else if (strcmp(argv[i], "--") == 0) {
            first = i + 1;
            break;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage_error(import_help, "unknown option '%s' for import", argv[i]);
        } else {
            first = i;
            break;
        }
    }
    if (first >= argc)
        return usage_error(import_help, "import needs at least one file or folder");
    khotin_db *db;
    if (open_db(dbpath, 0, &db))
        return EXIT_FAIL;
    note_upgrade(db);
    khotin_importer *imp;
    if (khotin_importer_new(db, (unsigned)batch, &imp)) {
        errorf("%s", khotin_last_error());
        khotin_close(db);
        return EXIT_FAIL;
    }
    if (khotin_importer_set_jobs(imp, (unsigned)jobs) ||
        khotin_importer_set_encoding(imp, encoding) ||
        khotin_importer_set_year(imp, year)) {
        errorf("%s", khotin_last_error());
        khotin_importer_free(imp);
        khotin_close(db);
        return EXIT_FAIL;
    }
    import_ui ui = {!quiet && isatty(STDERR_FILENO), 0, time(NULL), 0, 0, imp};
    for (int i = first; ui.progress && i < argc; i++)
        ui.total += khotin_import_count(argv[i]);
    int fatal = 0;
    for (int i = first; i < argc && !fatal; i++) {
        if (first + 1 <= i && strcmp(argv[i], "--") == 0)
            continue;
        if (khotin_importer_add(imp, argv[i], on_file, &ui)) {
            clear_progress(&ui);
            errorf("import stopped: %s", khotin_last_error());
            fatal = 1;
        }
    }
    if (!fatal && khotin_importer_finish(imp)) {
        clear_progress(&ui);
        errorf("import stopped: %s", khotin_last_error());
        fatal = 1;
    }
    clear_progress(&ui);
    const khotin_import_stats *s = khotin_importer_stats(imp);
    double secs = difftime(time(NULL), ui.start);
    fprintf(stderr,
            "%llu files: %llu imported, %llu already present, %llu failed"
            " (%.1f MB in %.0f s). Archive: %s, %lld articles.\n",
            (unsigned long long)s->files, (unsigned long long)s->imported,
            (unsigned long long)s->duplicates, (unsigned long long)s->failed,
            (double)s->bytes / 1e6, secs, dbpath,
            (long long)khotin_article_total(db));
    if (s->skipped)
        fprintf(stderr, "%llu other files in the folders were skipped (folders are read "
                        "for .txt, .html, .mhtml and .jsonl files; name a file to "
                        "import it anyway).\n",
                (unsigned long long)s->skipped);
    int failed = s->failed > 0;
    khotin_importer_free(imp);
    khotin_close(db);
    return fatal || failed ? EXIT_FAIL : EXIT_OK;
}

/* ---- search / export ---- */

typedef struct search_args {
    khotin_search_opts opts;
    const char *query;
    const char *output;
    int no_bom;
} search_args;

static int parse_search_args(int argc, char **argv, search_args *a,
                             const char *help, int is_export)
{
    const char *words[64];
    int nwords = 0;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--limit") == 0 || strcmp(arg, "--offset") == 0) {
            int v;
            if (i + 1 >= argc || parse_int(argv[i + 1], &v))
                return usage_error(help, "%s needs a number", arg);
            if (arg[2] == 'l')
                a->opts.limit = v;
            else
                a->opts.offset = v;
            i++;
        } else if (strcmp(arg, "--sort") == 0) {
            if (i + 1 >= argc)
                return usage_error(help, "--sort needs relevance, date or headline");
            const char *k = argv[++i];
            if (strcmp(k, "relevance") == 0)
                a->opts.sort = KHOTIN_SORT_RELEVANCE;
            else if (strcmp(k, "date") == 0)
                a->opts.sort = KHOTIN_SORT_DATE;
            else if (strcmp(k, "headline") == 0)
                a->opts.sort = KHOTIN_SORT_HEADLINE;
            else
                return usage_error(help, "--sort: '%s' is not relevance, date or headline", k);
        } else if (strcmp(arg, "--fold") == 0) {
            a->opts.fold = 1;
        } else if (is_export && (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0)) {
            if (i + 1 >= argc)
                return usage_error(help, "%s needs a file name", arg);
            a->output = argv[++i];
        } else if (is_export && strcmp(arg, "--no-bom") == 0) {
            a->no_bom = 1;
        } else if (strcmp(arg, "--") == 0) {
            for (i++; i < argc && nwords < 64; i++)
                words[nwords++] = argv[i];
        } else if (arg[0] == '-' && arg[1] == '-') {
            return usage_error(help, "unknown option '%s'", arg);
        } else if (nwords < 64) {
            words[nwords++] = arg;
        }
    }
    if (nwords == 0)
        return usage_error(help, "a query is needed, e.g. khotin search \"an ninh mang\"");
    /* Several arguments form one query: khotin search an ninh mang */
    size_t len = 1;
    for (int i = 0; i < nwords; i++)
        len += strlen(words[i]) + 1;
    char *q = malloc(len);
    if (!q) {
        errorf("out of memory");
        return EXIT_FAIL;
    }
    q[0] = '\0';
    for (int i = 0; i < nwords; i++) {
        if (i)
            strcat(q, " ");
        strcat(q, words[i]);
    }
    a->query = q;
    return EXIT_OK;
}

static void print_hit(const khotin_hit *h)
{
    printf("[%lld] %s%s%s\n", (long long)h->id, h->date[0] ? h->date : "",
           h->date[0] ? "  " : "", h->headline);
    if (h->publisher[0] || h->url[0])
        printf("    %s%s%s\n", h->publisher, h->publisher[0] && h->url[0] ? " · " : "",
               h->url);
    if (h->people[0])
        printf("    people: %s\n", h->people);
    if (h->snippet[0])
        printf("    %s\n", h->snippet);
}

static int cmd_search(const char *dbpath, int argc, char **argv)
{
    search_args a = {0};
    int rc = parse_search_args(argc, argv, &a, search_help, 0);
    if (rc)
        return rc;
    int tty = isatty(STDOUT_FILENO);
    a.opts.count_total = 1;
    a.opts.mark_open = tty ? "\033[1;33m" : "[";
    a.opts.mark_close = tty ? "\033[0m" : "]";
    khotin_db *db;
    if (open_db(dbpath, KHOTIN_OPEN_READONLY, &db)) {
        free((char *)a.query);
        return EXIT_FAIL;
    }
    khotin_results *r;
    rc = khotin_search(db, a.query, &a.opts, &r);
    if (rc) {
        errorf("%s", khotin_last_error());
        free((char *)a.query);
        khotin_close(db);
        return rc == KHOTIN_EQUERY ? EXIT_USAGE : EXIT_FAIL;
    }
    if (khotin_results_warning(r)[0])
        fprintf(stderr, "note: %s\n", khotin_results_warning(r));
    for (size_t i = 0; i < khotin_results_count(r); i++) {
        if (i)
            putchar('\n');
        print_hit(khotin_results_get(r, i));
    }
    fflush(stdout);
    fprintf(stderr, "%s%zu of %lld matching articles for: %s\n",
            khotin_results_count(r) ? "\n" : "", khotin_results_count(r),
            (long long)khotin_results_total(r), a.query);
    khotin_results_free(r);
    free((char *)a.query);
    khotin_close(db);
    return EXIT_OK;
}

static int cmd_export(const char *dbpath, int argc, char **argv)
{
    search_args a = {0};
    a.opts.limit = 1000;
    int rc = parse_search_args(argc, argv, &a, export_help, 1);
    if (rc)
        return rc;
    a.opts.mark_open = "";
    a.opts.mark_close = "";
    a.opts.count_total = 1;
    khotin_db *db;
    if (open_db(dbpath, KHOTIN_OPEN_READONLY, &db)) {
        free((char *)a.query);
        return EXIT_FAIL;
    }
    khotin_results *r;
    rc = khotin_search(db, a.query, &a.opts, &r);
    if (rc) {
        errorf("%s", khotin_last_error());
        free((char *)a.query);
        khotin_close(db);
        return rc == KHOTIN_EQUERY ? EXIT_USAGE : EXIT_FAIL;
    }
    FILE *f = stdout;
    if (a.output && !(f = fopen(a.output, "wb"))) {
        errorf("cannot write %s: %s", a.output, strerror(errno));
        rc = EXIT_FAIL;
    } else {
        if (khotin_export_csv(r, f, a.no_bom ? KHOTIN_CSV_NO_BOM : 0)) {
            errorf("%s", khotin_last_error());
            rc = EXIT_FAIL;
        }
        if (a.output && fclose(f) != 0) {
            errorf("cannot write %s: %s", a.output, strerror(errno));
            rc = EXIT_FAIL;
        }
        if (rc == 0 && a.output)
            fprintf(stderr, "wrote %zu rows (of %lld matches) to %s\n",
                    khotin_results_count(r), (long long)khotin_results_total(r),
                    a.output);
    }
    khotin_results_free(r);
    free((char *)a.query);
    khotin_close(db);
    return rc;
}

/* ---- show / parse ---- */

static void print_article(const khotin_article *a)
{
    if (khotin_article_id(a))
        printf("id: %lld\n", (long long)khotin_article_id(a));
    khotin_article_dump(a, stdout);
    for (size_t i = 0; i < khotin_article_event_count(a); i++) {
        khotin_date_precision p;
        const char *d = khotin_article_event(a, i, &p);
        printf("event_date: %s (%s)\n", d, khotin_date_precision_name(p));
    }
    if (khotin_article_source_path(a)[0])
        printf("imported_from: %s\n", khotin_article_source_path(a));
}

static int cmd_show(const char *dbpath, int argc, char **argv)
{
    if (argc != 1)
        return usage_error(show_help, "show needs exactly one article id");
    char *end;
    long long id = strtoll(argv[0], &end, 10);
    if (*argv[0] == '\0' || *end != '\0' || id <= 0)
        return usage_error(show_help, "'%s' is not an article id (a positive number)", argv[0]);
    khotin_db *db;
    if (open_db(dbpath, KHOTIN_OPEN_READONLY, &db))
        return EXIT_FAIL;
    khotin_article *a;
    int rc = khotin_article_get(db, id, &a);
    if (rc) {
        errorf("%s", khotin_last_error());
        khotin_close(db);
        return EXIT_FAIL;
    }
    print_article(a);
    khotin_article_free(a);
    khotin_close(db);
    return EXIT_OK;
}

typedef struct parse_ui {
    int count;
} parse_ui;

static int print_parsed(void *ctx, const char *name, int status, const khotin_article *a)
{
    parse_ui *ui = ctx;
    if (status) {
        errorf("%s", khotin_last_error());
        return 0;
    }
    if (ui->count++)
        printf("\n");
    if (strchr(name, ':')) /* a document of a multi-article file */
        printf("# %s\n", name);
    khotin_article_dump(a, stdout);
    return 0;
}

static int cmd_parse(const char *dbpath, int argc, char **argv)
{
    (void)dbpath;
    const char *encoding = NULL;
    const char *file = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--encoding") == 0 && i + 1 < argc)
            encoding = argv[++i];
        else if (file)
            return usage_error(parse_help, "parse needs exactly one file");
        else
            file = argv[i];
    }
    if (!file)
        return usage_error(parse_help, "parse needs a file");
    parse_ui ui = {0};
    int rc = khotin_parse_file(file, encoding, print_parsed, &ui);
    if (rc < 0) {
        if (!ui.count)
            errorf("%s", khotin_last_error());
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

typedef struct list_args {
    int csv;
    int limit;
    const char *name;
} list_args;

static int parse_list_args(int argc, char **argv, list_args *a, const char *help,
                           int need_name)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--csv") == 0) {
            a->csv = 1;
        } else if (strcmp(argv[i], "--limit") == 0) {
            if (i + 1 >= argc || parse_int(argv[i + 1], &a->limit))
                return usage_error(help, "--limit needs a number");
            i++;
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            return usage_error(help, "unknown option '%s'", argv[i]);
        } else if (a->name) {
            return usage_error(help, "one name only (quote a full name: \"thomas bossert\")");
        } else {
            a->name = argv[i];
        }
    }
    if (need_name && !a->name)
        return usage_error(help, "a name is needed");
    return EXIT_OK;
}

static int cmd_people(const char *dbpath, int argc, char **argv)
{
    list_args a = {0};
    int rc = parse_list_args(argc, argv, &a, people_help, 0);
    if (rc)
        return rc;
    khotin_db *db;
    if (open_db(dbpath, KHOTIN_OPEN_READONLY, &db))
        return EXIT_FAIL;
    khotin_people_list *l;
    if (khotin_people(db, a.name, a.limit, &l)) {
        errorf("%s", khotin_last_error());
        khotin_close(db);
        return EXIT_FAIL;
    }
    if (a.csv) {
        khotin_csv_bom(stdout);
        const char *head[] = {"id", "name", "roles", "articles", "quoted_in", "first_date", "last_date"};
        khotin_csv_row(stdout, head, 7);
    }
    for (size_t i = 0; i < khotin_people_count(l); i++) {
        const khotin_person_info *p = khotin_people_get(l, i);
        char id[32], n1[32], n2[32];
        snprintf(id, sizeof id, "%lld", (long long)p->id);
        snprintf(n1, sizeof n1, "%lld", (long long)p->articles);
        snprintf(n2, sizeof n2, "%lld", (long long)p->quoted_articles);
        if (a.csv) {
            const char *cells[] = {id, p->name, p->roles, n1, n2, p->first_date, p->last_date};
            khotin_csv_row(stdout, cells, 7);
            continue;
        }
        printf("%s\n    %lld article%s, quoted in %lld", p->name, (long long)p->articles,
               p->articles == 1 ? "" : "s", (long long)p->quoted_articles);
        if (p->first_date[0])
            printf(", %s .. %s", p->first_date, p->last_date);
        putchar('\n');
        if (p->roles[0])
            printf("    roles: %s\n", p->roles);
    }
    fflush(stdout);
    if (!a.csv && khotin_people_count(l) == 0)
        fprintf(stderr, "no one matches \"%s\"; try fewer words or no diacritics\n",
                a.name ? a.name : "");
    khotin_people_free(l);
    khotin_close(db);
    return EXIT_OK;
}

static int cmd_quotes(const char *dbpath, int argc, char **argv)
{
    list_args a = {0};
    int rc = parse_list_args(argc, argv, &a, quotes_help, 1);
    if (rc)
        return rc;
    khotin_db *db;
    if (open_db(dbpath, KHOTIN_OPEN_READONLY, &db))
        return EXIT_FAIL;
    khotin_quotes_list *l;
    if (khotin_quotes(db, a.name, a.limit, &l)) {
        errorf("%s", khotin_last_error());
        khotin_close(db);
        return EXIT_FAIL;
    }
    if (a.csv) {
        khotin_csv_bom(stdout);
        const char *head[] = {"person", "role", "quote", "date", "article_id", "headline",
                              "publisher", "url"};
        khotin_csv_row(stdout, head, 8);
    }
    for (size_t i = 0; i < khotin_quotes_count(l); i++) {
        const khotin_quote_info *q = khotin_quotes_get(l, i);
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)q->article_id);
        if (a.csv) {
            const char *cells[] = {q->person, q->role, q->quote, q->date, id, q->headline,
                                   q->publisher, q->url};
            khotin_csv_row(stdout, cells, 8);
            continue;
        }
        printf("%s%s%s%s%s: \u201c%s\u201d\n    [%s] %s%s%s%s%s\n", i ? "\n" : "", q->person,
               q->role[0] ? " (" : "", q->role[0] ? q->role : "", q->role[0] ? ")" : "",
               q->quote, id, q->date[0] ? q->date : "", q->date[0] ? "  " : "", q->headline,
               q->publisher[0] ? " · " : "", q->publisher);
    }
    fflush(stdout);
    if (!a.csv && khotin_quotes_count(l) == 0)
        fprintf(stderr, "no quotes from \"%s\"; 'khotin people NAME' shows who is known\n",
                a.name);
    khotin_quotes_free(l);
    khotin_close(db);
    return EXIT_OK;
}

static int note_upgrade(khotin_db *db)
{
    const char *bak;
    int from = khotin_upgraded_from(db, &bak);
    if (from)
        fprintf(stderr, "upgraded the archive from schema %d to %d; the old archive "
                        "was kept as %s\n", from, khotin_schema_version(db), bak);
    return 0;
}

static void print_problem(void *ctx, const char *msg)
{
    (void)ctx;
    printf("problem: %s\n", msg);
}

static int cmd_check(const char *dbpath, int argc, char **argv)
{
    int repair = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--repair") == 0)
            repair = 1;
        else
            return usage_error(check_help, "unknown argument '%s'", argv[i]);
    }
    khotin_db *db;
    if (repair ? open_db(dbpath, KHOTIN_OPEN_NOCREATE, &db) : open_db_rw_or_ro(dbpath, &db))
        return EXIT_FAIL;
    int rc = khotin_check(db, repair, print_problem, NULL);
    khotin_close(db);
    if (rc < 0) {
        errorf("%s", khotin_last_error());
        return EXIT_FAIL;
    }
    if (rc > 0) {
        fprintf(stderr, "%s: %d problem%s%s\n", dbpath, rc, rc == 1 ? "" : "s",
                repair ? " left after repair" : "; 'khotin check --repair' rebuilds the index");
        return EXIT_FAIL;
    }
    printf("%s: ok%s\n", dbpath, repair ? " (repaired)" : "");
    return EXIT_OK;
}

static int cmd_backup(const char *dbpath, int argc, char **argv)
{
    if (argc != 1)
        return usage_error(backup_help, "backup needs exactly one file name");
    khotin_db *db;
    if (open_db(dbpath, KHOTIN_OPEN_READONLY | KHOTIN_OPEN_NOCREATE, &db))
        return EXIT_FAIL;
    int rc = khotin_backup(db, argv[0]);
    khotin_close(db);
    if (rc) {
        errorf("%s", khotin_last_error());
        return EXIT_FAIL;
    }
    fprintf(stderr, "backed up %s to %s\n", dbpath, argv[0]);
    return EXIT_OK;
}

static int cmd_optimize(const char *dbpath, int argc, char **argv)
{
    (void)argv;
    if (argc)
        return usage_error(optimize_help, "optimize takes no arguments");
    khotin_db *db;
    if (open_db(dbpath, KHOTIN_OPEN_NOCREATE, &db))
        return EXIT_FAIL;
    note_upgrade(db);
    int rc = khotin_optimize(db);
    khotin_close(db);
    if (rc) {
        errorf("%s", khotin_last_error());
        return EXIT_FAIL;
    }
    fprintf(stderr, "optimized %s\n", dbpath);
    return EXIT_OK;
}

static int cmd_stats(const char *dbpath, int argc, char **argv)
{
    (void)argv;
    if (argc)
        return usage_error(stats_help, "stats takes no arguments");
    khotin_db *db;
    if (open_db_rw_or_ro(dbpath, &db))
        return EXIT_FAIL;
    note_upgrade(db);
    khotin_archive_stats s;
    int rc = khotin_stats(db, &s);
    khotin_close(db);
    if (rc) {
        errorf("%s", khotin_last_error());
        return EXIT_FAIL;
    }
    printf("archive:      %s (schema %d, %.1f MB)\n", dbpath, s.schema_version,
           (double)s.bytes / 1e6);
    printf("articles:     %lld (%lld with a full date%s%s%s%s)\n", (long long)s.articles,
           (long long)s.dated, s.first_date[0] ? ", " : "", s.first_date,
           s.first_date[0] ? " .. " : "", s.last_date);
    printf("people:       %lld (%lld quoted)\n", (long long)s.people, (long long)s.quoted_people);
    printf("publishers:   %lld\n", (long long)s.publishers);
    printf("agencies:     %lld\n", (long long)s.agencies);
    return EXIT_OK;
}

static int cmd_delete(const char *dbpath, int argc, char **argv)
{
    if (argc < 1)
        return usage_error(delete_help, "delete needs at least one article id");
    for (int i = 0; i < argc; i++) {
        char *end;
        long long id = strtoll(argv[i], &end, 10);
        if (!*argv[i] || *end || id <= 0)
            return usage_error(delete_help, "'%s' is not an article id", argv[i]);
    }
    khotin_db *db;
    if (open_db(dbpath, KHOTIN_OPEN_NOCREATE, &db))
        return EXIT_FAIL;
    int failed = 0;
    for (int i = 0; i < argc; i++) {
        if (khotin_delete(db, strtoll(argv[i], NULL, 10))) {
            errorf("%s", khotin_last_error());
            failed = 1;
        } else {
            fprintf(stderr, "deleted article %s\n", argv[i]);
        }
    }
    khotin_close(db);
    return failed ? EXIT_FAIL : EXIT_OK;
}

static void print_url(void *ctx, const char *url)
{
    (void)ctx;
    printf("khotin: serving %s (read-only). Open %s in a browser; Ctrl-C stops.\n",
           "the archive", url);
    fflush(stdout);
}

static int cmd_serve(const char *dbpath, int argc, char **argv)
{
    khotin_serve_opts o = {0};
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--port") == 0) {
            if (i + 1 >= argc || parse_int(argv[i + 1], &o.port) || o.port < 1 || o.port > 65535)
                return usage_error(serve_help, "--port needs a number from 1 to 65535");
            i++;
        } else if (strcmp(argv[i], "--bind") == 0) {
            if (i + 1 >= argc)
                return usage_error(serve_help, "--bind needs an address, e.g. 127.0.0.1");
            o.bind = argv[++i];
        } else if (strcmp(argv[i], "--threads") == 0) {
            if (i + 1 >= argc || parse_int(argv[i + 1], &o.threads) || o.threads < 1 ||
                o.threads > 64)
                return usage_error(serve_help, "--threads needs a number from 1 to 64");
            i++;
        } else {
            return usage_error(serve_help, "unknown argument '%s'", argv[i]);
        }
    }
    o.on_ready = print_url;
    int rc = khotin_serve(dbpath, &o);
    if (rc) {
        errorf("%s", khotin_last_error());
        return EXIT_FAIL;
    }
    fprintf(stderr, "stopped\n");
    return EXIT_OK;
}

static const command commands[] = {
    {"import", cmd_import, "import PATH...", NULL},
    {"search", cmd_search, "search QUERY", NULL},
    {"export", cmd_export, "export QUERY", NULL},
    {"show", cmd_show, "show ID", NULL},
    {"people", cmd_people, "people [NAME]", NULL},
    {"quotes", cmd_quotes, "quotes NAME", NULL},
    {"check", cmd_check, "check [--repair]", NULL},
    {"backup", cmd_backup, "backup FILE", NULL},
    {"optimize", cmd_optimize, "optimize", NULL},
    {"stats", cmd_stats, "stats", NULL},
    {"delete", cmd_delete, "delete ID...", NULL},
    {"serve", cmd_serve, "serve", NULL},
    {"parse", cmd_parse, "parse FILE", NULL},
};

static const char *help_for(const char *name)
{
    if (strcmp(name, "import") == 0) return import_help;
    if (strcmp(name, "search") == 0) return search_help;
    if (strcmp(name, "export") == 0) return export_help;
    if (strcmp(name, "show") == 0) return show_help;
    if (strcmp(name, "parse") == 0) return parse_help;
    if (strcmp(name, "people") == 0) return people_help;
    if (strcmp(name, "quotes") == 0) return quotes_help;
    if (strcmp(name, "check") == 0) return check_help;
    if (strcmp(name, "backup") == 0) return backup_help;
    if (strcmp(name, "optimize") == 0) return optimize_help;
    if (strcmp(name, "stats") == 0) return stats_help;
    if (strcmp(name, "delete") == 0) return delete_help;
    if (strcmp(name, "serve") == 0) return serve_help;
    return main_help;
}

int main(int argc, char **argv)
{
    const char *db = getenv("KHOTIN_DB");
    if (!db || !*db)
        db = "khotin.db";
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0) {
            if (i + 1 >= argc)
                return usage_error(main_help, "--db needs a file name");
            db = argv[++i];
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            db = argv[i] + 5;
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(main_help, stdout);
            return EXIT_OK;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("khotin %s\n", khotin_version());
            return EXIT_OK;
        } else if (argv[i][0] == '-') {
            return usage_error(main_help, "unknown option '%s'", argv[i]);
        } else {
            break;
        }
    }
    if (i >= argc)
        return usage_error(main_help, "a command is needed");
    const char *name = argv[i];
    if (strcmp(name, "help") == 0) {
        fputs(i + 1 < argc ? help_for(argv[i + 1]) : main_help, stdout);
        return EXIT_OK;
    }
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
        if (strcmp(commands[k].name, name) != 0)
            continue;
        if (wants_help(argc - i - 1, argv + i + 1)) {
            fputs(help_for(name), stdout);
            return EXIT_OK;
        }
        return commands[k].run(db, argc - i - 1, argv + i + 1);
    }
    return usage_error(main_help, "unknown command '%s'", name);
}
