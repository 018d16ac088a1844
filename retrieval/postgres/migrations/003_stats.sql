-- The number of searchable chunks, kept with the other derived search data
-- (refreshed after every change), so a search need not count the table.
CREATE MATERIALIZED VIEW corpus_stats AS
    SELECT 1 AS id, count(*)::float8 AS chunks FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.active;
CREATE UNIQUE INDEX corpus_stats_id ON corpus_stats (id);
