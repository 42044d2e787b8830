package proof

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"

	"dakiya/internal/postal"
)

// MaxSide is the largest width or height accepted, in pixels: enough for
// evidence, and small enough that a supervisor's browser decodes it.
const MaxSide = 4096

// format is an accepted image format.
type format struct {
	name        string
	contentType string
	ext         string
	magic       func([]byte) bool
	config      func([]byte) (image.Config, error) // reads the header only
	decode      func([]byte) error                 // reads every pixel
	end         func([]byte) (int, error)          // where the image's own bytes end
	// verify walks the whole file's structure without decoding pixels, or
	// returns errNeedsDecode when only decode can judge it.
	verify func([]byte) error
}

var (
	formatJPEG = format{"JPEG", "image/jpeg", "jpg", isJPEG,
		func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) },
		func(b []byte) error { _, err := jpeg.Decode(bytes.NewReader(b)); return err }, jpegEnd,
		func(b []byte) error { _, err := verifyJPEG(b); return err }}
	formatPNG = format{"PNG", "image/png", "png", isPNG,
		func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) },
		func(b []byte) error { _, err := png.Decode(bytes.NewReader(b)); return err }, pngEnd, needsDecode}
	formatWebP = format{"WebP", "image/webp", "webp", isWebP,
		func(b []byte) (image.Config, error) { return webp.DecodeConfig(bytes.NewReader(b)) },
		func(b []byte) error { _, err := webp.Decode(bytes.NewReader(b)); return err }, riffEnd, needsDecode}
)

func needsDecode([]byte) error { return errNeedsDecode }

func isJPEG(b []byte) bool { return bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}) }
func isPNG(b []byte) bool  { return bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) }
func isWebP(b []byte) bool {
	return len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP"
}

// formats lists what each kind accepts: a signature is drawn on the phone
// and saved losslessly, so only PNG.
func formats(k Kind) []format {
	if k == KindSignature {
		return []format{formatPNG}
	}
	return []format{formatJPEG, formatPNG, formatWebP}
}

// picture is what inspect learns about an accepted file.
type picture struct {
	format        format
	width, height int
}

// inspect decides a file's type by its leading bytes (never by its name or
// declared type) and reads its dimensions from the header, before any
// pixel is decoded, so an image bomb costs nothing.
func inspect(k Kind, data []byte) (picture, error) {
	if len(data) == 0 {
		return picture{}, postal.Invalid("the file is empty", postal.FieldError{Field: "file", Message: "empty"})
	}
	for _, f := range formats(k) {
		if f.magic(data) {
			return dimensions(f, data)
		}
	}
	if k == KindSignature {
		return picture{}, postal.Errorf(postal.CodeUnsupported, "a signature must be a PNG image")
	}
	return picture{}, postal.Errorf(postal.CodeUnsupported, "a photo must be a JPEG, PNG or WebP image")
}

func dimensions(f format, data []byte) (picture, error) {
	cfg, err := f.config(data)
	if err != nil {
		return picture{}, postal.Invalid("the file is not a readable "+f.name+" image",
			postal.FieldError{Field: "file", Message: "unreadable " + f.name + " header"})
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxSide || cfg.Height > MaxSide {
		return picture{}, postal.Invalid(fmt.Sprintf("the image is %d×%d pixels", cfg.Width, cfg.Height),
			postal.FieldError{Field: "file", Message: fmt.Sprintf("width and height must each be from 1 to %d pixels", MaxSide)})
	}
	return picture{format: f, width: cfg.Width, height: cfg.Height}, nil
}
