package store

import (
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"time"

	"traject"
)

// The purposes of a learner's one-time code: signing in to their own pages,
// and accepting the agreement of one loan.
const (
	CodeSignIn = "signin"
	CodeAccept = "accept"
)

// The rules of one-time codes (issue 5): a code lives 15 minutes, the fifth
// wrong try voids it, and at most three codes a quarter of an hour are sent
// by SMS, so that nobody can flood a phone or guess their way in.
const (
	CodeLifetime = 15 * time.Minute
	CodeMaxTries = 5
	CodeSMSLimit = 3
)

// codeLabel derives the code key from the sealer's look-up key, so that a
// stolen database cannot be searched for the 10^6 possible codes without it.
const codeLabel = "traject learner one-time code v1"

// LearnerCode asks for a new one-time code.
type LearnerCode struct {
	LearnerID int64
	Purpose   string // CodeSignIn or CodeAccept
	LoanID    int64  // the loan to accept; only with CodeAccept
	// Limit is how many codes of this purpose the learner may have been
	// issued in the last CodeLifetime; 0 is no limit (the desk gives it).
	Limit int
}

// IssueLearnerCode makes a new 6-digit code, keeps only its keyed hash, voids
// the learner's older codes of the same purpose, and returns the code: the
// caller shows or sends it once. It answers ETHROTTLED when the limit is
// reached. The code itself is never logged nor audited.
func (s *Store) IssueLearnerCode(ctx context.Context, c LearnerCode) (string, error) {
	if c.Purpose != CodeSignIn && c.Purpose != CodeAccept || (c.Purpose == CodeAccept) != (c.LoanID != 0) {
		return "", traject.Errorf(traject.EINVALID, "code.purpose", "a code is for signing in, or for accepting one loan")
	}
	code, err := newCode()
	if err != nil {
		return "", err
	}
	h, err := s.codeHasher()
	if err != nil {
		return "", err
	}
	err = s.write(ctx, "issue learner code", func(tx *Tx) error {
		le, err := tx.learnerByID(c.LearnerID)
		if err != nil {
			return notFound(err, "learner", itoa(c.LearnerID))
		}
		if err := tx.checkCodeLoan(c.LearnerID, c.LoanID); err != nil {
			return err
		}
		if err := tx.checkCodeLimit(c); err != nil {
			return err
		}
		return tx.issueCode(h, le, c, code)
	})
	if err != nil {
		return "", err
	}
	return code, nil
}

// newCode draws six digits uniformly from crypto/rand.
func newCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("store: code: %w", err)
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// checkCodeLoan refuses an accept code for a loan that is not the learner's.
func (tx *Tx) checkCodeLoan(learnerID, loanID int64) error {
	if loanID == 0 {
		return nil
	}
	var owner int64
	if err := tx.queryRow(`SELECT learner_id FROM loans WHERE id = ?`, loanID).Scan(&owner); err != nil || owner != learnerID {
		return traject.Errorf(traject.ENOTFOUND, "notfound", "loan %d of this learner not found", loanID)
	}
	return nil
}

func (tx *Tx) checkCodeLimit(c LearnerCode) error {
	if c.Limit <= 0 {
		return nil
	}
	var n int
	if err := tx.queryRow(`SELECT COUNT(*) FROM learner_codes WHERE learner_id = ? AND purpose = ? AND created_at > ?`,
		c.LearnerID, c.Purpose, tx.d.timeArg(tx.now.Add(-CodeLifetime))).Scan(&n); err != nil {
		return err
	}
	if n >= c.Limit {
		return traject.Errorf(traject.ETHROTTLED, "code.throttled", "too many codes: wait a quarter of an hour, or ask at the desk")
	}
	return nil
}

func (tx *Tx) issueCode(h codeHasher, le *traject.Learner, c LearnerCode, code string) error {
	// A new code voids the older ones: only the last code sent can work.
	if _, err := tx.exec(`UPDATE learner_codes SET expires_at = ? WHERE learner_id = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?`,
		tx.nowArg(), c.LearnerID, c.Purpose, tx.nowArg()); err != nil {
		return err
	}
	hash, err := h.hash(c.LearnerID, code, "")
	if err != nil {
		return err
	}
	expires := tx.now.Add(CodeLifetime)
	var loan any
	if c.LoanID != 0 {
		loan = c.LoanID
	}
	if _, err := tx.exec(`INSERT INTO learner_codes (learner_id, purpose, loan_id, code_hash, tries, expires_at, created_at)
		VALUES (?, ?, ?, ?, 0, ?, ?)`, c.LearnerID, c.Purpose, loan, hash, tx.d.timeArg(expires), tx.nowArg()); err != nil {
		return err
	}
	return tx.audit("learner_code.issue", "learner", le.Ref, le.RegionCode, nil,
		map[string]any{"purpose": c.Purpose, "loan": c.LoanID, "expires_at": expires})
}

// codeHasher hashes codes with the key derived from the sealer's, or
// without a key when the store has no sealer.
type codeHasher struct{ key []byte }

func (s *Store) codeHasher() (codeHasher, error) {
	if s.sealer == nil {
		return codeHasher{}, nil
	}
	key, err := hkdf.Key(sha256.New, s.sealer.mac, nil, codeLabel, 32)
	return codeHasher{key: key}, err
}

// hash hashes a code for one learner: an HMAC keyed by the sealer's secret
// when there is one; without it, a salted SHA-256, which a database thief
// defeats with 10^6 guesses (the README says to set TRAJECT_SECRET_KEY).
// stored is "" for a new code, else the stored hash to compare with.
func (h codeHasher) hash(learnerID int64, code, stored string) (string, error) {
	msg := []byte(itoa(learnerID) + ":" + code)
	if key := h.key; key != nil {
		m := hmac.New(sha256.New, key)
		m.Write(msg)
		return "hmac:" + hex.EncodeToString(m.Sum(nil)), nil
	}
	salt := ""
	if parts := strings.Split(stored, ":"); len(parts) == 3 && parts[0] == "sha256" {
		salt = parts[1]
	} else {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		salt = hex.EncodeToString(b)
	}
	sum := sha256.Sum256(append([]byte(salt+":"), msg...))
	return "sha256:" + salt + ":" + hex.EncodeToString(sum[:]), nil
}

// UseLearnerCode checks a code typed by a learner: any one of learners (a
// phone may be shared by a family) whose last live code of purpose (for
// loanID, with CodeAccept) it is. A right code is used up and the learner's
// id returned. A wrong one counts a try on every live code it was tried
// against, and is answered with the same EINVALID whether or not any code
// existed, so that the answer tells nothing.
func (s *Store) UseLearnerCode(ctx context.Context, learners []int64, purpose string, loanID int64, code string) (int64, error) {
	h, err := s.codeHasher()
	if err != nil {
		return 0, err
	}
	var id int64
	var wrong error
	err = s.write(ctx, "use learner code", func(tx *Tx) error {
		var ok bool
		var err error
		if id, ok, err = tx.useCode(h, learners, purpose, loanID, code); !ok {
			wrong = errWrongCode
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	return id, wrong
}

// errWrongCode is the one answer to a code that does not work: wrong,
// expired, used, voided, or nobody's.
var errWrongCode = traject.Errorf(traject.EINVALID, "code.wrong",
	"this code does not work: check it, or ask for a new code")

// liveCode is a code that may still be used.
type liveCode struct {
	id, learnerID int64
	hash          string
	tries         int
}

// useCode returns the learner whose code it is, or false with the tries
// counted (the caller commits them all the same).
func (tx *Tx) useCode(h codeHasher, learners []int64, purpose string, loanID int64, code string) (int64, bool, error) {
	if !validCode(code) || len(learners) == 0 {
		return 0, false, nil
	}
	live, err := tx.liveCodes(learners, purpose, loanID)
	if err != nil {
		return 0, false, err
	}
	for _, c := range live {
		got, err := h.hash(c.learnerID, code, c.hash)
		if err != nil {
			return 0, false, err
		}
		if hmac.Equal([]byte(got), []byte(c.hash)) {
			return c.learnerID, true, tx.markUsed(c, purpose, loanID)
		}
	}
	for _, c := range live {
		if err := tx.countTry(c, purpose); err != nil {
			return 0, false, err
		}
	}
	return 0, false, nil
}

func validCode(code string) bool {
	if len(code) != 6 {
		return false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// liveCodes reads the codes that may still be used; on PostgreSQL they are
// locked, so that two tries at once cannot both pass or both miss a count.
func (tx *Tx) liveCodes(learners []int64, purpose string, loanID int64) ([]liveCode, error) {
	q := `SELECT id, learner_id, code_hash, tries FROM learner_codes
		WHERE purpose = ? AND used_at IS NULL AND expires_at > ? AND tries < ? AND learner_id IN (?` +
		strings.Repeat(", ?", len(learners)-1) + `)`
	args := []any{purpose, tx.nowArg(), CodeMaxTries}
	for _, id := range learners {
		args = append(args, id)
	}
	if purpose == CodeAccept {
		q += ` AND loan_id = ?`
		args = append(args, loanID)
	}
	q += ` ORDER BY id`
	if tx.d == dialectPostgres {
		q += ` FOR UPDATE`
	}
	rows, err := tx.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []liveCode
	for rows.Next() {
		var c liveCode
		if err := rows.Scan(&c.id, &c.learnerID, &c.hash, &c.tries); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (tx *Tx) markUsed(c liveCode, purpose string, loanID int64) error {
	if err := expectOne(tx.exec(`UPDATE learner_codes SET used_at = ? WHERE id = ? AND used_at IS NULL`, tx.nowArg(), c.id)); err != nil {
		return err
	}
	le, err := tx.learnerByID(c.learnerID)
	if err != nil {
		return err
	}
	return tx.asLearner(le).audit("learner_code.use", "learner", le.Ref, le.RegionCode, nil, map[string]any{"purpose": purpose, "loan": loanID})
}

func (tx *Tx) countTry(c liveCode, purpose string) error {
	if _, err := tx.exec(`UPDATE learner_codes SET tries = tries + 1 WHERE id = ?`, c.id); err != nil {
		return err
	}
	le, err := tx.learnerByID(c.learnerID)
	if err != nil {
		return err
	}
	return tx.asLearner(le).audit("learner_code.wrong", "learner", le.Ref, le.RegionCode, map[string]any{"tries": c.tries},
		map[string]any{"purpose": purpose, "tries": c.tries + 1, "void": c.tries+1 >= CodeMaxTries})
}

// asLearner is tx acting as the learner: whoever types a code is the
// learner whose code it is, so their own audit rows name them.
func (tx *Tx) asLearner(le *traject.Learner) *Tx {
	t := *tx
	t.ctx = traject.NewContextWithActorLabel(traject.NewContextWithUser(tx.ctx, nil), "learner:"+le.Ref)
	return &t
}

// AcceptWithCode records a learner's acceptance of their loan's agreement
// with a one-time code of purpose accept, in one transaction: a code that
// works but an acceptance that cannot be written (the text changed, the loan
// is no longer reserved) leaves the code unused. acc carries the language and
// the hash of the text shown.
func (s *Store) AcceptWithCode(ctx context.Context, learnerID, loanID int64, code string, acc *traject.Acceptance) error {
	acc.Method = traject.AcceptCode
	if err := acc.Validate(); err != nil {
		return err
	}
	text, err := s.LoanAgreement(ctx, loanID, acc.Language)
	if err != nil {
		return err
	}
	if acc.TextHash != text.Hash {
		return traject.Errorf(traject.ECONFLICT, "acceptance.changed", "the agreement changed since it was shown: show it again and accept the new text")
	}
	h, err := s.codeHasher()
	if err != nil {
		return err
	}
	var wrong error
	err = s.write(ctx, "accept with code", func(tx *Tx) error {
		l, err := tx.loan(loanID)
		if err != nil || l.learnerID != learnerID {
			return traject.Errorf(traject.ENOTFOUND, "notfound", "loan %d not found", loanID)
		}
		if l.State != traject.LoanReserved {
			return traject.Errorf(traject.ECONFLICT, "acceptance.state", "loan %d is %s: only a reserved loan is accepted", l.ID, l.State)
		}
		_, ok, err := tx.useCode(h, []int64{learnerID}, CodeAccept, loanID, code)
		if err != nil || !ok {
			wrong = errWrongCode
			return err
		}
		return tx.accept(l, text, acc)
	})
	if err != nil {
		return err
	}
	return wrong
}
