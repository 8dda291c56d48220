-- 004_sources_searchable.sql - publisher, agencies and author become
-- searchable words too ("reuters", "an ninh thu do"): the attribution lines
-- they come from leave the body, and without this column their words could
-- not be found. A new FTS5 column needs a new FTS5 table, rebuilt from the
-- articles in this migration's transaction.

ALTER TABLE articles ADD COLUMN sources TEXT NOT NULL DEFAULT '';

UPDATE articles SET sources = trim(
    publisher
    || coalesce('; ' || (SELECT group_concat(name, '; ') FROM
           (SELECT g.name FROM article_agencies aa JOIN agencies g ON g.id = aa.agency_id
            WHERE aa.article_id = articles.id ORDER BY aa.position)), '')
    || CASE WHEN author <> '' THEN '; ' || author ELSE '' END,
    '; ');

DROP TRIGGER articles_ad;
DROP TRIGGER articles_au;
DROP TABLE articles_fts;

CREATE VIRTUAL TABLE articles_fts USING fts5(
    headline, lead, body, people, sources,
    content = 'articles', content_rowid = 'id',
    tokenize = 'khotin', detail = full
);
-- bm25 weights: headline > people > lead > sources > body.
INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 5.0, 2.0)');
INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');

CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, headline, lead, body, people, sources)
    VALUES ('delete', old.id, old.headline, old.lead, old.body, old.people, old.sources);
END;
CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, headline, lead, body, people, sources)
    VALUES ('delete', old.id, old.headline, old.lead, old.body, old.people, old.sources);
    INSERT INTO articles_fts(rowid, headline, lead, body, people, sources)
    VALUES (new.id, new.headline, new.lead, new.body, new.people, new.sources);
END;
