/* extract.h - internal interface between the extract stage's files:
 * extract.c (paragraphs, sources), dates.c (dates), people.c (people). */
#ifndef KHOTIN_EXTRACT_H
#define KHOTIN_EXTRACT_H

#include "internal.h"

typedef struct kh_date {
    khotin_date_precision precision; /* KHOTIN_DATE_NONE when not found */
    char iso[64];                    /* "2017-07-20", "--07-20", ... */
} kh_date;

/* 1 when the paragraph is only a date (a dateline such as
 * "Thứ năm, 20/7/2017, 14:30 (GMT+7)"); fills *d. */
int kh_date_line(const char *para, kh_date *d);

/* Find the first day+month date expression in a paragraph ("ngày 20/7",
 * "20/7/2017", "ngày 20 tháng 7 năm 2017", "2017-07-20"). 1 when found. */
int kh_date_find(const char *para, kh_date *d);

/* Every date expression of a paragraph, in order (day+month and full
 * dates as above, and month/year "tháng 10/2016"); cb returns non-zero to
 * stop. */
typedef int (*kh_date_cb)(void *ctx, const kh_date *d);
int kh_date_find_all(const char *para, kh_date_cb cb, void *ctx);

/* A date in a URL ("/2017/07/20/", "-20220824.htm"): 1 when found. */
int kh_url_date(const char *url, kh_date *d);

/* Publisher name for a URL's host from the table of Vietnamese outlets, or
 * NULL. */
const char *kh_publisher_for_url(const char *url);

/* Find the people named in the article's headline, lead and body, with
 * roles and quotes, and add them to the article. */
int kh_extract_people(khotin_article *a);

/* people.c: is the text exactly a known place name ("Hà Nội")? */
int kh_is_place_name(const char *text);

/* Exchange the agency lists of two articles. */
void kh_article_swap_agencies(khotin_article *a, khotin_article *b);

#endif
