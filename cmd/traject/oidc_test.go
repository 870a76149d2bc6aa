package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"html/template"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"traject"
	"traject/internal/config"
	"traject/internal/i18n"
)

// oidcRedirect is the redirect URL Traject registers at the test provider.
// Traject listens on 127.0.0.1:0, so its address is unknown when NewOIDC runs
// at start; like a public address in front of a proxy, the callback is on a
// placeholder host that the test browser maps to the real server.
const oidcRedirect = "http://traject.test/auth/oidc/callback"

// fakeIDP is a small OpenID provider: discovery, JWKS, an authorization
// endpoint that signs the person in at once, and a token endpoint that checks
// the client, the code and PKCE before it issues an RS256 ID token.
type fakeIDP struct {
	*httptest.Server
	t            testing.TB
	clientID     string
	clientSecret string
	key          *rsa.PrivateKey // the key published at /jwks

	mu     sync.Mutex
	person idpPerson        // who signs in at the next /authorize
	grants map[string]grant // by code; a code is used once
}

// idpPerson is who signs in at the provider, and what the provider then puts
// into the ID token.
type idpPerson struct {
	Email  string
	Claims map[string]any  // replaces ID token claims; a nil value removes one
	Key    *rsa.PrivateKey // signs the ID token instead of the published key
}

type grant struct {
	person                        idpPerson
	redirectURI, challenge, nonce string
}

// testKeys are the provider's key and a stranger's, made once: RSA key
// generation is slow.
var testKeys = sync.OnceValue(func() [2]*rsa.PrivateKey {
	var keys [2]*rsa.PrivateKey
	for i := range keys {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		keys[i] = k
	}
	return keys
})

func newFakeIDP(t testing.TB, person idpPerson) *fakeIDP {
	p := &fakeIDP{t: t, clientID: "traject-test", clientSecret: "s3cret/+=", key: testKeys()[0],
		person: person, grants: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	return p
}

// configure turns OIDC on against p.
func (p *fakeIDP) configure(c *config.Config) {
	c.OIDC = config.OIDC{Issuer: p.URL, ClientID: p.clientID, ClientSecret: p.clientSecret, RedirectURL: oidcRedirect}
}

func (p *fakeIDP) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                p.URL,
		"authorization_endpoint":                p.URL + "/authorize",
		"token_endpoint":                        p.URL + "/token",
		"jwks_uri":                              p.URL + "/jwks",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
	})
}

func (p *fakeIDP) jwks(w http.ResponseWriter, _ *http.Request) {
	pub := p.key.PublicKey
	writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "use": "sig", "alg": "RS256", "kid": "test",
		"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}

// authorize checks what Traject asks for, signs p.person in and sends the
// browser back with a code.
func (p *fakeIDP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for k, want := range map[string]string{"client_id": p.clientID, "redirect_uri": oidcRedirect,
		"response_type": "code", "code_challenge_method": "S256"} {
		if q.Get(k) != want {
			p.refuse(w, http.StatusBadRequest, "authorize: %s is %q, want %q", k, q.Get(k), want)
			return
		}
	}
	if !strings.Contains(" "+q.Get("scope")+" ", " openid ") || !strings.Contains(q.Get("scope"), "email") {
		p.refuse(w, http.StatusBadRequest, "authorize: scope %q lacks openid or email", q.Get("scope"))
		return
	}
	for _, k := range []string{"state", "nonce", "code_challenge"} {
		if len(q.Get(k)) < 22 {
			p.refuse(w, http.StatusBadRequest, "authorize: %s %q is missing or too short", k, q.Get(k))
			return
		}
	}
	code := b64(randomBytes(p.t, 16))
	p.mu.Lock()
	p.grants[code] = grant{person: p.person, redirectURI: q.Get("redirect_uri"), challenge: q.Get("code_challenge"), nonce: q.Get("nonce")}
	p.mu.Unlock()
	back := q.Get("redirect_uri") + "?" + url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
	http.Redirect(w, r, back, http.StatusFound)
}

// token exchanges a code for an ID token. A code it does not know is a normal
// refusal; anything else wrong is a fault of Traject and fails the test.
func (p *fakeIDP) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if ok {
		id, _ = url.QueryUnescape(id) // RFC 6749 2.3.1: form-encoded before Basic
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	if id != p.clientID || secret != p.clientSecret {
		p.refuse(w, http.StatusUnauthorized, "token: client %q with secret %q", id, secret)
		return
	}
	p.mu.Lock()
	g, found := p.grants[r.PostFormValue("code")]
	delete(p.grants, r.PostFormValue("code"))
	p.mu.Unlock()
	if r.PostFormValue("grant_type") != "authorization_code" || !found {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	}
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	if b64(sum[:]) != g.challenge {
		p.refuse(w, http.StatusBadRequest, "token: the PKCE code_verifier does not match the challenge")
		return
	}
	if r.PostFormValue("redirect_uri") != g.redirectURI {
		p.refuse(w, http.StatusBadRequest, "token: redirect_uri %q, authorized %q", r.PostFormValue("redirect_uri"), g.redirectURI)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": b64(randomBytes(p.t, 16)), "token_type": "Bearer", "expires_in": 3600,
		"id_token": p.idToken(g),
	})
}

func (p *fakeIDP) idToken(g grant) string {
	now := time.Now()
	claims := map[string]any{
		"iss": p.URL, "aud": p.clientID, "sub": "sub-" + g.person.Email,
		"email": g.person.Email, "email_verified": true, "nonce": g.nonce,
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
	}
	for k, v := range g.person.Claims {
		if v == nil {
			delete(claims, k)
		} else {
			claims[k] = v
		}
	}
	key := p.key
	if g.person.Key != nil {
		key = g.person.Key
	}
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": "test"})
	body, _ := json.Marshal(claims)
	signed := b64(header) + "." + b64(body)
	sum := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		p.t.Errorf("sign id token: %v", err)
	}
	return signed + "." + b64(sig)
}

func (p *fakeIDP) refuse(w http.ResponseWriter, status int, format string, args ...any) {
	p.t.Errorf("provider: "+format, args...)
	writeJSON(w, status, map[string]string{"error": "invalid_request"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func randomBytes(t testing.TB, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Errorf("random: %v", err)
	}
	return b
}

var oidcButton = regexp.MustCompile(`href="(/auth/oidc/start[^"]*)"`)

// oidcSignIn plays a browser: it opens the sign-in page in English, follows
// the single sign-on button to the provider and comes back to Traject. tamper
// may change the callback URL first. It returns the callback's response.
func oidcSignIn(t *testing.T, tm *testMain, c *http.Client, next string, tamper func(*url.URL)) *response {
	t.Helper()
	page := tm.get(c, "/login?lang=en&next="+url.QueryEscape(next))
	button := oidcButton.FindStringSubmatch(page.Body)
	if button == nil {
		t.Fatalf("the sign-in page has no single sign-on button:\n%s", page.Body)
	}
	start := tm.get(c, html.UnescapeString(button[1]))
	loc := start.Header.Get("Location")
	if start.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "/authorize?") {
		t.Fatalf("start: status %d, location %q", start.StatusCode, loc)
	}
	res, err := c.Get(loc)
	if err != nil {
		t.Fatalf("authorize: %v", err)
	}
	res.Body.Close()
	back, err := url.Parse(res.Header.Get("Location"))
	if err != nil || res.StatusCode != http.StatusFound || !strings.HasPrefix(back.String(), oidcRedirect+"?") {
		t.Fatalf("authorize: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
	}
	if tamper != nil {
		tamper(back)
	}
	// A browser coming back from the provider says so.
	return tm.do(c, http.MethodGet, back.RequestURI(), nil, http.Header{"Sec-Fetch-Site": {"cross-site"}})
}

// mustNotBeSignedIn checks that c has no staff session.
func mustNotBeSignedIn(t *testing.T, tm *testMain, c *http.Client) {
	t.Helper()
	if res := tm.get(c, "/"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("GET / after a refused sign-in: status %d, location %q; want a redirect to /login", res.StatusCode, res.Header.Get("Location"))
	}
}

// logins returns the outcomes of the auth.login audit rows of email.
func logins(t *testing.T, tm *testMain, admin *traject.User, email string) []string {
	t.Helper()
	rows, err := tm.Store().AuditLog(traject.NewContextWithUser(context.Background(), admin),
		traject.AuditFilter{ObjectType: "user", ObjectID: email})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		if r.Action == "auth.login" {
			var after struct{ Outcome string }
			_ = json.Unmarshal([]byte(r.After), &after)
			out = append(out, after.Outcome)
		}
	}
	return out
}

// message is the English text of an error key as the page shows it.
func message(t *testing.T, key string) string {
	t.Helper()
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	return template.HTMLEscapeString(b.Localizer("en").T(key))
}

func TestOIDCSignIn(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, claimed string }{
		{"exact e-mail", "ada@example.org"},
		{"e-mail in another case", "Ada@Example.ORG"},
		{"email_verified left out", ""}, // some providers never send it; only false refuses
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			person := idpPerson{Email: tc.claimed}
			if tc.claimed == "" {
				person = idpPerson{Email: "ada@example.org", Claims: map[string]any{"email_verified": nil}}
			}
			idp := newFakeIDP(t, person)
			tm := mustRun(t, "", idp.configure)
			ada := tm.mustUser("ada@example.org", traject.RoleAdmin, "")
			c := tm.client()

			res := oidcSignIn(t, tm, c, "/account", nil)
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account" {
				t.Fatalf("callback: status %d, location %q, want 303 to /account\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
			}
			home := tm.get(c, "/")
			if home.StatusCode != http.StatusOK || !strings.Contains(home.Body, "<bdi>ada</bdi>") {
				t.Errorf("GET / after sign-in: status %d, the user's name is not shown", home.StatusCode)
			}
			if got := logins(t, tm, ada, ada.Email); len(got) != 1 || got[0] != "ok" {
				t.Errorf("auth.login audit outcomes = %q, want [ok]", got)
			}
		})
	}
}

func TestOIDCSignInRenewsSession(t *testing.T) {
	t.Parallel()
	idp := newFakeIDP(t, idpPerson{Email: "ada@example.org"})
	tm := mustRun(t, "", idp.configure)
	tm.mustUser("ada@example.org", traject.RoleAdmin, "")
	c := tm.client()
	var before, callback string
	res := oidcSignIn(t, tm, c, "/", func(u *url.URL) {
		before, callback = sessionCookie(t, tm, c), u.RequestURI()
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("callback: status %d, want 303", res.StatusCode)
	}
	if after := sessionCookie(t, tm, c); after == "" || after == before {
		t.Errorf("the session token was not renewed at sign-in (before %q, after %q)", before, after)
	}
	// The callback cannot be replayed, neither by the same browser nor by another.
	for name, other := range map[string]*http.Client{"same browser": c, "another browser": tm.client()} {
		if res := tm.get(other, callback); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("replayed callback in %s: status %d, want 401", name, res.StatusCode)
		}
	}
}

func sessionCookie(t *testing.T, tm *testMain, c *http.Client) string {
	t.Helper()
	u, _ := url.Parse(tm.URL())
	for _, k := range c.Jar.Cookies(u) {
		if k.Name == "traject_session" {
			return k.Value
		}
	}
	return ""
}

func TestOIDCSignInRefused(t *testing.T) {
	t.Parallel()
	past := time.Now().Add(-time.Hour).Unix()
	tests := []struct {
		name       string
		person     idpPerson
		deactivate bool
		tamper     func(*url.URL)
		key        string // the message key the sign-in page shows
	}{
		{name: "no Traject account", person: idpPerson{Email: "grace@example.org"}, key: "login.oidc.noaccount"},
		{name: "deactivated account", person: idpPerson{Email: "ada@example.org"}, deactivate: true, key: "login.oidc.noaccount"},
		{name: "wrong state", tamper: setQuery("state", "forged"), key: "login.oidc.state"},
		{name: "no state", tamper: setQuery("state", ""), key: "login.oidc.state"},
		{name: "code unknown to the provider", tamper: setQuery("code", "forged"), key: "login.oidc.failed"},
		{name: "wrong nonce", person: idpPerson{Claims: map[string]any{"nonce": "replayed"}}, key: "login.oidc.failed"},
		{name: "no nonce", person: idpPerson{Claims: map[string]any{"nonce": nil}}, key: "login.oidc.failed"},
		{name: "signed by another key", person: idpPerson{Key: testKeys()[1]}, key: "login.oidc.failed"},
		{name: "wrong audience", person: idpPerson{Claims: map[string]any{"aud": "another-client"}}, key: "login.oidc.failed"},
		{name: "wrong issuer", person: idpPerson{Claims: map[string]any{"iss": "https://idp.example"}}, key: "login.oidc.failed"},
		{name: "expired", person: idpPerson{Claims: map[string]any{"exp": past, "iat": past - 60}}, key: "login.oidc.failed"},
		{name: "email_verified false", person: idpPerson{Claims: map[string]any{"email_verified": false}}, key: "login.oidc.failed"},
		{name: "no e-mail", person: idpPerson{Claims: map[string]any{"email": nil}}, key: "login.oidc.failed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.person.Email == "" {
				tc.person.Email = "ada@example.org"
			}
			idp := newFakeIDP(t, tc.person)
			tm := mustRun(t, "", idp.configure)
			admin := tm.mustUser("root@example.org", traject.RoleAdmin, "")
			ada := tm.mustUser("ada@example.org", traject.RoleAdmin, "")
			if tc.deactivate {
				if _, err := tm.Store().SetUserActive(traject.NewContextWithUser(context.Background(), admin), ada.ID, false); err != nil {
					t.Fatal(err)
				}
			}
			c := tm.client()

			res := oidcSignIn(t, tm, c, "/", tc.tamper)
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("callback: status %d, want 401", res.StatusCode)
			}
			if want := message(t, tc.key); !strings.Contains(res.Body, want) {
				t.Errorf("the sign-in page does not say %q:\n%s", want, res.Body)
			}
			if !oidcButton.MatchString(res.Body) {
				t.Error("the sign-in page after a refusal offers no single sign-on button to try again")
			}
			mustNotBeSignedIn(t, tm, c)
			if got := logins(t, tm, admin, ada.Email); len(got) != 0 {
				t.Errorf("auth.login audit outcomes = %q, want none", got)
			}
		})
	}
}

func setQuery(k, v string) func(*url.URL) {
	return func(u *url.URL) {
		q := u.Query()
		q.Set(k, v)
		u.RawQuery = q.Encode()
	}
}

// TestOIDCChallengeIsUsedOnce checks that a callback consumes the sign-in it
// answers, even when it fails: coming back again with the right code is too late.
func TestOIDCChallengeIsUsedOnce(t *testing.T) {
	t.Parallel()
	idp := newFakeIDP(t, idpPerson{Email: "ada@example.org"})
	tm := mustRun(t, "", idp.configure)
	tm.mustUser("ada@example.org", traject.RoleAdmin, "")
	c := tm.client()
	var right string
	res := oidcSignIn(t, tm, c, "/", func(u *url.URL) {
		right = u.RequestURI()
		setQuery("code", "forged")(u)
	})
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("callback with a forged code: status %d, want 401", res.StatusCode)
	}
	if res := tm.get(c, right); res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Body, message(t, "login.oidc.state")) {
		t.Errorf("second callback for one sign-in: status %d, want 401 with the state message", res.StatusCode)
	}
	mustNotBeSignedIn(t, tm, c)
}

func TestOIDCCallbackWithoutStart(t *testing.T) {
	t.Parallel()
	idp := newFakeIDP(t, idpPerson{Email: "ada@example.org"})
	tm := mustRun(t, "", idp.configure)
	tm.mustUser("ada@example.org", traject.RoleAdmin, "")
	c := tm.client()
	res := tm.get(c, "/auth/oidc/callback?code=x&state=y&lang=en")
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Body, message(t, "login.oidc.state")) {
		t.Errorf("callback without a started sign-in: status %d\n%s", res.StatusCode, res.Body)
	}
	mustNotBeSignedIn(t, tm, c)
}

func TestOIDCOff(t *testing.T) {
	t.Parallel()
	tm := mustRun(t, "")
	c := tm.client()
	for _, path := range []string{"/auth/oidc/start", "/auth/oidc/callback?code=x&state=y"} {
		if res := tm.get(c, path); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s with OIDC off: status %d, want 404", path, res.StatusCode)
		}
	}
	if page := tm.get(c, "/login"); page.StatusCode != http.StatusOK || oidcButton.MatchString(page.Body) {
		t.Errorf("GET /login with OIDC off: status %d, single sign-on button shown: %v", page.StatusCode, oidcButton.MatchString(page.Body))
	}
}

func TestOIDCOnShowsButton(t *testing.T) {
	t.Parallel()
	idp := newFakeIDP(t, idpPerson{Email: "ada@example.org"})
	tm := mustRun(t, "", idp.configure)
	page := tm.get(tm.client(), "/login?next=/account")
	button := oidcButton.FindStringSubmatch(page.Body)
	if page.StatusCode != http.StatusOK || button == nil {
		t.Fatalf("GET /login with OIDC on: status %d, no single sign-on button", page.StatusCode)
	}
	if u, err := url.Parse(html.UnescapeString(button[1])); err != nil || u.Query().Get("next") != "/account" {
		t.Errorf("the button %q does not carry next=/account", button[1])
	}
}

func TestOIDCUnreachableIssuerFailsAtStart(t *testing.T) {
	t.Parallel()
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	cfg := config.Default()
	cfg.Addr, cfg.DB = "127.0.0.1:0", "sqlite:"+t.TempDir()+"/traject.db"
	cfg.OIDC = config.OIDC{Issuer: gone.URL, ClientID: "traject-test", ClientSecret: "x", RedirectURL: oidcRedirect}
	m := &Main{Config: cfg, DBFlagSet: true}
	defer m.Close()
	err := m.Open(context.Background())
	if err == nil || !strings.Contains(err.Error(), "oidc discovery") {
		t.Fatalf("Open with an unreachable issuer: %v, want an oidc discovery error", err)
	}
	if m.ln != nil {
		m.ln.Close()
		t.Error("the server listens although the issuer cannot be reached")
	}
}
