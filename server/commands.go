package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"dakiya/internal/auth"
	"dakiya/internal/demo"
	"dakiya/internal/postal"
)

func migrate(ctx context.Context, env environment, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("migrate takes no arguments")
	}
	a, err := open(ctx, env, newLogger(env.stderr, slog.LevelWarn))
	if err != nil {
		return err
	}
	a.close()
	fmt.Fprintln(env.stdout, "database schema is up to date")
	return nil
}

func loadDemo(ctx context.Context, env environment, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("demo takes no arguments")
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	if cfg.Production() {
		return errors.New("demo data is refused when DAKIYA_ENV=production")
	}
	a, err := open(ctx, env, newLogger(env.stderr, slog.LevelWarn))
	if err != nil {
		return err
	}
	defer a.close()
	s, err := demo.Load(ctx, demo.Deps{Centres: a.centres, Auth: a.auth, Users: a.db, Articles: a.articles, Slots: a.slots, Manifests: a.manifests, Rosters: a.rosters,
		Partners: a.partners, Bookings: a.bookings, Arrivals: a.db, Festivals: defaultFestivals(), Now: a.now})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if s.AlreadyLoaded {
		fmt.Fprintln(env.stdout, "demo data already loaded")
		return nil
	}
	fmt.Fprintf(env.stdout, "demo data loaded: %d centres, %d beats, %d users, %d articles, %d manifests dispatched\n",
		s.Centres, s.Beats, s.Users, s.Articles, s.Dispatched)
	return keepPartnerKey(env, cfg.VarDir, s.PartnerKey)
}

// keepPartnerKey shows the demo partner's API key and keeps it in
// VarDir/demo-partner-key (readable only by its owner), so the README's
// curl examples can read it; the server keeps only its hash.
func keepPartnerKey(env environment, dir, key string) error {
	if key == "" {
		return nil
	}
	path := filepath.Join(dir, "demo-partner-key")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		return fmt.Errorf("demo: keep the partner key: %w", err)
	}
	fmt.Fprintf(env.stdout, "demo partner %q: API key in %s\n", "Shree Ganesh Books", path)
	return nil
}

// addUser creates a member of staff, reading the password from the first
// line of standard input so it never shows in the process list.
func addUser(ctx context.Context, env environment, args []string) error {
	fs := flag.NewFlagSet("adduser", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	var n auth.NewUser
	var role string
	fs.StringVar(&n.Username, "username", "", "login name")
	fs.StringVar(&n.Name, "name", "", "full name")
	fs.StringVar(&role, "role", "", "postman, supervisor, sorter or admin")
	fs.StringVar(&n.DCID, "dc", "", "delivery centre id (not for admins)")
	fs.StringVar(&n.Locale, "locale", "en", "en or hi")
	if err := fs.Parse(args); err != nil {
		return err
	}
	n.Role = postal.Role(role)
	line, err := bufio.NewReader(env.stdin).ReadString('\n')
	if err != nil && line == "" {
		return errors.New("adduser: give the password on standard input")
	}
	n.Password = strings.TrimRight(line, "\r\n")
	a, err := open(ctx, env, newLogger(env.stderr, slog.LevelWarn))
	if err != nil {
		return err
	}
	defer a.close()
	u, err := a.auth.CreateUser(ctx, n)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(env.stdout, "created %s %s (%s)\n", u.Role, u.Username, u.ID)
	return nil
}

// describe spells out a classified error's field errors for a terminal.
func describe(err error) error {
	var pe *postal.Error
	if !errors.As(err, &pe) || len(pe.Fields) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString(pe.Message)
	for _, f := range pe.Fields {
		fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
	}
	return errors.New(b.String())
}
