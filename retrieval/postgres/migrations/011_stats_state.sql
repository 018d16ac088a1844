-- The knowledge-base version (kb_state.version) that the derived search
-- data was last refreshed for: the materialized views lexicon, postings,
-- stems and corpus_stats. They are refreshed after the document
-- transactions (a refresh per document would cost a 100k-chunk knowledge
-- base seconds each), so a run that ends in between (a crash, Ctrl-C, the
-- database going away) leaves them behind; Store.Refresh compares the two
-- versions and refreshes when they differ, so the next run repairs them.
-- Its own row, not a column of kb_state: a refresh must not hold the row
-- that every document change updates. 0: not known to be current (a
-- knowledge base from before this migration is refreshed once).
CREATE TABLE stats_state (
    id           int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    version      bigint      NOT NULL,
    refreshed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO stats_state (id, version) VALUES (1, 0);
