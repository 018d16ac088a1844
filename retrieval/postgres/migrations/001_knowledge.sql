-- Documents and their versions. One row per version; exactly one version of
-- a document is active, and only the active version has chunks.
CREATE TABLE documents (
    id           bigserial PRIMARY KEY,
    slug         text        NOT NULL,
    version      int         NOT NULL,
    active       boolean     NOT NULL DEFAULT false,
    title        text        NOT NULL,
    publisher    text        NOT NULL DEFAULT '',
    region       text        NOT NULL DEFAULT '',
    url          text        NOT NULL DEFAULT '',
    published    date,
    source       text        NOT NULL,             -- file path or URL it came from
    origin       text        NOT NULL DEFAULT '',  -- the folder a sync brought it from
    format       text        NOT NULL,
    pages        int         NOT NULL DEFAULT 0,
    content_hash text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    removed_at   timestamptz,
    UNIQUE (slug, version)
);
CREATE UNIQUE INDEX documents_one_active ON documents (slug) WHERE active;

CREATE TABLE chunks (
    id           bigserial PRIMARY KEY,
    document_id  bigint  NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ordinal      int     NOT NULL,
    heading      text[]  NOT NULL DEFAULT '{}',
    heading_text text    NOT NULL DEFAULT '',   -- heading path joined, for search
    page_from    int     NOT NULL DEFAULT 0,
    page_to      int     NOT NULL DEFAULT 0,
    text         text    NOT NULL,
    context      text    NOT NULL DEFAULT '',   -- the sentence before, searched but not shown
    tsv          tsvector GENERATED ALWAYS AS (
                     setweight(to_tsvector('dutch', heading_text), 'B') ||
                     setweight(to_tsvector('dutch', text), 'A') ||
                     setweight(to_tsvector('dutch', context), 'D')) STORED,
    words        tsvector GENERATED ALWAYS AS (to_tsvector('simple', text || ' ' || context)) STORED,
    embedding    halfvec,
    UNIQUE (document_id, ordinal)
);
CREATE INDEX chunks_tsv ON chunks USING gin (tsv);
CREATE INDEX chunks_words ON chunks USING gin (words);
CREATE INDEX chunks_text_trgm ON chunks USING gin (text gin_trgm_ops);

-- Distinct words of the active chunks, for fuzzy (trigram) term lookup:
-- a trigram search on a word list is fast where one on chunk bodies is not.
CREATE MATERIALIZED VIEW lexicon AS
    SELECT word, ndoc FROM ts_stat(
        'SELECT c.words FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.active');
CREATE UNIQUE INDEX lexicon_word ON lexicon (word);
CREATE INDEX lexicon_word_trgm ON lexicon USING gin (word gin_trgm_ops);

-- Settings of the knowledge base, such as which embedder filled the vectors.
CREATE TABLE settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);
