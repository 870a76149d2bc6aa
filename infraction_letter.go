package traject

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// LetterKind is one of the letters of the procedure.
type LetterKind string

// The letters.
const (
	LetterWarning  LetterKind = "warning"  // aanmaning: comply before the deadline
	LetterReferral LetterKind = "referral" // the file goes to the authority; the learner may respond
	LetterDecision LetterKind = "decision" // the decision: a fine with its amount, or none
)

// LetterFacts are what a letter says about one file.
type LetterFacts struct {
	FileID   int64
	Learner  string // the learner's name
	Type     InfractionType
	From     time.Time
	Until    time.Time
	Deadline time.Time // the warning's, the defence's or the payment's
	Outcome  Outcome
	Amount   int
}

// Letter is the text of one letter: the formal Dutch letter and a
// plain-language summary in the learner's language.
type Letter struct {
	Kind            LetterKind `json:"kind"`
	Dutch           string     `json:"dutch"`
	Summary         string     `json:"summary"`
	SummaryLanguage string     `json:"summary_language"`
}

// SummaryLanguages are the languages a summary is written in; a learner with
// another contact language gets the English summary.
var SummaryLanguages = []string{"nl", "en", "fr", "ar"}

// SummaryLanguage returns the language of the summary for a learner's contact language.
func SummaryLanguage(lang string) string {
	if slices.Contains(SummaryLanguages, lang) {
		return lang
	}
	return "en"
}

var infractionDutch = map[InfractionType]string{
	InfractionLateRegistration:          "u hebt zich niet op tijd ingeschreven",
	InfractionInsufficientParticipation: "u was te weinig aanwezig in de les",
	InfractionContractNotSigned:         "u hebt het inburgeringscontract niet ondertekend",
	InfractionCourseAbandoned:           "u bent gestopt met de cursus",
}

// ComposeLetter writes the letter of kind for a learner whose contact language is lang.
func ComposeLetter(kind LetterKind, f LetterFacts, lang string) Letter {
	sl := SummaryLanguage(lang)
	return Letter{Kind: kind, Dutch: dutchLetter(kind, f), Summary: letterSummary(kind, f, sl), SummaryLanguage: sl}
}

func dutchLetter(kind LetterKind, f LetterFacts) string {
	d := func(t time.Time) string { return t.Format("02-01-2006") }
	head := fmt.Sprintf("Beste %s,\n\nDit gaat over dossier %d, voor de periode van %s tot %s: %s.\n\n", f.Learner, f.FileID, d(f.From), d(f.Until), infractionDutch[f.Type])
	var body string
	switch kind {
	case LetterWarning:
		body = fmt.Sprintf("Dit is een aanmaning. Als inburgeraar met een verplichting moet u het traject volgen. "+
			"Doe wat gevraagd wordt vóór %s. Doet u dat niet, dan sturen wij uw dossier naar de dienst die boetes oplegt. "+
			"Die boete is tussen 50 en 5.000 euro. Hebt u een goede reden, of hebt u vragen? Neem contact op met uw trajectbegeleider.", d(f.Deadline))
	case LetterReferral:
		body = fmt.Sprintf("U hebt niet gedaan wat de aanmaning vroeg. Daarom sturen wij uw dossier naar de dienst die boetes oplegt. "+
			"U hebt het recht om te reageren. Stuur uw schriftelijke reactie vóór %s. Wij lezen ze voor er een beslissing valt.", d(f.Deadline))
	case LetterDecision:
		if f.Outcome == OutcomeFine {
			body = fmt.Sprintf("Wij hebben beslist: u krijgt een administratieve geldboete van %d euro. Betaal vóór %s. "+
				"U kunt tegen deze beslissing in beroep gaan.", f.Amount, d(f.Deadline))
		} else {
			body = "Wij hebben beslist: u krijgt geen boete. Het dossier is gesloten."
		}
	}
	return head + body + "\n\nMet vriendelijke groeten,\nHet agentschap Integratie en Inburgering"
}

// summaries are the plain-language summaries: {deadline} and {amount} are filled in.
var summaries = map[string]map[string]string{
	"nl": {
		"warning":  "U moet het traject volgen. Doe het vóór {deadline}. Anders kunt u een boete krijgen.",
		"referral": "Uw dossier gaat naar de dienst voor boetes. U mag schrijven wat u ervan vindt, vóór {deadline}.",
		"fine":     "U krijgt een boete van {amount} euro. Betaal vóór {deadline}.",
		"no_fine":  "U krijgt geen boete. Het dossier is gesloten.",
	},
	"en": {
		"warning":  "You must follow the programme. Do it before {deadline}. If not, you can get a fine.",
		"referral": "Your file goes to the office that gives fines. You may write what you think, before {deadline}.",
		"fine":     "You get a fine of {amount} euro. Pay before {deadline}.",
		"no_fine":  "You get no fine. The file is closed.",
	},
	"fr": {
		"warning":  "Vous devez suivre le parcours. Faites-le avant le {deadline}. Sinon, vous pouvez recevoir une amende.",
		"referral": "Votre dossier va au service des amendes. Vous pouvez écrire votre avis avant le {deadline}.",
		"fine":     "Vous recevez une amende de {amount} euros. Payez avant le {deadline}.",
		"no_fine":  "Vous ne recevez pas d'amende. Le dossier est clos.",
	},
	"ar": {
		"warning":  "يجب عليك متابعة المسار. افعل ذلك قبل {deadline}. وإلا قد تحصل على غرامة.",
		"referral": "يذهب ملفك إلى مكتب الغرامات. يمكنك أن تكتب رأيك قبل {deadline}.",
		"fine":     "عليك غرامة قدرها {amount} يورو. ادفع قبل {deadline}.",
		"no_fine":  "لا توجد غرامة عليك. تم إغلاق الملف.",
	},
}

func letterSummary(kind LetterKind, f LetterFacts, lang string) string {
	key := string(kind)
	if kind == LetterDecision {
		key = string(OutcomeNoFine)
		if f.Outcome == OutcomeFine {
			key = string(OutcomeFine)
		}
	}
	return strings.NewReplacer("{deadline}", f.Deadline.Format("02-01-2006"), "{amount}", fmt.Sprint(f.Amount)).Replace(summaries[lang][key])
}

// PlainSummary returns the summary of a letter in another language than the
// learner's, for a PDF that cannot set the learner's script.
func PlainSummary(kind LetterKind, f LetterFacts, lang string) string {
	return letterSummary(kind, f, SummaryLanguage(lang))
}
