/* export.c - the "export" stage: search results as CSV.
 *
 * RFC 4180: fields separated by commas, records by CRLF; a field with a
 * comma, quote, CR or LF is quoted and its quotes doubled. UTF-8 with a BOM
 * by default, so Excel shows Vietnamese correctly. A cell starting with
 * = + - @ TAB or CR is prefixed with ' so a spreadsheet shows it as text
 * instead of running it as a formula (OWASP "CSV injection").
 */
#include "internal.h"

#include <string.h>

static int needs_neutralising(const char *v)
{
    return v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' ||
           v[0] == '\t' || v[0] == '\r';
}

int khotin_csv_cell(FILE *f, const char *value)
{
    const char *v = value ? value : "";
    int neutral = needs_neutralising(v);
    int quote = 0;
    for (const char *p = v; *p; p++)
        if (*p == ',' || *p == '"' || *p == '\r' || *p == '\n') {
            quote = 1;
            break;
        }
    if (quote)
        fputc('"', f);
    if (neutral)
        fputc('\'', f);
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    if (quote)
        fputc('"', f);
    return ferror(f) ? kh_error(KHOTIN_EIO, "write error while exporting CSV")
                     : KHOTIN_OK;
}

int khotin_csv_row(FILE *f, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', f);
        khotin_csv_cell(f, cells[i]);
    }
    fputs("\r\n", f);
    return ferror(f) ? kh_error(KHOTIN_EIO, "write error while exporting CSV") : KHOTIN_OK;
}

int khotin_csv_bom(FILE *f)
{
    fputs("\xEF\xBB\xBF", f);
    return ferror(f) ? kh_error(KHOTIN_EIO, "write error while exporting CSV") : KHOTIN_OK;
}

int khotin_export_csv(const khotin_results *r, FILE *f, unsigned flags)
{
    if (!(flags & KHOTIN_CSV_NO_BOM))
        khotin_csv_bom(f);
    static const char *const header[] = {"id", "date", "headline", "publisher",
                                         "url", "people", "snippet"};
    khotin_csv_row(f, header, 7);
    for (size_t i = 0; i < khotin_results_count(r); i++) {
        const khotin_hit *h = khotin_results_get(r, i);
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)h->id);
        const char *cells[7] = {id, h->date, h->headline, h->publisher,
                                h->url, h->people, h->snippet};
        khotin_csv_row(f, cells, 7);
    }
    if (fflush(f) != 0 || ferror(f))
        return kh_error(KHOTIN_EIO, "write error while exporting CSV");
    return KHOTIN_OK;
}
