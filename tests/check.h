/* check.h - a minimal test harness: CHECK(cond, fmt, ...) records a result
 * and prints the failing row; check_summary() prints "N passed, M failed"
 * and returns the exit status. */
#ifndef KHOTIN_CHECK_H
#define KHOTIN_CHECK_H

#include <stdio.h>
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

static int check_summary(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
