package store

import (
	"context"
	"strings"

	"traject"
)

const assessmentColumns = `a.id, l.ref, a.assessed_on, a.device_access, a.internet,
	a.skill_log_in, a.skill_open_website, a.skill_video_lesson, a.skill_email_attachment, a.skill_online_form,
	a.literacy, a.education, a.dutch_level, a.languages, COALESCE(u.name, a.author_label), a.created_at`

// assessmentFrom joins the learner's reference and the author's name.
const assessmentFrom = ` FROM assessments a JOIN learners l ON l.id = a.learner_id LEFT JOIN users u ON u.id = a.author_id`

func scanAssessment(row interface{ Scan(...any) error }, a *traject.Assessment) error {
	var languages string
	err := row.Scan(&a.ID, &a.LearnerRef, dateCol{&a.AssessedOn}, &a.DeviceAccess, &a.Internet,
		&a.Skills.LogIn, &a.Skills.Website, &a.Skills.VideoLesson, &a.Skills.EmailAttachment, &a.Skills.OnlineForm,
		&a.Literacy, &a.Education, &a.DutchLevel, &languages, &a.Author, timeCol{&a.CreatedAt})
	if err != nil {
		return err
	}
	a.Languages = strings.Split(languages, ",")
	return nil
}

// Assessments returns the assessments of the learner with this reference,
// newest first. A learner outside the actor's region is not found.
func (s *Store) Assessments(ctx context.Context, ref string) ([]traject.Assessment, error) {
	l, err := s.Learner(ctx, ref)
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT `+assessmentColumns+assessmentFrom+` WHERE a.learner_id = ? ORDER BY a.id DESC`, l.ID)
	if err != nil {
		return nil, s.mapError("assessments", "learner "+ref, err)
	}
	defer rows.Close()
	var out []traject.Assessment
	for rows.Next() {
		var a traject.Assessment
		if err := scanAssessment(rows, &a); err != nil {
			return nil, s.mapError("assessments", "learner "+ref, err)
		}
		out = append(out, a)
	}
	return out, s.mapError("assessments", "learner "+ref, rows.Err())
}

// LatestAssessment returns the learner's newest assessment; without one it
// answers ENOTFOUND saying that an intake comes first.
func (s *Store) LatestAssessment(ctx context.Context, ref string) (*traject.Assessment, error) {
	list, err := s.Assessments(ctx, ref)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, errNoAssessment()
	}
	return &list[0], nil
}

func errNoAssessment() error {
	return traject.Errorf(traject.ENOTFOUND, "placement.noassessment", "there is no intake for this learner yet: do an intake first")
}

// RecordAssessment keeps a new assessment of the learner with this reference
// and places it with the active rules, in one transaction: an assessment is
// never without the recommendation it led to. Both are audited. A wrong
// answer, or a learner outside the actor's region, changes nothing.
func (s *Store) RecordAssessment(ctx context.Context, ref string, a *traject.Assessment) (*traject.Placement, error) {
	if err := a.Validate(traject.SessionDay(s.now())); err != nil {
		return nil, err
	}
	var p *traject.Placement
	err := s.write(ctx, "record assessment", func(tx *Tx) error {
		l, _, err := tx.learner(ref)
		if err != nil {
			return s.mapError("record assessment", "learner "+ref, err)
		}
		if err := tx.createAssessment(l, a); err != nil {
			return err
		}
		p, err = tx.place(l, a)
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// createAssessment inserts a validated assessment and audits it.
func (tx *Tx) createAssessment(l *traject.Learner, a *traject.Assessment) error {
	authorID, label := actorOf(tx.ctx)
	id, err := tx.insert(`INSERT INTO assessments (learner_id, assessed_on, device_access, internet,
		skill_log_in, skill_open_website, skill_video_lesson, skill_email_attachment, skill_online_form,
		literacy, education, dutch_level, languages, author_id, author_label, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ID, dateArg(a.AssessedOn), a.DeviceAccess, a.Internet,
		a.Skills.LogIn, a.Skills.Website, a.Skills.VideoLesson, a.Skills.EmailAttachment, a.Skills.OnlineForm,
		a.Literacy, a.Education, a.DutchLevel, strings.Join(a.Languages, ","), authorID, label, tx.nowArg())
	if err != nil {
		return err
	}
	a.ID, a.LearnerRef, a.Author, a.CreatedAt = id, l.Ref, tx.actorName(label), tx.now
	return tx.audit("assessment.create", "learner", l.Ref, l.RegionCode, nil, a)
}

// actorName is how pages name the actor of this transaction: the staff
// member's name, else the label (a command, a job).
func (tx *Tx) actorName(label string) string {
	if u := traject.UserFromContext(tx.ctx); u != nil && u.Name != "" {
		return u.Name
	}
	return label
}
