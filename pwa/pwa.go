// Package pwa embeds the phone and console app that the binary serves at /:
// the postman's offline app (index.html and its ES modules, locales, icons,
// web app manifest and the service worker template that the server fills
// in), the public tracking page, the recipient's slot page and the
// supervisor's console (console.html and console/, never precached).
// It lives beside the files because //go:embed cannot reach into "..".
package pwa

import (
	"embed"
	"io/fs"
)

//go:embed *.html *.css *.js *.webmanifest locales vendor icons console
var files embed.FS

// Files returns the app's files.
func Files() fs.FS { return files }
