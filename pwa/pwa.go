// Package pwa embeds the phone and console app that the binary serves at /.
// It lives beside the files because //go:embed cannot reach into "..".
package pwa

import (
	"embed"
	"io/fs"
)

//go:embed index.html app.css track.js slot.html slot.js
var files embed.FS

// Files returns the app's files.
func Files() fs.FS { return files }
