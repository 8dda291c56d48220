/* test_read.c - the read stage: BOM, CRLF, NFD, and every kind of bad input. */
#include "check.h"
#include "internal.h"

#include <stdlib.h>
#include <unistd.h>

static int read_str(const char *data, size_t len, char **out)
{
    size_t n;
    return khotin_read_buffer("t.txt", data, len, out, &n);
}

static void test_clean(void)
{
    const char nfc[] = "Tiêu đề\n\nNguyễn Thị Ngọc Thịnh\n";
    struct {
        const char *name;
        const char *data;
        size_t len;
    } rows[] = {
        {"plain", nfc, sizeof nfc - 1},
        {"BOM", "\xEF\xBB\xBFTiêu đề\n\nNguyễn Thị Ngọc Thịnh\n", sizeof nfc - 1 + 3},
        {"CRLF", "Tiêu đề\r\n\r\nNguyễn Thị Ngọc Thịnh\r\n", sizeof nfc - 1 + 3},
        {"CR", "Tiêu đề\r\rNguyễn Thị Ngọc Thịnh\r", sizeof nfc - 1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *out = NULL;
        CHECK(read_str(rows[i].data, rows[i].len, &out) == 0, "%s: %s",
              rows[i].name, khotin_last_error());
        CHECK_STR(out, nfc, rows[i].name);
        free(out);
    }
    /* NFD: "Nguyễn" decomposed */
    const char nfd[] = "Nguye\xcc\x82\xcc\x83n\n";
    char *out = NULL;
    CHECK(read_str(nfd, sizeof nfd - 1, &out) == 0, "NFD");
    CHECK_STR(out, "Nguyễn\n", "NFD -> NFC");
    free(out);
    /* a stray control byte in real text becomes a space, not a failure */
    const char stray[] = "Tiêu đề\n\nNgày 25/2,\x1d" " TAND tuyên án.\n";
    CHECK(read_str(stray, sizeof stray - 1, &out) == 0, "stray control byte");
    CHECK_STR(out, "Tiêu đề\n\nNgày 25/2,  TAND tuyên án.\n", "stray byte -> space");
    free(out);
}

static void test_bad(void)
{
    struct {
        const char *name;
        const char *data;
        size_t len;
        int status;
        const char *msg;
    } rows[] = {
        {"empty", "", 0, KHOTIN_EINPUT, "empty"},
        {"blank", " \n\r\n\t ", 6, KHOTIN_EINPUT, "empty"},
        {"BOM only", "\xEF\xBB\xBF", 3, KHOTIN_EINPUT, "empty"},
        {"NUL", "abc\0def", 7, KHOTIN_EINPUT, "binary file (byte 0x00 at byte offset 3)"},
        {"PNG", "\x89PNG\r\n\x1a\n", 8, KHOTIN_EINPUT, "binary"},
        {"controls", "ab\x01\x02\x03\x04" "cd", 8, KHOTIN_EINPUT, "binary"},
        {"invalid", "abc\xff" "def", 7, KHOTIN_EINPUT, "invalid UTF-8 at byte offset 3"},
        {"overlong", "ab\xc0\x80", 4, KHOTIN_EINPUT, "byte offset 2"},
        {"surrogate", "a\xed\xa0\x80", 4, KHOTIN_EINPUT, "byte offset 1"},
        {"truncated", "Vi\xe1\xbb", 4, KHOTIN_EINPUT, "byte offset 2"},
        {"latin1", "Ti\xeau \xf0\xe8", 7, KHOTIN_EINPUT, "byte offset 2"},
        {"UTF-16", "\xff\xfeT\0", 4, KHOTIN_EINPUT, "UTF-16"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *out = (char *)1;
        int rc = read_str(rows[i].data, rows[i].len, &out);
        CHECK(rc == rows[i].status, "%s: status %d", rows[i].name, rc);
        CHECK(out == NULL, "%s: no output", rows[i].name);
        CHECK(strstr(khotin_last_error(), rows[i].msg) != NULL,
              "%s: message \"%s\" lacks \"%s\"", rows[i].name,
              khotin_last_error(), rows[i].msg);
        CHECK(strstr(khotin_last_error(), "t.txt") != NULL, "%s: names the file",
              rows[i].name);
    }
}

static void test_files(void)
{
    char *out = NULL;
    size_t n;
    CHECK(khotin_read_file("/nonexistent/khotin/x.txt", &out, &n) == KHOTIN_EIO,
          "missing file");
    CHECK(strstr(khotin_last_error(), "No such file") != NULL, "%s", khotin_last_error());
    CHECK(khotin_read_file("/tmp", &out, &n) == KHOTIN_EIO, "folder");
    CHECK(strstr(khotin_last_error(), "folder") != NULL, "%s", khotin_last_error());
    char path[] = "/tmp/khotin-read-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "mkstemp");
    if (fd >= 0) {
        const char text[] = "\xEF\xBB\xBFĐặng\r\n";
        CHECK(write(fd, text, sizeof text - 1) == (ssize_t)(sizeof text - 1), "write");
        close(fd);
        CHECK(khotin_read_file(path, &out, &n) == 0, "read file");
        CHECK_STR(out, "Đặng\n", "file contents");
        CHECK(n == strlen("Đặng\n"), "length");
        free(out);
        unlink(path);
    }
}

int main(void)
{
    test_clean();
    test_bad();
    test_files();
    return check_summary("test_read");
}
