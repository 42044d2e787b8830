package sorting_test

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"dakiya/internal/sorting"
	"dakiya/pwa"
)

// TestPaletteClasses: the sorting screens' style sheet has a class per colour of the
// palette, with the same background and ink (the screens use the classes,
// since the pages' policy allows no inline style).
func TestPaletteClasses(t *testing.T) {
	css, err := fs.ReadFile(pwa.Files(), "sort.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range sorting.Palette() {
		rule := fmt.Sprintf(".sort-c%d { background-color: %s; color: %s; }", c.Index, c.Background, c.Ink)
		if !strings.Contains(string(css), rule) {
			t.Errorf("sort.css lacks %q", rule)
		}
	}
	if got := len(sorting.Palette()); got != sorting.ProblemColour.Index+1 {
		t.Fatalf("the problem colour is not last: %d colours, problem at %d", got, sorting.ProblemColour.Index)
	}
}
