-- +goose Up
-- Needs assessment and placement. An assessment is kept as it was made; a
-- placement is a recommendation computed from one assessment by one version
-- of the placement rules, and a person who disagrees overrides it with a
-- reason. The rules are data: versioned JSON that an admin publishes.

CREATE TABLE assessments (
    id            INTEGER PRIMARY KEY,
    learner_id    INTEGER NOT NULL REFERENCES learners (id),
    assessed_on   TEXT NOT NULL,
    device_access TEXT NOT NULL CHECK (device_access IN ('none', 'smartphone_only', 'shared_computer', 'own_computer')),
    internet      TEXT NOT NULL CHECK (internet IN ('none', 'mobile_data', 'wifi')),
    -- The five digital skills, each yes or no.
    skill_log_in           BOOLEAN NOT NULL,
    skill_open_website     BOOLEAN NOT NULL,
    skill_video_lesson     BOOLEAN NOT NULL,
    skill_email_attachment BOOLEAN NOT NULL,
    skill_online_form      BOOLEAN NOT NULL,
    literacy      TEXT NOT NULL CHECK (literacy IN ('literate_latin', 'literate_other_script', 'low_literate')),
    education     TEXT NOT NULL CHECK (education IN ('none', 'primary', 'secondary', 'higher')),
    dutch_level   TEXT NOT NULL CHECK (dutch_level IN ('none', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2')),
    -- ISO 639-1 codes separated by commas (a code never holds one).
    languages     TEXT NOT NULL CHECK (languages <> ''),
    -- Who made it; the label (e-mail) stays readable if the account is renamed.
    author_id     INTEGER REFERENCES users (id),
    author_label  TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
-- A learner's assessments, newest first; the latest is the one placed.
CREATE INDEX assessments_learner ON assessments (learner_id, id);

-- One row per published version; exactly one is active (the newest, unless
-- an admin published an older text again as a new version). The rules are
-- kept as TEXT in both databases, exactly as published: JSONB would reorder
-- the keys and drop the layout the admin wrote.
CREATE TABLE placement_rules (
    version    INTEGER PRIMARY KEY,
    rules      TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT FALSE
);
-- The database itself keeps a single active version.
CREATE UNIQUE INDEX placement_rules_one_active ON placement_rules (active) WHERE active;

CREATE TABLE placements (
    id            INTEGER PRIMARY KEY,
    learner_id    INTEGER NOT NULL REFERENCES learners (id),
    assessment_id INTEGER NOT NULL REFERENCES assessments (id),
    -- The version that made it: a newer version never changes it.
    rules_version INTEGER NOT NULL REFERENCES placement_rules (version),
    track         TEXT NOT NULL CHECK (track IN ('basic', 'standard', 'intensive')),
    mode          TEXT NOT NULL CHECK (mode IN ('online', 'blended', 'onsite')),
    pretrack      BOOLEAN NOT NULL,
    loan          TEXT NOT NULL CHECK (loan IN ('none', 'wifi', '4g')),
    -- One reason per decision: JSON [{"field", "rule", "key", "args"}], the
    -- catalog key and arguments of its explanation, fixed when it was made.
    reasons       TEXT NOT NULL,
    created_by    INTEGER REFERENCES users (id),
    created_label TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
-- A learner's placements, newest first.
CREATE INDEX placements_learner ON placements (learner_id, id);
-- Foreign keys that lists and reports follow: the placements of an assessment
-- and of a rules version.
CREATE INDEX placements_assessment ON placements (assessment_id);
CREATE INDEX placements_rules_version ON placements (rules_version);

-- A staff member's own choice instead of a recommendation, with the reason.
-- Every override is kept; the newest holds.
CREATE TABLE placement_overrides (
    id            INTEGER PRIMARY KEY,
    placement_id  INTEGER NOT NULL REFERENCES placements (id),
    track         TEXT NOT NULL CHECK (track IN ('basic', 'standard', 'intensive')),
    mode          TEXT NOT NULL CHECK (mode IN ('online', 'blended', 'onsite')),
    pretrack      BOOLEAN NOT NULL,
    loan          TEXT NOT NULL CHECK (loan IN ('none', 'wifi', '4g')),
    reason        TEXT NOT NULL CHECK (reason <> ''),
    created_by    INTEGER REFERENCES users (id),
    created_label TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
-- A placement's overrides, newest first.
CREATE INDEX placement_overrides_placement ON placement_overrides (placement_id, id);
-- The author columns (author_id, created_by) have no index: accounts are never
-- deleted, and no page lists by author.

-- Version 1: the default rules (traject.DefaultPlacementRules; a store test
-- keeps the two the same).
INSERT INTO placement_rules (version, rules, note, created_by, created_at, active) VALUES (1, '{
  "rules": [
    {"name": "track_basic_low_literate", "when": {"literacy": ["low_literate"]}, "then": {"track": "basic"}, "explain": "placement.why.track_basic_low_literate"},
    {"name": "track_basic_no_education", "when": {"education": ["none"]}, "then": {"track": "basic"}, "explain": "placement.why.track_basic_no_education"},
    {"name": "track_intensive_higher", "when": {"education": ["higher"], "literacy": ["literate_latin"]}, "then": {"track": "intensive"}, "explain": "placement.why.track_intensive_higher"},
    {"name": "track_standard", "then": {"track": "standard"}, "explain": "placement.why.track_standard"},
    {"name": "mode_onsite_low_literate", "when": {"literacy": ["low_literate"]}, "then": {"mode": "onsite"}, "explain": "placement.why.mode_onsite_low_literate"},
    {"name": "mode_onsite_no_internet", "when": {"internet": ["none"], "device_access": ["shared_computer", "own_computer"]}, "then": {"mode": "onsite"}, "explain": "placement.why.mode_onsite_no_internet"},
    {"name": "mode_blended_skills", "when": {"skills_below": 3}, "then": {"mode": "blended"}, "explain": "placement.why.mode_blended_skills"},
    {"name": "mode_online", "then": {"mode": "online"}, "explain": "placement.why.mode_online"},
    {"name": "pretrack_skills", "when": {"skills_below": 3}, "then": {"pretrack": true}, "explain": "placement.why.pretrack_skills"},
    {"name": "no_pretrack", "then": {"pretrack": false}, "explain": "placement.why.no_pretrack"},
    {"name": "loan_4g", "when": {"device_access": ["none", "smartphone_only"], "internet": ["none"]}, "then": {"loan": "4g"}, "explain": "placement.why.loan_4g"},
    {"name": "loan_wifi", "when": {"device_access": ["none", "smartphone_only"]}, "then": {"loan": "wifi"}, "explain": "placement.why.loan_wifi"},
    {"name": "loan_none", "then": {"loan": "none"}, "explain": "placement.why.loan_none"}
  ]
}
', 'Standaardregels', NULL, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', TRUE);

-- +goose Down
-- Forward-only.
