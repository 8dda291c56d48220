/* encoding.c - placeholder until legacy encodings land (see reader.h). */
#include "reader.h"

const char *kh_detect_encoding(const void *data, size_t len)
{
    (void)data;
    (void)len;
    return NULL;
}

int kh_convert_to_utf8(const char *encoding, const void *data, size_t len,
                       char **out, size_t *out_len)
{
    (void)data;
    (void)len;
    *out = NULL;
    *out_len = 0;
    return kh_error(KHOTIN_EINPUT, "encoding %s is not supported yet", encoding);
}
