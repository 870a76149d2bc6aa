-- +goose Up
-- Courses, their sessions and who is enrolled. A course's sessions are
-- generated from its weekdays and hours or added one by one; enrolment keeps a
-- waiting list in order of arrival.
CREATE TABLE courses (
    id          INTEGER PRIMARY KEY,
    ref         TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('civic_orientation', 'digital_pretrack')),
    language    TEXT NOT NULL,
    mode        TEXT NOT NULL CHECK (mode IN ('online', 'blended', 'onsite')),
    track       TEXT NOT NULL CHECK (track IN ('basic', 'standard', 'intensive')),
    region_code TEXT NOT NULL REFERENCES regions (code),
    office_id   INTEGER REFERENCES offices (id),
    teacher_id  INTEGER REFERENCES users (id),
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    capacity    INTEGER NOT NULL CHECK (capacity > 0),
    -- As in the import file: mon+thu; empty when sessions are added by hand.
    weekdays    TEXT NOT NULL DEFAULT '',
    start_time  TEXT NOT NULL DEFAULT '',
    end_time    TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (ends_on >= starts_on)
);
-- Course lists run per region by start date; a teacher sees their own courses.
CREATE INDEX courses_region_start ON courses (region_code, starts_on);
CREATE INDEX courses_teacher ON courses (teacher_id);
CREATE INDEX courses_office ON courses (office_id);

-- One lesson of a course (named so to stay clear of the sign-in sessions table).
CREATE TABLE course_sessions (
    id        INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES courses (id),
    starts_at TEXT NOT NULL,
    ends_at   TEXT NOT NULL,
    mode      TEXT NOT NULL CHECK (mode IN ('online', 'onsite')),
    CHECK (ends_at > starts_at)
);
-- A course's calendar, and a learner's, read sessions in time order.
CREATE INDEX course_sessions_course_start ON course_sessions (course_id, starts_at);

CREATE TABLE enrolments (
    id         INTEGER PRIMARY KEY,
    course_id  INTEGER NOT NULL REFERENCES courses (id),
    learner_id INTEGER NOT NULL REFERENCES learners (id),
    state      TEXT NOT NULL CHECK (state IN ('enrolled', 'waiting', 'withdrawn')),
    -- The waiting list is served in order of arrival.
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (course_id, learner_id)
);
-- A learner's courses; a course's list and its waiting list in order.
CREATE INDEX enrolments_learner ON enrolments (learner_id);
CREATE INDEX enrolments_course_state ON enrolments (course_id, state, created_at);

-- +goose Down
-- Forward-only.
