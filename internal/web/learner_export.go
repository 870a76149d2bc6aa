package web

import (
	"bytes"
	"net/http"

	"traject/internal/report"
)

// exportLearner answers a subject-access request: everything held about one
// learner, as JSON (the exact copy) or PDF (readable), as a download. It is a
// POST because it reads a national number and writes an audit row.
func (s *Server) exportLearner(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.Store.SubjectAccess(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	name, ctype := "traject-"+rec.Learner.Ref, "application/json"
	if r.PostFormValue("format") == "pdf" {
		name, ctype = name+".pdf", "application/pdf"
		err = report.WriteSubjectPDF(&buf, rec)
	} else {
		name += ".json"
		err = report.WriteSubjectJSON(&buf, rec)
	}
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	_, err = buf.WriteTo(w)
	return err
}
