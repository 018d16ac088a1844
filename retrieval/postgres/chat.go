package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Claim records that platform event eventID is being handled, and reports
// whether this caller is the first: INSERT … ON CONFLICT DO NOTHING, so of
// several replicas exactly one gets each event.
func (s *Store) Claim(ctx context.Context, platform, eventID string) (bool, error) {
	tag, err := s.pool.Exec(ctx, `INSERT INTO processed_events (platform, event_id) VALUES ($1, $2)
		ON CONFLICT DO NOTHING`, platform, eventID)
	if err != nil {
		return false, s.readErr("claim event", err)
	}
	return tag.RowsAffected() == 1, nil
}

// PurgeEvents removes the claims older than age; it returns how many.
func (s *Store) PurgeEvents(ctx context.Context, age time.Duration) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM processed_events WHERE processed_at < now() - make_interval(secs => $1)`, age.Seconds())
	if err != nil {
		return 0, s.readErr("purge events", err)
	}
	return tag.RowsAffected(), nil
}

// RecordFeedback adds up and down (each +1, 0 or -1) to an answer's
// counts; a count never goes below zero.
func (s *Store) RecordFeedback(ctx context.Context, fingerprint string, documents []string, up, down int) error {
	if documents == nil {
		documents = []string{}
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO feedback (fingerprint, documents, up, down)
		VALUES ($1, $2, greatest($3, 0), greatest($4, 0))
		ON CONFLICT (fingerprint) DO UPDATE SET
			up = greatest(feedback.up + $3, 0), down = greatest(feedback.down + $4, 0),
			documents = CASE WHEN cardinality(excluded.documents) > 0 THEN excluded.documents ELSE feedback.documents END,
			updated_at = now()`, fingerprint, documents, up, down)
	if err != nil {
		return s.readErr("record feedback", err)
	}
	return nil
}

// Feedback is the count for one answer fingerprint.
type Feedback struct {
	Fingerprint string
	Documents   []string
	Up, Down    int
}

// FeedbackFor returns the counts of an answer fingerprint (zero when none).
func (s *Store) FeedbackFor(ctx context.Context, fingerprint string) (Feedback, error) {
	f := Feedback{Fingerprint: fingerprint}
	err := s.pool.QueryRow(ctx, `SELECT documents, up, down FROM feedback WHERE fingerprint = $1`, fingerprint).Scan(&f.Documents, &f.Up, &f.Down)
	if errors.Is(err, pgx.ErrNoRows) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("feedback: %w", err)
	}
	return f, nil
}

// SaveShare keeps a rendered answer until it is shared (or purged).
func (s *Store) SaveShare(ctx context.Context, id string, payload []byte) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO shares (id, payload) VALUES ($1, $2)`, id, payload); err != nil {
		return s.readErr("save share", err)
	}
	return nil
}

// TakeShare returns a kept answer and forgets it, so it is shared once;
// nil when there is none (already shared, or purged).
func (s *Store) TakeShare(ctx context.Context, id string) ([]byte, error) {
	var payload []byte
	err := s.pool.QueryRow(ctx, `DELETE FROM shares WHERE id = $1 RETURNING payload`, id).Scan(&payload)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, s.readErr("take share", err)
	}
	return payload, nil
}

// PurgeShares forgets the answers kept longer than age.
func (s *Store) PurgeShares(ctx context.Context, age time.Duration) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM shares WHERE created_at < now() - make_interval(secs => $1)`, age.Seconds())
	if err != nil {
		return 0, s.readErr("purge shares", err)
	}
	return tag.RowsAffected(), nil
}
