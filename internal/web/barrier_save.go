package web

import (
	"net/http"
	"net/url"
	"strconv"

	"traject"
)

// barrierForm is the form that reports a barrier, as typed. A report made
// from a material's page carries the material.
type barrierForm struct {
	Kind, Resource, Category, Severity, Description, Region string
	Material                                                *traject.Material
	National                                                bool // a national role chooses the region
	Kinds                                                   []traject.BarrierResource
	Categories                                              []traject.BarrierCategory
	Severities                                              []traject.BarrierSeverity
	Regions                                                 []traject.Region
}

// newBarrierForm reads the answers from values (the query of the empty form,
// or the posted form), with the material they name, if any.
func (s *Server) newBarrierForm(r *http.Request, values url.Values) (barrierForm, error) {
	f := barrierForm{Kind: values.Get("resource_kind"), Resource: values.Get("resource"), Category: values.Get("category"),
		Severity: values.Get("severity"), Description: values.Get("description"), Region: values.Get("region"),
		National: traject.UserFromContext(r.Context()).ScopeRegion() == "",
		Kinds:    traject.BarrierResources, Categories: traject.BarrierCategories, Severities: traject.BarrierSeverities, Regions: traject.Regions}
	if m := values.Get("material"); m != "" {
		id, err := strconv.ParseInt(m, 10, 64)
		if err != nil {
			return f, traject.Errorf(traject.ENOTFOUND, "db.notfound", "material %s not found", m)
		}
		if f.Material, err = s.Store.Material(r.Context(), id); err != nil {
			return f, err
		}
		f.Kind = string(traject.ResourceMaterial)
	}
	return f, nil
}

func (s *Server) barrierNew(w http.ResponseWriter, r *http.Request) error {
	f, err := s.newBarrierForm(r, r.URL.Query())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "barrier_new", s.newPage(r, "barriernew.title", f))
}

func (s *Server) barrierCreate(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm() // an unreadable form is an empty one, which the domain refuses
	f, err := s.newBarrierForm(r, r.PostForm)
	if err != nil {
		return err
	}
	b := f.barrier()
	err = s.Store.CreateBarrier(r.Context(), b)
	if traject.ErrorCode(err) == traject.EINVALID {
		p := s.withErrors(r, s.newPage(r, "barriernew.title", f), err, "resource_kind")
		for i := range p.Errors {
			if p.Errors[i].Field == "material_id" {
				p.Errors[i].Field = "resource" // the material is named there
			}
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "barrier_new", p)
	}
	if err != nil {
		return err
	}
	s.flash(r, s.localizer(r).T("barriernew.done"))
	http.Redirect(w, r, "/barriers/"+strconv.FormatInt(b.ID, 10), http.StatusSeeOther)
	return nil
}

// barrier turns the answers into a barrier for the store to check.
func (f *barrierForm) barrier() *traject.Barrier {
	b := &traject.Barrier{Kind: traject.BarrierResource(f.Kind), Resource: f.Resource, Category: traject.BarrierCategory(f.Category),
		Severity: traject.BarrierSeverity(f.Severity), Description: f.Description, RegionCode: f.Region}
	if f.Material != nil {
		b.MaterialID, b.Kind = f.Material.ID, traject.ResourceMaterial
	}
	return b
}
