package demo

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"traject/internal/store"
)

// MaxLoans is the most loans a scaled demo holds.
const MaxLoans = 10_000_000

// seedScaleLoans repeats the 2020 loans on every synthetic copy of the fleet
// (copy c's device CB-Sccccc-nnnn stands in for CB-nnnn), for the same
// learners, courses and dates, until the demo holds n times the 2020 loans
// or MaxLoans. The copies' devices are their own, so no two active loans of
// one device overlap, as in the original.
func seedScaleLoans(ctx context.Context, s *store.Store, n int) error {
	base, tags, err := s.LoanCopies(ctx)
	if err != nil || len(base) == 0 || n < 2 {
		return err
	}
	total := len(base)
	for c := 2; c <= n && total < MaxLoans; c++ {
		ids, err := s.DeviceIDsByPrefix(ctx, fmt.Sprintf("CB-S%05d-", c))
		if err != nil {
			return err
		}
		loans := make([]store.BulkLoan, 0, len(base))
		for i, l := range base {
			if total+len(loans) == MaxLoans {
				break
			}
			id, ok := ids[AssetTag(c, tagNumber(tags[i]))]
			if !ok {
				return fmt.Errorf("demo: copy %d has no device for %s", c, tags[i])
			}
			l.DeviceID = id
			loans = append(loans, l)
		}
		if err := s.CreateLoansBulk(ctx, loans); err != nil {
			return fmt.Errorf("demo: loans of copy %d: %w", c, err)
		}
		total += len(loans)
	}
	return nil
}

// tagNumber is n of the 2020 fleet's tag CB-nnnn.
func tagNumber(tag string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(tag, "CB-")) // the 2020 fleet's tags are all of this form
	return n
}
