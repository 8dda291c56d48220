/* driver.c - replay fuzz inputs without libFuzzer.
 *
 *   replay_NAME PATH...
 *
 * Runs LLVMFuzzerTestOneInput once on every file named, and on every file
 * in every folder named (not recursive, in name order). Each input is read
 * into a buffer of exactly its size, so AddressSanitizer builds catch
 * reads past the end. Exits 0 when every input ran (a finding abort()s),
 * 2 on a usage error or an unreadable path, or when no input was found
 * (a misconfigured corpus path should fail the test, not pass it). */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

static int run_file(const char *path, size_t *count)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *p = realloc(buf, cap *= 2);
            if (!p)
                free(buf);
            buf = p;
        }
    }
    int err = ferror(f);
    fclose(f);
    if (!buf || err) {
        free(buf);
        fprintf(stderr, "replay: %s: cannot read\n", path);
        return -1;
    }
    /* exact size: one past the input is outside the allocation */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
        free(buf);
        return -1;
    }
    memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    ++*count;
    return 0;
}

static int skip_entry(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

static int run_dir(const char *path, size_t *count)
{
    struct dirent **list = NULL;
    int n = scandir(path, &list, skip_entry, alphasort);
    if (n < 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        size_t plen = strlen(path) + strlen(list[i]->d_name) + 2;
        char *child = malloc(plen);
        struct stat st;
        if (child) {
            snprintf(child, plen, "%s/%s", path, list[i]->d_name);
            if (stat(child, &st) == 0 && S_ISREG(st.st_mode) && run_file(child, count))
                rc = -1;
        }
        free(child);
        free(list[i]);
    }
    free(list);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE-OR-FOLDER...\n", argv[0]);
        return 2;
    }
    size_t count = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            rc = 2;
        } else if (S_ISDIR(st.st_mode) ? run_dir(argv[i], &count)
                                       : run_file(argv[i], &count)) {
            rc = 2;
        }
    }
    if (count == 0) {
        fprintf(stderr, "replay: no input found\n");
        return 2;
    }
    printf("replay: %zu input(s) ran without a finding\n", count);
    return rc;
}
