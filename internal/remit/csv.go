package remit

import (
	"strconv"
	"strings"
	"time"
)

// CSV renders a statement's lines as CSV rows: a header, a row per line
// and a last row of totals. Amounts are rupees with two decimals, exact
// from paise. Every cell is safe to open in a spreadsheet (see safeCell).
func CSV(d Detail) [][]string {
	rows := [][]string{{"statement_id", "partner_id", "date", "article_id", "delivery_id", "dc_id", "collected_on",
		"delivered_at", "mode", "upi_ref", "collected_rupees", "fee_rupees", "net_rupees"}}
	for _, l := range d.Lines {
		rows = append(rows, []string{d.ID, d.PartnerID, d.Date, l.ArticleID, l.DeliveryID, l.DCID, l.CollectedOn,
			l.DeliveredAt.Format(time.RFC3339), l.Mode, l.UPIRef, l.Collected.Rupees(), l.Fee.Rupees(), l.Net.Rupees()})
	}
	rows = append(rows, []string{d.ID, d.PartnerID, d.Date, "total", "", "", "", "", "", strconv.Itoa(d.Totals.Lines) + " lines",
		d.Totals.Collected.Rupees(), d.Totals.Fee.Rupees(), d.Totals.Net.Rupees()})
	for _, r := range rows {
		for i, c := range r {
			r[i] = safeCell(c)
		}
	}
	return rows
}

// safeCell keeps a spreadsheet from reading a cell as a formula (CSV
// injection): text starting with = + - @ or a tab or carriage return is
// prefixed with an apostrophe. Our amounts are never negative, so no
// number is changed.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
