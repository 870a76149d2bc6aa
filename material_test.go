package traject

import (
	"slices"
	"strings"
	"testing"
)

func validMaterial() *Material {
	return &Material{Title: " Wonen in Vlaanderen ", Link: "https://example.org/wonen", Type: MaterialModule,
		Theme: "wonen", Languages: []string{"NL", "ar", "nl"}, Track: MaterialTrackBasic}
}

// materialFields returns the fields an error names, in order.
func materialFields(err error) []string {
	e, ok := AsError(err)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestMaterialValidateTidies(t *testing.T) {
	m := validMaterial()
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	if m.Title != "Wonen in Vlaanderen" || !slices.Equal(m.Languages, []string{"ar", "nl"}) {
		t.Errorf("not tidied: %q %v", m.Title, m.Languages)
	}
}

func TestMaterialValidateRefuses(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(m *Material)
		field string
	}{
		{"no title", func(m *Material) { m.Title = "  " }, "title"},
		{"long title", func(m *Material) { m.Title = strings.Repeat("x", 201) }, "title"},
		{"no link", func(m *Material) { m.Link = "" }, "link"},
		{"relative link", func(m *Material) { m.Link = "/wonen" }, "link"},
		{"script link", func(m *Material) { m.Link = "javascript:alert(1)" }, "link"},
		{"file link", func(m *Material) { m.Link = "file:///etc/passwd" }, "link"},
		{"ftp link", func(m *Material) { m.Link = "ftp://example.org/x" }, "link"},
		{"link without host", func(m *Material) { m.Link = "https://" }, "link"},
		{"link with a space", func(m *Material) { m.Link = "https://example.org/a b" }, "link"},
		{"unknown type", func(m *Material) { m.Type = "podcast" }, "type"},
		{"no theme", func(m *Material) { m.Theme = "" }, "theme"},
		{"no language", func(m *Material) { m.Languages = nil }, "languages"},
		{"not a language code", func(m *Material) { m.Languages = []string{"nl", "dutch"} }, "languages"},
		{"three-letter code", func(m *Material) { m.Languages = []string{"nld"} }, "languages"},
		{"unknown track", func(m *Material) { m.Track = "expert" }, "track"},
		{"no track", func(m *Material) { m.Track = "" }, "track"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validMaterial()
			tt.edit(m)
			err := m.Validate()
			if ErrorCode(err) != EINVALID || !slices.Equal(materialFields(err), []string{tt.field}) {
				t.Errorf("err = %v, want one error on %s", err, tt.field)
			}
		})
	}
}

func TestMaterialValidateNamesEveryFieldInFormOrder(t *testing.T) {
	err := (&Material{}).Validate()
	want := []string{"title", "link", "type", "theme", "languages", "track"}
	if got := materialFields(err); !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v", got, want)
	}
}

func TestValidLink(t *testing.T) {
	for link, want := range map[string]bool{
		"https://www.inburgering.be/nl/mo":     true,
		"http://example.org":                   true,
		"HTTPS://example.org/x?y=1#z":          true, // the scheme's case does not matter
		"https:example.org":                    false,
		"mailto:a@example.org":                 false,
		"//example.org/x":                      false,
		"https://" + strings.Repeat("a", 2000): false,
	} {
		if got := ValidLink(link); got != want {
			t.Errorf("ValidLink(%q) = %v, want %v", link, got, want)
		}
	}
}

func TestMaterialLanguagesAreISO6391(t *testing.T) {
	for _, c := range []string{"nl", "fr", "ar", "en", "tr", "ti", "so", "ps", "fa", "uk"} {
		m := validMaterial()
		m.Languages = []string{c}
		if err := m.Validate(); err != nil {
			t.Errorf("%s: %v", c, err)
		}
	}
	m := validMaterial()
	m.Languages = []string{"nl", "xx"}
	err := m.Validate()
	if e, ok := AsError(err); !ok || len(e.Fields) != 1 || e.Fields[0].Args["Code"] != "xx" {
		t.Errorf("the error does not name the wrong code: %v", err)
	}
}

func TestMaterialSuits(t *testing.T) {
	m := &Material{Track: MaterialTrackAny}
	if !m.Suits(MaterialTrackBasic) || !m.Suits(MaterialTrackIntensive) {
		t.Error("a material for any track suits every track")
	}
	m.Track = MaterialTrackBasic
	if !m.Suits(MaterialTrackBasic) || m.Suits(MaterialTrackStandard) {
		t.Error("a basic material suits the basic track only")
	}
}

func TestCanSubmitMaterial(t *testing.T) {
	for _, r := range Roles {
		if !CanSubmitMaterial(&User{Role: r, Active: true}) {
			t.Errorf("%s cannot submit, though every role reads learners or courses", r)
		}
	}
	if CanSubmitMaterial(&User{Role: RoleAdmin}) || CanSubmitMaterial(nil) {
		t.Error("an inactive account or nobody may submit")
	}
}

func materialAnswer(b bool) *bool { return &b }

func fullMaterialReview(decision MaterialStatus) *MaterialReview {
	return &MaterialReview{LanguageLevel: materialAnswer(true), Accessible: materialAnswer(true), Chromebook: materialAnswer(true), MobileData: materialAnswer(true), Decision: decision}
}

func TestCheckMaterialReview(t *testing.T) {
	submitter := &User{ID: 7, Role: RoleCoordinator, Active: true}
	reviewer := &User{ID: 8, Role: RoleCoordinator, Active: true}
	m := &Material{SubmittedBy: submitter.ID}
	tests := []struct {
		name   string
		review func() *MaterialReview
		by     *User
		code   string
		fields []string
	}{
		{"approve, all yes", func() *MaterialReview { return fullMaterialReview(MaterialApproved) }, reviewer, "", nil},
		{"reject with a note", func() *MaterialReview {
			r := fullMaterialReview(MaterialRejected)
			r.Notes = "too difficult"
			return r
		}, reviewer, "", nil},
		{"reject without a note", func() *MaterialReview {
			r := fullMaterialReview(MaterialRejected)
			r.Notes = "  "
			return r
		}, reviewer, EINVALID, []string{"notes"}},
		{"approve with a no and no note", func() *MaterialReview {
			r := fullMaterialReview(MaterialApproved)
			r.MobileData = materialAnswer(false)
			return r
		}, reviewer, EINVALID, []string{"notes"}},
		{"approve with a no and a note", func() *MaterialReview {
			r := fullMaterialReview(MaterialApproved)
			r.MobileData, r.Notes = materialAnswer(false), "videos need Wi-Fi"
			return r
		}, reviewer, "", nil},
		{"a criterion unanswered", func() *MaterialReview {
			r := fullMaterialReview(MaterialApproved)
			r.Chromebook = nil
			return r
		}, reviewer, EINVALID, []string{"chromebook"}},
		{"nothing answered", func() *MaterialReview { return &MaterialReview{} }, reviewer, EINVALID,
			[]string{"language_level", "accessible", "chromebook", "mobile_data", "decision"}},
		{"back to submitted is no decision", func() *MaterialReview { return fullMaterialReview(MaterialSubmitted) }, reviewer, EINVALID, []string{"decision"}},
		{"a long note", func() *MaterialReview {
			r := fullMaterialReview(MaterialRejected)
			r.Notes = strings.Repeat("x", 2001)
			return r
		}, reviewer, EINVALID, []string{"notes"}},
		{"own material", func() *MaterialReview { return fullMaterialReview(MaterialApproved) }, submitter, EFORBIDDEN, nil},
		{"own material, even incomplete", func() *MaterialReview { return &MaterialReview{} }, submitter, EFORBIDDEN, nil},
		{"a system actor", func() *MaterialReview { return fullMaterialReview(MaterialApproved) }, nil, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckMaterialReview(m, tt.review(), tt.by)
			if ErrorCode(err) != tt.code || !slices.Equal(materialFields(err), tt.fields) {
				t.Errorf("err = %v (fields %v), want %q on %v", err, materialFields(err), tt.code, tt.fields)
			}
		})
	}
}

func TestSystemSubmissionCanBeReviewedByAnyone(t *testing.T) {
	m := &Material{SubmittedBy: 0}
	if err := CheckMaterialReview(m, fullMaterialReview(MaterialApproved), &User{ID: 3}); err != nil {
		t.Error(err)
	}
}

func TestReviewAnswers(t *testing.T) {
	var r MaterialReview
	for i, c := range MaterialCriteria {
		r.SetAnswer(c, i%2 == 0)
	}
	for i, c := range MaterialCriteria {
		if a := r.Answer(c); a == nil || *a != (i%2 == 0) {
			t.Errorf("%s = %v", c, a)
		}
	}
	if r.Answer("colour") != nil {
		t.Error("an unknown criterion has an answer")
	}
}

func TestWhoReviewsMaterialsAndWorksOnBarriers(t *testing.T) {
	for _, r := range Roles {
		want := r == RoleAdmin || r == RoleCoordinator
		if r.Can(PermMaterialsReview) != want || r.Can(PermBarriersWrite) != want {
			t.Errorf("%s: review %v, barriers %v; want %v", r, r.Can(PermMaterialsReview), r.Can(PermBarriersWrite), want)
		}
	}
}
