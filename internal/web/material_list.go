package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"traject"
	"traject/internal/store"
)

// materialListSize is the number of materials on one page of the catalogue.
const materialListSize = 50

// materialListData is the catalogue: its filters and one keyset page.
type materialListData struct {
	Type, Track, Language, Status string
	Types                         []traject.MaterialType
	Tracks                        []traject.MaterialTrack
	Statuses                      []traject.MaterialStatus
	Languages                     []languageOption // the languages the catalogue holds
	Materials                     []materialRow
	Next, First                   string // page addresses, "" when there is none
	CanSubmit                     bool
}

// materialRow is a material with its languages named in the reader's language.
type materialRow struct {
	traject.Material
	LanguageNames string
}

// languageOption is a language code with its name.
type languageOption struct {
	Code, Name string
}

// displayLanguage names the language with ISO 639-1 code in the interface
// language ui ("ar" in Dutch is "Arabisch"); an unknown code stays a code.
func displayLanguage(ui, code string) string {
	tag, err := language.Parse(code)
	if err != nil {
		return code
	}
	if name := display.Tags(language.Make(ui)).Name(tag); name != "" {
		return name
	}
	return code
}

// displayLanguages names a list of codes, separated by commas.
func displayLanguages(ui string, codes []string) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = displayLanguage(ui, c)
	}
	return strings.Join(names, ", ")
}

func (s *Server) materialList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	ui := s.localizer(r).Lang.Tag
	data := &materialListData{Type: q.Get("type"), Track: q.Get("track"), Language: q.Get("language"), Status: q.Get("status"),
		Types: traject.MaterialTypes, Tracks: traject.MaterialTracks, Statuses: traject.MaterialStatuses,
		CanSubmit: traject.CanSubmitMaterial(traject.UserFromContext(r.Context()))}
	codes, err := s.Store.CatalogueLanguages(r.Context())
	if err != nil {
		return err
	}
	for _, c := range codes {
		data.Languages = append(data.Languages, languageOption{Code: c, Name: displayLanguage(ui, c)})
	}
	p := s.newPage(r, "materials.title", data)
	f, ferr := data.filter(q)
	if ferr != nil {
		return s.render(w, r, http.StatusUnprocessableEntity, "material_list", s.withErrors(r, p, ferr, "type"))
	}
	page, err := s.Store.Materials(r.Context(), f)
	if err != nil {
		return err
	}
	for _, m := range page.Materials {
		data.Materials = append(data.Materials, materialRow{Material: m, LanguageNames: displayLanguages(ui, m.Languages)})
	}
	data.Next, data.First = idKeysetLinks("/materials", q, page.Next)
	return s.render(w, r, http.StatusOK, "material_list", p)
}

// filter checks the catalogue's filters and turns them into a store filter.
func (d *materialListData) filter(q url.Values) (store.MaterialFilter, error) {
	f := store.MaterialFilter{Type: traject.MaterialType(d.Type), Track: traject.MaterialTrack(d.Track),
		Language: d.Language, Status: traject.MaterialStatus(d.Status), Limit: materialListSize}
	var v traject.Validation
	if d.Type != "" && !f.Type.Valid() {
		v.Add("type", "material.type.invalid", "choose module, exercise, method or video", nil)
	}
	if d.Track != "" && !f.Track.Valid() {
		v.Add("track", "material.track.invalid", "choose basic, standard, intensive or any track", nil)
	}
	if d.Language != "" && !traject.IsLanguageCode(d.Language) {
		v.Add("language", "materials.language.invalid", "choose a language from the list", nil)
	}
	if d.Status != "" && !f.Status.Valid() {
		v.Add("status", "materials.status.invalid", "choose a status from the list", nil)
	}
	if after := q.Get("after"); after != "" {
		f.After, _ = strconv.ParseInt(after, 10, 64) // a broken cursor starts at the beginning
	}
	return f, v.Err()
}

// idKeysetLinks returns the addresses of the next page (after next, when there
// is one) and of the first page (when this is not it) of a keyset list at path.
func idKeysetLinks(path string, q url.Values, next int64) (nextURL, firstURL string) {
	if next != 0 {
		n := cloneValues(q)
		n.Set("after", strconv.FormatInt(next, 10))
		nextURL = path + "?" + n.Encode()
	}
	if q.Get("after") != "" {
		first := cloneValues(q)
		first.Del("after")
		firstURL = path + "?" + first.Encode()
	}
	return nextURL, firstURL
}
