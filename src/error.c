/* error.c - the thread-local "last error" message and small string helpers. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local char last_error[1024];

const char *khotin_last_error(void) { return last_error; }

void kh_error_clear(void) { last_error[0] = '\0'; }

int kh_error(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return status;
}

void khotin_free(void *p) { free(p); }

const char *khotin_version(void) { return KHOTIN_VERSION; }

char *kh_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *kh_strdup(const char *s) { return kh_strndup(s, strlen(s)); }

/* ---- kh_buf ---- */

void kh_buf_init(kh_buf *b) { memset(b, 0, sizeof *b); }

void kh_buf_free(kh_buf *b)
{
    free(b->data);
    kh_buf_init(b);
}

void kh_buf_reset(kh_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static int grow(kh_buf *b, size_t need)
{
    if (b->oom)
        return KHOTIN_ENOMEM;
    if (b->len + need + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + need + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->oom = 1;
        return KHOTIN_ENOMEM;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

int kh_buf_append(kh_buf *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap && grow(b, n))
        return KHOTIN_ENOMEM;
    if (b->oom)
        return KHOTIN_ENOMEM;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int kh_buf_puts(kh_buf *b, const char *s) { return kh_buf_append(b, s, strlen(s)); }

int kh_buf_putc(kh_buf *b, char c)
{
    if (b->len + 2 > b->cap && grow(b, 1))
        return KHOTIN_ENOMEM;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return 0;
}

int kh_buf_printf(kh_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || grow(b, (size_t)n))
        return KHOTIN_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

const char *kh_buf_cstr(kh_buf *b)
{
    return b->data ? b->data : "";
}

char *kh_buf_take(kh_buf *b)
{
    char *p = b->data;
    if (!p && !b->oom)
        p = kh_strdup("");
    if (b->oom) {
        free(p);
        p = NULL;
    }
    kh_buf_init(b);
    return p;
}
