package testkit

import (
	"bytes"
	"context"
	"crypto/rand"
	"dakiya/internal/objstore"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	s3StartTimeout = 15 * time.Second
	// s3Attempts covers the port being taken between our probe and the
	// gateway binding it, and the one fallback to sidecar metadata.
	s3Attempts = 3
)

// S3Server is a local S3 server (the Versity S3 Gateway on the posix
// backend) owned by one test. It checks request signatures like MinIO does
// and keeps object user metadata.
type S3Server struct {
	Endpoint  string // http://127.0.0.1:PORT
	AccessKey string
	SecretKey string
	Bucket    string // unique and not created: callers call EnsureBucket
	Dir       string // the gateway's root; each bucket is a folder in it
}

// S3 starts a fresh gateway for t on a free loopback port, with its data in
// a temporary folder and random credentials, and stops it when t ends. The
// binary is $DAKIYA_VERSITYGW or bin/versitygw under RepoRoot. Without it
// the test is skipped, or fails when DAKIYA_REQUIRE_S3=1.
func S3(t testing.TB) S3Server {
	t.Helper()
	bin := versitygwPath(t)
	srv := S3Server{
		AccessKey: rand.Text()[:20],
		SecretKey: rand.Text(),
		Bucket:    "dakiya-test-" + strings.ToLower(rand.Text()[:12]),
		Dir:       t.TempDir(),
	}
	var sidecar string
	var lastErr error
	for range s3Attempts {
		addr := freeLoopbackAddr(t)
		g, err := startGateway(bin, gatewayArgs(srv, addr, sidecar), "http://"+addr+healthPath(srv))
		if err == nil {
			t.Cleanup(g.stop)
			srv.Endpoint = "http://" + addr
			t.Logf("testkit: S3 gateway started at %s", srv.Endpoint)
			return srv
		}
		lastErr = err
		if sidecar == "" && strings.Contains(err.Error(), "xattr") {
			// The filesystem lacks extended attributes: keep metadata in
			// a sidecar folder, which must lie outside the root.
			sidecar = t.TempDir()
		}
	}
	t.Fatalf("testkit: start versitygw: %v", lastErr)
	return S3Server{}
}

// RepoRoot returns the folder holding the go.mod of module dakiya, found by
// walking up from the working directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	start, err := os.Getwd()
	if err != nil {
		t.Fatalf("testkit: working directory: %v", err)
	}
	for dir := start; ; dir = filepath.Dir(dir) {
		if isRepoRoot(dir) {
			return dir
		}
		if filepath.Dir(dir) == dir {
			t.Fatalf("testkit: no go.mod for module dakiya at or above %s", start)
		}
	}
}

func isRepoRoot(dir string) bool {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	for line := range strings.Lines(string(data)) {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`) == "dakiya"
		}
	}
	return false
}

func versitygwPath(t testing.TB) string {
	t.Helper()
	path := os.Getenv("DAKIYA_VERSITYGW")
	if path == "" {
		path = filepath.Join(RepoRoot(t), "bin", "versitygw")
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		return path
	}
	msg := fmt.Sprintf("versitygw not found at %s; build it with `make bin/versitygw` "+
		"(or set DAKIYA_VERSITYGW to its path)", path)
	if os.Getenv("DAKIYA_REQUIRE_S3") == "1" {
		t.Fatalf("testkit: %s", msg)
	}
	t.Skipf("S3 SUITE SKIPPED: %s. Set DAKIYA_REQUIRE_S3=1 to make this a failure.", msg)
	return ""
}

// freeLoopbackAddr returns a loopback address nothing listens on right now.
func freeLoopbackAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testkit: find a free port: %v", err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func gatewayArgs(srv S3Server, addr, sidecar string) []string {
	args := []string{
		"--access", srv.AccessKey, "--secret", srv.SecretKey,
		"--port", addr, "--keep-alive", "--quiet",
		"--health", healthPath(srv),
		"posix",
	}
	if sidecar != "" {
		args = append(args, "--sidecar", sidecar)
	}
	return append(args, srv.Dir)
}

// healthPath is unique to this gateway, so a 200 from it proves we reached
// our process and not another test's that took the port.
func healthPath(srv S3Server) string {
	return "/testkit-health-" + strings.ToLower(srv.AccessKey)
}

// gateway is one running versitygw process.
type gateway struct {
	cmd     *exec.Cmd
	stderr  *lockedBuffer
	exited  chan struct{}
	waitErr error // set before exited is closed
}

func startGateway(bin string, args []string, healthURL string) (*gateway, error) {
	g := &gateway{cmd: exec.Command(bin, args...), stderr: &lockedBuffer{}, exited: make(chan struct{})}
	g.cmd.SysProcAttr = dieWithParent()
	g.cmd.Env = gatewayEnv()
	g.cmd.Stderr = g.stderr
	if err := g.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		g.waitErr = g.cmd.Wait()
		close(g.exited)
	}()
	if err := g.awaitReady(healthURL); err != nil {
		g.stop()
		return nil, err
	}
	return g, nil
}

// awaitReady polls the health endpoint until it answers, the process exits
// or the start-up time runs out.
func (g *gateway) awaitReady(healthURL string) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(s3StartTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-g.exited:
			return fmt.Errorf("versitygw exited (%v); stderr:\n%s", g.waitErr, g.stderr)
		default:
		}
		if resp, err := client.Get(healthURL); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	return fmt.Errorf("versitygw not ready after %s; stderr:\n%s", s3StartTimeout, g.stderr)
}

// stop kills the process and waits for it, so its folders can be removed.
func (g *gateway) stop() {
	g.cmd.Process.Kill()
	<-g.exited
}

// gatewayEnv drops settings the gateway reads from the environment, so a
// developer's shell cannot change how tests run it.
func gatewayEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "VGW_") || strings.HasPrefix(kv, "ROOT_") || strings.HasPrefix(kv, "LOGFILE=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// lockedBuffer collects the gateway's stderr while it runs.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written so far.
func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Bucket starts a gateway for t and returns an object store on a bucket
// made for it.
func Bucket(t testing.TB) *objstore.Store {
	t.Helper()
	srv := S3(t)
	st, err := objstore.New(objstore.Config{Endpoint: srv.Endpoint, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey, Bucket: srv.Bucket})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.EnsureBucket(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}
