-- The store's own Dutch text-search configuration, so that a newer
-- PostgreSQL does not silently stem differently. The Go side
-- (retrieval/offline.Stem) runs the classic Snowball Dutch stemmer on
-- sentence words and must produce the stems PostgreSQL put in chunks.tsv
-- and gives for a question. PostgreSQL's development branch replaced the
-- algorithm behind its 'dutch' stemmer in 2026 and keeps the classic one
-- as 'dutch_porter'; PostgreSQL 15 has only 'dutch', and that is the
-- classic one. So: dutch_porter where the server has it, else dutch.
-- Creating a snowball dictionary checks the language at once (an unknown
-- one fails with undefined_object), which is the test. The choice is made
-- once: a database moved to a newer server by pg_upgrade or a dump keeps
-- LANGUAGE = dutch, which there names the new algorithm, and then needs
-- ALTER TEXT SEARCH DICTIONARY wegwijs_dutch_stem (LANGUAGE = dutch_porter),
-- UPDATE chunks SET text = text and REFRESH MATERIALIZED VIEW stems.
DO $$
BEGIN
    BEGIN
        CREATE TEXT SEARCH DICTIONARY wegwijs_dutch_stem (
            TEMPLATE = pg_catalog.snowball, LANGUAGE = dutch_porter, STOPWORDS = dutch);
    EXCEPTION WHEN undefined_object THEN
        CREATE TEXT SEARCH DICTIONARY wegwijs_dutch_stem (
            TEMPLATE = pg_catalog.snowball, LANGUAGE = dutch, STOPWORDS = dutch);
    END;
END
$$;

-- PostgreSQL's 'dutch' configuration with every mapping that used its
-- stemmer pointing to ours; numbers, e-mail addresses and links stay with
-- the 'simple' dictionary, as there.
CREATE TEXT SEARCH CONFIGURATION wegwijs_dutch (COPY = pg_catalog.dutch);
ALTER TEXT SEARCH CONFIGURATION wegwijs_dutch
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH wegwijs_dutch_stem;

-- A generated column's expression cannot be altered: drop the column (its
-- GIN index goes with it) and add it again, which computes it for the
-- chunks already stored.
ALTER TABLE chunks DROP COLUMN tsv;
ALTER TABLE chunks ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('wegwijs_dutch', heading_text), 'B') ||
    setweight(to_tsvector('wegwijs_dutch', text), 'A') ||
    setweight(to_tsvector('wegwijs_dutch', context), 'D')) STORED;
CREATE INDEX chunks_tsv ON chunks USING gin (tsv);

-- The document frequencies of the stems, from the new column.
REFRESH MATERIALIZED VIEW stems;
