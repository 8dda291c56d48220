/* read.c - the "read" stage: get bytes from a file and make them clean text.
 *
 * Checks, in order: the file exists and is a regular file, is not larger than
 * KH_MAX_ARTICLE_BYTES, is not empty, is not binary (NUL or other control
 * bytes), is valid UTF-8 (the message names the first bad byte). Then a UTF-8
 * BOM is dropped, CRLF and lone CR become LF, and the text is normalised to
 * NFC (utf8proc), so NFD input from macOS looks like everything else.
 *
 * Not for: parsing fields (extract.c), legacy encodings or HTML (later).
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#define KH_MAX_ARTICLE_BYTES (32u * 1024u * 1024u)

size_t kh_utf8_invalid_offset(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (len - i <= need) /* truncated sequence at the end */
            return i;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += need + 1;
    }
    return (size_t)-1;
}

static int is_stray_control(unsigned char c)
{
    return c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f';
}

/* Binary data: a NUL byte anywhere, or more than 5% control bytes (other
 * than TAB/LF/CR/FF) in the first 8 KiB. A few stray control bytes in a
 * text (seen in real saved articles) are replaced by spaces instead.
 * Returns the offset of the first offending byte or (size_t)-1. */
static size_t binary_offset(const unsigned char *s, size_t len)
{
    const unsigned char *nul = memchr(s, 0, len);
    if (nul)
        return (size_t)(nul - s);
    size_t scan = len < 8192 ? len : 8192, ctrl = 0, first = (size_t)-1;
    for (size_t i = 0; i < scan; i++)
        if (is_stray_control(s[i])) {
            if (!ctrl)
                first = i;
            ctrl++;
        }
    return ctrl * 20 > scan ? first : (size_t)-1;
}

/* True when the (valid UTF-8) text only has code points that are their own
 * NFC form whatever surrounds them: Latin up to U+02FF, the Vietnamese
 * letters of Latin Extended Additional, and common punctuation. Most news
 * text passes, and skips the normaliser. */
static int surely_nfc(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t k;
        if (c < 0xE0) {
            cp = ((uint32_t)(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
            k = 2;
        } else if (c < 0xF0) {
            cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) |
                 (s[i + 2] & 0x3F);
            k = 3;
        } else {
            return 0;
        }
        if (!(cp < 0x300 || (cp >= 0x1E00 && cp <= 0x1EFF) ||
              (cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x205E)))
            return 0;
        /* U+0340/0341/0343/0344/0374/037E are singletons, but all >= 0x300 */
        i += k;
    }
    return 1;
}

static int only_space(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' &&
            s[i] != '\f')
            return 0;
    return 1;
}

int khotin_read_buffer(const char *name, const void *data, size_t len,
                       char **out, size_t *out_len)
{
    *out = NULL;
    if (out_len)
        *out_len = 0;
    if (!name)
        name = "input";
    const unsigned char *s = data;
    size_t skip = 0;
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        skip = 3;
    if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        return kh_error(KHOTIN_EINPUT,
                        "%s: UTF-16 text is not supported yet; convert it to "
                        "UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)", name);
    if (only_space((const char *)s + skip, len - skip))
        return kh_error(KHOTIN_EINPUT, "%s: file is empty: nothing to import",
                        name);
    size_t bin = binary_offset(s, len);
    if (bin != (size_t)-1)
        return kh_error(KHOTIN_EINPUT,
                        "%s: looks like a binary file (byte 0x%02X at byte "
                        "offset %zu): not a text article",
                        name, s[bin], bin);
    size_t bad = kh_utf8_invalid_offset((const char *)s, len);
    if (bad != (size_t)-1)
        return kh_error(KHOTIN_EINPUT,
                        "%s: invalid UTF-8 at byte offset %zu (byte 0x%02X); "
                        "save the file as UTF-8 and import it again",
                        name, bad, s[bad]);
    /* CRLF / CR -> LF while copying. */
    char *tmp = malloc(len - skip + 1);
    if (!tmp)
        return kh_error(KHOTIN_ENOMEM, "out of memory reading %s", name);
    size_t n = 0;
    for (size_t i = skip; i < len; i++) {
        if (s[i] == '\r') {
            tmp[n++] = '\n';
            if (i + 1 < len && s[i + 1] == '\n')
                i++;
        } else {
            tmp[n++] = is_stray_control(s[i]) ? ' ' : (char)s[i];
        }
    }
    tmp[n] = '\0';
    if (surely_nfc(tmp, n)) {
        *out = tmp;
        if (out_len)
            *out_len = n;
        return KHOTIN_OK;
    }
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)tmp,
                                      (utf8proc_ssize_t)n, &nfc,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    free(tmp);
    if (m < 0)
        return kh_error(m == UTF8PROC_ERROR_NOMEM ? KHOTIN_ENOMEM : KHOTIN_EINPUT,
                        "%s: cannot normalise text: %s", name,
                        utf8proc_errmsg(m));
    *out = (char *)nfc;
    if (out_len)
        *out_len = (size_t)m;
    return KHOTIN_OK;
}

#define KH_MAX_FILE_BYTES (1024LL * 1024 * 1024) /* 1 GiB: JSONL datasets */

int kh_map_file(const char *path, kh_mapped *m)
{
    memset(m, 0, sizeof *m);
    struct stat st;
    int rc = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0)
        rc = kh_error(KHOTIN_EIO, "%s: %s", path, strerror(errno));
    else if (S_ISDIR(st.st_mode))
        rc = kh_error(KHOTIN_EIO, "%s: is a folder, not a file", path);
    else if (!S_ISREG(st.st_mode))
        rc = kh_error(KHOTIN_EIO, "%s: not a regular file", path);
    else if (st.st_size == 0)
        rc = kh_error(KHOTIN_EINPUT, "%s: file is empty: nothing to import", path);
    else if (st.st_size > KH_MAX_FILE_BYTES)
        rc = kh_error(KHOTIN_EINPUT, "%s: file is %lld bytes, more than the 1 GiB "
                      "khotin reads at once; split it", path, (long long)st.st_size);
    if (rc == 0) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            rc = kh_error(KHOTIN_EIO, "%s: %s", path, strerror(errno));
        } else {
            m->data = p;
            m->len = (size_t)st.st_size;
        }
    }
    if (fd >= 0)
        close(fd);
    return rc;
}

void kh_unmap_file(kh_mapped *m)
{
    if (m->data)
        munmap((void *)m->data, m->len);
    memset(m, 0, sizeof *m);
}

int khotin_read_file(const char *path, char **out, size_t *out_len)
{
    *out = NULL;
    struct stat st;
    if (stat(path, &st) != 0)
        return kh_error(KHOTIN_EIO, "%s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return kh_error(KHOTIN_EIO, "%s: is a folder, not a file", path);
    if (!S_ISREG(st.st_mode))
        return kh_error(KHOTIN_EIO, "%s: not a regular file", path);
    if ((uint64_t)st.st_size > KH_MAX_ARTICLE_BYTES)
        return kh_error(KHOTIN_EINPUT,
                        "%s: file is %lld bytes, more than the %u MiB an "
                        "article may have; split it or check it is an article",
                        path, (long long)st.st_size,
                        KH_MAX_ARTICLE_BYTES / (1024 * 1024));
    FILE *f = fopen(path, "rb");
    if (!f)
        return kh_error(KHOTIN_EIO, "%s: %s", path, strerror(errno));
    size_t cap = (size_t)st.st_size + 1;
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return kh_error(KHOTIN_ENOMEM, "out of memory reading %s", path);
    }
    size_t len = fread(buf, 1, cap - 1, f);
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        return kh_error(KHOTIN_EIO, "%s: read error", path);
    }
    int rc = khotin_read_buffer(path, buf, len, out, out_len);
    free(buf);
    return rc;
}
