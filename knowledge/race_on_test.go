//go:build race

package knowledge

// raceEnabled: the race detector makes the allocation counts of
// TestStructureAndSplitAreLinear a hundred times larger (about 2 GB for
// 1 MB of text), so only their ratio is checked there.
const raceEnabled = true
