package forecast

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Festival is a known peak: arrivals rise over the Before days leading to
// Date and stay changed for After days from it. Festivals of the same
// Name share one estimated effect.
type Festival struct {
	ID     string `json:"id,omitempty"` // its key in the stored calendar
	Date   string `json:"date"`         // YYYY-MM-DD
	Name   string `json:"name"`
	Region string `json:"region"` // "" for all India
	Before int    `json:"before_days"`
	After  int    `json:"after_days"`
}

// MaxWindow bounds a festival's before and after days.
const MaxWindow = 30

// Check returns what is wrong with a festival, by field, or nil.
func (f Festival) Check() map[string]string {
	bad := map[string]string{}
	if t, err := time.Parse(time.DateOnly, f.Date); err != nil || len(f.Date) != 10 || t.Year() < 2000 || t.Year() > 2100 {
		bad["date"] = "a YYYY-MM-DD date between 2000 and 2100"
	}
	if n := strings.TrimSpace(f.Name); n == "" || n != f.Name || len(n) > 60 {
		bad["name"] = "1 to 60 characters, no surrounding spaces"
	}
	if len(f.Region) > 60 {
		bad["region"] = "at most 60 characters"
	}
	if f.Before < 0 || f.Before > MaxWindow {
		bad["before_days"] = fmt.Sprintf("0 to %d", MaxWindow)
	}
	if f.After < 0 || f.After > MaxWindow {
		bad["after_days"] = fmt.Sprintf("0 to %d", MaxWindow)
	}
	if len(bad) == 0 {
		return nil
	}
	return bad
}

// ReadFestivals parses a festival calendar: a header line
// date,name,region,before_days,after_days and one festival a line.
func ReadFestivals(r io.Reader) ([]Festival, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 5
	cr.Comment = '#'
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("festivals: header: %w", err)
	}
	if strings.Join(head, ",") != "date,name,region,before_days,after_days" {
		return nil, fmt.Errorf("festivals: line 1: want the header date,name,region,before_days,after_days")
	}
	var out []Festival
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("festivals: %w", err)
		}
		line, _ := cr.FieldPos(0)
		f := Festival{Date: rec[0], Name: rec[1], Region: rec[2]}
		f.Before, err = strconv.Atoi(rec[3])
		if err == nil {
			f.After, err = strconv.Atoi(rec[4])
		}
		if err != nil {
			return nil, fmt.Errorf("festivals: line %d: before_days and after_days are whole numbers", line)
		}
		if bad := f.Check(); bad != nil {
			return nil, fmt.Errorf("festivals: line %d: %v", line, bad)
		}
		out = append(out, f)
	}
}

// effects are the festival regressors of a series: for each day, which
// effect (index into names, two per festival name: the ramp before and the
// days from the festival on) applies with what weight.
type effects struct {
	names []string
	at    [][]term // by day
}

type term struct {
	k int     // effect index
	w float64 // weight in (0, 1]
}

// festivalEffects lays the festivals over days [0, n) from start. Before
// the festival the weight ramps up linearly to 1 on its eve; on the day and
// the After days following it is 1.
func festivalEffects(start time.Time, n int, fs []Festival) effects {
	e := effects{at: make([][]term, n)}
	index := map[string]int{}
	for _, f := range fs {
		day, err := time.Parse(time.DateOnly, f.Date)
		if err != nil {
			continue
		}
		k, ok := index[f.Name]
		if !ok {
			k = len(e.names)
			index[f.Name] = k
			e.names = append(e.names, f.Name+" (before)", f.Name+" (from)")
		}
		d := int(day.Sub(start).Hours() / 24)
		for o := -f.Before; o <= f.After; o++ {
			i := d + o
			if i < 0 || i >= n {
				continue
			}
			if o < 0 {
				e.at[i] = append(e.at[i], term{k: k, w: float64(f.Before+1+o) / float64(f.Before)})
			} else {
				e.at[i] = append(e.at[i], term{k: k + 1, w: 1})
			}
		}
	}
	return e
}
