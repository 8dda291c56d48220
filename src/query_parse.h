/* query_parse.h - khotin's own query language: parse user text into a tree.
 *
 * Internal header (not part of the public API). The parser knows nothing about
 * FTS5 or folding: it only splits the user's text into clauses, phrases, words
 * and filters, and reports malformed input with a byte position. query.c turns
 * the result into a safe FTS5 expression (every token quoted) plus SQL filters.
 *
 * Grammar (informal):
 *   query   := clause ( ws clause )*
 *   clause  := [ '-' ] alt ( ws 'OR' ws alt )*     -- OR binds tighter than AND
 *   alt     := word | word'*' | '"' words '"' [ '*' ]
 *   filter  := ('person'|'source'|'from'|'to') ':' ( word | '"' words '"' )
 * Words are runs of non-space characters other than '"'. An unbalanced '"' is
 * read as if closed at the end of the input (and noted in `warning`).
 * Curly quotes (U+201C, U+201D) work like '"'. '(' and ')' are separators
 * (no grouping). Words of punctuation only ("&", "...", a lone '*' or '-')
 * are dropped; a '*' that is not at the end of a word is removed.
 * "OR" must be upper case; lower-case "or" is an ordinary word.
 * "-a OR b" is one negated clause with alternatives a and b: documents that
 * match neither a nor b are kept. "a OR -b" is an error.
 * Filter keys are case-insensitive; a filter cannot be negated or be an OR
 * alternative; other "xyz:" words (e.g. "10:30") are ordinary words.
 * from:/to: accept YYYY, YYYY-MM or YYYY-MM-DD and are stored normalised as
 * YYYY-MM-DD: from: is the first day, to: the last day of the period.
 * A clause that is only '-' prefixed (all clauses negative) is an error:
 * "nothing to search for". Input longer than 64 KiB is an error.
 */
#ifndef KHOTIN_QUERY_PARSE_H
#define KHOTIN_QUERY_PARSE_H

#include <stddef.h>

/* One alternative: a single word or a phrase of words (in order). */
typedef struct kq_alt {
    char **words;      /* NUL-terminated UTF-8 words, exactly as typed (not folded) */
    size_t nwords;     /* >= 1 */
    int prefix;        /* 1 when the last word ends with '*' (the '*' is removed) */
    int quoted;        /* 1 when written as a "quoted phrase" */
} kq_alt;

/* One clause: alternatives joined by OR; all clauses must match (AND). */
typedef struct kq_clause {
    kq_alt *alts;
    size_t nalts;      /* >= 1 */
    int negated;       /* 1 for '-word' / '-"phrase"': excluded (all alts) */
} kq_clause;

typedef struct kq_query {
    kq_clause *clauses;
    size_t nclauses;
    char **persons;    /* person:NAME filters (each must match) */
    size_t npersons;
    char **sources;    /* source:NAME filters (publisher or agency) */
    size_t nsources;
    char from[11];     /* "YYYY-MM-DD" or "" */
    char to[11];       /* "YYYY-MM-DD" or "" */
    char warning[128]; /* non-fatal note, e.g. unbalanced quote closed; "" if none */
} kq_query;

/* Parse `input` (UTF-8, NUL-terminated). On success returns 0 and sets *out
 * (free with kq_query_free). On a malformed query returns -1, sets *out to
 * NULL, writes a one-line English message into err (pointing at the problem,
 * e.g. "from: expects a date YYYY-MM-DD at position 12") and the byte offset
 * into *err_pos. Returns -2 on out of memory. A query with no positive clause
 * and no filter is an error ("empty query"). A query with only filters is OK. */
int kq_parse(const char *input, kq_query **out, char *err, size_t errlen,
             size_t *err_pos);

void kq_query_free(kq_query *q);

#endif
