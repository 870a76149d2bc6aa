package store

import (
	"context"
	"database/sql"
	"maps"
	"strings"

	"traject"
)

// CurrentAgreement returns the agreement version in force, with its texts.
func (s *Store) CurrentAgreement(ctx context.Context) (*traject.AgreementVersion, error) {
	return s.agreementVersion(ctx, `(`+currentVersionID+`)`)
}

// AgreementVersion returns one published version by its number.
func (s *Store) AgreementVersion(ctx context.Context, version int) (*traject.AgreementVersion, error) {
	return s.agreementVersion(ctx, `(SELECT id FROM agreement_versions WHERE version = `+itoa(int64(version))+`)`)
}

func (s *Store) agreementVersion(ctx context.Context, idExpr string) (*traject.AgreementVersion, error) {
	var a traject.AgreementVersion
	err := s.queryRow(ctx, `SELECT v.id, v.version, v.published_at, COALESCE(u.email, '')
		FROM agreement_versions v LEFT JOIN users u ON u.id = v.published_by WHERE v.id = `+idExpr).
		Scan(&a.ID, &a.Version, timeCol{&a.PublishedAt}, &a.PublishedBy)
	if err != nil {
		return nil, s.mapError("agreement", "agreement version", err)
	}
	rows, err := s.query(ctx, `SELECT language, body FROM agreement_texts WHERE version_id = ?`, a.ID)
	if err != nil {
		return nil, s.mapError("agreement", "", err)
	}
	defer rows.Close()
	a.Texts = map[string]string{}
	for rows.Next() {
		var lang, body string
		if err := rows.Scan(&lang, &body); err != nil {
			return nil, s.mapError("agreement", "", err)
		}
		a.Texts[lang] = body
	}
	return &a, s.mapError("agreement", "", rows.Err())
}

// PublishAgreement publishes a new version of the agreement. It becomes the
// version in force; loans accepted under an older one must accept it again
// before a hand-out. Older versions are never changed.
func (s *Store) PublishAgreement(ctx context.Context, a *traject.AgreementVersion) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.write(ctx, "publish agreement", func(tx *Tx) error {
		if err := tx.refuseUnchanged(a); err != nil {
			return err
		}
		if err := tx.queryRow(`SELECT COALESCE(MAX(version), 0) + 1 FROM agreement_versions`).Scan(&a.Version); err != nil {
			return err
		}
		actorID, _ := actorOf(tx.ctx)
		id, err := tx.insert(`INSERT INTO agreement_versions (version, published_at, published_by) VALUES (?, ?, ?)`,
			a.Version, tx.nowArg(), actorID)
		if err != nil {
			return err
		}
		a.ID, a.PublishedAt = id, tx.now
		for lang, body := range a.Texts {
			if _, err := tx.exec(`INSERT INTO agreement_texts (version_id, language, body) VALUES (?, ?, ?)`, id, lang, body); err != nil {
				return err
			}
		}
		return tx.audit("agreement.publish", "agreement", itoa(int64(a.Version)), "", nil, a)
	})
}

// refuseUnchanged refuses to publish the texts in force again: a new version
// sends every accepted loan not yet handed out back to acceptance, which a
// version that changes nothing must not do.
func (tx *Tx) refuseUnchanged(a *traject.AgreementVersion) error {
	rows, err := tx.query(`SELECT language, body FROM agreement_texts WHERE version_id = (` + currentVersionID + `)`)
	if err != nil {
		return err
	}
	defer rows.Close()
	current := map[string]string{}
	for rows.Next() {
		var lang, body string
		if err := rows.Scan(&lang, &body); err != nil {
			return err
		}
		current[lang] = body
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if maps.Equal(current, a.Texts) {
		var v traject.Validation
		v.Add("nl", "agreement.unchanged", "change the text before publishing a new version", nil)
		return v.Err()
	}
	return nil
}

// AgreementText is the agreement for one loan as a learner is shown it: the
// binding Dutch text, and beside it the translation in their language.
type AgreementText struct {
	Version  int    `json:"version"`
	Language string `json:"language"`
	Dutch    string `json:"nl"`
	Shown    string `json:"text"` // the translation; the Dutch text again when the language is nl or missing
	Hash     string `json:"text_sha256"`
}

// exact is the text an acceptance records and hashes: Dutch, then the translation.
func (t *AgreementText) exact() string {
	if t.Language == "nl" {
		return t.Dutch
	}
	return t.Dutch + "\n\n---\n\n" + t.Shown
}

// LoanAgreement renders the agreement in force for a loan, in a language.
func (s *Store) LoanAgreement(ctx context.Context, loanID int64, lang string) (*AgreementText, error) {
	l, err := s.Loan(ctx, loanID)
	if err != nil {
		return nil, err
	}
	a, err := s.CurrentAgreement(ctx)
	if err != nil {
		return nil, err
	}
	d, err := s.deviceOfLoan(ctx, l)
	if err != nil {
		return nil, err
	}
	return renderFor(a, l, d, lang), nil
}

func (s *Store) deviceOfLoan(ctx context.Context, l *traject.Loan) (*traject.Device, error) {
	var d traject.Device
	err := scanDevice(s.queryRow(ctx, `SELECT `+deviceColumns+deviceFrom+` WHERE d.asset_tag = ?`, l.AssetTag), &d)
	return &d, s.mapError("loan device", "device "+l.AssetTag, err)
}

func renderFor(a *traject.AgreementVersion, l *traject.Loan, d *traject.Device, lang string) *AgreementText {
	if _, ok := a.Texts[lang]; !ok {
		lang = "nl"
	}
	facts := agreementFacts(l, d, lang)
	t := &AgreementText{Version: a.Version, Language: lang,
		Dutch: traject.RenderAgreement(a.Texts["nl"], agreementFacts(l, d, "nl")),
		Shown: traject.RenderAgreement(a.Texts[lang], facts)}
	t.Hash = traject.TextHash(t.exact())
	return t
}

// agreementFacts are the loan's facts in the words of one language.
func agreementFacts(l *traject.Loan, d *traject.Device, lang string) traject.AgreementFacts {
	words := accessoryWords[lang]
	acc := []string{words[0]}
	if d.Connectivity == traject.Mobile {
		acc = append(acc, words[1])
	}
	device := d.Model + " (" + d.AssetTag + ")"
	return traject.AgreementFacts{Learner: l.LearnerName, Device: device, Accessories: strings.Join(acc, ", "),
		From: l.From, Until: l.Until, Due: l.Due, Return: returnWords[lang]}
}

// The words the agreement's placeholders take in each language. They live
// with the agreement, not in the interface catalog: they are part of a
// signed text, and change only with it.
var accessoryWords = map[string][2]string{
	"nl": {"een lader", "een simkaart met mobiele data (4G)"},
	"en": {"a charger", "a SIM card with mobile data (4G)"},
	"fr": {"un chargeur", "une carte SIM avec des données mobiles (4G)"},
	"ar": {"شاحن", "بطاقة SIM مع بيانات الجوال (4G)"},
}

var returnWords = map[string]string{
	"nl": "aan de balie van het kantoor waar ik het toestel kreeg, tijdens de openingsuren",
	"en": "at the desk of the office where I received the device, during opening hours",
	"fr": "au guichet du bureau où j'ai reçu l'appareil, pendant les heures d'ouverture",
	"ar": "في مكتب الاستقبال بالمكتب الذي استلمت منه الجهاز، خلال ساعات العمل",
}

// Accept records a learner's acceptance of the agreement in force for a loan.
// When the caller says which text was shown (its hash), a text that changed
// since is refused: the learner must read the new one.
func (s *Store) Accept(ctx context.Context, loanID int64, acc *traject.Acceptance) error {
	if acc.Language == "" {
		acc.Language = "nl"
	}
	if err := acc.Validate(); err != nil {
		return err
	}
	text, err := s.LoanAgreement(ctx, loanID, acc.Language)
	if err != nil {
		return err
	}
	if acc.TextHash != "" && acc.TextHash != text.Hash {
		return traject.Errorf(traject.ECONFLICT, "acceptance.changed", "the agreement changed since it was shown: show it again and accept the new text")
	}
	return s.write(ctx, "accept agreement", func(tx *Tx) error {
		l, err := tx.loan(loanID)
		if err != nil {
			return notFound(err, "loan", itoa(loanID))
		}
		if l.State != traject.LoanReserved && !acc.Imported {
			return traject.Errorf(traject.ECONFLICT, "acceptance.state", "loan %d is %s: only a reserved loan is accepted", l.ID, l.State)
		}
		return tx.accept(l, text, acc)
	})
}

// accept writes an acceptance of the version in force (checked again inside
// the transaction, so that a version published meanwhile is not skipped).
func (tx *Tx) accept(l *loanRow, text *AgreementText, acc *traject.Acceptance) error {
	var versionID int64
	var version int
	if err := tx.queryRow(`SELECT id, version FROM agreement_versions WHERE id = (`+currentVersionID+`)`).Scan(&versionID, &version); err != nil {
		return err
	}
	if version != text.Version {
		return traject.Errorf(traject.ECONFLICT, "acceptance.changed", "the agreement changed since it was shown: show it again and accept the new text")
	}
	witness, _ := actorOf(tx.ctx)
	acc.LoanID, acc.Version, acc.Language, acc.TextHash, acc.Text, acc.At = l.ID, version, text.Language, text.Hash, text.exact(), tx.now
	var scan any
	if len(acc.Scan) > 0 {
		scan = acc.Scan
	}
	id, err := tx.insert(`INSERT INTO acceptances (loan_id, version_id, language, text, text_sha256, method, signature, typed_name,
		scan, scan_type, witness_id, imported, accepted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ID, versionID, acc.Language, acc.Text, acc.TextHash, acc.Method, acc.Signature, acc.TypedName,
		scan, acc.ScanType, witness, acc.Imported, tx.nowArg())
	if err != nil {
		return err
	}
	acc.ID = id
	return tx.audit("loan.accept", "loan", itoa(l.ID), l.RegionCode, nil, acc)
}

// Acceptances lists a loan's acceptances, newest first, with their exact texts.
func (s *Store) Acceptances(ctx context.Context, loanID int64) ([]traject.Acceptance, error) {
	if _, err := s.Loan(ctx, loanID); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT a.id, a.loan_id, v.version, a.language, a.text_sha256, a.text, a.method, a.signature,
		a.typed_name, a.scan, a.scan_type, COALESCE(u.email, ''), a.imported, a.accepted_at
		FROM acceptances a JOIN agreement_versions v ON v.id = a.version_id LEFT JOIN users u ON u.id = a.witness_id
		WHERE a.loan_id = ? ORDER BY a.id DESC`, loanID)
	if err != nil {
		return nil, s.mapError("acceptances", "", err)
	}
	defer rows.Close()
	var out []traject.Acceptance
	for rows.Next() {
		var a traject.Acceptance
		var scan []byte
		if err := rows.Scan(&a.ID, &a.LoanID, &a.Version, &a.Language, &a.TextHash, &a.Text, &a.Method, &a.Signature,
			&a.TypedName, &scan, &a.ScanType, &a.Witness, &a.Imported, timeCol{&a.At}); err != nil {
			return nil, s.mapError("acceptances", "", err)
		}
		a.Scan = scan
		out = append(out, a)
	}
	return out, s.mapError("acceptances", "", rows.Err())
}

// hasCurrentAcceptance reports whether the loan has an acceptance of the
// version in force (DESIGN invariant 2), read inside the hand-out's transaction.
func (tx *Tx) hasCurrentAcceptance(loanID int64) (bool, error) {
	var n int
	err := tx.queryRow(`SELECT COUNT(*) FROM acceptances WHERE loan_id = ? AND version_id = (`+currentVersionID+`)`, loanID).Scan(&n)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return n > 0, err
}
