package store

import (
	"context"
	"time"

	"traject"
)

// SubjectRecord is everything Traject holds about one learner: what a
// subject-access request (GDPR art. 15) must hand over, national number in
// clear included.
type SubjectRecord struct {
	ExportedAt time.Time       `json:"exported_at"`
	ExportedBy string          `json:"exported_by"`
	Learner    traject.Learner `json:"learner"`
	// A plain string: traject.NationalNumber masks itself in JSON, and this
	// export is the one place that must carry it whole.
	NationalNumber string               `json:"national_number,omitempty"`
	Assessments    []traject.Assessment `json:"assessments"`
	Placements     []traject.Placement  `json:"placements"`
	Enrolments     []traject.Enrolment  `json:"enrolments"`
	Attendance     []SubjectAttendance  `json:"attendance"`
	History        []traject.AuditEntry `json:"history"`
}

// SubjectAttendance is one recorded session of the learner.
type SubjectAttendance struct {
	Course   string    `json:"course"`
	StartsAt time.Time `json:"starts_at"`
	Status   string    `json:"status"`
	Reason   string    `json:"reason,omitempty"`
}

// SubjectAccess collects everything held about the learner with this
// reference, for a role that holds learners:export, and audits the export in
// the same transaction that reads the national number.
func (s *Store) SubjectAccess(ctx context.Context, ref string) (*SubjectRecord, error) {
	actor := traject.UserFromContext(ctx)
	if !actor.Can(traject.PermLearnersExport) {
		return nil, traject.Errorf(traject.EFORBIDDEN, "learner.export.forbidden", "only an administrator may export everything held about a learner")
	}
	l, err := s.Learner(ctx, ref)
	if err != nil {
		return nil, err
	}
	rec := &SubjectRecord{Learner: *l, ExportedBy: actor.Email}
	if err := s.subjectParts(ctx, rec); err != nil {
		return nil, err
	}
	err = s.write(ctx, "subject access", func(tx *Tx) error {
		rec.ExportedAt = tx.now
		if l.NationalNumberMasked != "" {
			n, err := tx.openNumber(s.sealer, l.ID)
			if err != nil {
				return err
			}
			rec.NationalNumber = string(n)
		}
		return tx.audit("learner.export", "learner", l.Ref, l.RegionCode, nil, nil)
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// subjectParts reads the learner's assessments, placements, enrolments,
// attendance and history; the history is read before the export's own row.
func (s *Store) subjectParts(ctx context.Context, rec *SubjectRecord) error {
	var err error
	ref := rec.Learner.Ref
	if rec.Assessments, err = s.Assessments(ctx, ref); err != nil {
		return err
	}
	if rec.Placements, err = s.Placements(ctx, ref); err != nil {
		return err
	}
	if rec.Enrolments, err = s.enrolments(ctx, "l.ref = ?", ref); err != nil {
		return err
	}
	if rec.Attendance, err = s.subjectAttendance(ctx, rec.Learner.ID); err != nil {
		return err
	}
	rec.History, err = s.auditOf(ctx, "learner", ref)
	return err
}

func (s *Store) subjectAttendance(ctx context.Context, learnerID int64) ([]SubjectAttendance, error) {
	rows, err := s.query(ctx, `SELECT c.ref, cs.starts_at, a.status, a.reason FROM attendance a
		JOIN course_sessions cs ON cs.id = a.session_id JOIN courses c ON c.id = cs.course_id
		WHERE a.learner_id = ? ORDER BY cs.starts_at`, learnerID)
	if err != nil {
		return nil, s.mapError("subject attendance", "attendance", err)
	}
	defer rows.Close()
	out := []SubjectAttendance{}
	for rows.Next() {
		var a SubjectAttendance
		if err := rows.Scan(&a.Course, timeCol{&a.StartsAt}, &a.Status, &a.Reason); err != nil {
			return nil, s.mapError("subject attendance", "attendance", err)
		}
		out = append(out, a)
	}
	return out, s.mapError("subject attendance", "attendance", rows.Err())
}
