package demo

import (
	"math/rand/v2"
	"time"

	"traject"
)

// intake makes the needs assessment of a learner of course c, held on the
// given day, that fits the course's track and mode: a basic track for
// learners who read little or in another script, an intensive one for the
// higher educated who already speak some Dutch; devices and digital skills
// that let most learners of an online course follow it, and none for a
// learner who was not reached.
func intake(rng *rand.Rand, c course2020, reached bool, on time.Time, spoken []string) *traject.Assessment {
	a := &traject.Assessment{AssessedOn: on, Languages: append([]string(nil), spoken...)}
	a.Literacy, a.Education, a.DutchLevel = schooling(rng, c.track)
	if c.language == "nl" && a.DutchLevel == traject.DutchNone {
		a.DutchLevel = "A2" // a course in Dutch asks for some Dutch
	}
	if a.DutchLevel != traject.DutchNone {
		a.Languages = append(a.Languages, "nl")
	}
	a.DeviceAccess, a.Internet = means(rng, reached)
	skills := rng.IntN(3) // 0 to 2
	switch {
	case !reached:
		skills = rng.IntN(2)
	case c.mode == traject.ModeOnline:
		skills += 3 // 3 to 5: enough to follow online
	case c.mode == traject.ModeBlended:
		skills += 2
	}
	for _, s := range traject.Skills[:min(skills, traject.MaxSkillScore)] {
		a.Skills.Set(s, true) // learned in the order the list gives
	}
	return a
}

// schooling is a learner's literacy, education and Dutch for a track.
func schooling(rng *rand.Rand, track traject.LevelTrack) (traject.Literacy, traject.Education, traject.DutchLevel) {
	switch track {
	case traject.TrackBasic:
		return pick(rng, traject.LowLiterate, traject.LiterateOtherScript),
			pick(rng, traject.EducationNone, traject.EducationPrimary), traject.DutchNone
	case traject.TrackIntensive:
		return traject.LiterateLatin, pick(rng, traject.EducationSecondary, traject.EducationHigher), pick[traject.DutchLevel](rng, "A1", "A2", "B1")
	}
	return pick(rng, traject.LiterateLatin, traject.LiterateOtherScript),
		pick(rng, traject.EducationPrimary, traject.EducationSecondary), pick(rng, traject.DutchNone, "A1")
}

// means is the device and internet a learner has at home. A learner who
// was not reached has no device, or only a smartphone and little data.
func means(rng *rand.Rand, reached bool) (traject.DeviceAccess, traject.Internet) {
	if !reached {
		return pick(rng, traject.DeviceNone, traject.DeviceNone, traject.DeviceSmartphoneOnly),
			pick(rng, traject.InternetNone, traject.InternetMobileData)
	}
	switch r := rng.IntN(10); {
	case r < 4:
		return traject.DeviceOwnComputer, traject.InternetWiFi
	case r < 6:
		return traject.DeviceSharedComputer, traject.InternetWiFi
	case r < 8:
		return traject.DeviceSmartphoneOnly, traject.InternetMobileData
	default:
		return traject.DeviceNone, pick(rng, traject.InternetNone, traject.InternetWiFi) // lent a Chromebook
	}
}

func pick[T any](rng *rand.Rand, choices ...T) T { return choices[rng.IntN(len(choices))] }
