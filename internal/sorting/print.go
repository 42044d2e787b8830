package sorting

import (
	"context"
	"io"
	"sort"
	"strconv"

	"github.com/go-pdf/fpdf"

	"dakiya/internal/postal"
)

// Sheet is one postman's printed sort plan: the cases of their beat in
// order, each with its articles.
type Sheet struct {
	Centre, Date    string
	Slot            postal.Slot
	Beat            Beat
	Rows            []Row
	Version         string
	ProblemArticles int
}

// Row is one article on a sheet.
type Row struct {
	Case      int
	ArticleID string
	Recipient string
	Address   string
}

// Sheets returns the printed sort plan of a slot, a sheet per postman (or
// only postman's, when given).
func (s *Service) Sheets(ctx context.Context, p postal.Principal, dcID, date string, sl postal.Slot, postman string) ([]Sheet, error) {
	if err := allowed(p, dcID); err != nil {
		return nil, err
	}
	if err := checkSlot(date, sl); err != nil {
		return nil, err
	}
	dc, err := s.store.DC(ctx, dcID)
	if err != nil {
		return nil, err
	}
	plan, in, err := s.derive(ctx, dc, date, sl)
	if err != nil {
		return nil, err
	}
	beats := map[string]Beat{}
	for _, b := range plan.Beats {
		beats[b.ID] = b
	}
	out := []Sheet{}
	for _, d := range in.Drafts {
		m := d.Manifest
		if postman != "" && m.PostmanID != postman {
			continue
		}
		sh := Sheet{Centre: dc.Name, Date: date, Slot: sl, Beat: beats[m.BeatID], Version: plan.Version}
		for i, st := range m.Stops {
			for _, it := range st.Articles {
				sh.Rows = append(sh.Rows, Row{Case: i + 1, ArticleID: it.ID, Recipient: st.RecipientName, Address: st.Address})
			}
		}
		out = append(out, sh)
	}
	if postman != "" && len(out) == 0 {
		return nil, postal.Errorf(postal.CodeNotFound, "that postman has no draft in this slot")
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Beat.PostmanName+out[i].Beat.ID < out[j].Beat.PostmanName+out[j].Beat.ID
	})
	return out, nil
}

// A4 layout, in millimetres.
const (
	sheetW, sheetH, sheetMargin = 210.0, 297.0, 12.0
	rowH                        = 6.5
)

// RenderSheets writes sheets as one A4 PDF, a postman's sheet starting on
// a page of its own (continued on more pages when long).
func RenderSheets(w io.Writer, sheets []Sheet) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(sheetMargin, sheetMargin, sheetMargin)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetTitle("Dakiya sort plan", true)
	pdf.SetCreator("Dakiya", true)
	text := pdf.UnicodeTranslatorFromDescriptor("") // cp1252: other scripts print as '?'
	if len(sheets) == 0 {
		pdf.AddPage()
		pdf.SetFont("Helvetica", "", 12)
		pdf.CellFormat(0, 8, "No drafts in this slot: build the manifests first.", "", 1, "L", false, 0, "")
	}
	for _, sh := range sheets {
		sheetHead(pdf, text, sh)
		for _, r := range sh.Rows {
			if pdf.GetY()+rowH > sheetH-sheetMargin {
				sheetHead(pdf, text, sh)
			}
			sheetRow(pdf, text, r)
		}
	}
	return pdf.Output(w)
}

var columns = [...]float64{16, 36, 50, 84}

func sheetHead(pdf *fpdf.Fpdf, text func(string) string, sh Sheet) {
	pdf.AddPage()
	r, g, b := rgb(sh.Beat.Colour.Background)
	pdf.SetFillColor(r, g, b)
	pdf.Rect(sheetMargin, sheetMargin, sheetW-2*sheetMargin, 10, "F")
	r, g, b = rgb(sh.Beat.Colour.Ink)
	pdf.SetTextColor(r, g, b)
	pdf.SetFont("Helvetica", "B", 14)
	pdf.SetXY(sheetMargin+2, sheetMargin)
	pdf.CellFormat(0, 10, text("Beat "+sh.Beat.Name+"  /  "+sh.Beat.PostmanName), "", 1, "L", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
	pdf.SetFont("Helvetica", "", 10)
	pdf.CellFormat(0, 7, text(sh.Centre+"  "+sh.Date+" "+string(sh.Slot)+"  -  "+strconv.Itoa(sh.Beat.Cases)+" cases, "+
		strconv.Itoa(len(sh.Rows))+" articles  -  plan "+sh.Version), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "B", 10)
	for i, h := range []string{"Case", "Article", "Recipient", "Address"} {
		pdf.CellFormat(columns[i], rowH, h, "B", 0, "L", false, 0, "")
	}
	pdf.Ln(rowH)
}

func sheetRow(pdf *fpdf.Fpdf, text func(string) string, r Row) {
	pdf.SetFont("Helvetica", "B", 12)
	pdf.CellFormat(columns[0], rowH, strconv.Itoa(r.Case), "B", 0, "L", false, 0, "")
	pdf.SetFont("Courier", "", 10)
	pdf.CellFormat(columns[1], rowH, r.ArticleID, "B", 0, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 9)
	pdf.CellFormat(columns[2], rowH, clip(pdf, text(r.Recipient), columns[2]), "B", 0, "L", false, 0, "")
	pdf.CellFormat(columns[3], rowH, clip(pdf, text(r.Address), columns[3]), "B", 1, "L", false, 0, "")
}

// clip shortens s to fit width w in the current font.
func clip(pdf *fpdf.Fpdf, s string, w float64) string {
	for len(s) > 0 && pdf.GetStringWidth(s) > w-2 {
		s = s[:len(s)-1]
	}
	return s
}

// rgb reads #RRGGBB.
func rgb(hex string) (int, int, int) {
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil || len(hex) != 7 {
		return 0, 0, 0
	}
	return int(v >> 16), int(v >> 8 & 0xff), int(v & 0xff)
}
