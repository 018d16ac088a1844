-- What was done to the knowledge base, from a chat tool or the command
-- line: who (a platform user id, or the system user for the command
-- line), when, which document and version, and what happened, as codes;
-- never message text.
CREATE TABLE audit_log (
    id       bigserial PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    platform text        NOT NULL,              -- mattermost, slack, cli
    actor    text        NOT NULL,              -- a platform user id
    action   text        NOT NULL,              -- draft, activate, cancel, remove, restore, refuse, denied, edit
    document text        NOT NULL DEFAULT '',
    version  int         NOT NULL DEFAULT 0,
    outcome  text        NOT NULL DEFAULT ''    -- ok, or a code of what went wrong
);
CREATE INDEX audit_log_at ON audit_log (at);

-- The opt-in log of questions Wegwijs did not answer (an abstention or a
-- lead), as the privacy guard left them (redacted), with their heaviest
-- words for grouping: for beleidsmedewerkers, to see which document is
-- missing. Off unless configured; `wegwijs serve` deletes rows older than
-- the configured days.
CREATE TABLE unanswered (
    id       bigserial PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    question text        NOT NULL,
    reason   text        NOT NULL DEFAULT '',
    topics   text[]      NOT NULL DEFAULT '{}'
);
CREATE INDEX unanswered_at ON unanswered (at);
