package web

import (
	"net/http"
	"strconv"

	"traject"
	"traject/internal/auth"
)

type staffForm struct {
	Name, Email, Role, Region string
	Roles                     []traject.Role
	Regions                   []traject.Region
}

func newStaffForm(r *http.Request) staffForm {
	return staffForm{
		Name: r.PostFormValue("name"), Email: r.PostFormValue("email"),
		Role: r.PostFormValue("role"), Region: r.PostFormValue("region"),
		Roles: traject.Roles, Regions: traject.Regions,
	}
}

func (s *Server) staffNew(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "staff_new", s.newPage(r, "staffnew.title", newStaffForm(r)))
}

func (s *Server) staffCreate(w http.ResponseWriter, r *http.Request) error {
	form := newStaffForm(r)
	u := &traject.User{Name: form.Name, Email: form.Email, Role: traject.Role(form.Role), RegionCode: form.Region}
	err := s.createUser(r, u, r.PostFormValue("password"))
	if traject.ErrorCode(err) == traject.EINVALID {
		return s.render(w, r, http.StatusUnprocessableEntity, "staff_new", s.withErrors(r, s.newPage(r, "staffnew.title", form), err, "name"))
	}
	if err != nil {
		return err
	}
	s.flash(r, s.localizer(r).T("staffnew.done", "Email", u.Email))
	http.Redirect(w, r, "/staff", http.StatusSeeOther)
	return nil
}

// createUser validates the account and the password together, so that one
// submit shows every problem at once.
func (s *Server) createUser(r *http.Request, u *traject.User, password string) error {
	var fields []traject.FieldError
	if err := u.Validate(); err != nil {
		e, _ := traject.AsError(err)
		fields = append(fields, e.Fields...)
	}
	if err := traject.ValidatePassword(password); err != nil {
		e, _ := traject.AsError(err)
		fields = append(fields, e.Fields...)
	}
	if len(fields) > 0 {
		return &traject.Error{Code: traject.EINVALID, Key: "error.invalid", Fields: fields}
	}
	hash, err := auth.HashPassword(password, auth.DefaultParams)
	if err != nil {
		return err
	}
	return s.Store.CreateUser(r.Context(), u, hash)
}

func (s *Server) staffDeactivate(w http.ResponseWriter, r *http.Request) error {
	return s.setActive(w, r, false)
}

func (s *Server) staffActivate(w http.ResponseWriter, r *http.Request) error {
	return s.setActive(w, r, true)
}

func (s *Server) setActive(w http.ResponseWriter, r *http.Request, active bool) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return traject.Errorf(traject.ENOTFOUND, "errorpage.notfound", "no such account")
	}
	u, err := s.Store.SetUserActive(r.Context(), id, active)
	if err != nil {
		return err
	}
	key := map[bool]string{true: "staff.activated", false: "staff.deactivated"}[active]
	s.flash(r, s.localizer(r).T(key, "Email", u.Email))
	http.Redirect(w, r, "/staff", http.StatusSeeOther)
	return nil
}
