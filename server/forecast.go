package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"dakiya/assets"
	"dakiya/internal/demo"
	"dakiya/internal/forecast"
)

// foldLine and summaryLine are what `dakiya forecast` prints.
type foldLine struct {
	Origin string  `json:"origin"`
	MASE   float64 `json:"mase"`
	SMAPE  float64 `json:"smape"`
}

type summaryLine struct {
	MASE           float64 `json:"mase"`
	SMAPE          float64 `json:"smape"`
	NaiveMASE      float64 `json:"naive_mase"`
	NaiveOwnMASE   float64 `json:"naive_mase_measured"`
	NaiveSMAPE     float64 `json:"naive_smape"`
	Folds          int     `json:"folds"`
	Horizon        int     `json:"horizon"`
	SeasonalNaiveN int     `json:"folds_seasonal_naive"`
}

// maxSeriesDays bounds the series a file may hold (about 50 years).
const maxSeriesDays = 20000

// forecastCmd backtests the demand model on a daily series from a CSV file
// of date,count lines: one JSON line per fold, then the summary.
func forecastCmd(ctx context.Context, env environment, args []string) error {
	fs := flag.NewFlagSet("forecast", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: dakiya forecast [-horizon 14] [-folds 8] [-festivals FILE.csv] FILE.csv\n       dakiya forecast -export-demo CENTRE [-end YYYY-MM-DD]")
		fmt.Fprintln(fs.Output(), "FILE.csv holds date,count lines (YYYY-MM-DD, daily, gaps allowed, optional header).")
		fmt.Fprintln(fs.Output(), "Festivals default to the built-in calendar (assets/festivals.csv).")
		fs.PrintDefaults()
	}
	horizon := fs.Int("horizon", 14, "days forecast from each fold's origin (1 to 120)")
	folds := fs.Int("folds", 8, "rolling-origin folds")
	festFile := fs.String("festivals", "", "festival calendar CSV (date,name,region,before_days,after_days); empty: the built-in one")
	export := fs.String("export-demo", "", "instead: print the demo centre's generated daily totals (a year before -end) as date,count")
	end := fs.String("end", "2026-12-01", "with -export-demo: the day after the history's last")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *export != "" {
		return exportDemo(env.stdout, *export, *end)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("forecast: give one CSV file")
	}
	if *horizon < 1 || *horizon > forecast.MaxHorizon || *folds < 1 || *folds > 100 {
		return fmt.Errorf("forecast: -horizon must be 1 to %d and -folds 1 to 100", forecast.MaxHorizon)
	}
	fest, err := readFestivalFile(*festFile)
	if err != nil {
		return fmt.Errorf("forecast: %w", err)
	}
	s, err := readSeriesFile(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("forecast: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("forecast: %w", err)
	}
	bt, err := forecast.RunBacktest(s, fest, *horizon, *folds)
	if err != nil {
		return fmt.Errorf("forecast: %s: %w", fs.Arg(0), err)
	}
	return printBacktest(env.stdout, bt)
}

func printBacktest(w io.Writer, bt forecast.Backtest) error {
	enc := json.NewEncoder(w)
	sum := summaryLine{MASE: bt.MASE, SMAPE: bt.SMAPE, NaiveMASE: 1, NaiveOwnMASE: bt.NaiveMASE, NaiveSMAPE: bt.NaiveSMAPE,
		Folds: len(bt.Folds), Horizon: bt.Horizon}
	for _, f := range bt.Folds {
		if f.Method == forecast.MethodSeasonalNaive {
			sum.SeasonalNaiveN++
		}
		if err := enc.Encode(foldLine{Origin: f.Origin, MASE: f.MASE, SMAPE: f.SMAPE}); err != nil {
			return fmt.Errorf("forecast: write: %w", err)
		}
	}
	if err := enc.Encode(sum); err != nil {
		return fmt.Errorf("forecast: write: %w", err)
	}
	return nil
}

func readFestivalFile(path string) ([]forecast.Festival, error) {
	if path == "" {
		return forecast.ReadFestivals(bytes.NewReader(assets.Festivals()))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return forecast.ReadFestivals(f)
}

func readSeriesFile(path string) (forecast.Series, error) {
	f, err := os.Open(path)
	if err != nil {
		return forecast.Series{}, err
	}
	defer f.Close()
	s, err := readSeries(f)
	if err != nil {
		return s, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// readSeries reads date,count lines: a header is allowed on the first
// line, blank lines are skipped, dates must be YYYY-MM-DD, each at most
// once, and counts non-negative numbers.
func readSeries(r io.Reader) (forecast.Series, error) {
	sc := bufio.NewScanner(r)
	points := map[string]float64{}
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(strings.TrimSuffix(sc.Text(), "\r"))
		if text == "" {
			continue
		}
		date, count, ok := strings.Cut(text, ",")
		date, count = strings.TrimSpace(date), strings.TrimSpace(count)
		if line == 1 && strings.EqualFold(date, "date") {
			continue
		}
		if !ok || strings.Contains(count, ",") {
			return forecast.Series{}, fmt.Errorf("line %d: want date,count", line)
		}
		if _, err := time.Parse(time.DateOnly, date); err != nil || len(date) != 10 {
			return forecast.Series{}, fmt.Errorf("line %d: %q is not a YYYY-MM-DD date", line, date)
		}
		v, err := strconv.ParseFloat(count, 64)
		if err != nil || v < 0 || v != v || v > 1e12 {
			return forecast.Series{}, fmt.Errorf("line %d: %q is not a count (a number 0 or more)", line, count)
		}
		if _, dup := points[date]; dup {
			return forecast.Series{}, fmt.Errorf("line %d: %s appears twice", line, date)
		}
		points[date] = v
	}
	if err := sc.Err(); err != nil {
		return forecast.Series{}, err
	}
	if len(points) == 0 {
		return forecast.Series{}, errors.New("no date,count lines")
	}
	s, err := forecast.FromPoints(points)
	if err == nil && len(s.Values) > maxSeriesDays {
		return s, fmt.Errorf("the series spans %d days; at most %d", len(s.Values), maxSeriesDays)
	}
	return s, err
}

// exportDemo prints a demo centre's generated history (the one the demo
// imports into the arrivals rollup) as daily totals, for benchmarks and
// for judging the model outside the server.
func exportDemo(w io.Writer, dc, end string) error {
	if _, err := time.Parse(time.DateOnly, end); err != nil {
		return fmt.Errorf("forecast: -end %q is not a YYYY-MM-DD date", end)
	}
	as := demo.CentreHistory(dc, defaultFestivals(), end)
	if as == nil {
		return fmt.Errorf("forecast: the demo has no history for %q (it has %s)", dc, strings.Join(demo.HistoryCentres(), ", "))
	}
	totals := map[string]int64{}
	for _, a := range as {
		totals[a.Date] += a.Count
	}
	dates := make([]string, 0, len(totals))
	for d := range totals {
		dates = append(dates, d)
	}
	slices.Sort(dates)
	b := bufio.NewWriter(w)
	fmt.Fprintln(b, "date,count")
	for _, d := range dates {
		fmt.Fprintf(b, "%s,%d\n", d, totals[d])
	}
	return b.Flush()
}

// defaultFestivals is the built-in festival calendar; it is embedded and
// tested, so it always parses.
func defaultFestivals() []forecast.Festival {
	fs, err := forecast.ReadFestivals(bytes.NewReader(assets.Festivals()))
	if err != nil {
		panic("forecast: built-in festival calendar: " + err.Error())
	}
	return fs
}
