/* read_html.c - placeholder until the reader lands (see reader.h). */
#include "reader.h"

int kh_read_html(const char *name, const void *data, size_t len,
        const kh_read_opts *opts, kh_doc_cb cb, void *ctx)
{
    (void)data;
    (void)len;
    (void)opts;
    (void)cb;
    (void)ctx;
    return kh_error(KHOTIN_EINPUT, "%s: this kind of file is not supported yet", name);
}
