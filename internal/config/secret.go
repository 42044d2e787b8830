package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// secretFile is where development keeps its generated DAKIYA_SECRET_KEY.
const secretFile = "secret.key"

// LoadSecret makes sure c.SecretKey is set. In development a missing key is
// generated once and kept in VarDir/secret.key (mode 0600), so tokens and
// encrypted OTP seeds survive restarts; in production Load already refused a
// missing key.
func (c *Config) LoadSecret() error {
	if c.SecretKey != "" {
		return nil
	}
	if c.Production() {
		return errors.New("config: DAKIYA_SECRET_KEY is required in production")
	}
	path := filepath.Join(c.VarDir, secretFile)
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		c.SecretKey, c.SecretFrom = strings.TrimSpace(string(b)), "file"
		if len(c.SecretKey) < MinSecretLen {
			return fmt.Errorf("config: %s holds a key shorter than %d characters", path, MinSecretLen)
		}
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("config: read secret: %w", err)
	}
	return c.generateSecret(path)
}

func (c *Config) generateSecret(path string) error {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return fmt.Errorf("config: generate secret: %w", err)
	}
	key := hex.EncodeToString(raw)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("config: generate secret: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) { // another process made it first
		return c.LoadSecret()
	}
	if err != nil {
		return fmt.Errorf("config: generate secret: %w", err)
	}
	if _, err := f.WriteString(key + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("config: write secret: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("config: write secret: %w", err)
	}
	c.SecretKey, c.SecretFrom = key, "generated"
	return nil
}
