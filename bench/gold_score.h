/* gold_score.h - the gold set of real articles (tests/gold/, issue 11 item 6)
 * and how khotin's output is scored against it. The format and the matching
 * rules are described in docs/annotation.md ("Format", "Matching").
 *
 * Ownership: every gs_doc is filled by gs_doc_read() or gs_doc_from_article()
 * and released with gs_doc_free(); its strings belong to it.
 */
#ifndef KHOTIN_GOLD_SCORE_H
#define KHOTIN_GOLD_SCORE_H

#include <stddef.h>
#include <stdio.h>

#include "khotin.h"

typedef struct gs_person {
    char *name;  /* full name as written */
    char *role;  /* "" when none */
    char *title; /* "" when none */
    int quoted;
} gs_person;

typedef struct gs_quote {
    char *speaker; /* full name of the speaker; NULL when unknown ("?") */
    char *text;    /* gold: the first words; output: the whole quote */
} gs_quote;

/* One article: the gold annotation, or khotin's output in the same shape. */
typedef struct gs_doc {
    char *file; /* "vietnews/txt/000001.txt" (gold only) */
    gs_person *person;
    size_t n_person;
    gs_quote *quote;
    size_t n_quote;
    char **source;
    size_t n_source;
    char **byline;
    size_t n_byline;
    char *text; /* output only: lead and body, one paragraph a line; NULL in
                   gold documents */
} gs_doc;

enum {
    GS_PEOPLE = 0, /* people, quoted or mentioned: exact folded name */
    GS_QUOTED,     /* the same, quoted people only */
    GS_ROLE,       /* role contains the gold role's words */
    GS_QUOTE,      /* gold quote start under the right speaker */
    GS_SOURCE,     /* cited outlets and agencies */
    GS_BYLINE,     /* the author field */
    GS_NFIELDS
};

/* Counts of one field. Recall = found / gold, precision = correct / output
 * (for people, sources and bylines found == correct). */
typedef struct gs_counts {
    size_t gold, output, found, correct;
} gs_counts;

/* Field names as used in floors files and reports: "people", "quoted",
 * "role", "quote", "source", "byline". */
const char *gs_field_name(int field);
int gs_field_by_name(const char *name); /* -1 when unknown */

/* Read a gold file (format in docs/annotation.md). Returns 0, or -1 with a
 * message "path:line: what is wrong" in err. On failure *doc is left empty. */
int gs_doc_read(const char *path, gs_doc *doc, char *err, size_t errlen);

/* khotin's output for one parsed article, in the same shape (persons,
 * quotes with their resolved speaker, agencies as sources, the author as
 * byline). Returns 0, or -1 when out of memory or on invalid UTF-8. */
int gs_doc_from_article(const khotin_article *a, gs_doc *doc);

void gs_doc_free(gs_doc *doc);

/* Score `out` against `gold` and add to c[GS_NFIELDS]. With `verbose`, one
 * line per miss and per false positive: "id<TAB>field<TAB>miss|wrong<TAB>
 * detail". Returns 0, or -1 when out of memory. */
int gs_score(const gs_doc *gold, const gs_doc *out, gs_counts c[GS_NFIELDS],
             FILE *verbose, const char *id);

/* Precision, recall and F1 of one field (1 when there is nothing to find
 * and nothing was output; 0 when one side is empty and the other not). */
double gs_precision(const gs_counts *c);
double gs_recall(const gs_counts *c);
double gs_f1(const gs_counts *c);

/* The comparison keys (caller frees; NULL on invalid UTF-8 or no memory).
 * gs_name_key: folded, spaces collapsed, no spaces around '-', no
 * trailing '.'. gs_words_key: folded words of letters and digits joined by
 * one space, every other character dropped. */
char *gs_name_key(const char *s);
char *gs_words_key(const char *s);

#endif
