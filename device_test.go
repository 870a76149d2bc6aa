package traject

import (
	"testing"
	"time"
)

// TestEveryTransition walks the whole state table: every pair of states is
// either allowed (through exactly its own action) or refused with a reason.
func TestEveryTransition(t *testing.T) {
	vias := []string{"", ViaHandOut, ViaReturn, ViaTransfer, ViaReceive, ViaLoss}
	allowed := 0
	for _, from := range DeviceStates {
		for _, to := range DeviceStates {
			rule, ok := deviceTransitions[from][to]
			for _, via := range vias {
				err := CheckTransition(from, to, via, "a reason")
				want := ok && rule.via == via && from != to
				if (err == nil) != want {
					t.Errorf("%s -> %s via %q: err = %v, want allowed = %v", from, to, via, err, want)
				}
				if err != nil && ErrorMessage(err) == "" {
					t.Errorf("%s -> %s via %q refused without a reason", from, to, via)
				}
				if want {
					allowed++
				}
			}
		}
	}
	if allowed < 20 {
		t.Errorf("only %d transitions allowed: table empty?", allowed)
	}
}

func TestTransitionRules(t *testing.T) {
	tests := []struct {
		name     string
		from, to DeviceState
		via      string
		reason   string
		wantCode string
	}{
		{"receive an expected device", StateExpected, StateInStock, ViaReceive, "", ""},
		{"receive by hand", StateExpected, StateInStock, "", "x", ECONFLICT},
		{"hand out by hand", StateInStock, StateOnLoan, "", "x", ECONFLICT},
		{"hand out at the desk", StateInStock, StateOnLoan, ViaHandOut, "", ""},
		{"return by hand", StateOnLoan, StateQuarantine, "", "x", ECONFLICT},
		{"wipe check passed", StateQuarantine, StateInStock, "", "wiped", ""},
		{"manual without reason", StateQuarantine, StateInStock, "", "  ", EINVALID},
		{"spare lent", StateSpare, StateOnLoan, ViaHandOut, "", ECONFLICT},
		{"spare released", StateSpare, StateInStock, "", "replacement needed", ""},
		{"spare released without reason", StateSpare, StateInStock, "", "", EINVALID},
		{"retired is final", StateRetired, StateInStock, "", "x", ECONFLICT},
		{"same state", StateInStock, StateInStock, "", "x", ECONFLICT},
		{"unknown state", StateInStock, "borrowed", "", "x", EINVALID},
		{"transfer out", StateInStock, StateInTransit, ViaTransfer, "", ""},
		{"transfer by hand", StateInStock, StateInTransit, "", "x", ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorCode(CheckTransition(tt.from, tt.to, tt.via, tt.reason)); got != tt.wantCode {
				t.Errorf("code = %q, want %q", got, tt.wantCode)
			}
		})
	}
}

func TestNextStatesAreManualOnly(t *testing.T) {
	for _, from := range DeviceStates {
		for _, to := range NextStates(from) {
			if err := CheckTransition(from, to, "", "r"); err != nil {
				t.Errorf("NextStates(%s) offers %s, which is refused: %v", from, to, err)
			}
		}
	}
	for _, to := range NextStates(StateInStock) {
		if to == StateOnLoan || to == StateInTransit {
			t.Errorf("in_stock offers %s by hand", to)
		}
	}
}

func TestDeviceValidate(t *testing.T) {
	good := Device{AssetTag: "CB-0001", Serial: "5CD1234", Model: "HP Chromebook 11 G8", Kind: KindChromebook,
		Connectivity: WiFi, RegionCode: "ANT", State: StateInStock}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(*Device){
		"short tag":     func(d *Device) { d.AssetTag = "CB" },
		"tag with dot":  func(d *Device) { d.AssetTag = "CB.1" },
		"long tag":      func(d *Device) { d.AssetTag = "CB-0123456789012345678901234567890" },
		"no serial":     func(d *Device) { d.Serial = " " },
		"bad kind":      func(d *Device) { d.Kind = "tablet" },
		"bad network":   func(d *Device) { d.Connectivity = "5g" },
		"bad region":    func(d *Device) { d.RegionCode = "NL" },
		"unknown state": func(d *Device) { d.State = "gone" },
	} {
		d := good
		edit(&d)
		if ErrorCode(d.Validate()) != EINVALID {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestLendBlocker(t *testing.T) {
	active := &SIM{State: SIMActive}
	tests := []struct {
		d    Device
		want string
	}{
		{Device{State: StateInStock, Connectivity: WiFi}, ""},
		{Device{State: StateInStock, Connectivity: Mobile, SIM: active}, ""},
		{Device{State: StateInStock, Connectivity: Mobile}, "device.blocked.sim"},
		{Device{State: StateInStock, Connectivity: Mobile, SIM: &SIM{State: SIMSuspended}}, "device.blocked.sim"},
		{Device{State: StateSpare, Connectivity: WiFi}, "device.blocked.spare"},
		{Device{State: StateInRepair, Connectivity: WiFi}, "device.blocked.state"},
	}
	for _, tt := range tests {
		if got := tt.d.LendBlocker(); got != tt.want {
			t.Errorf("%s/%s: %q, want %q", tt.d.State, tt.d.Connectivity, got, tt.want)
		}
	}
}

func TestICCID(t *testing.T) {
	for s, ok := range map[string]bool{
		"8932000000000000000":  false, // fails Luhn
		"8932000000000000006":  true,  // 19 digits, valid
		"89320000000000000000": false,
		"89320000000000000006": true,  // 20 digits, valid
		"893200000000000000":   false, // 18 digits
		"8932a00000000000007":  false,
	} {
		if got := ValidICCID(s); got != ok {
			t.Errorf("ValidICCID(%s) = %v, want %v", s, got, ok)
		}
	}
	if NormalizeICCID(" 8932 0000-0000 0000 006 ") != "8932000000000000006" {
		t.Error("NormalizeICCID keeps separators")
	}
}

func TestDeliveryValidateAndDelay(t *testing.T) {
	planned, _ := ParseDate("2020-03-31")
	arrived, _ := ParseDate("2020-05-11")
	d := Delivery{Reference: "LEV-2020-1", Supplier: "Chromebook BV", PlannedOn: planned, PlannedCount: 198, ArrivedOn: arrived,
		Allocation: map[string]int{"ANT": 33, "BRU": 33, "LIM": 33, "OVL": 33, "VBR": 33, "WVL": 33}}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := d.DelayDays(time.Now()); got != 41 {
		t.Errorf("delay = %d, want 41", got)
	}
	d.Allocation["ANT"] = 34
	if ErrorCode(d.Validate()) != EINVALID {
		t.Error("an allocation that does not add up was accepted")
	}
	reserved := Delivery{Reference: "NEW", Supplier: "x", PlannedOn: planned}
	if ErrorCode(reserved.Validate()) != EINVALID {
		t.Error("the reference new was accepted")
	}
	open := Delivery{PlannedOn: planned}
	if got := open.DelayDays(arrived); got != 41 {
		t.Errorf("open delivery delay = %d", got)
	}
}
