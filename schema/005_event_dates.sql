-- 005_event_dates.sql - the dates of the events an article mentions
-- ("ngày 20/7" -> '--07-20', "tháng 10/2016" -> '2016-10'), in order of
-- appearance, so archives can be searched by what happened when.
CREATE TABLE article_dates (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    date       TEXT NOT NULL,
    precision  TEXT NOT NULL
        CHECK (precision IN ('year','month','month_day','day','time')),
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX article_dates_date ON article_dates(date);
