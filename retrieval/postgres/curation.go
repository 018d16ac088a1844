package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	At       time.Time
	Platform string
	Actor    string
	Action   string
	Document string
	Version  int
	Outcome  string
}

// Audit records what was done to the knowledge base; ids and codes only.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO audit_log (platform, actor, action, document, version, outcome)
		VALUES ($1, $2, $3, $4, $5, $6)`, e.Platform, e.Actor, e.Action, e.Document, e.Version, e.Outcome)
	if err != nil {
		return s.readErr("audit", err)
	}
	return nil
}

// AuditLog returns the newest entries first, at most limit.
func (s *Store) AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT at, platform, actor, action, document, version, outcome
		FROM audit_log ORDER BY at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, s.readErr("audit log", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (AuditEntry, error) {
		var e AuditEntry
		err := row.Scan(&e.At, &e.Platform, &e.Actor, &e.Action, &e.Document, &e.Version, &e.Outcome)
		return e, err
	})
}

// LogUnanswered keeps a redacted question Wegwijs did not answer, with
// its heaviest words.
func (s *Store) LogUnanswered(ctx context.Context, redacted, reason string, topics []string) error {
	if topics == nil {
		topics = []string{}
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO unanswered (question, reason, topics) VALUES ($1, $2, $3)`, redacted, reason, topics)
	if err != nil {
		return s.readErr("log unanswered", err)
	}
	return nil
}

// Gap is a topic unanswered questions share: a word, how many asked it,
// and a few of their (redacted) questions.
type Gap struct {
	Topic     string
	Questions int
	Examples  []string
}

// Gaps groups the unanswered questions of the last days by their topics,
// most asked first, at most limit topics of three examples each. A
// question counts for its first (heaviest) topic.
func (s *Store) Gaps(ctx context.Context, days, limit int) ([]Gap, int, error) {
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM unanswered WHERE at > now() - make_interval(days => $1)`, days).Scan(&total); err != nil {
		return nil, 0, s.readErr("gaps", err)
	}
	rows, err := s.pool.Query(ctx, `
		SELECT coalesce(topics[1], ''), count(*), (array_agg(question ORDER BY at DESC))[1:3]
		FROM unanswered WHERE at > now() - make_interval(days => $1)
		GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $2`, days, limit)
	if err != nil {
		return nil, 0, s.readErr("gaps", err)
	}
	gaps, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Gap, error) {
		var g Gap
		err := row.Scan(&g.Topic, &g.Questions, &g.Examples)
		return g, err
	})
	return gaps, total, err
}

// PurgeUnanswered deletes the unanswered questions older than days.
func (s *Store) PurgeUnanswered(ctx context.Context, days int) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM unanswered WHERE at < now() - make_interval(days => $1)`, days)
	if err != nil {
		return 0, s.readErr("purge unanswered", err)
	}
	return tag.RowsAffected(), nil
}

// DocumentFeedback is the 👍 and 👎 on the answers that cited a document.
type DocumentFeedback struct {
	Document string
	Up, Down int
}

// FeedbackByDocument sums the votes per cited document, most votes first.
func (s *Store) FeedbackByDocument(ctx context.Context) ([]DocumentFeedback, error) {
	rows, err := s.pool.Query(ctx, `SELECT d, sum(up)::int, sum(down)::int FROM feedback, unnest(documents) AS d
		GROUP BY d ORDER BY sum(up) + sum(down) DESC, d`)
	if err != nil {
		return nil, s.readErr("feedback by document", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (DocumentFeedback, error) {
		var f DocumentFeedback
		err := row.Scan(&f.Document, &f.Up, &f.Down)
		return f, err
	})
}
