/* reader.h - internal interface of the read stage's format readers.
 *
 * A file (or buffer) of any supported kind becomes one or more documents:
 * UTF-8 NFC text in the plain-article shape (headline line, then paragraphs
 * separated by blank lines) that extract.c parses like any .txt article,
 * plus the metadata the source itself carried, which overrides what
 * extraction finds (JSON-LD, meta tags, JSONL fields are more trustworthy
 * than text heuristics).
 *
 *   reader.c      picks the reader from the content (not only the name)
 *   read.c        plain text: BOM, CRLF, NFC, binary and UTF-8 checks
 *   encoding.c    legacy Vietnamese encodings -> UTF-8 (windows-1258,
 *                 VISCII, TCVN3/ABC, VNI), detection and conversion
 *   read_html.c   saved web pages (libxml2 HTML parser; JSON-LD, Open
 *                 Graph, <time>, canonical link, main-content extraction)
 *   read_mhtml.c  .mhtml/.mht single-file saves (MIME, quoted-printable,
 *                 base64) -> the HTML part -> read_html.c
 *   read_jsonl.c  JSON Lines datasets, one article per line
 */
#ifndef KHOTIN_READER_H
#define KHOTIN_READER_H

#include "internal.h"

typedef struct kh_doc {
    char *text;      /* plain-article text (owned, NUL-terminated, NFC) */
    size_t len;
    /* Metadata from the source; NULL when it carried none. All owned. */
    char *headline;  /* e.g. JSON-LD headline, og:title */
    char *lead;      /* sapo / description */
    char *author;    /* author line or JSON-LD author name(s), "; "-joined */
    char *publisher; /* JSON-LD publisher name or og:site_name (mapped to
                        the outlet's usual name where known) */
    char *url;       /* canonical URL */
    char *date;      /* ISO 8601 publication date, with time zone if known */
    khotin_date_precision date_precision; /* of `date` */
    char *name;      /* document name for messages: "file.jsonl:12" */
} kh_doc;

void kh_doc_clear(kh_doc *d); /* frees every member and zeroes it */

/* Metadata carried by the source beats what the text heuristics found:
 * copy the document's metadata over the parsed article's fields. */
int kh_doc_apply_metadata(khotin_article *a, const kh_doc *d);

/* Reading options (from the CLI). */
typedef struct kh_read_opts {
    const char *encoding; /* NULL: detect; else "utf-8", "windows-1258",
                             "viscii", "tcvn3", "vni" (case-insensitive) */
} kh_read_opts;

/* Called once per document; the callee takes ownership of *doc's members
 * (and must kh_doc_clear them). A non-zero return stops reading and is
 * returned by kh_read_docs. `status` is 0 for a good document, or a
 * negative khotin_status for a document that failed (e.g. one bad line of
 * a JSONL file): then doc->name names it and khotin_last_error() says why. */
typedef int (*kh_doc_cb)(void *ctx, int status, kh_doc *doc);

/* Read every document in data[0..len) (the bytes of file `name`). Returns
 * 0, a callback's non-zero value, or a negative status when the whole
 * input is unreadable (message in khotin_last_error(), naming `name`). */
int kh_read_docs(const char *name, const void *data, size_t len,
                 const kh_read_opts *opts, kh_doc_cb cb, void *ctx);

/* ---- the individual readers (each returns like kh_read_docs) ---- */

int kh_read_text_docs(const char *name, const void *data, size_t len,
                      const kh_read_opts *opts, kh_doc_cb cb, void *ctx);
int kh_read_html(const char *name, const void *data, size_t len,
                 const kh_read_opts *opts, kh_doc_cb cb, void *ctx);
int kh_read_mhtml(const char *name, const void *data, size_t len,
                  const kh_read_opts *opts, kh_doc_cb cb, void *ctx);
int kh_read_jsonl(const char *name, const void *data, size_t len,
                  const kh_read_opts *opts, kh_doc_cb cb, void *ctx);

/* ---- encodings (encoding.c) ---- */

/* Detect the encoding of bytes that are not valid UTF-8: returns one of
 * "windows-1258", "viscii", "tcvn3", "vni", or NULL when nothing fits. */
const char *kh_detect_encoding(const void *data, size_t len);

/* Convert `len` bytes in `encoding` (names as in kh_read_opts, or any
 * name ICU knows) to UTF-8 NFC. *out is caller-owned. */
int kh_convert_to_utf8(const char *encoding, const void *data, size_t len,
                       char **out, size_t *out_len);

#endif
