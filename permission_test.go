package traject

import (
	"slices"
	"testing"
)

func TestEveryRoleHasPermissionsThatExist(t *testing.T) {
	for _, r := range Roles {
		perms := r.Permissions()
		if len(perms) == 0 {
			t.Errorf("role %s has no permissions", r)
		}
		for _, p := range perms {
			if !slices.Contains(AllPermissions, p) {
				t.Errorf("role %s has unknown permission %s", r, p)
			}
		}
	}
}

func TestRolePermissions(t *testing.T) {
	tests := []struct {
		role Role
		perm Permission
		want bool
	}{
		{RoleAdmin, PermUsersWrite, true},
		{RoleAdmin, PermCasesWrite, true},
		{RoleAnalyst, PermReportsRead, true},
		{RoleAnalyst, PermUsersRead, false},
		{RoleAnalyst, PermLearnersRead, false}, // figures, not people
		{RoleAnalyst, PermDevicesWrite, false}, // read-only
		{RoleCoordinator, PermUsersRead, true},
		{RoleCoordinator, PermUsersWrite, false},
		{RoleCoordinator, PermAuditRead, true},
		{RoleDesk, PermLoansWrite, true},
		{RoleDesk, PermLearnersReveal, false},
		{RoleCounsellor, PermLearnersReveal, true},
		{RoleTeacher, PermCoursesWrite, false},
		{RoleEnforcement, PermCasesWrite, true},
		{RoleEnforcement, PermDevicesWrite, false},
		{Role("root"), PermRegionsRead, false},
	}
	for _, tt := range tests {
		if got := tt.role.Can(tt.perm); got != tt.want {
			t.Errorf("%s.Can(%s) = %v, want %v", tt.role, tt.perm, got, tt.want)
		}
	}
}

func TestEveryRoleReadsRegionsAndOwnsTokens(t *testing.T) {
	for _, r := range Roles {
		if !r.Can(PermRegionsRead) || !r.Can(PermTokensWrite) {
			t.Errorf("role %s cannot read regions or manage its tokens", r)
		}
	}
}

func TestInactiveUserCanNothing(t *testing.T) {
	u := &User{Role: RoleAdmin, Active: false}
	if u.Can(PermRegionsRead) {
		t.Error("a deactivated admin still has permissions")
	}
	var nobody *User
	if nobody.Can(PermRegionsRead) {
		t.Error("a nil user has permissions")
	}
}

func TestScopeRegion(t *testing.T) {
	tests := []struct {
		user      *User
		wantScope string
		sees      map[string]bool
	}{
		{&User{Role: RoleAdmin}, "", map[string]bool{"ANT": true, "BRU": true}},
		{&User{Role: RoleEnforcement}, "", map[string]bool{"WVL": true}},
		{&User{Role: RoleCoordinator, RegionCode: "ANT"}, "ANT", map[string]bool{"ANT": true, "BRU": false}},
		{&User{Role: RoleDesk, RegionCode: "BRU"}, "BRU", map[string]bool{"ANT": false, "BRU": true}},
	}
	for _, tt := range tests {
		if got := tt.user.ScopeRegion(); got != tt.wantScope {
			t.Errorf("%s/%s scope = %q, want %q", tt.user.Role, tt.user.RegionCode, got, tt.wantScope)
		}
		for region, want := range tt.sees {
			if got := tt.user.CanSeeRegion(region); got != want {
				t.Errorf("%s/%s sees %s = %v, want %v", tt.user.Role, tt.user.RegionCode, region, got, want)
			}
		}
	}
}
