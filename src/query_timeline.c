/* query_timeline.c - placeholder until timelines land (see khotin.h). */
#include "internal.h"

int khotin_timeline_new(khotin_db *db, const char *query, khotin_period by,
                        int fold, khotin_timeline **out)
{
    (void)db;
    (void)query;
    (void)by;
    (void)fold;
    *out = NULL;
    return kh_error(KHOTIN_ERROR, "timelines are not available yet");
}
size_t khotin_timeline_count(const khotin_timeline *t) { (void)t; return 0; }
const khotin_bucket *khotin_timeline_get(const khotin_timeline *t, size_t i) { (void)t; (void)i; return NULL; }
int64_t khotin_timeline_undated(const khotin_timeline *t) { (void)t; return 0; }
void khotin_timeline_free(khotin_timeline *t) { (void)t; }
