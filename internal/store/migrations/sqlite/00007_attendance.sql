-- +goose Up
-- Attendance per session and learner, course suspensions, and the versioned
-- participation norm. Who caused an excused absence matters: an absence the
-- agency caused (no device yet, a failed device, no data, a suspended course)
-- never counts against a learner (DESIGN invariant 7).
CREATE TABLE attendance (
    session_id  INTEGER NOT NULL REFERENCES course_sessions (id),
    learner_id  INTEGER NOT NULL REFERENCES learners (id),
    status      TEXT NOT NULL CHECK (status IN ('present_onsite', 'present_online', 'late', 'excused', 'absent')),
    -- Only an excused absence has a reason, and it must have one.
    reason      TEXT NOT NULL DEFAULT '' CHECK (reason IN ('', 'no_device_yet', 'device_failure', 'no_data',
                                                           'course_suspended', 'illness', 'family', 'work',
                                                           'appointment', 'other')),
    -- manual: a person chose it; auto: Traject set it from what it knows (a
    -- suspension, a pending device request), so that a report can tell them apart.
    source      TEXT NOT NULL CHECK (source IN ('manual', 'auto')),
    -- NULL when the command line or a job recorded it.
    recorded_by INTEGER REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (session_id, learner_id),
    CHECK ((status = 'excused') = (reason <> ''))
);
-- A learner's attendance over all their courses (calendar, subject-access export).
CREATE INDEX attendance_learner ON attendance (learner_id);
CREATE INDEX attendance_recorded_by ON attendance (recorded_by);

-- A period in which a course did not take place (a lockdown): its sessions
-- then count for no one.
CREATE TABLE course_suspensions (
    id         INTEGER PRIMARY KEY,
    course_id  INTEGER NOT NULL REFERENCES courses (id),
    starts_on  TEXT NOT NULL,
    ends_on    TEXT NOT NULL,
    reason     TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    CHECK (ends_on >= starts_on)
);
-- Participation reads a course's suspensions; the follow-up list reads those of many courses.
CREATE INDEX course_suspensions_course ON course_suspensions (course_id, starts_on);
CREATE INDEX course_suspensions_created_by ON course_suspensions (created_by);

-- The share of countable sessions a learner must attend. A new version applies
-- from its date on; sessions before it keep the version valid on their date.
CREATE TABLE participation_norms (
    id         INTEGER PRIMARY KEY,
    percent    INTEGER NOT NULL CHECK (percent BETWEEN 1 AND 100),
    -- One version per day: the unique index is also the look-up by date.
    valid_from TEXT NOT NULL UNIQUE,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX participation_norms_created_by ON participation_norms (created_by);
-- The programme's norm: 80% of the sessions, since before any course in Traject.
INSERT INTO participation_norms (percent, valid_from, created_at) VALUES (80, '2000-01-01', '2000-01-01T00:00:00.000000Z');

-- +goose Down
-- Forward-only.
