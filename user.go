package traject

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is the one role a staff account holds.
type Role string

// The roles. National roles see every region; the others see only their own.
const (
	RoleAdmin       Role = "admin"       // national, everything
	RoleAnalyst     Role = "analyst"     // national, read-only figures
	RoleCoordinator Role = "coordinator" // regional, runs the region
	RoleDesk        Role = "desk"        // regional, the loan desk
	RoleCounsellor  Role = "counsellor"  // regional, follows learners
	RoleTeacher     Role = "teacher"     // regional, own courses
	RoleEnforcement Role = "enforcement" // national, infraction files
)

// Roles lists every role in the order forms show them.
var Roles = []Role{RoleAdmin, RoleAnalyst, RoleCoordinator, RoleDesk, RoleCounsellor, RoleTeacher, RoleEnforcement}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	_, ok := rolePermissions[r]
	return ok
}

// National reports whether the role sees every region.
func (r Role) National() bool {
	return r == RoleAdmin || r == RoleAnalyst || r == RoleEnforcement
}

// User is a staff account. A regional role has exactly one region; a national
// role has none. Accounts are deactivated, never deleted, so that the audit
// log keeps naming who did what.
type User struct {
	ID          int64      `json:"id"`
	Email       string     `json:"email"`
	Name        string     `json:"name"`
	Role        Role       `json:"role"`
	RegionCode  string     `json:"region,omitempty"`
	Language    string     `json:"language"`
	Active      bool       `json:"active"`
	CreatedAt   time.Time  `json:"created_at"`
	Deactivated *time.Time `json:"deactivated_at,omitempty"`
}

// NormalizeEmail trims and lower-cases an address, so that one person has one account.
func NormalizeEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// Validate checks a new or changed account and names every wrong field, in
// the order the form asks them, so the error summary follows the page.
func (u *User) Validate() error {
	var v Validation
	u.Email = NormalizeEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	if u.Name == "" || utf8.RuneCountInString(u.Name) > 100 {
		v.Add("name", "user.name.invalid", "Enter a name of 1 to 100 characters", nil)
	}
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email || len(u.Email) > 254 {
		v.Add("email", "user.email.invalid", "Enter an e-mail address like name@example.org", nil)
	}
	validateRoleRegion(&v, u.Role, u.RegionCode)
	if u.Language == "" {
		u.Language = "nl"
	}
	return v.Err()
}

func validateRoleRegion(v *Validation, role Role, region string) {
	switch {
	case !role.Valid():
		v.Add("role", "user.role.invalid", "Choose one of the roles", nil)
	case role.National() && region != "":
		v.Add("region", "user.region.national", "A national role has no region: leave the region empty", nil)
	case !role.National() && region == "":
		v.Add("region", "user.region.required", "Choose the region of this regional role", nil)
	case region != "":
		if _, ok := ParseRegion(region); !ok {
			v.Add("region", "user.region.invalid", "Choose one of the six regions", nil)
		}
	}
}

// Password rules: long enough to resist guessing, short enough for argon2id
// to stay cheap; any characters, so password managers and passphrases work.
const (
	PasswordMinLength = 12
	PasswordMaxLength = 256
)

// ValidatePassword checks a new password.
func ValidatePassword(p string) error {
	n := utf8.RuneCountInString(p)
	if n < PasswordMinLength || n > PasswordMaxLength {
		var v Validation
		v.Add("password", "user.password.length", "Choose a password of at least 12 characters", map[string]any{"Min": PasswordMinLength})
		return v.Err()
	}
	return nil
}

// Login throttling: after LoginMaxFailures wrong passwords within
// LoginFailureWindow, further attempts for that account are refused without
// checking the password, so that guessing costs a guesser time, not us CPU.
const (
	LoginMaxFailures   = 5
	LoginFailureWindow = 15 * time.Minute
)

// LoginThrottled reports whether an account with this many recent failures
// must be refused without checking the password.
func LoginThrottled(recentFailures int) bool {
	return recentFailures >= LoginMaxFailures
}
