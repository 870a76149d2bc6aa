package auth

import (
	"context"

	"traject"
	"traject/internal/store"
)

// Login checks an e-mail address and password. It refuses without checking
// once an account has had traject.LoginMaxFailures wrong passwords within
// traject.LoginFailureWindow, and records every attempt on a known account.
// Wrong address, wrong password and deactivated account give one message, so
// that the form does not tell a guesser which addresses exist.
func Login(ctx context.Context, s *store.Store, email, password string) (*traject.User, error) {
	var v traject.Validation
	if traject.NormalizeEmail(email) == "" {
		v.Add("email", "login.email.missing", "Enter your e-mail address", nil)
	}
	if password == "" {
		v.Add("password", "login.password.missing", "Enter your password", nil)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	st, err := s.LoginState(ctx, email)
	if traject.ErrorCode(err) == traject.ENOTFOUND {
		DummyCheck(password)
		return nil, wrongCredentials()
	}
	if err != nil {
		return nil, err
	}
	if traject.LoginThrottled(st.RecentFailures) {
		if err := s.RecordLogin(ctx, st.User, "throttled"); err != nil {
			return nil, err
		}
		return nil, traject.Errorf(traject.ETHROTTLED, "login.throttled",
			"too many wrong passwords: wait 15 minutes, then try again")
	}
	outcome := "ok"
	switch {
	case !CheckPassword(password, st.PasswordHash):
		outcome = "wrong_password"
	case !st.User.Active:
		outcome = "inactive"
	}
	if err := s.RecordLogin(ctx, st.User, outcome); err != nil {
		return nil, err
	}
	if outcome != "ok" {
		return nil, wrongCredentials()
	}
	return st.User, nil
}

func wrongCredentials() error {
	var v traject.Validation
	v.Add("email", "login.wrong", "The e-mail address or the password is not right", nil)
	return v.Err()
}
