-- The knowledge base's version: bumped in the same transaction as every
-- change of what can answer (a document version swapped in or removed, the
-- glossary replaced). An answer's fingerprint names it, and whoever caches
-- the catalogue or the glossary knows from it when the cache is stale.
CREATE TABLE kb_state (
    id         int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    version    bigint      NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO kb_state (id, version) VALUES (1, 1);

CREATE FUNCTION kb_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE kb_state SET version = version + 1, changed_at = now() WHERE id = 1;
    RETURN NULL;
END $$;

CREATE TRIGGER documents_kb_bump AFTER INSERT OR UPDATE OR DELETE ON documents
    FOR EACH STATEMENT EXECUTE FUNCTION kb_bump();
CREATE TRIGGER glossary_kb_bump AFTER INSERT OR UPDATE OR DELETE ON glossary
    FOR EACH STATEMENT EXECUTE FUNCTION kb_bump();
