-- 002_collations.sql - names and sources compared through ICU.
--
-- vn_nocase is the ICU root collation at primary strength, registered by
-- khotin (and by its loadable extension): "Đặng" = "dang", "Nguyễn Xuân Phúc"
-- = "nguyen xuan phuc", "Thuỷ" = "Thủy". It becomes the declared collation of
-- person names, agency names and publishers, each indexed, so person: and
-- source: lookups are accent-insensitive index searches. SQLite cannot change
-- a column's collation in place: the tables are rebuilt (the documented
-- 12-step procedure; store.c turns foreign keys off around migrations and
-- runs PRAGMA foreign_key_check before committing).

CREATE TABLE people_new (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL COLLATE vn_nocase,
    name_key TEXT NOT NULL UNIQUE
);
INSERT INTO people_new(id, name, name_key) SELECT id, name, name_key FROM people;
DROP TABLE people;
ALTER TABLE people_new RENAME TO people;
CREATE INDEX people_name ON people(name);

CREATE TABLE agencies_new (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE vn_nocase
);
INSERT INTO agencies_new(id, name) SELECT id, name FROM agencies;
DROP TABLE agencies;
ALTER TABLE agencies_new RENAME TO agencies;

CREATE TABLE articles_new (
    id             INTEGER PRIMARY KEY,
    headline       TEXT NOT NULL,
    lead           TEXT NOT NULL DEFAULT '',
    body           TEXT NOT NULL DEFAULT '',
    people         TEXT NOT NULL DEFAULT '',
    pub_date       TEXT,
    date_precision TEXT NOT NULL DEFAULT 'none'
        CHECK (date_precision IN ('none','year','month','month_day','day','time')),
    publisher      TEXT NOT NULL DEFAULT '' COLLATE vn_nocase,
    url            TEXT,
    content_hash   TEXT NOT NULL UNIQUE,
    source_path    TEXT NOT NULL,
    imported_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
INSERT INTO articles_new SELECT id, headline, lead, body, people, pub_date,
    date_precision, publisher, url, content_hash, source_path, imported_at
    FROM articles;
DROP TRIGGER articles_ad;
DROP TRIGGER articles_au;
DROP TABLE articles;
ALTER TABLE articles_new RENAME TO articles;
CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url IS NOT NULL;
CREATE INDEX articles_pub_date ON articles(pub_date);
CREATE INDEX articles_publisher ON articles(publisher);
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, headline, lead, body, people)
    VALUES ('delete', old.id, old.headline, old.lead, old.body, old.people);
END;
CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, headline, lead, body, people)
    VALUES ('delete', old.id, old.headline, old.lead, old.body, old.people);
    INSERT INTO articles_fts(rowid, headline, lead, body, people)
    VALUES (new.id, new.headline, new.lead, new.body, new.people);
END;

-- Facts about the archive: the ICU version its collation indexes were built
-- with (store.c runs REINDEX when the running ICU differs).
CREATE TABLE khotin_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
