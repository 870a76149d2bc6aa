package traject

import "slices"

// Permission names one thing a staff member may do. Permissions are data:
// routes declare the one they need, and roles map to sets of them, so that a
// forgotten check is a missing word in a route table, not a missing if.
type Permission string

// The permissions of Traject. Later capabilities add theirs here.
const (
	PermAuditRead      Permission = "audit:read"
	PermUsersRead      Permission = "users:read"
	PermUsersWrite     Permission = "users:write"
	PermRegionsRead    Permission = "regions:read"
	PermTokensWrite    Permission = "tokens:write"
	PermDevicesRead    Permission = "devices:read"
	PermDevicesWrite   Permission = "devices:write"
	PermLearnersRead   Permission = "learners:read"
	PermLearnersWrite  Permission = "learners:write"
	PermLearnersReveal Permission = "learners:reveal"
	// PermLearnersExport exports everything held about one learner (a
	// subject-access request); only the admin role holds it.
	PermLearnersExport Permission = "learners:export"
	PermCoursesRead    Permission = "courses:read"
	PermCoursesWrite   Permission = "courses:write"
	PermLoansRead      Permission = "loans:read"
	PermLoansWrite     Permission = "loans:write"
	PermReportsRead    Permission = "reports:read"
	PermOutreachRead   Permission = "outreach:read"
	PermOutreachWrite  Permission = "outreach:write"
	PermCasesRead      Permission = "enforcement:read"
	PermCasesWrite     Permission = "enforcement:write"
	// PermMaterialsReview approves or rejects learning materials.
	PermMaterialsReview Permission = "materials:review"
	// PermBarriersWrite works on reported barriers: changes their status.
	PermBarriersWrite Permission = "barriers:write"
	// PermPlacementRules publishes new versions of the placement rules.
	PermPlacementRules Permission = "placement_rules:write"
	// PermAgreementPublish publishes a new version of the loan agreement: it
	// binds every region and sends every accepted loan not yet handed out
	// back to acceptance, so it is the administrator's, not a desk's.
	PermAgreementPublish Permission = "agreement:publish"
)

// AllPermissions lists every permission, for the admin role and for tests.
var AllPermissions = []Permission{
	PermAuditRead, PermUsersRead, PermUsersWrite, PermRegionsRead, PermTokensWrite,
	PermDevicesRead, PermDevicesWrite, PermLearnersRead, PermLearnersWrite, PermLearnersReveal, PermLearnersExport,
	PermCoursesRead, PermCoursesWrite, PermLoansRead, PermLoansWrite, PermReportsRead,
	PermOutreachRead, PermOutreachWrite, PermCasesRead, PermCasesWrite,
	PermMaterialsReview, PermBarriersWrite, PermPlacementRules, PermAgreementPublish,
}

// rolePermissions maps each role to what it may do. Every role may read the
// regions and manage its own API tokens.
var rolePermissions = map[Role][]Permission{
	RoleAdmin: AllPermissions,
	RoleAnalyst: {
		PermRegionsRead, PermTokensWrite, PermReportsRead,
		PermDevicesRead, PermCoursesRead, PermLoansRead,
	},
	RoleCoordinator: {
		PermRegionsRead, PermTokensWrite, PermAuditRead, PermUsersRead, PermReportsRead,
		PermDevicesRead, PermDevicesWrite, PermLearnersRead, PermLearnersWrite,
		PermCoursesRead, PermCoursesWrite, PermLoansRead, PermLoansWrite,
		PermOutreachRead, PermOutreachWrite,
		PermMaterialsReview, PermBarriersWrite,
	},
	RoleDesk: {
		PermRegionsRead, PermTokensWrite,
		PermDevicesRead, PermDevicesWrite, PermLearnersRead, PermCoursesRead,
		PermLoansRead, PermLoansWrite,
	},
	RoleCounsellor: {
		PermRegionsRead, PermTokensWrite,
		PermLearnersRead, PermLearnersWrite, PermLearnersReveal, PermCoursesRead,
		PermLoansRead, PermLoansWrite, PermOutreachRead, PermOutreachWrite,
	},
	RoleTeacher: {
		PermRegionsRead, PermTokensWrite, PermLearnersRead, PermCoursesRead,
	},
	RoleEnforcement: {
		PermRegionsRead, PermTokensWrite, PermReportsRead,
		PermLearnersRead, PermLearnersReveal, PermOutreachRead, PermCasesRead, PermCasesWrite,
	},
}

// Permissions returns what role may do.
func (r Role) Permissions() []Permission {
	return rolePermissions[r]
}

// Can reports whether the role holds the permission.
func (r Role) Can(p Permission) bool {
	return slices.Contains(rolePermissions[r], p)
}

// Can reports whether the user is active and holds the permission.
func (u *User) Can(p Permission) bool {
	return u != nil && u.Active && u.Role.Can(p)
}

// ScopeRegion returns the region the user's lists are limited to, or "" when
// the user's role is national and sees every region.
func (u *User) ScopeRegion() string {
	if u == nil || u.Role.National() {
		return ""
	}
	return u.RegionCode
}

// CanSeeRegion reports whether an object in region code is within the user's scope.
func (u *User) CanSeeRegion(code string) bool {
	scope := u.ScopeRegion()
	return u != nil && (scope == "" || scope == code)
}
