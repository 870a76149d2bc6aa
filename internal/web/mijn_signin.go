package web

import (
	"context"
	"net/http"
	"strings"

	"traject"
	"traject/internal/auth"
	"traject/internal/i18n"
	"traject/internal/notify"
	"traject/internal/store"
)

// maxSharedPhone bounds how many learners one number sends codes to: a
// family may share a phone, a typo'd data import should not flood one.
const maxSharedPhone = 4

type mijnSignInData struct {
	Phone string
}

func (m *mijn) signInForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := m.signedInLearner(r); err == nil {
		return m.seeOther(w, r, "/mijn/home")
	}
	return m.render(w, http.StatusOK, "mijn_signin", m.newPage(r, nil, "mijn.signin.title", mijnSignInData{}))
}

// sendSignInCode sends a code by SMS to every learner with this number, and
// answers the same whether or not any has it, so that the page tells nobody
// whose number is known. Past the limit of codes nothing is sent, with the
// same answer again.
func (m *mijn) sendSignInCode(w http.ResponseWriter, r *http.Request) error {
	data := mijnSignInData{Phone: strings.TrimSpace(r.PostFormValue("phone"))}
	key := store.PhoneKey(data.Phone)
	if key == "" {
		err := mijnInvalid("phone", "mijn.phone.invalid", "enter your mobile phone number, as in 0470 12 34 56")
		p := m.withErrors(r, m.newPage(r, nil, "mijn.signin.title", data), err, "phone")
		return m.render(w, http.StatusUnprocessableEntity, "mijn_signin", p)
	}
	learners, err := m.Store.LearnersByPhone(r.Context(), key)
	if err != nil {
		return err
	}
	for i := range learners[:min(len(learners), maxSharedPhone)] {
		if err := m.sendCode(r.Context(), &learners[i], store.LearnerCode{Purpose: store.CodeSignIn}, "mijn.sms.signin"); err != nil {
			return err
		}
	}
	m.Sessions.Put(r.Context(), sessionMijnPhone, key)
	return m.seeOther(w, r, "/mijn/code")
}

// sendCode issues a code for l and sends it by SMS in l's language. A
// learner without a phone, or past the limit, gets nothing and no error.
func (m *mijn) sendCode(ctx context.Context, l *traject.Learner, c store.LearnerCode, textKey string) error {
	if l.Phone == "" {
		return nil
	}
	c.LearnerID, c.Limit = l.ID, store.CodeSMSLimit
	code, err := m.Store.IssueLearnerCode(traject.NewContextWithActorLabel(ctx, "learner:"+l.Ref), c)
	if traject.ErrorCode(err) == traject.ETHROTTLED {
		return nil
	}
	if err != nil {
		return err
	}
	lang := l.Language
	if _, ok := i18n.Supported(lang); !ok {
		lang = i18n.Default
	}
	return m.sendSMS(ctx, l, lang, m.I18n.Localizer(lang).T(textKey, "Code", code))
}

// sendSMS sends a text to the learner's phone.
func (m *mijn) sendSMS(ctx context.Context, l *traject.Learner, lang, body string) error {
	return m.Sender.Send(ctx, notify.Message{Channel: notify.SMS, To: l.Phone, Language: lang, Body: body})
}

type mijnCodeData struct {
	AskWho     bool   // no number waits for a code: ask for the number or the reference
	Identifier string // the number or reference typed
}

func (m *mijn) codeForm(w http.ResponseWriter, r *http.Request) error {
	data := mijnCodeData{AskWho: r.URL.Query().Get("desk") != "" || m.Sessions.GetString(r.Context(), sessionMijnPhone) == ""}
	p := m.newPage(r, nil, "mijn.code.title", data)
	p.Back = "/mijn/"
	return m.render(w, http.StatusOK, "mijn_code", p)
}

// checkCode signs the learner in with a code from an SMS or from the desk.
func (m *mijn) checkCode(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return traject.Errorf(traject.EINVALID, "mijn.form.invalid", "the form could not be read")
	}
	data := mijnCodeData{AskWho: r.PostForm.Has("identifier"), Identifier: strings.TrimSpace(r.PostFormValue("identifier"))}
	code := normalizeCode(r.PostFormValue("code"))
	var v traject.Validation
	if data.AskWho && data.Identifier == "" {
		v.Add("identifier", "mijn.identifier.required", "enter your phone number or your file number", nil)
	}
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		v.Add("code", "mijn.code.invalid", "enter the 6 digits of the code", nil)
	}
	if err := v.Err(); err != nil {
		return m.codeError(w, r, data, err)
	}
	ids, err := m.candidates(ctx, data)
	if err != nil {
		return err
	}
	id, err := m.Store.UseLearnerCode(ctx, ids, store.CodeSignIn, 0, code)
	if traject.ErrorCode(err) == traject.EINVALID {
		return m.codeError(w, r, data, mijnInvalid("code", "mijn.code.wrong", "this code does not work"))
	}
	if err != nil {
		return err
	}
	if err := m.signInLearner(ctx, id); err != nil {
		return err
	}
	return m.seeOther(w, r, "/mijn/home")
}

func (m *mijn) codeError(w http.ResponseWriter, r *http.Request, data mijnCodeData, err error) error {
	first := "code"
	if data.AskWho {
		first = "identifier"
	}
	p := m.withErrors(r, m.newPage(r, nil, "mijn.code.title", data), err, first)
	p.Back = "/mijn/"
	return m.render(w, http.StatusUnprocessableEntity, "mijn_code", p)
}

// candidates are the learners the code may belong to: those of the number
// waiting for a code, or of the number or reference typed.
func (m *mijn) candidates(ctx context.Context, data mijnCodeData) ([]int64, error) {
	who := m.Sessions.GetString(ctx, sessionMijnPhone)
	var ids []int64
	if data.AskWho {
		who = data.Identifier
		if l, err := m.Store.Learner(ctx, who); err == nil {
			ids = append(ids, l.ID)
		} else if traject.ErrorCode(err) != traject.ENOTFOUND {
			return nil, err
		}
	}
	learners, err := m.Store.LearnersByPhone(ctx, who)
	if err != nil {
		return nil, err
	}
	for _, l := range learners {
		ids = append(ids, l.ID)
	}
	return ids, nil
}

// normalizeCode keeps the digits of what was typed: people copy "123 456".
func normalizeCode(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '.' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// signInLearner starts the learner's session under a new token (no session
// fixation), without any staff member in it, in the learner's language
// unless they chose another.
func (m *mijn) signInLearner(ctx context.Context, id int64) error {
	l, err := m.Store.LearnerByID(ctx, id)
	if err != nil {
		return err
	}
	if err := m.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	m.Sessions.Remove(ctx, auth.SessionUserID)
	m.Sessions.Remove(ctx, sessionMijnPhone)
	m.Sessions.Put(ctx, sessionLearnerID, l.ID)
	if _, ok := i18n.Supported(l.Language); ok && m.Sessions.GetString(ctx, auth.SessionLang) == "" {
		m.Sessions.Put(ctx, auth.SessionLang, l.Language)
	}
	return nil
}

func (m *mijn) signOut(w http.ResponseWriter, r *http.Request) error {
	lang := m.Sessions.GetString(r.Context(), auth.SessionLang)
	if err := m.Sessions.Destroy(r.Context()); err != nil {
		return err
	}
	target := "/mijn/"
	if lang != "" {
		target += "?lang=" + lang
	}
	return m.seeOther(w, r, target)
}
