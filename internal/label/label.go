// Package label draws shipping labels as PDF: A6 (105 × 148 mm), one
// label per page, with the article's S10 id as a Code 128 barcode and in
// text, its service, the recipient's name and address, the destination PIN
// in large type, its DIGIPIN, the sender, the COD amount and the booking
// date. It is pure Go (go-pdf/fpdf, boombuler/barcode) and does no I/O of
// its own.
package label

import (
	"fmt"
	"io"
	"time"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/go-pdf/fpdf"

	"dakiya/internal/postal"
)

// Page size and layout, in millimetres.
const (
	PageW    = 105.0
	PageH    = 148.0
	margin   = 6.0
	barX     = margin
	barY     = 12.0
	barH     = 22.0
	barWidth = PageW - 2*margin
)

// Label is what one label shows.
type Label struct {
	ID       string // S10
	Service  postal.Service
	Name     string
	Address  string
	PIN      string
	DIGIPIN  string
	Sender   string
	CODPaise postal.Paise
	Booked   time.Time // shown as a date in Zone
}

// Zone is the time zone booking dates are shown in.
var Zone = time.FixedZone("IST", 5*3600+1800)

// Bars returns the modules of id's Code 128 barcode, left to right: true
// for a bar. It is what Render draws, and what a reader decodes.
func Bars(id string) ([]bool, error) {
	bc, err := code128.Encode(id)
	if err != nil {
		return nil, fmt.Errorf("label: barcode %q: %w", id, err)
	}
	return modules(bc), nil
}

func modules(bc barcode.Barcode) []bool {
	b := bc.Bounds()
	out := make([]bool, b.Dx())
	for x := b.Min.X; x < b.Max.X; x++ {
		r, _, _, _ := bc.At(x, b.Min.Y).RGBA()
		out[x-b.Min.X] = r == 0
	}
	return out
}

// Render writes labels as one PDF, a page each.
func Render(w io.Writer, labels []Label) error {
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: fpdf.SizeType{Wd: PageW, Ht: PageH}})
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetTitle("Dakiya labels", true)
	pdf.SetCreator("Dakiya", true)
	if len(labels) > 0 {
		pdf.SetCreationDate(labels[0].Booked)
		pdf.SetModificationDate(labels[0].Booked)
	}
	text := pdf.UnicodeTranslatorFromDescriptor("") // cp1252: other scripts print as '?'
	for _, l := range labels {
		if err := page(pdf, text, l); err != nil {
			return err
		}
	}
	return pdf.Output(w)
}

// page draws one label.
func page(pdf *fpdf.Fpdf, text func(string) string, l Label) error {
	bars, err := Bars(l.ID)
	if err != nil {
		return err
	}
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 10)
	pdf.SetXY(margin, margin)
	pdf.CellFormat(barWidth/2, 5, "DAKIYA / INDIA POST", "", 0, "L", false, 0, "")
	pdf.CellFormat(barWidth/2, 5, text(serviceName(l.Service)), "", 1, "R", false, 0, "")
	drawBars(pdf, bars)
	pdf.SetFont("Courier", "B", 14)
	pdf.SetXY(margin, barY+barH+1)
	pdf.CellFormat(barWidth, 6, l.ID, "", 1, "C", false, 0, "")
	pdf.Line(margin, barY+barH+8, PageW-margin, barY+barH+8)
	pdf.SetXY(margin, barY+barH+10)
	pdf.SetFont("Helvetica", "", 8)
	pdf.CellFormat(barWidth, 4, "TO", "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "B", 12)
	pdf.MultiCell(barWidth, 5.5, text(l.Name), "", "L", false)
	pdf.SetFont("Helvetica", "", 10)
	pdf.MultiCell(barWidth, 4.5, text(l.Address), "", "L", false)
	pdf.SetXY(margin, 88)
	pdf.SetFont("Helvetica", "B", 30)
	pdf.CellFormat(barWidth, 13, "PIN "+l.PIN, "1", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	if l.DIGIPIN != "" {
		pdf.CellFormat(barWidth, 6, "DIGIPIN "+l.DIGIPIN, "", 1, "C", false, 0, "")
	}
	footer(pdf, text, l)
	return nil
}

// footer draws the COD amount, the sender and the booking date.
func footer(pdf *fpdf.Fpdf, text func(string) string, l Label) {
	pdf.SetXY(margin, 112)
	if l.CODPaise > 0 {
		pdf.SetFont("Helvetica", "B", 14)
		pdf.CellFormat(barWidth, 8, "COD Rs. "+l.CODPaise.Rupees(), "1", 1, "C", false, 0, "")
	}
	pdf.SetXY(margin, 126)
	pdf.SetFont("Helvetica", "", 8)
	pdf.CellFormat(barWidth, 4, "FROM", "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "B", 10)
	pdf.MultiCell(barWidth, 4.5, text(l.Sender), "", "L", false)
	pdf.SetXY(margin, PageH-margin-4)
	pdf.SetFont("Helvetica", "", 8)
	pdf.CellFormat(barWidth, 4, "Booked "+l.Booked.In(Zone).Format("2006-01-02"), "", 0, "R", false, 0, "")
}

// drawBars draws the barcode's bars as filled rectangles, one per run of
// bar modules, scaled to the label's width.
func drawBars(pdf *fpdf.Fpdf, bars []bool) {
	mw := barWidth / float64(len(bars))
	pdf.SetFillColor(0, 0, 0)
	for i := 0; i < len(bars); {
		if !bars[i] {
			i++
			continue
		}
		j := i
		for j < len(bars) && bars[j] {
			j++
		}
		pdf.Rect(barX+float64(i)*mw, barY, float64(j-i)*mw, barH, "F")
		i = j
	}
}

func serviceName(s postal.Service) string {
	switch s {
	case postal.ServiceSpeedPost:
		return "SPEED POST"
	case postal.ServiceRegistered:
		return "REGISTERED"
	case postal.ServiceParcel:
		return "PARCEL"
	case postal.ServiceLetter:
		return "LETTER"
	}
	return string(s)
}
