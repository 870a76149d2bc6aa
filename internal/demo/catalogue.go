package demo

import (
	"context"
	"fmt"

	"traject"
	"traject/internal/store"
)

// demoMaterial is a learning material of the demo catalogue with its review:
// none (still submitted), or the answers to the four criteria and a decision.
type demoMaterial struct {
	traject.Material
	review *traject.MaterialReview
}

func yes() *bool { t := true; return &t }
func no() *bool  { f := false; return &f }

// materials2020 are a few lesson materials for blended learning. Their
// addresses are at example.org: the demo links to nothing real.
var materials2020 = []demoMaterial{
	{traject.Material{Title: "Wonen in Vlaanderen: het huurcontract en de huurwaarborg",
		Link: "https://lesmateriaal.example.org/wonen/huurcontract", Type: traject.MaterialModule, Theme: "wonen",
		Languages: []string{"nl", "ar", "fa", "en"}, Track: traject.MaterialTrackAny, WorksOffline: true},
		&traject.MaterialReview{LanguageLevel: yes(), Accessible: yes(), Chromebook: yes(), MobileData: yes(),
			Decision: traject.MaterialApproved}},
	{traject.Material{Title: "Oefeningen: een afspraak maken bij de huisarts",
		Link: "https://lesmateriaal.example.org/gezondheid/huisarts-oefeningen.pdf", Type: traject.MaterialExercise, Theme: "gezondheid",
		Languages: []string{"nl", "fr", "ti"}, Track: traject.MaterialTrackBasic, WorksOffline: true},
		&traject.MaterialReview{LanguageLevel: yes(), Accessible: no(), Chromebook: yes(), MobileData: yes(),
			Decision: traject.MaterialApproved,
			Notes:    "De pdf is een scan: een schermlezer kan hem niet voorlezen. Print hem voor wie slecht ziet."}},
	{traject.Material{Title: "Video: het onderwijs in Vlaanderen, van kleuterschool tot hogeschool",
		Link: "https://video.example.org/onderwijs-in-vlaanderen", Type: traject.MaterialVideo, Theme: "onderwijs",
		Languages: []string{"nl", "ar", "ps"}, Track: traject.MaterialTrackStandard},
		&traject.MaterialReview{LanguageLevel: yes(), Accessible: no(), Chromebook: yes(), MobileData: no(),
			Decision: traject.MaterialRejected,
			Notes: "Je kunt de video alleen bekijken met een account op het videoplatform, en er zijn geen ondertitels. " +
				"Veel cursisten hebben geen e-mailadres om een account te maken."}},
	{traject.Material{Title: "Video: je weg vinden met bus en tram",
		Link: "https://video.example.org/bus-en-tram", Type: traject.MaterialVideo, Theme: "mobiliteit",
		Languages: []string{"nl", "en", "fr", "ar"}, Track: traject.MaterialTrackAny},
		&traject.MaterialReview{LanguageLevel: yes(), Accessible: yes(), Chromebook: yes(), MobileData: no(),
			Decision: traject.MaterialApproved,
			Notes:    "Een zware video: laat hem bekijken op wifi, of toon hem in de les."}},
	{traject.Material{Title: "Praatkaarten: werk zoeken en solliciteren",
		Link: "https://lesmateriaal.example.org/werk/praatkaarten", Type: traject.MaterialMethod, Theme: "werk",
		Languages: []string{"nl"}, Track: traject.MaterialTrackIntensive, WorksOffline: true}, nil},
}

// demoBarrier is a barrier of the demo, with the status it moved to (and
// the note that says why), if it moved.
type demoBarrier struct {
	traject.Barrier
	material int // 1-based index in materials2020, or 0
	status   traject.BarrierStatus
	note     string
}

// barriers2020 are barriers staff reported after 2020 (the 2020 answer
// found none yet). The resources are made up.
var barriers2020 = []demoBarrier{
	{Barrier: traject.Barrier{Kind: traject.ResourceSoftware, Resource: "LesTube (videoplatform)", Category: traject.BarrierAccount,
		Severity: traject.SeverityHigh, RegionCode: "ANT",
		Description: "Om een video te bekijken moet je een account maken met een e-mailadres en een wachtwoord. " +
			"Veel cursisten hebben geen e-mailadres, of vergeten hun wachtwoord tussen twee lessen."},
		status: traject.BarrierInProgress, note: "We vragen de maker om de video's zonder account te tonen."},
	{Barrier: traject.Barrier{Kind: traject.ResourceWebsite, Resource: "inburgering-info.example.org", Category: traject.BarrierConnectivity,
		Severity: traject.SeverityMedium, RegionCode: "OVL",
		Description: "De website laadt grote foto's en video's. Op mobiele data gaat dat traag, en de databundel is snel op. " +
			"Op een smartphone kun je de pagina's bijna niet gebruiken."}},
	{Barrier: traject.Barrier{Category: traject.BarrierAccessibility, Severity: traject.SeverityMedium, RegionCode: "WVL",
		Description: "Een cursist die slecht ziet kan de oefeningen niet volgen: de pdf is een scan, en een schermlezer leest hem niet voor."},
		material: 2},
	{Barrier: traject.Barrier{Kind: traject.ResourceSoftware, Resource: "Klasapp voor videolessen", Category: traject.BarrierDevice,
		Severity: traject.SeverityBlocking, RegionCode: "BRU",
		Description: "De app werkt niet op oudere smartphones. Cursisten met zo'n toestel konden de les niet volgen."},
		status: traject.BarrierResolved, note: "De lessen gaan nu via de browser. De app is niet meer nodig."},
	{Barrier: traject.Barrier{Kind: traject.ResourceWebsite, Resource: "inschrijving-oefenplatform.example.org", Category: traject.BarrierLiteracy,
		Severity: traject.SeverityHigh, RegionCode: "LIM",
		Description: "Het inschrijfformulier heeft veel tekst en alleen in het Nederlands. Cursisten die weinig lezen raken er niet door."}},
}

// seedCatalogue writes the demo materials, reviewed, and the demo barriers;
// the demo admin moves the barriers that moved on.
func seedCatalogue(ctx, admin context.Context, s *store.Store) error {
	ids := make([]int64, len(materials2020))
	for i, dm := range materials2020 {
		m := dm.Material
		if err := s.CreateMaterial(ctx, &m); err != nil {
			return fmt.Errorf("demo: material %q: %w", m.Title, err)
		}
		ids[i] = m.ID
		if dm.review == nil {
			continue
		}
		r := *dm.review
		if _, err := s.ReviewMaterial(ctx, m.ID, &r); err != nil {
			return fmt.Errorf("demo: review of %q: %w", m.Title, err)
		}
	}
	for _, db := range barriers2020 {
		b := db.Barrier
		if db.material > 0 {
			b.MaterialID = ids[db.material-1]
		}
		if err := s.CreateBarrier(ctx, &b); err != nil {
			return fmt.Errorf("demo: barrier %q: %w", b.Resource, err)
		}
		if db.status == "" {
			continue
		}
		if _, err := s.SetBarrierStatus(admin, b.ID, db.status, db.note); err != nil {
			return fmt.Errorf("demo: barrier %q: %w", b.Resource, err)
		}
	}
	return nil
}
