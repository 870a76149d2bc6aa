package traject

import (
	"slices"
	"strings"
	"testing"
)

func validBarrier() *Barrier {
	return &Barrier{Kind: ResourceSoftware, Resource: "  Zoom   app ", Category: BarrierLanguage, Severity: SeverityHigh,
		Description: " Only in English and French. ", RegionCode: "ANT"}
}

func TestBarrierValidateTidies(t *testing.T) {
	b := validBarrier()
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	if b.Resource != "Zoom app" || b.Description != "Only in English and French." {
		t.Errorf("not tidied: %q %q", b.Resource, b.Description)
	}
}

func TestBarrierValidateRefuses(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(b *Barrier)
		field string
	}{
		{"no kind", func(b *Barrier) { b.Kind = "" }, "resource_kind"},
		{"unknown kind", func(b *Barrier) { b.Kind = "printer" }, "resource_kind"},
		{"a material link on software", func(b *Barrier) { b.MaterialID = 3 }, "resource_kind"},
		{"no resource", func(b *Barrier) { b.Resource = "   " }, "resource"},
		{"long resource", func(b *Barrier) { b.Resource = strings.Repeat("x", 201) }, "resource"},
		{"unknown category", func(b *Barrier) { b.Category = "price" }, "category"},
		{"unknown severity", func(b *Barrier) { b.Severity = "critical" }, "severity"},
		{"no description", func(b *Barrier) { b.Description = "" }, "description"},
		{"long description", func(b *Barrier) { b.Description = strings.Repeat("x", 4001) }, "description"},
		{"no region", func(b *Barrier) { b.RegionCode = "" }, "region"},
		{"unknown region", func(b *Barrier) { b.RegionCode = "Gent" }, "region"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := validBarrier()
			tt.edit(b)
			err := b.Validate()
			if ErrorCode(err) != EINVALID || !slices.Equal(materialFields(err), []string{tt.field}) {
				t.Errorf("err = %v, want one error on %s", err, tt.field)
			}
		})
	}
}

func TestBarrierLinkedToMaterial(t *testing.T) {
	b := &Barrier{MaterialID: 4, Category: BarrierDevice, Severity: SeverityBlocking, Description: "no Chromebook", RegionCode: "BRU"}
	if err := b.Validate(); err != nil {
		t.Fatalf("a linked material may leave kind and name to the catalogue: %v", err)
	}
	if b.Kind != ResourceMaterial {
		t.Errorf("kind = %s", b.Kind)
	}
	b = &Barrier{Kind: ResourceMaterial, Category: BarrierDevice, Severity: SeverityLow, Description: "x", RegionCode: "BRU"}
	if got := materialFields(b.Validate()); !slices.Equal(got, []string{"resource"}) {
		t.Errorf("an unlinked material needs a name: %v", got)
	}
}

func TestBarrierValidateNamesEveryFieldInFormOrder(t *testing.T) {
	want := []string{"resource_kind", "resource", "category", "severity", "description", "region"}
	if got := materialFields((&Barrier{}).Validate()); !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v", got, want)
	}
}

func TestResourceKey(t *testing.T) {
	if a, b := ResourceKey(" Zoom  App"), ResourceKey("zoom app "); a != b || a != "zoom app" {
		t.Errorf("%q and %q differ", a, b)
	}
}

func TestBarrierRegion(t *testing.T) {
	desk := &User{Role: RoleDesk, RegionCode: "ANT", Active: true}
	admin := &User{Role: RoleAdmin, Active: true}
	tests := []struct {
		name   string
		actor  *User
		chosen string
		want   string
		code   string
	}{
		{"regional, nothing chosen", desk, "", "ANT", ""},
		{"regional, own region by name", desk, "Antwerpen", "ANT", ""},
		{"regional, another region", desk, "BRU", "", EFORBIDDEN},
		{"national chooses", admin, "west-vlaanderen", "WVL", ""},
		{"national must choose", admin, "", "", ""}, // Validate then refuses
		{"system chooses", nil, "LIM", "LIM", ""},
	}
	for _, tt := range tests {
		got, err := BarrierRegion(tt.actor, tt.chosen)
		if got != tt.want || ErrorCode(err) != tt.code {
			t.Errorf("%s: %q, %v; want %q, %q", tt.name, got, err, tt.want, tt.code)
		}
	}
}

func TestCheckBarrierTransition(t *testing.T) {
	tests := []struct {
		from, to BarrierStatus
		note     string
		code     string
	}{
		{BarrierOpen, BarrierInProgress, "", ""},
		{BarrierOpen, BarrierResolved, "the video now has Dutch subtitles", ""},
		{BarrierOpen, BarrierResolved, " ", EINVALID},
		{BarrierInProgress, BarrierWontFix, "", EINVALID},
		{BarrierInProgress, BarrierWontFix, "the supplier will not translate", ""},
		{BarrierInProgress, BarrierOpen, "", ""},
		{BarrierResolved, BarrierOpen, "", EINVALID},
		{BarrierResolved, BarrierOpen, "the subtitles are gone again", ""},
		{BarrierWontFix, BarrierOpen, "a new supplier", ""},
		{BarrierResolved, BarrierInProgress, "x", ECONFLICT},
		{BarrierResolved, BarrierWontFix, "x", ECONFLICT},
		{BarrierOpen, BarrierOpen, "x", ECONFLICT},
		{BarrierOpen, "closed", "x", EINVALID},
		{BarrierOpen, BarrierResolved, strings.Repeat("x", 2001), EINVALID},
	}
	for _, tt := range tests {
		if err := CheckBarrierTransition(tt.from, tt.to, tt.note); ErrorCode(err) != tt.code {
			t.Errorf("%s -> %s (%q): %v, want %q", tt.from, tt.to, tt.note, err, tt.code)
		}
	}
}

func TestNextBarrierStatusesAreAllowed(t *testing.T) {
	for _, from := range BarrierStatuses {
		next := NextBarrierStatuses(from)
		if len(next) == 0 {
			t.Errorf("%s is a dead end", from)
		}
		for _, to := range next {
			if err := CheckBarrierTransition(from, to, "note"); err != nil {
				t.Errorf("%s -> %s offered but refused: %v", from, to, err)
			}
		}
	}
}

func TestSeverityRank(t *testing.T) {
	if SeverityLow.Rank() != 1 || SeverityBlocking.Rank() != 4 || BarrierSeverity("x").Rank() != 0 {
		t.Error("ranks")
	}
}

func TestBarrierCount(t *testing.T) {
	c := BarrierCount{Open: 2, InProgress: 1, Resolved: 4, WontFix: 1}
	if c.Unresolved() != 3 || c.Total() != 8 {
		t.Errorf("unresolved %d total %d", c.Unresolved(), c.Total())
	}
	if !BarrierWontFix.Closed() || !BarrierResolved.Closed() || BarrierInProgress.Closed() {
		t.Error("closed statuses")
	}
}
