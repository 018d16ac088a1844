package main

import (
	"context"
	"fmt"

	"github.com/wegwijs/wegwijs/cmd/wegwijs/internal/devdb"
	"github.com/wegwijs/wegwijs/retrieval/postgres"
)

func (e *env) devdbConfig() devdb.Config {
	return devdb.Config{Dir: e.cfg.DBDir, Logger: e.log}
}

// dsn returns DATABASE_URL, or starts (or reuses) the private database.
func (e *env) dsn(ctx context.Context) (string, error) {
	if e.cfg.DatabaseURL != "" {
		return e.cfg.DatabaseURL, nil
	}
	return devdb.Start(ctx, e.devdbConfig())
}

// openStore connects and applies pending migrations.
func (e *env) openStore(ctx context.Context) (*postgres.Store, error) {
	dsn, err := e.dsn(ctx)
	if err != nil {
		return nil, err
	}
	return postgres.Open(ctx, dsn, e.log)
}

func (e *env) db(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("Gebruik: wegwijs db status|start|stop|migrate")
	}
	switch args[0] {
	case "status":
		return e.dbStatus(ctx)
	case "start":
		if e.cfg.DatabaseURL != "" {
			return usagef("DATABASE_URL is ingesteld: wegwijs gebruikt die database en start geen eigen database.")
		}
		s, err := e.openStore(ctx)
		if err != nil {
			return err
		}
		s.Close()
		st, err := devdb.Status(ctx, e.devdbConfig())
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "De eigen database draait (map %s).\nDATABASE_URL voor andere programma's: %s\n", st.Dir, st.DSN)
		return nil
	case "stop":
		if e.cfg.DatabaseURL != "" {
			return usagef("DATABASE_URL is ingesteld: wegwijs stopt geen database die het niet zelf heeft gestart.")
		}
		if err := devdb.Stop(ctx, e.devdbConfig()); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "De eigen database is gestopt.")
		return nil
	case "migrate":
		s, v, err := e.openStoreVersion(ctx) // opening applies the migrations
		if err != nil {
			return err
		}
		defer s.Close()
		fmt.Fprintf(e.stdout, "Databaseschema is bijgewerkt: versie %d.\n", v)
		return nil
	}
	return usagef("Onbekende opdracht 'db %s'. Gebruik: wegwijs db status|start|stop|migrate", args[0])
}

func (e *env) dbStatus(ctx context.Context) error {
	if e.cfg.DatabaseURL == "" {
		st, err := devdb.Status(ctx, e.devdbConfig())
		if err != nil {
			return err
		}
		if !st.Running {
			fmt.Fprintf(e.stdout, "Eigen database: gestopt (map %s).\nDe volgende opdracht die de database nodig heeft, start hem weer.\n", st.Dir)
			return nil
		}
		fmt.Fprintf(e.stdout, "Eigen database: draait (PostgreSQL %s, proces %d, map %s)\n", st.Version, st.PID, st.Dir)
	} else {
		fmt.Fprintln(e.stdout, "Database: DATABASE_URL")
	}
	s, v, err := e.openStoreVersion(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	recs, err := s.List(ctx)
	if err != nil {
		return err
	}
	emb, dims, err := s.Embedder(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Schema: versie %d (deze versie van wegwijs: %d)\nDocumenten: %d\n", v, postgres.LatestSchema(), len(recs))
	if emb != "" {
		fmt.Fprintf(e.stdout, "Embeddings: %s (%d dimensies)\n", emb, dims)
	}
	m, efc, outdated, err := s.HNSWSettings(ctx)
	if err != nil {
		return err
	}
	if m > 0 {
		fmt.Fprintf(e.stdout, "Zoekindex: HNSW m=%d, ef_construction=%d\n", m, efc)
	}
	if outdated {
		fmt.Fprintln(e.stdout, "De zoekindex is gebouwd met oudere instellingen. Bij een grote kennisbank zoekt Wegwijs\n"+
			"nauwkeuriger als je hem opnieuw bouwt: wegwijs kb reembed.")
	}
	current, err := s.StatsCurrent(ctx)
	if err != nil {
		return err
	}
	if current {
		fmt.Fprintln(e.stdout, "Zoekstatistieken: bijgewerkt")
	} else {
		fmt.Fprintln(e.stdout, "Zoekstatistieken: niet bijgewerkt (een sync is onderbroken). De volgende 'wegwijs kb sync' of\n"+
			"'wegwijs kb add' werkt ze bij; tot dan wegen de woorden van nieuwe documenten niet goed mee.")
	}
	return nil
}

// openStoreVersion opens the store (applying migrations) and reads its
// schema version; the caller closes the store.
func (e *env) openStoreVersion(ctx context.Context) (*postgres.Store, int, error) {
	s, err := e.openStore(ctx)
	if err != nil {
		return nil, 0, err
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		s.Close()
		return nil, 0, err
	}
	return s, v, nil
}
