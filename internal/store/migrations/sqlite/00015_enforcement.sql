-- +goose Up
-- Enforcement: infraction files, their sign-offs and letters, the learners'
-- exemption requests, the attempts the fairness guard refused, and the
-- procedure's settings (deadlines and fine scale).
CREATE TABLE infraction_files (
    id                  INTEGER PRIMARY KEY,
    learner_id          INTEGER NOT NULL REFERENCES learners (id),
    course_id           INTEGER REFERENCES courses (id),
    -- The learner's region when opened: the file stays in the region that
    -- opened it, for scoping and for the equity view.
    region_code         TEXT NOT NULL REFERENCES regions (code),
    type                TEXT NOT NULL CHECK (type IN ('late_registration', 'insufficient_participation',
                                                      'contract_not_signed', 'course_abandoned')),
    period_from         TEXT NOT NULL,
    period_until        TEXT NOT NULL,
    state               TEXT NOT NULL CHECK (state IN ('draft', 'warning_sent', 'complied', 'referred', 'defence',
                                                       'decided', 'paid', 'reminded', 'collected')),
    -- The participation norm that applied, fixed when the file is opened;
    -- norm_from is NULL for the programme's default norm.
    norm_percent        INTEGER NOT NULL DEFAULT 0,
    norm_from           TEXT,
    note                TEXT NOT NULL DEFAULT '',
    opened_by           INTEGER REFERENCES users (id),
    opened_at           TEXT NOT NULL,
    -- Each step's day, and the deadline it started (computed when taken).
    warned_on           TEXT,
    warning_deadline    TEXT,
    complied_on         TEXT,
    referred_on         TEXT,
    defence_deadline    TEXT,
    defence_on          TEXT,
    defence_text        TEXT NOT NULL DEFAULT '',
    decided_on          TEXT,
    outcome             TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'fine', 'no_fine')),
    amount              INTEGER NOT NULL DEFAULT 0 CHECK (amount = 0 OR amount BETWEEN 50 AND 5000),
    decision_note       TEXT NOT NULL DEFAULT '',
    payment_deadline    TEXT,
    reminded_on         TEXT,
    reminder_deadline   TEXT,
    paid_on             TEXT,
    collected_on        TEXT,
    -- The deadline now running, for the daily list of passed deadlines.
    deadline            TEXT,
    updated_at          TEXT NOT NULL,
    CHECK (period_until >= period_from),
    CHECK (outcome <> 'fine' OR amount > 0)
);
-- A learner's files (repeat fines, the proposals' "already open").
CREATE INDEX infraction_files_learner ON infraction_files (learner_id, period_from);
CREATE INDEX infraction_files_course ON infraction_files (course_id);
-- Lists run per region and state; the daily job reads the running deadlines.
CREATE INDEX infraction_files_region_state ON infraction_files (region_code, state);
CREATE INDEX infraction_files_deadline ON infraction_files (deadline);
CREATE INDEX infraction_files_opened_by ON infraction_files (opened_by);

-- Two different staff members sign a file off before it leaves the agency;
-- the primary key makes the same person twice impossible.
CREATE TABLE file_signoffs (
    file_id   INTEGER NOT NULL REFERENCES infraction_files (id),
    user_id   INTEGER NOT NULL REFERENCES users (id),
    signed_at TEXT NOT NULL,
    PRIMARY KEY (file_id, user_id)
);
CREATE INDEX file_signoffs_user ON file_signoffs (user_id);

-- The letters as sent: the Dutch letter and the plain-language summary,
-- kept as text so that the PDF is the same whenever it is printed.
CREATE TABLE letters (
    id               INTEGER PRIMARY KEY,
    file_id          INTEGER NOT NULL REFERENCES infraction_files (id),
    kind             TEXT NOT NULL CHECK (kind IN ('warning', 'referral', 'decision')),
    language         TEXT NOT NULL,
    body             TEXT NOT NULL,
    summary          TEXT NOT NULL,
    summary_language TEXT NOT NULL,
    sent_on          TEXT NOT NULL,
    created_by       INTEGER REFERENCES users (id),
    created_at       TEXT NOT NULL,
    UNIQUE (file_id, kind)
);
CREATE INDEX letters_created_by ON letters (created_by);

-- A learner's request to be exempted from an obligation; a pending one
-- keeps every file of the learner in the agency.
CREATE TABLE exemptions (
    id           INTEGER PRIMARY KEY,
    learner_id   INTEGER NOT NULL REFERENCES learners (id),
    reason       TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'granted', 'refused')),
    requested_on TEXT NOT NULL,
    decided_by   INTEGER REFERENCES users (id),
    decided_at   TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX exemptions_learner ON exemptions (learner_id, state);
CREATE INDEX exemptions_decided_by ON exemptions (decided_by);

-- The attempts to open a file that the fairness guard refused, with the
-- causes it named, so that the refusals themselves can be reviewed.
CREATE TABLE file_refusals (
    id           INTEGER PRIMARY KEY,
    learner_id   INTEGER NOT NULL REFERENCES learners (id),
    region_code  TEXT NOT NULL REFERENCES regions (code),
    type         TEXT NOT NULL,
    period_from  TEXT NOT NULL,
    period_until TEXT NOT NULL,
    -- JSON: [{"kind", "ref", "from", "until"}].
    causes       TEXT NOT NULL,
    refused_by   INTEGER REFERENCES users (id),
    refused_at   TEXT NOT NULL
);
CREATE INDEX file_refusals_learner ON file_refusals (learner_id);
CREATE INDEX file_refusals_region ON file_refusals (region_code, refused_at);
CREATE INDEX file_refusals_refused_by ON file_refusals (refused_by);

-- The procedure's settings: one row. The scale is a JSON list of euro.
CREATE TABLE enforcement_settings (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    warning_days  INTEGER NOT NULL CHECK (warning_days BETWEEN 1 AND 365),
    defence_days  INTEGER NOT NULL CHECK (defence_days BETWEEN 1 AND 365),
    payment_days  INTEGER NOT NULL CHECK (payment_days BETWEEN 1 AND 365),
    reminder_days INTEGER NOT NULL CHECK (reminder_days BETWEEN 1 AND 365),
    fine_scale    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
INSERT INTO enforcement_settings (id, warning_days, defence_days, payment_days, reminder_days, fine_scale, updated_at)
VALUES (1, 30, 30, 60, 30, '[50,100,250,500,1000,2500,5000]', '2020-01-01T00:00:00.000000Z');

-- +goose Down
-- Forward-only.
