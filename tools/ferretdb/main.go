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
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	handler := flag.String("handler", "sqlite", "backend: sqlite or postgresql")
	dataDir := flag.String("data", ".data/ferretdb", "directory for the SQLite files")
	postgresqlURL := flag.String("postgresql-url", "", "the PostgreSQL database, for -handler postgresql")
	flag.Parse()

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
		PostgreSQLURL: *postgresqlURL,
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
