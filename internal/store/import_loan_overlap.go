package store

import (
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"time"

	"traject"
)

// A device is held by a loan from its first agreed day: until it came back,
// until the last agreed day for a reservation, and without end while it is
// out (HistoricalLoan.held). Two loans of one device whose held days meet
// overlap; the database's own guard (DESIGN invariant 1) looks only at active
// loans, so the history is checked here.

// checkHeld refuses a loan whose days the device's loans in the database
// already hold, and a loan still out whose device is not in stock (it goes
// on loan by the desk's own hand-out transition).
func (imp *LoanImport) checkHeld(v *traject.Validation, h *HistoricalLoan, d *traject.Device) error {
	from, until := h.held()
	var clash []string
	err := imp.checkRows(imp.held, []any{h.AssetTag}, func(rows *sql.Rows) error {
		var id int64
		var state traject.LoanState
		var starts, due, returned time.Time
		if err := rows.Scan(&id, &state, dateCol{&starts}, dateCol{&due}, dateCol{&returned}); err != nil {
			return err
		}
		other := HistoricalLoan{From: starts, Until: due, Returned: returned}
		if state != traject.LoanReserved && state != traject.LoanReturned {
			other.HandedOut = starts // out, lost or stolen: held without end
		}
		if of, ou := other.held(); overlaps(from, until, of, ou) {
			clash = append(clash, itoa(id))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(clash) > 0 {
		v.Add("asset_tag", "import.loan.overlap.db", "device "+h.AssetTag+" is already lent or reserved for some of these days (loan "+
			strings.Join(clash, ", ")+")", map[string]any{"Value": h.AssetTag, "Loans": strings.Join(clash, ", ")})
		return nil
	}
	if h.State() == traject.LoanHandedOut {
		if b := d.LendBlocker(); b != "" {
			v.Add("asset_tag", "import.loan.device.notinstock", "device "+h.AssetTag+" is "+string(d.State)+
				": a loan still out needs a device in stock (with an active SIM for 4G)", map[string]any{"Value": h.AssetTag, "State": string(d.State)})
		}
	}
	return nil
}

// overlaps reports whether two ranges of days share one; a zero end is open.
func overlaps(aFrom, aUntil, bFrom, bUntil time.Time) bool {
	return (aUntil.IsZero() || !bFrom.After(aUntil)) && (bUntil.IsZero() || !aFrom.After(bUntil))
}

// fileOverlaps finds, per device, the rows whose held days overlap, and gives
// each of them a problem that names the other rows' lines.
func fileOverlaps(ls []*HistoricalLoan) [][]traject.FieldError {
	out := make([][]traject.FieldError, len(ls))
	byTag := map[string][]int{}
	for i, h := range ls {
		if tag := strings.TrimSpace(h.AssetTag); tag != "" && !h.From.IsZero() {
			byTag[tag] = append(byTag[tag], i)
		}
	}
	for tag, idx := range byTag {
		slices.SortFunc(idx, func(a, b int) int { return ls[a].From.Compare(ls[b].From) })
		others := map[int][]int{}
		for k, i := range idx {
			from, until := ls[i].held()
			for _, j := range idx[k+1:] {
				jf, ju := ls[j].held()
				if !overlaps(from, until, jf, ju) {
					if !until.IsZero() && jf.After(until) {
						break // sorted by start: no later row can overlap this one
					}
					continue
				}
				others[i], others[j] = append(others[i], ls[j].Line), append(others[j], ls[i].Line)
			}
		}
		for i, lines := range others {
			slices.Sort(lines)
			out[i] = []traject.FieldError{overlapInFile(tag, lines)}
		}
	}
	return out
}

func overlapInFile(tag string, lines []int) traject.FieldError {
	s := make([]string, len(lines))
	for i, l := range lines {
		s[i] = strconv.Itoa(l)
	}
	word := "line "
	if len(lines) > 1 {
		word = "lines "
	}
	list := strings.Join(s, ", ")
	return traject.FieldError{Field: "asset_tag", Key: "import.loan.overlap.file", Args: map[string]any{"Value": tag, "Lines": list},
		Message: "device " + tag + " is lent on " + word + list + " for some of the same days"}
}
