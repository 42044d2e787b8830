// Command dakiya is the whole Dakiya server: the HTTP API with the PWA
// embedded, and the commands an operator runs beside it.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // centres' time zones must not depend on the host's zone files
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "dakiya:", err)
		os.Exit(1)
	}
}

const usage = `usage: dakiya [command] [flags]

commands:
  serve       run the API and the PWA (the default)
  migrate     bring the database schema up to date and exit
  demo        load the demo data set (refused in production)
  adduser     add a member of staff; the password is read from standard input
  routebench  [-budget 1s] [-seed N] FILE.tsp…: solve TSPLIB instances, one JSON line each
  vrpbench    [-budget 10s] [-seed N] FILE.txt…: solve Solomon VRPTW instances, verified, one JSON line each
  forecast    [-horizon 14] [-folds 8] [-festivals FILE] FILE.csv: backtest the demand forecast on
              date,count lines (festivals default to the built-in calendar), one JSON line a fold
  healthcheck [-url URL] [-timeout 3s]: exit 0 when a running server answers 2xx (the image's
              HEALTHCHECK; default /healthz on DAKIYA_ADDR)
  retention   erase personal data past DAKIYA_RETENTION_DAYS and expire proofs past
              DAKIYA_PROOF_RETENTION_DAYS now (serve runs it daily), one JSON line
  partitions  [-ahead N] [-keep N]: create the coming months' PostgreSQL partitions, move waiting
              rows into theirs, drop months past the retention; prints JSON
  sweep       [-all]: delete orphan proof objects once (recent day folders under the sweep lease,
              or -all: every proof object)
  help        show this text

Configuration comes from the environment; see README.md.
`

// run dispatches a command. Everything the process touches comes in as an
// argument, so tests can run commands in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd, rest := "serve", []string{}
	if len(args) > 1 {
		cmd, rest = args[1], args[2:]
	}
	env := environment{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	switch cmd {
	case "serve":
		return serve(ctx, env, rest)
	case "migrate":
		return migrate(ctx, env, rest)
	case "demo":
		return loadDemo(ctx, env, rest)
	case "adduser":
		return addUser(ctx, env, rest)
	case "routebench":
		return routebench(ctx, env, rest)
	case "vrpbench":
		return vrpbench(ctx, env, rest)
	// vrpbench: commands above this line
	case "forecast":
		return forecastCmd(ctx, env, rest)
	// forecast: commands above this line
	case "healthcheck":
		return healthcheck(ctx, env, rest)
	// healthcheck: commands above this line
	case "retention":
		return retentionCmd(ctx, env, rest)
	// retention: commands above this line
	case "partitions":
		return partitionsCmd(ctx, env, rest)
	// partitions: commands above this line
	case "sweep":
		return sweepCmd(ctx, env, rest)
	// sweep (batch): commands above this line
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// environment is what a command may read and write.
type environment struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}
