// Command ferretdb runs FerretDB, a MongoDB wire-compatible server, embedded with its
// SQLite backend (the default of scripts/stores.sh) or its PostgreSQL one
// (EMBEDDED_DB=postgresql, for which scripts/stores.sh starts a private PostgreSQL). It
// exists because no mongod binary can be installed on the machines this project develops
// and tests on; scripts/stores.sh builds and starts it only when neither MONGODB_URI answers
// nor mongod is on PATH.
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

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

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		log.Fatal(err)
	}
}

// withPoolSize sets pool_max_conns when the URL does not. FerretDB 1.24 answers an update, a
// delete or a findAndModify by holding one pooled connection for the query's rows while it
// takes a second for the write's transaction. Once as many such operations run as the pool
// has connections, each holds one and waits for another, forever (its default pool is 50).
// FerretDB runs one operation at a time per client connection, so a pool larger than the
// client connections it serves cannot deadlock: the service opens at most 20 per process.
func withPoolSize(raw string, size int) (string, error) {
	if raw == "" {
		return raw, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	q := u.Query()
	if !q.Has("pool_max_conns") {
		q.Set("pool_max_conns", strconv.Itoa(size))
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}
