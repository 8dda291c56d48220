/* check.h - a minimal test harness: CHECK(cond, fmt, ...) records a result
 * and prints the failing row; check_summary() prints "N passed, M failed"
 * and returns the exit status. */
#ifndef KHOTIN_CHECK_H
#define KHOTIN_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond, ...)                                                      \
    do {                                                                      \
        if (cond) {                                                           \
            check_passed++;                                                   \
        } else {                                                              \
            check_failed++;                                                   \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);             \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
        }                                                                     \
    } while (0)

#define CHECK_STR(got, want, ...)                                             \
    do {                                                                      \
        const char *g_ = (got), *w_ = (want);                                 \
        CHECK(g_ && strcmp(g_, w_) == 0, "got \"%s\", want \"%s\" (%s)",     \
              g_ ? g_ : "(null)", w_, __VA_ARGS__);                           \
    } while (0)

/* A whole file, NUL-terminated, caller frees (NULL when it cannot be read);
 * its size in *len unless len is NULL. */
static inline char *check_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t n = 0, cap = 4096, k;
    char *buf = malloc(cap);
    while (buf && (k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (n + 1 == cap) {
            char *p = realloc(buf, cap *= 2);
            if (!p)
                free(buf);
            buf = p;
        }
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static inline void check_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int check_summary(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
