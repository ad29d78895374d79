// Command ferretdb runs FerretDB, a MongoDB wire-compatible server, embedded with its
// PostgreSQL backend (the default of scripts/stores.sh, which starts a private PostgreSQL for
// it) or its SQLite one (EMBEDDED_DB=sqlite). It exists because no mongod binary can be
// installed on the machines this project develops and tests on; scripts/stores.sh builds and
// starts it only when neither MONGODB_URI answers nor mongod is on PATH.
package main

import (
	"context"
	_ "embed"
	"flag"
	"log"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/jackc/pgx/v5"
)

// ginTwins makes PostgreSQL able to use an index for what FerretDB pushes down (the file says
// how); it is installed in the database before FerretDB starts, and is idempotent.
//
//go:embed gin-twins.sql
var ginTwins string

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	handler := flag.String("handler", "sqlite", "backend: sqlite or postgresql")
	dataDir := flag.String("data", ".data/ferretdb", "directory for the SQLite files")
	postgresqlURL := flag.String("postgresql-url", "", "the PostgreSQL database, for -handler postgresql")
	poolMax := flag.Int("pool-max-conns", 400, "PostgreSQL connections at most, unless the URL sets pool_max_conns")
	flag.Parse()

	pgURL, err := withPoolSize(*postgresqlURL, *poolMax)
	if err != nil {
		log.Fatal(err)
	}

	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if *handler == "postgresql" {
		if err := installGinTwins(ctx, *postgresqlURL); err != nil {
			log.Fatal(err)
		}
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Logger:        logger,
		Handler:       *handler,
		SQLiteURL:     "file:" + dir + "/",
		PostgreSQLURL: pgURL,
	})
	if err != nil {
		log.Fatal(err)
	}

	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		log.Fatal(err)
	}
}

// withPoolSize sets pool_max_conns, and how soon idle connections close, when the URL does
// not. FerretDB 1.24 answers an update, a delete or a findAndModify by holding one pooled
// connection for the query's rows while it takes a second for the write's transaction. Once
// as many such operations run as the pool has connections, each holds one and waits for
// another, forever (its default pool is 50). FerretDB runs one operation at a time per client
// connection, so a pool larger than the client connections it serves cannot deadlock: the
// service opens at most 20 per process.
func withPoolSize(raw string, size int) (string, error) {
	if raw == "" {
		return raw, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	q := u.Query()
	defaults := map[string]string{
		"pool_max_conns": strconv.Itoa(size),
		// Idle connections close within a minute, not pgx's 30 (FerretDB turns any value
		// given into one minute): the tests' FerretDBs share one PostgreSQL's connections.
		"pool_max_conn_idle_time":  "1m",
		"pool_health_check_period": "15s",
	}
	for key, value := range defaults {
		if !q.Has(key) {
			q.Set(key, value)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// installGinTwins runs gin-twins.sql in the database, connected without the pool's settings
// (pgx would send them to PostgreSQL as its own).
func installGinTwins(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	q := u.Query()
	for key := range q {
		if strings.HasPrefix(key, "pool_") {
			q.Del(key)
		}
	}
	u.RawQuery = q.Encode()
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	// No arguments: the simple protocol, which runs the file's statements in one go.
	_, err = conn.Exec(ctx, ginTwins)
	return err
}
