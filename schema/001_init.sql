-- 001_init.sql - the first khotin schema.
-- Applied once, in a transaction, by store.c when PRAGMA user_version < 1.

PRAGMA application_id = 1802007662; -- 'khtn': marks a khotin archive

CREATE TABLE articles (
    id             INTEGER PRIMARY KEY,
    headline       TEXT NOT NULL,
    lead           TEXT NOT NULL DEFAULT '',
    body           TEXT NOT NULL DEFAULT '',
    people         TEXT NOT NULL DEFAULT '',  -- names joined by '; ', indexed by FTS
    pub_date       TEXT,                      -- ISO 8601 ('2017-07-20', '--07-20', ...)
    date_precision TEXT NOT NULL DEFAULT 'none'
        CHECK (date_precision IN ('none','year','month','month_day','day','time')),
    publisher      TEXT NOT NULL DEFAULT '',
    url            TEXT,                      -- NULL when the article names none
    content_hash   TEXT NOT NULL UNIQUE,      -- of the folded, space-collapsed text
    source_path    TEXT NOT NULL,
    imported_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url IS NOT NULL;
CREATE INDEX articles_pub_date ON articles(pub_date);

CREATE TABLE people (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,          -- first spelling seen
    name_key TEXT NOT NULL UNIQUE    -- vn_fold(name): one identity per folded name
);

CREATE TABLE article_people (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people(id),
    role       TEXT NOT NULL DEFAULT '',
    quoted     INTEGER NOT NULL DEFAULT 0 CHECK (quoted IN (0, 1)),
    quote      TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL,      -- order of first appearance in the article
    PRIMARY KEY (article_id, person_id)
) WITHOUT ROWID;
CREATE INDEX article_people_person ON article_people(person_id);

CREATE TABLE agencies (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE article_agencies (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, agency_id)
) WITHOUT ROWID;
CREATE INDEX article_agencies_agency ON article_agencies(agency_id);

-- Full-text index over the articles table (external content). store.c adds
-- each new article to it in the same statement batch and transaction as the
-- article row (an AFTER INSERT trigger would make FTS5 flush its pending
-- terms at every statement: 2.5x slower imports). Deletes and updates, by
-- khotin or anyone else, are kept in step by the triggers below.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    headline, lead, body, people,
    content = 'articles', content_rowid = 'id',
    tokenize = 'khotin', detail = full
);
-- bm25 weights: headline > people > lead > body.
INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 5.0)');

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
