/* fuzz.h - shared by khotin's fuzz targets and the replay driver.
 *
 * Every target defines LLVMFuzzerTestOneInput(). Built with clang and
 * -fsanitize=fuzzer it is a libFuzzer binary (fuzz_NAME); built with any
 * compiler and driver.c it replays a corpus folder (replay_NAME, a ctest).
 *
 * FUZZ_CHECK states an invariant of khotin's documented contract; when it
 * does not hold the target prints why and abort()s, which libFuzzer reports
 * as a crash and saves the input. A FUZZ_CHECK failure is a finding in
 * khotin, not something to relax in the harness.
 */
#ifndef KHOTIN_FUZZ_H
#define KHOTIN_FUZZ_H

#include "reader.h" /* kh_doc, kh_read_*, internal.h, khotin.h */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                  \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "\n*** khotin fuzz: invariant violated at %s:%d: %s\n*** ", \
                    __FILE__, __LINE__, #cond);                                \
            fprintf(stderr, __VA_ARGS__);                                      \
            fprintf(stderr, "\n");                                             \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* A sink for khotin_article_dump (opened once, never closed). */
static inline FILE *fuzz_devnull(void)
{
    static FILE *f;
    if (!f)
        f = fopen("/dev/null", "w");
    FUZZ_CHECK(f != NULL, "cannot open /dev/null");
    return f;
}

static inline int fuzz_utf8_ok(const char *s, size_t len)
{
    return kh_utf8_invalid_offset(s, len) == (size_t)-1;
}

/* 1 when s[0..len) is its own NFC form (utf8proc, as khotin uses). */
static inline int fuzz_is_nfc(const char *s, size_t len)
{
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
                                      &nfc, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    int same = n >= 0 && (size_t)n == len && memcmp(nfc, s, len) == 0;
    free(nfc);
    return same;
}

/* Optional metadata of a kh_doc: NULL or a valid UTF-8 C string. */
static inline void fuzz_check_meta(const char *what, const char *s)
{
    if (s)
        FUZZ_CHECK(fuzz_utf8_ok(s, strlen(s)), "kh_doc.%s is not valid UTF-8", what);
}

/* Parse an article text and write it out, as `khotin parse` does; check
 * the accessors keep their "never NULL, UTF-8" promise. */
static inline void fuzz_parse_and_dump(const char *text, size_t len, const kh_doc *meta)
{
    khotin_article *a = NULL;
    int rc = khotin_article_parse(text, len, &a);
    FUZZ_CHECK(rc == KHOTIN_OK || rc == KHOTIN_EINPUT || rc == KHOTIN_ENOMEM,
               "khotin_article_parse returned %d (%s)", rc, khotin_last_error());
    if (rc != KHOTIN_OK) {
        FUZZ_CHECK(a == NULL, "khotin_article_parse failed but set *out");
        return;
    }
    FUZZ_CHECK(a != NULL, "khotin_article_parse succeeded without an article");
    if (meta)
        kh_doc_apply_metadata(a, meta);
    const char *fields[] = {khotin_article_headline(a), khotin_article_lead(a),
                            khotin_article_body(a),     khotin_article_date(a),
                            khotin_article_publisher(a), khotin_article_url(a),
                            khotin_article_author(a)};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        FUZZ_CHECK(fields[i] != NULL, "article field %zu is NULL", i);
        FUZZ_CHECK(fuzz_utf8_ok(fields[i], strlen(fields[i])),
                   "article field %zu is not valid UTF-8", i);
    }
    for (size_t i = 0; i < khotin_article_person_count(a); i++) {
        const khotin_person *p = khotin_article_person(a, i);
        FUZZ_CHECK(p && p->name && p->role && p->quote, "person %zu incomplete", i);
        FUZZ_CHECK(fuzz_utf8_ok(p->name, strlen(p->name)) &&
                       fuzz_utf8_ok(p->role, strlen(p->role)) &&
                       fuzz_utf8_ok(p->quote, strlen(p->quote)),
                   "person %zu is not valid UTF-8", i);
    }
    for (size_t i = 0; i < khotin_article_agency_count(a); i++)
        FUZZ_CHECK(khotin_article_agency(a, i) != NULL, "agency %zu is NULL", i);
    khotin_article_dump(a, fuzz_devnull());
    khotin_article_free(a);
}

/* kh_doc_cb for the readers: check the document, parse it, free it (the
 * callee owns the members: reader.h). */
static inline int fuzz_take_doc(void *ctx, int status, kh_doc *d)
{
    (void)ctx;
    FUZZ_CHECK(status <= 0, "reader passed status %d", status);
    if (status == 0) {
        FUZZ_CHECK(d->text != NULL, "document without text");
        FUZZ_CHECK(d->text[d->len] == '\0', "document text not NUL-terminated at len");
        FUZZ_CHECK(fuzz_utf8_ok(d->text, d->len), "document text is not valid UTF-8 "
                   "(first bad byte at %zu)", kh_utf8_invalid_offset(d->text, d->len));
        FUZZ_CHECK(fuzz_is_nfc(d->text, d->len), "document text is not NFC");
        fuzz_check_meta("headline", d->headline);
        fuzz_check_meta("lead", d->lead);
        fuzz_check_meta("author", d->author);
        fuzz_check_meta("publisher", d->publisher);
        fuzz_check_meta("url", d->url);
        fuzz_check_meta("date", d->date);
        fuzz_parse_and_dump(d->text, d->len, d);
    }
    kh_doc_clear(d);
    return 0;
}

#endif
