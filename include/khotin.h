/* khotin.h - the public API of libkhotin, a Vietnamese news archive.
 *
 * Data flows through one module per stage:
 *   read    (files, encodings)        -> khotin_read_*
 *   text    (UTF-8, NFC, folding)     -> khotin_text_*
 *   extract (fields, people, dates)   -> khotin_article_*
 *   store   (SQLite schema, FTS5)     -> khotin_open / khotin_import_*
 *   query   (query language, ranking) -> khotin_search
 *   export  (CSV)                     -> khotin_export_csv
 *
 * Conventions (after libgit2):
 * - Functions that can fail return an int status: KHOTIN_OK (0) or a negative
 *   khotin_status. The message of the last failure on this thread is returned
 *   by khotin_last_error(); the CLI prints it as is.
 * - Handles are opaque. Each _open/_new has a matching _close/_free; passing
 *   NULL to a _close/_free function is a no-op.
 * - Strings returned through `const char *` are owned by the handle they came
 *   from and stay valid until that handle is freed. Strings returned through
 *   `char **` are owned by the caller and released with khotin_free().
 * - All text in and out is UTF-8 (NFC on the way out).
 */
#ifndef KHOTIN_H
#define KHOTIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- errors */

typedef enum khotin_status {
    KHOTIN_OK = 0,
    KHOTIN_ERROR = -1,     /* generic failure, see khotin_last_error() */
    KHOTIN_ENOMEM = -2,    /* out of memory */
    KHOTIN_EIO = -3,       /* file missing, unreadable */
    KHOTIN_EINPUT = -4,    /* input is not an article: empty, binary, bad UTF-8 */
    KHOTIN_EQUERY = -5,    /* malformed search query */
    KHOTIN_EDB = -6,       /* database error (corrupt, not a khotin archive, full) */
    KHOTIN_EBUSY = -7,     /* database locked by another process */
    KHOTIN_EREADONLY = -8, /* database opened read-only or not writable */
    KHOTIN_ENOTFOUND = -9, /* no such article */
    KHOTIN_EVERSION = -10  /* archive made by a newer khotin */
} khotin_status;

/* Message describing the last failure on the calling thread; never NULL
 * ("" when there was none). Valid until the next khotin call on this thread. */
const char *khotin_last_error(void);

/* Release memory returned to the caller through a `char **` parameter. */
void khotin_free(void *p);

/* Library version string, e.g. "0.1.0". */
const char *khotin_version(void);

/* ------------------------------------------------------------------ read */

/* Read a file into a NUL-terminated UTF-8 string in NFC with LF line endings
 * and no BOM. Fails with KHOTIN_EIO (missing, unreadable, a directory),
 * KHOTIN_EINPUT (empty, binary, invalid UTF-8: the message names the byte
 * offset). On success *out (caller frees with khotin_free) and *out_len. */
int khotin_read_file(const char *path, char **out, size_t *out_len);

/* Same checks and normalisation for a buffer already in memory. `name` is
 * used in messages only (may be NULL). */
int khotin_read_buffer(const char *name, const void *data, size_t len,
                       char **out, size_t *out_len);

/* ------------------------------------------------------------------ text */

/* Flags for khotin_text_normalize(); without flags the text is only put
 * in NFC. Words are changed, the characters between them are kept. */
enum {
    KHOTIN_TEXT_EXACT = 1 << 0, /* lower case + one tone placement (hoà, thuỷ) */
    KHOTIN_TEXT_FOLD = 1 << 1   /* lower case, every diacritic removed, đ -> d */
};

/* Normalise UTF-8 text: always NFC, then the transformations in `flags`.
 * Invalid UTF-8 gives KHOTIN_EINPUT. *out is caller-owned (khotin_free). */
int khotin_text_normalize(const char *in, size_t len, unsigned flags,
                          char **out);

/* Shorthand: lower-case, remove diacritics, fold đ->d. "Đặng" -> "dang".
 * Returns NULL on invalid UTF-8 or out of memory. Caller frees. */
char *khotin_text_fold(const char *in);

/* ---------------------------------------------------------------- extract */

typedef enum khotin_date_precision {
    KHOTIN_DATE_NONE = 0,
    KHOTIN_DATE_YEAR,      /* "2017" */
    KHOTIN_DATE_MONTH,     /* "2017-07" */
    KHOTIN_DATE_MONTH_DAY, /* "--07-20": day and month, year unknown */
    KHOTIN_DATE_DAY,       /* "2017-07-20" */
    KHOTIN_DATE_TIME       /* "2017-07-20T14:30+07:00" */
} khotin_date_precision;

/* Name of a precision ("none", "year", "month", "month_day", "day", "time"). */
const char *khotin_date_precision_name(khotin_date_precision p);

/* A person named in an article. Strings are owned by the article. */
typedef struct khotin_person {
    const char *name;  /* full name as written (longest form) */
    const char *role;  /* role as written, "" when unknown */
    const char *quote; /* a quote or reported speech, "" when none */
    int quoted;        /* 1 quoted or cited as a source, 0 only mentioned */
    const char *title; /* academic or military title as written ("TS",
                          "Thượng tướng"), "" when none */
} khotin_person;

/* One quote or piece of reported speech, in order of appearance. A person
 * may have several. Strings are owned by the article. */
typedef struct khotin_quote {
    size_t person;    /* index for khotin_article_person(); KHOTIN_NO_PERSON
                         when the speaker could not be resolved */
    const char *text; /* the words quoted or reported, as written */
    size_t offset;    /* byte offset of the quote's start in the article's
                         lead + "\n\n" + body text; 0 when unknown */
    int direct;       /* 1 in quotation marks, 0 reported speech */
} khotin_quote;
#define KHOTIN_NO_PERSON ((size_t)-1)

typedef struct khotin_article khotin_article;

/* Parse a normalised article text (as returned by khotin_read_*) into fields.
 * Fails with KHOTIN_EINPUT when there is no headline. Caller frees *out with
 * khotin_article_free. */
int khotin_article_parse(const char *text, size_t len, khotin_article **out);
void khotin_article_free(khotin_article *a);

/* Field accessors; the strings are owned by the article, never NULL. */
int64_t khotin_article_id(const khotin_article *a); /* 0 if not stored */
const char *khotin_article_headline(const khotin_article *a);
const char *khotin_article_lead(const khotin_article *a);
const char *khotin_article_body(const khotin_article *a); /* paragraphs joined by "\n\n" */
const char *khotin_article_date(const khotin_article *a); /* ISO 8601 or "" */
khotin_date_precision khotin_article_date_precision(const khotin_article *a);
const char *khotin_article_publisher(const khotin_article *a);
const char *khotin_article_url(const khotin_article *a);
const char *khotin_article_author(const khotin_article *a); /* "" if unknown */
const char *khotin_article_source_path(const khotin_article *a); /* "" if not stored */
size_t khotin_article_agency_count(const khotin_article *a);
const char *khotin_article_agency(const khotin_article *a, size_t i);
/* Dates of the events the text mentions ("ngày 20/7" -> "--07-20",
 * "tháng 10/2016" -> "2016-10"), in order of appearance, without repeats. */
size_t khotin_article_event_count(const khotin_article *a);
const char *khotin_article_event(const khotin_article *a, size_t i,
                                 khotin_date_precision *precision);
size_t khotin_article_person_count(const khotin_article *a);
const khotin_person *khotin_article_person(const khotin_article *a, size_t i);
/* Every quote of the article, in order of appearance. */
size_t khotin_article_quote_count(const khotin_article *a);
const khotin_quote *khotin_article_quote(const khotin_article *a, size_t i);

/* Called for each document of a file by khotin_parse_file: `name` names it
 * ("file.jsonl:12"), `status` is 0 with the parsed article (owned by the
 * library, valid during the call) or a negative status (article NULL, the
 * message in khotin_last_error()). Return non-zero to stop. */
typedef int (*khotin_parse_cb)(void *ctx, const char *name, int status,
                               const khotin_article *article);

/* Read any supported file (text in any supported encoding, saved page,
 * MHTML, JSONL) and parse each article in it, without storing. `encoding`
 * as for khotin_importer_set_encoding (NULL: detect). Returns 0, the
 * callback's non-zero value, or a negative status (some documents failed,
 * or the whole file is unreadable). */
int khotin_parse_file(const char *path, const char *encoding, khotin_parse_cb cb,
                      void *ctx);

/* Write the fields as "key: value" lines (the golden-file format described
 * in fixtures/articles/README.md). */
int khotin_article_dump(const khotin_article *a, FILE *f);

/* ------------------------------------------------------------------ store */

typedef struct khotin_db khotin_db;

enum {
    KHOTIN_OPEN_READONLY = 1 << 0, /* never write; searches only */
    KHOTIN_OPEN_NOCREATE = 1 << 1  /* fail when the file does not exist */
};

/* Open (creating and migrating when needed) an archive. A file that is not a
 * khotin archive is refused (KHOTIN_EDB) and left untouched. Caller closes
 * *out with khotin_close. */
int khotin_open(const char *path, unsigned flags, khotin_db **out);
void khotin_close(khotin_db *db);

/* Schema version of the open archive (PRAGMA user_version). */
int khotin_schema_version(const khotin_db *db);

/* When this open upgraded an older archive: the schema version it had
 * (else 0), and in *backup the copy made before the upgrade. */
int khotin_upgraded_from(const khotin_db *db, const char **backup);

/* Number of stored articles, or a negative status. */
int64_t khotin_article_total(khotin_db *db);

/* Load a stored article by id (KHOTIN_ENOTFOUND when absent). */
int khotin_article_get(khotin_db *db, int64_t id, khotin_article **out);

/* Outcome of importing one file. */
typedef enum khotin_import_outcome {
    KHOTIN_IMPORTED = 0,
    KHOTIN_DUPLICATE = 1, /* same URL or same normalised content already stored */
    KHOTIN_FAILED = 2
} khotin_import_outcome;

/* Called once per file with its outcome; `message` explains a failure
 * (NULL otherwise), `id` is the stored (or existing) article id. */
typedef void (*khotin_import_cb)(void *ctx, const char *path,
                                 khotin_import_outcome outcome, int64_t id,
                                 const char *message);

typedef struct khotin_import_stats {
    uint64_t files;
    uint64_t imported;
    uint64_t duplicates;
    uint64_t failed;
    uint64_t skipped;  /* files in folders that are not articles */
    uint64_t bytes;
} khotin_import_stats;

typedef struct khotin_importer khotin_importer;

/* An importer stores articles in batches: one transaction per `batch_size`
 * articles (0 picks the default). A file that fails to read or parse never
 * touches the archive; an archive failure (full, locked) rolls back the open
 * batch and stops the import, so no article is ever half-stored. Caller frees with
 * khotin_importer_free, which commits what is pending (call
 * khotin_importer_finish first to see whether that commit worked). */
int khotin_importer_new(khotin_db *db, unsigned batch_size,
                        khotin_importer **out);
/* Import a file or a folder (recursively, in name order; in folders only
 * .txt .html .htm .mhtml .mht .jsonl files are read, others are counted as
 * skipped, and "NAME_files" folders of saved pages are not entered). Per-file failures
 * are reported through `cb` and counted, not returned: the return value is
 * KHOTIN_OK unless the archive itself failed (disk full, locked...). */
int khotin_importer_add(khotin_importer *imp, const char *path,
                        khotin_import_cb cb, void *ctx);
/* Parse in `jobs` threads (jobs - 1 workers; the calling thread stores, in
 * the order files were added). Call before adding anything; 1 (default)
 * works in the calling thread only. The callback always runs in the
 * calling thread. */
int khotin_importer_set_jobs(khotin_importer *imp, unsigned jobs);
/* Read text files in this encoding instead of detecting it: "utf-8",
 * "windows-1258", "viscii", "tcvn3" or "vni" (NULL: detect). */
int khotin_importer_set_encoding(khotin_importer *imp, const char *encoding);
/* A year for articles that give a day and month but no year ("ngày 20/7"
 * with year 2017 becomes 2017-07-20); 0 (default): leave them without. */
int khotin_importer_set_year(khotin_importer *imp, int year);
/* Import one article held in memory; `name` is recorded as its source path
 * and used in messages. Same outcomes and return value as _add. */
int khotin_importer_add_buffer(khotin_importer *imp, const char *name,
                               const void *data, size_t len,
                               khotin_import_cb cb, void *ctx);
/* How many files an import of `path` would read (for a progress line). */
int64_t khotin_import_count(const char *path);
/* Commit pending articles. */
int khotin_importer_finish(khotin_importer *imp);
const khotin_import_stats *khotin_importer_stats(const khotin_importer *imp);
void khotin_importer_free(khotin_importer *imp);

/* ------------------------------------------------------------ maintenance */

/* Called once per problem found, with a one-line description. */
typedef void (*khotin_check_cb)(void *ctx, const char *problem);

/* Check the archive: SQLite integrity, the FTS5 index, that every article
 * is indexed and nothing else is, and that no link row points nowhere.
 * With `repair`, rebuild the full-text index from the stored articles and
 * remove orphans, then check again. Returns the number of problems left
 * (0: healthy) or a negative status. */
int khotin_check(khotin_db *db, int repair, khotin_check_cb cb, void *ctx);

/* Copy the archive to a new file with SQLite's online backup (safe while
 * others read and write). Refuses to overwrite an existing file. */
int khotin_backup(khotin_db *db, const char *path);

/* Merge the full-text index segments, update planner statistics and
 * checkpoint the WAL. */
int khotin_optimize(khotin_db *db);

typedef struct khotin_archive_stats {
    int64_t articles, people, quoted_people, agencies, publishers, dated;
    char first_date[16], last_date[16]; /* full dates only, "" if none */
    int64_t bytes;                      /* database size (pages) */
    int schema_version;
} khotin_archive_stats;

int khotin_stats(khotin_db *db, khotin_archive_stats *out);

/* Delete an article, its index entries, and the people and agencies no
 * other article names (KHOTIN_ENOTFOUND when there is no such id). */
int khotin_delete(khotin_db *db, int64_t id);

/* ------------------------------------------------------------------ query */

typedef enum khotin_sort {
    KHOTIN_SORT_RELEVANCE = 0,
    KHOTIN_SORT_DATE,
    KHOTIN_SORT_HEADLINE
} khotin_sort;

typedef struct khotin_search_opts {
    int limit;        /* <= 0: default 20 */
    int offset;
    khotin_sort sort;
    int fold;         /* 1: every word matches insensitively, even accented ones */
    const char *mark_open;  /* snippet mark around matches; NULL: "[" */
    const char *mark_close; /* NULL: "]" */
    int count_total;  /* 1: also count every match (khotin_results_total);
                         costs a second pass over the matches */
} khotin_search_opts;

/* One search hit; strings owned by the result set. */
typedef struct khotin_hit {
    int64_t id;
    const char *date;
    khotin_date_precision date_precision;
    const char *headline;
    const char *publisher;
    const char *url;
    const char *people;  /* names joined by "; " */
    const char *snippet; /* one line; matched words between mark_open/mark_close */
    double score;        /* lower is better (bm25) */
} khotin_hit;

typedef struct khotin_results khotin_results;

/* Run a query in khotin's query language (see README). A malformed query
 * gives KHOTIN_EQUERY with a message pointing at the problem; no SQLite error
 * text ever reaches the caller for user input. Caller frees *out. */
int khotin_search(khotin_db *db, const char *query,
                  const khotin_search_opts *opts, khotin_results **out);
size_t khotin_results_count(const khotin_results *r);
const khotin_hit *khotin_results_get(const khotin_results *r, size_t i);
/* Total number of matching articles (ignoring limit/offset), or -1 when
 * the search was run without count_total. */
int64_t khotin_results_total(const khotin_results *r);
/* Non-fatal note about the query (e.g. an unbalanced quote read as closed). */
const char *khotin_results_warning(const khotin_results *r);
void khotin_results_free(khotin_results *r);

/* ----------------------------------------------------------------- people */

/* Names match without diacritics, in any case and tone placement, by whole
 * words ("bossert"), and with one typo ("kratskikh"). */

typedef struct khotin_person_info {
    int64_t id;
    const char *name;
    const char *roles;      /* distinct roles as written, "; "-joined */
    int64_t articles;       /* articles naming them */
    int64_t quoted_articles; /* articles quoting them */
    const char *first_date; /* first and last full publication dates, "" if none */
    const char *last_date;
} khotin_person_info;

typedef struct khotin_people_list khotin_people_list;

/* People matching `name` (NULL or "": everyone), most quoted first, at most
 * `limit` (<= 0: 50). Caller frees *out with khotin_people_free. */
int khotin_people(khotin_db *db, const char *name, int limit,
                  khotin_people_list **out);
size_t khotin_people_count(const khotin_people_list *l);
const khotin_person_info *khotin_people_get(const khotin_people_list *l, size_t i);
void khotin_people_free(khotin_people_list *l);

typedef struct khotin_quote_info {
    int64_t article_id;
    const char *person;
    const char *role;
    const char *quote;     /* the quote or reported speech */
    const char *date;
    const char *headline;
    const char *publisher;
    const char *url;
} khotin_quote_info;

typedef struct khotin_quotes_list khotin_quotes_list;

/* What the people matching `name` said, oldest first (articles without a
 * full date last), at most `limit` (<= 0: 100). Caller frees. */
int khotin_quotes(khotin_db *db, const char *name, int limit,
                  khotin_quotes_list **out);
size_t khotin_quotes_count(const khotin_quotes_list *l);
const khotin_quote_info *khotin_quotes_get(const khotin_quotes_list *l, size_t i);
void khotin_quotes_free(khotin_quotes_list *l);

/* --------------------------------------------------------------- timeline */

typedef enum khotin_period {
    KHOTIN_BY_MONTH = 0,
    KHOTIN_BY_WEEK,   /* ISO weeks, "2017-W29" */
    KHOTIN_BY_DAY
} khotin_period;

typedef struct khotin_bucket {
    const char *period; /* "2017-07", "2017-W29", "2017-07-20" */
    int64_t count;      /* matching articles published in it */
} khotin_bucket;

typedef struct khotin_timeline khotin_timeline;

/* How many articles matching `query` (same language as khotin_search) were
 * published in each period, oldest first; articles without a full date are
 * counted in khotin_timeline_undated. Caller frees *out. */
int khotin_timeline_new(khotin_db *db, const char *query, khotin_period by,
                        int fold, khotin_timeline **out);
size_t khotin_timeline_count(const khotin_timeline *t);
const khotin_bucket *khotin_timeline_get(const khotin_timeline *t, size_t i);
int64_t khotin_timeline_undated(const khotin_timeline *t);
void khotin_timeline_free(khotin_timeline *t);

/* ------------------------------------------------------------------ serve */

typedef struct khotin_serve_opts {
    const char *bind;   /* address to listen on; NULL: "127.0.0.1" */
    int port;           /* 0: 8080 */
    int threads;        /* worker threads (one read-only connection each); 0: 4 */
    /* Called once the server listens, with the URL to open. */
    void (*on_ready)(void *ctx, const char *url);
    void *ctx;
} khotin_serve_opts;

/* Serve the archive at `db_path` read-only over HTTP (the page and the JSON
 * API) until SIGINT or SIGTERM, then shut down cleanly. Returns KHOTIN_OK
 * after a clean shutdown, or a negative status (port in use, no archive). */
int khotin_serve(const char *db_path, const khotin_serve_opts *opts);

/* ----------------------------------------------------------------- export */

enum {
    KHOTIN_CSV_NO_BOM = 1 << 0 /* omit the UTF-8 byte order mark */
};

/* Write results as RFC 4180 CSV (CRLF, quotes doubled, UTF-8 with a BOM
 * unless KHOTIN_CSV_NO_BOM) with columns id, date, headline, publisher, url,
 * people, snippet. Cells starting with = + - @ TAB or CR are prefixed with a
 * quote (') so spreadsheets do not run them as formulas. Snippets are
 * written as they are in the results: search with empty marks ("") for
 * plain snippets. */
int khotin_export_csv(const khotin_results *r, FILE *f, unsigned flags);

/* Write one CSV cell (quoted when needed, neutralised); for custom tables. */
int khotin_csv_cell(FILE *f, const char *value);
/* Write a CSV record: n cells, commas, CRLF. */
int khotin_csv_row(FILE *f, const char *const *cells, size_t n);
/* Write the UTF-8 byte order mark that makes Excel read the file as UTF-8. */
int khotin_csv_bom(FILE *f);

#ifdef __cplusplus
}
#endif
#endif /* KHOTIN_H */
