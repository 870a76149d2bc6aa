package traject

import (
	"slices"
	"testing"
	"time"
)

func validAssessment() *Assessment {
	return &Assessment{
		AssessedOn:   time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC),
		DeviceAccess: DeviceOwnComputer, Internet: InternetWiFi,
		Skills:   DigitalSkills{LogIn: true, Website: true, VideoLesson: true, EmailAttachment: true, OnlineForm: true},
		Literacy: LiterateLatin, Education: EducationSecondary, DutchLevel: "A2", Languages: []string{"ar"},
	}
}

func fieldsOf(err error) []string {
	e, ok := AsError(err)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+":"+f.Key)
	}
	return out
}

func TestAssessmentValidate(t *testing.T) {
	today := time.Date(2020, 4, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		edit func(a *Assessment)
		want []string
	}{
		{"valid", func(*Assessment) {}, nil},
		{"today is fine", func(a *Assessment) { a.AssessedOn = today }, nil},
		{"no date", func(a *Assessment) { a.AssessedOn = time.Time{} }, []string{"assessed_on:assessment.date.invalid"}},
		{"future date", func(a *Assessment) { a.AssessedOn = today.AddDate(0, 0, 1) }, []string{"assessed_on:assessment.date.future"}},
		{"device", func(a *Assessment) { a.DeviceAccess = "laptop" }, []string{"device_access:assessment.device.invalid"}},
		{"internet", func(a *Assessment) { a.Internet = "" }, []string{"internet:assessment.internet.invalid"}},
		{"literacy", func(a *Assessment) { a.Literacy = "literate" }, []string{"literacy:assessment.literacy.invalid"}},
		{"education", func(a *Assessment) { a.Education = "university" }, []string{"education:assessment.education.invalid"}},
		{"dutch empty", func(a *Assessment) { a.DutchLevel = "" }, []string{"dutch_level:assessment.dutch.invalid"}},
		{"dutch lower case", func(a *Assessment) { a.DutchLevel = "a1" }, []string{"dutch_level:assessment.dutch.invalid"}},
		{"dutch none", func(a *Assessment) { a.DutchLevel = DutchNone }, nil},
		{"no language", func(a *Assessment) { a.Languages = []string{" ", ""} }, []string{"languages:assessment.languages.required"}},
		{"unknown language", func(a *Assessment) { a.Languages = []string{"ar", "xx"} }, []string{"languages:assessment.languages.unknown"}},
		{"three letters", func(a *Assessment) { a.Languages = []string{"ara"} }, []string{"languages:assessment.languages.unknown"}},
		{"too many", func(a *Assessment) {
			a.Languages = []string{"ar", "fr", "en", "nl", "de", "es", "it", "pt", "ru", "tr", "fa"}
		}, []string{"languages:assessment.languages.many"}},
		{"all wrong, in form order", func(a *Assessment) { *a = Assessment{} }, []string{
			"assessed_on:assessment.date.invalid", "device_access:assessment.device.invalid", "internet:assessment.internet.invalid",
			"literacy:assessment.literacy.invalid", "education:assessment.education.invalid", "dutch_level:assessment.dutch.invalid",
			"languages:assessment.languages.required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := validAssessment()
			tt.edit(a)
			got := fieldsOf(a.Validate(today))
			if !slices.Equal(got, tt.want) {
				t.Errorf("errors = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAssessmentLanguagesTidied(t *testing.T) {
	a := validAssessment()
	a.Languages = ParseLanguages(" AR, fr;ar  ti\n")
	if err := a.Validate(a.AssessedOn); err != nil {
		t.Fatal(err)
	}
	if want := []string{"ar", "fr", "ti"}; !slices.Equal(a.Languages, want) {
		t.Errorf("languages = %v, want %v", a.Languages, want)
	}
}

func TestDigitalSkills(t *testing.T) {
	var d DigitalSkills
	if d.Score() != 0 {
		t.Fatalf("empty score = %d", d.Score())
	}
	for i, s := range Skills {
		if d.Has(s) {
			t.Errorf("%s set before Set", s)
		}
		d.Set(s, true)
		if !d.Has(s) || d.Score() != i+1 {
			t.Errorf("after Set(%s): has %v, score %d", s, d.Has(s), d.Score())
		}
	}
	if d.Score() != MaxSkillScore {
		t.Errorf("full score = %d", d.Score())
	}
	d.Set(SkillVideoLesson, false)
	if d.VideoLesson || d.Score() != 4 {
		t.Errorf("Set false did not clear the skill: %+v", d)
	}
	if d.Has("typing") {
		t.Error("an unknown skill is had")
	}
}
