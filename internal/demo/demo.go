// Package demo builds the demonstration database: the 2020 programme of the
// Flemish agency as far as the records reach, and one staff account per role
// so that every screen can be tried.
package demo

import (
	"context"
	"fmt"

	"traject"
	"traject/internal/auth"
	"traject/internal/store"
)

// Password is the password of every demo account. It is printed at start: the
// demo database lives in a temporary file and holds no real person.
const Password = "traject-demo"

// Account is one demo staff account.
type Account struct {
	Email  string
	Name   string
	Role   traject.Role
	Region string
}

// Accounts are the demo staff: one per role, the regional ones in Antwerpen
// except one desk in Brussel, so that the region scope can be seen at work.
var Accounts = []Account{
	{"admin@traject.test", "An Peeters", traject.RoleAdmin, ""},
	{"analist@traject.test", "Bram Janssens", traject.RoleAnalyst, ""},
	{"coordinator@traject.test", "Chloé Maes", traject.RoleCoordinator, "ANT"},
	{"balie@traject.test", "Dries Jacobs", traject.RoleDesk, "ANT"},
	{"balie.brussel@traject.test", "Yasmina El Amrani", traject.RoleDesk, "BRU"},
	{"begeleider@traject.test", "Elif Yilmaz", traject.RoleCounsellor, "ANT"},
	{"lesgever@traject.test", "Farid Haddad", traject.RoleTeacher, "ANT"},
	{"handhaving@traject.test", "Greet Willems", traject.RoleEnforcement, ""},
}

// Seed fills an empty database with the demo data.
func Seed(ctx context.Context, s *store.Store) error {
	ctx = traject.NewContextWithActorLabel(ctx, "demo")
	n, err := s.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return traject.Errorf(traject.ECONFLICT, "demo.notempty", "the demo needs an empty database, and this one has %d accounts", n)
	}
	hash, err := auth.HashPassword(Password, auth.DefaultParams)
	if err != nil {
		return err
	}
	for _, a := range Accounts {
		u := &traject.User{Email: a.Email, Name: a.Name, Role: a.Role, RegionCode: a.Region}
		if err := s.CreateUser(ctx, u, hash); err != nil {
			return fmt.Errorf("demo: %s: %w", a.Email, err)
		}
	}
	if err := SeedFleet(ctx, s); err != nil {
		return err
	}
	if err := SeedLearners(ctx, s); err != nil {
		return err
	}
	if err := SeedLoans(ctx, s); err != nil {
		return err
	}
	if err := SeedCases(ctx, s); err != nil {
		return err
	}
	return SeedOutreach(ctx, s)
}
