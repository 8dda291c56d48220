/* fuzz_encoding.c - legacy Vietnamese encodings (encoding.c): detection,
 * then conversion with the detected name and with each of the four
 * encodings khotin reads. Every byte value has a meaning in all four
 * (undefined bytes become U+FFFD), so conversion must always succeed and
 * give NUL-terminated, valid UTF-8 in NFC (reader.h). */
#include "fuzz.h"

static const char *const names[] = {"windows-1258", "viscii", "tcvn3", "vni"};

static void convert(const char *enc, const uint8_t *data, size_t size)
{
    char *out = NULL;
    size_t n = 0;
    int rc = kh_convert_to_utf8(enc, data, size, &out, &n);
    FUZZ_CHECK(rc == KHOTIN_OK || rc == KHOTIN_ENOMEM,
               "kh_convert_to_utf8(%s) of %zu bytes returned %d (%s)", enc, size, rc,
               khotin_last_error());
    if (rc == KHOTIN_OK) {
        FUZZ_CHECK(out != NULL, "kh_convert_to_utf8(%s) succeeded without output", enc);
        FUZZ_CHECK(out[n] == '\0', "kh_convert_to_utf8(%s) output not NUL-terminated", enc);
        FUZZ_CHECK(fuzz_utf8_ok(out, n),
                   "kh_convert_to_utf8(%s) output is not valid UTF-8 (bad byte at %zu)", enc,
                   kh_utf8_invalid_offset(out, n));
        FUZZ_CHECK(fuzz_is_nfc(out, n), "kh_convert_to_utf8(%s) output is not NFC", enc);
    } else {
        FUZZ_CHECK(out == NULL, "kh_convert_to_utf8(%s) failed but set *out", enc);
    }
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *guess = kh_detect_encoding(data, size);
    if (guess) {
        int known = 0;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            known |= strcmp(guess, names[i]) == 0;
        FUZZ_CHECK(known, "kh_detect_encoding returned '%s'", guess);
        convert(guess, data, size);
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        convert(names[i], data, size);
    return 0;
}
