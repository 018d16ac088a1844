-- Document frequency of every Dutch stem in the active chunks: the weight
-- of a query term (rare terms weigh more).
CREATE MATERIALIZED VIEW stems AS
    SELECT word, ndoc FROM ts_stat(
        'SELECT c.tsv FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.active');
CREATE UNIQUE INDEX stems_word ON stems (word);

-- The glossary of the knowledge base (abbreviations and synonyms), as YAML.
CREATE TABLE glossary (
    id         int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    body       text        NOT NULL,
    source     text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
