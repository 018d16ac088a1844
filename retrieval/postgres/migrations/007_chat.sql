-- Chat platform events already handled, so that several replicas on one
-- database (and a replay after a reconnect) answer each event once: ids and
-- a timestamp only, never text. Rows older than a day are removed by
-- `wegwijs serve` (PurgeEvents).
CREATE TABLE processed_events (
    platform     text        NOT NULL,
    event_id     text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (platform, event_id)
);
CREATE INDEX processed_events_at ON processed_events (processed_at);

-- 👍 and 👎 per answer fingerprint (a hash of the cited passages and the
-- knowledge-base version), with the documents the answer cited: never a
-- question, never a user.
CREATE TABLE feedback (
    fingerprint text PRIMARY KEY,
    documents   text[]      NOT NULL DEFAULT '{}',
    up          int         NOT NULL DEFAULT 0 CHECK (up >= 0),
    down        int         NOT NULL DEFAULT 0 CHECK (down >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
