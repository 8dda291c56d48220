/* fuzz_text.c - the plain-text reader (read.c: BOM, CRLF, control bytes,
 * UTF-8 checks, NFC), the article extractor (extract.c, dates.c,
 * people.c), the text normaliser (text.c) and kh_read_text_docs (which
 * falls back to legacy-encoding detection when the bytes are not UTF-8).
 *
 * khotin_read_buffer promises (khotin.h): a NUL-terminated UTF-8 string in
 * NFC with LF line endings, or KHOTIN_EINPUT. */
#include "fuzz.h"

static void check_normalize(const char *text, size_t len, unsigned flags)
{
    char *out = NULL;
    int rc = khotin_text_normalize(text, len, flags, &out);
    FUZZ_CHECK(rc == KHOTIN_OK || rc == KHOTIN_ENOMEM,
               "khotin_text_normalize(flags %u) of valid UTF-8 returned %d (%s)", flags,
               rc, khotin_last_error());
    if (rc == KHOTIN_OK) {
        FUZZ_CHECK(out != NULL, "khotin_text_normalize succeeded without output");
        FUZZ_CHECK(fuzz_utf8_ok(out, strlen(out)),
                   "khotin_text_normalize(flags %u) output is not valid UTF-8", flags);
    }
    khotin_free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = NULL;
    size_t len = 0;
    int rc = khotin_read_buffer("fuzz.txt", data, size, &text, &len);
    FUZZ_CHECK(rc == KHOTIN_OK || rc == KHOTIN_EINPUT || rc == KHOTIN_ENOMEM,
               "khotin_read_buffer returned %d (%s)", rc, khotin_last_error());
    if (rc == KHOTIN_OK) {
        FUZZ_CHECK(text != NULL, "khotin_read_buffer succeeded without text");
        FUZZ_CHECK(text[len] == '\0', "text not NUL-terminated at out_len");
        FUZZ_CHECK(strlen(text) == len, "text has a NUL byte at %zu of %zu",
                   strlen(text), len);
        FUZZ_CHECK(fuzz_utf8_ok(text, len), "text is not valid UTF-8 (bad byte at %zu)",
                   kh_utf8_invalid_offset(text, len));
        FUZZ_CHECK(memchr(text, '\r', len) == NULL, "text still has a CR");
        FUZZ_CHECK(fuzz_is_nfc(text, len), "text is not NFC");
        fuzz_parse_and_dump(text, len, NULL);
        check_normalize(text, len, 0);
        check_normalize(text, len, KHOTIN_TEXT_EXACT);
        check_normalize(text, len, KHOTIN_TEXT_FOLD);
        char *folded = khotin_text_fold(text);
        FUZZ_CHECK(folded != NULL, "khotin_text_fold of valid UTF-8 returned NULL");
        khotin_free(folded);
    } else {
        FUZZ_CHECK(text == NULL, "khotin_read_buffer failed but set *out");
    }
    khotin_free(text);

    kh_read_opts opts = {NULL};
    rc = kh_read_text_docs("fuzz.txt", data, size, &opts, fuzz_take_doc, NULL);
    FUZZ_CHECK(rc <= 0, "kh_read_text_docs returned %d", rc);
    return 0;
}
