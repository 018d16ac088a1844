-- Drafts and the previous version. The chunks table holds the active
-- versions' chunks only (every search relies on it); a draft's chunks (a
-- new version indexed but not answering yet) and the previous version's
-- (kept so it can be restored) wait in chunks_shelf, which no search
-- reads. Activating a draft or restoring a version moves chunks between
-- the two in one transaction.
ALTER TABLE documents ADD COLUMN draft boolean NOT NULL DEFAULT false;
ALTER TABLE documents ADD COLUMN restorable boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX documents_one_draft ON documents (slug) WHERE draft;
CREATE UNIQUE INDEX documents_one_restorable ON documents (slug) WHERE restorable;

CREATE TABLE chunks_shelf (
    id           bigint  PRIMARY KEY DEFAULT nextval('chunks_id_seq'),
    document_id  bigint  NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ordinal      int     NOT NULL,
    heading      text[]  NOT NULL DEFAULT '{}',
    heading_text text    NOT NULL DEFAULT '',
    page_from    int     NOT NULL DEFAULT 0,
    page_to      int     NOT NULL DEFAULT 0,
    text         text    NOT NULL,
    context      text    NOT NULL DEFAULT '',
    embedding    halfvec
);
CREATE INDEX chunks_shelf_document ON chunks_shelf (document_id);
