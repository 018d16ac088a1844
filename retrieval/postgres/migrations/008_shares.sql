-- Answers waiting to be shared in a channel: a slash command's answer is
-- shown to the asker alone, with a button that posts it for everyone. Any
-- replica may get the click, so the rendered answer (quotes from the
-- documents and their sources; never the question, never the privacy
-- warning) waits here, by the id the button carries, for an hour at most.
CREATE TABLE shares (
    id         text PRIMARY KEY,
    payload    bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shares_created ON shares (created_at);
