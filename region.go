package traject

import "strings"

// Region is one of the six regions of the programme: the five Flemish provinces
// and Brussels. Regions are fixed reference data, seeded by the first migration.
type Region struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Regions lists the six regions in the order the minister's table uses.
var Regions = []Region{
	{Code: "ANT", Name: "Antwerpen"},
	{Code: "BRU", Name: "Brussel"},
	{Code: "LIM", Name: "Limburg"},
	{Code: "OVL", Name: "Oost-Vlaanderen"},
	{Code: "VBR", Name: "Vlaams-Brabant"},
	{Code: "WVL", Name: "West-Vlaanderen"},
}

// ParseRegion accepts a region's code or its name, in any case, and returns
// the region. Files and forms name regions either way (DESIGN §3 Files).
func ParseRegion(s string) (Region, bool) {
	s = strings.TrimSpace(s)
	for _, r := range Regions {
		if strings.EqualFold(s, r.Code) || strings.EqualFold(s, r.Name) {
			return r, true
		}
	}
	return Region{}, false
}

// Office is a physical desk of the agency inside a region.
type Office struct {
	ID         int64  `json:"id"`
	RegionCode string `json:"region"`
	Name       string `json:"name"`
}
