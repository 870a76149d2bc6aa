package importer

import (
	"context"
	"strconv"
	"strings"

	"traject"
	"traject/internal/store"
)

// importLearners adds every learner row to one store import, which checks it
// against the database and commits only a file without a bad row.
func importLearners(ctx context.Context, s *store.Store, t *table, dryRun bool, rep *reporter) error {
	seen := newKeys("ref")
	numbers := map[string]int{} // national number -> first line; kept in memory only
	parse := func(r *row) *traject.Learner {
		l := parseLearner(r)
		seen.check(r, "ref", l.Ref)
		checkNumber(r, numbers, l.NationalNumber)
		return l
	}
	n, err := s.ImportLearners(ctx, dryRun, func(imp *store.LearnerImport) error {
		return feed(ctx, t, rep, batchSize, parse, imp.Add, imp.Reject)
	})
	rep.res.Imported = n
	return err
}

// parseLearner reads the cells of a learner row; the domain and the store
// check the rest.
func parseLearner(r *row) *traject.Learner {
	return &traject.Learner{
		Ref: r.get("ref"), FirstName: r.get("first_name"), LastName: r.get("last_name"),
		BirthDate: r.date("birth_date"), NationalNumber: traject.NationalNumber(numberCell(r.get("national_number"))),
		RegionCode: r.get("region"), Phone: r.get("phone"), Email: r.get("email"), Language: r.get("language"),
		Obligation: traject.Obligation(strings.ToLower(r.get("obligation"))),
	}
}

// numberCell gives back the leading zero that a spreadsheet drops from a
// national number it took for a number (people born 2000 to 2009): ten bare
// digits become eleven. The check digits still have to match.
func numberCell(s string) string {
	if len(s) != 10 {
		return s
	}
	if _, err := strconv.ParseUint(s, 10, 64); err != nil {
		return s
	}
	return "0" + s
}

// checkNumber refuses a national number that an earlier line holds already.
// Unlike other duplicates, the message does not repeat the value: a report
// of rejected rows must not carry national numbers.
func checkNumber(r *row, seen map[string]int, typed traject.NationalNumber) {
	if typed == "" || r.has("national_number") {
		return
	}
	n, err := traject.ParseNationalNumber(string(typed))
	if err != nil {
		return // the domain names the problem
	}
	if first, dup := seen[n.Digits()]; dup {
		r.fail("national_number", "import.duplicate.nn", "this national number is also on line "+strconv.Itoa(first),
			map[string]any{"Line": first})
		return
	}
	seen[n.Digits()] = r.line
}
