-- 003_author.sql - the author line of an article (JSON-LD author, a
-- byline), "" when unknown.
ALTER TABLE articles ADD COLUMN author TEXT NOT NULL DEFAULT '';
