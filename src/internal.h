/* internal.h - helpers shared by libkhotin's modules; not installed. */
#ifndef KHOTIN_INTERNAL_H
#define KHOTIN_INTERNAL_H

#include "khotin.h"

#include <stdarg.h>
#include <stddef.h>
#include <sqlite3.h>

/* error.c: set the thread's last error message; returns `status`. */
int kh_error(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void kh_error_clear(void);

/* A growable byte buffer, always NUL-terminated when len > 0 or after
 * kh_buf_cstr(). */
typedef struct kh_buf {
    char *data;
    size_t len;
    size_t cap;
    int oom; /* set once an allocation failed; later appends are no-ops */
} kh_buf;

void kh_buf_init(kh_buf *b);
void kh_buf_free(kh_buf *b);
void kh_buf_reset(kh_buf *b);
int kh_buf_append(kh_buf *b, const void *p, size_t n);
int kh_buf_puts(kh_buf *b, const char *s);
int kh_buf_putc(kh_buf *b, char c);
int kh_buf_printf(kh_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Returns the buffer contents as a C string ("" when empty). */
const char *kh_buf_cstr(kh_buf *b);
/* Hands the heap string to the caller (never NULL unless oom). */
char *kh_buf_take(kh_buf *b);

char *kh_strdup(const char *s);
char *kh_strndup(const char *s, size_t n);

/* text.c: tokenizer core shared by the FTS5 tokenizer and the query layer. */

/* Callback for each word found: `start`,`end` are byte offsets into the
 * input; `exact` is the NFC, lower-case, tone-normalised form and `folded` the
 * form with every diacritic removed and đ->d (both NUL-terminated, valid only
 * during the call). Return non-zero to stop. */
typedef int (*kh_word_cb)(void *ctx, const char *exact, size_t exact_len,
                          const char *folded, size_t folded_len,
                          size_t start, size_t end);
/* Split text into words (letters, digits and combining marks; everything else
 * separates) and call cb for each. Returns 0, the callback's non-zero value,
 * or KHOTIN_ENOMEM. Invalid UTF-8 bytes act as separators. */
int kh_words(const char *text, size_t len, kh_word_cb cb, void *ctx);

/* 1 when two (folded, ASCII) strings are at most one edit apart:
 * "kratskikh" / "krutskikh". */
int kh_within_one_edit(const char *a, const char *b);

/* 1 when the word (UTF-8) contains any non-ASCII letter or mark. */
int kh_has_diacritics(const char *s, size_t len);

/* Marker byte that starts an exact (accented) token in the index. */
#define KH_EXACT_MARK "\x01"

/* Register khotin's FTS5 tokenizer ("khotin") and SQL functions (vn_fold)
 * with a connection. */
int kh_register_sqlite(sqlite3 *db);

/* extract.c: build an article from fields (used by the store when loading). */
khotin_article *kh_article_new(void);
int kh_article_set(char **field, const char *value);
struct kh_article_fields {
    int64_t id;
    char *headline, *lead, *body, *date, *publisher, *url, *source_path, *author;
    khotin_date_precision precision;
};
struct kh_article_fields *kh_article_fields(khotin_article *a);
int kh_article_add_agency(khotin_article *a, const char *name);
int kh_article_add_event_date(khotin_article *a, const char *iso,
                              khotin_date_precision precision);
int kh_article_add_person(khotin_article *a, const char *name,
                          const char *role, const char *quote, int quoted);
/* Set the title of person `i` (academic or military: "TS", "Thượng tướng"). */
int kh_article_set_person_title(khotin_article *a, size_t i, const char *title);
/* Append a quote; `person` is a person index or KHOTIN_NO_PERSON. */
int kh_article_add_quote(khotin_article *a, size_t person, const char *text,
                         size_t offset, int direct);

/* read.c: a whole file mapped read-only (not copied), after the checks
 * every reader needs: exists, a regular file, not empty, at most 1 GiB. */
typedef struct kh_mapped {
    const void *data;
    size_t len;
} kh_mapped;
int kh_map_file(const char *path, kh_mapped *m);
void kh_unmap_file(kh_mapped *m); /* no-op on an unmapped one */

/* read.c: UTF-8 validation; returns the offset of the first bad byte or
 * (size_t)-1 when the buffer is valid. */
size_t kh_utf8_invalid_offset(const char *s, size_t len);

#endif
