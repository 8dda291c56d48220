/* fuzz_html.c - the saved-page reader (read_html.c, libxml2, JSON-LD) and
 * the reader dispatcher (reader.c: MHTML, HTML, JSONL, text by content).
 *
 * Each document a reader hands over must be NUL-terminated UTF-8 NFC text
 * with UTF-8 metadata; it is parsed into an article and dumped, as
 * `khotin parse` would. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kh_read_opts opts = {NULL};
    int rc = kh_read_html("fuzz.html", data, size, &opts, fuzz_take_doc, NULL);
    FUZZ_CHECK(rc <= 0, "kh_read_html returned %d", rc);
    rc = kh_read_docs("fuzz", data, size, &opts, fuzz_take_doc, NULL);
    FUZZ_CHECK(rc <= 0, "kh_read_docs returned %d", rc);
    return 0;
}
