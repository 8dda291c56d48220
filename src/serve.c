/* serve.c - placeholder until the web server lands (see khotin.h). */
#include "internal.h"

int khotin_serve(const char *db_path, const khotin_serve_opts *opts)
{
    (void)db_path;
    (void)opts;
    return kh_error(KHOTIN_ERROR, "this khotin was built without the web server");
}
