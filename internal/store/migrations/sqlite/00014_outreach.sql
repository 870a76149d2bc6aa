-- +goose Up
-- Outreach by phone: a campaign selects learners by criteria; its targets are
-- split into call lists by language; each call is recorded with its outcome.
CREATE TABLE outreach_campaigns (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    -- The selection as JSON (traject.CampaignCriteria), kept to show how the
    -- list was made.
    criteria         TEXT NOT NULL,
    region_code      TEXT REFERENCES regions (code),
    retry_after_days INTEGER NOT NULL CHECK (retry_after_days BETWEEN 0 AND 60),
    max_attempts     INTEGER NOT NULL CHECK (max_attempts BETWEEN 1 AND 10),
    created_by       INTEGER REFERENCES users (id),
    created_at       TEXT NOT NULL,
    closed_at        TEXT
);
CREATE INDEX outreach_campaigns_region ON outreach_campaigns (region_code);
CREATE INDEX outreach_campaigns_created_by ON outreach_campaigns (created_by);

CREATE TABLE outreach_targets (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES outreach_campaigns (id),
    learner_id   INTEGER NOT NULL REFERENCES learners (id),
    -- The call list: the learner's contact language when selected.
    language     TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('open', 'reached', 'exhausted')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_call_on TEXT,
    outcome      TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (campaign_id, learner_id)
);
CREATE INDEX outreach_targets_learner ON outreach_targets (learner_id);
CREATE INDEX outreach_targets_list ON outreach_targets (campaign_id, language, state, next_call_on);

CREATE TABLE outreach_calls (
    id          INTEGER PRIMARY KEY,
    target_id   INTEGER NOT NULL REFERENCES outreach_targets (id),
    campaign_id INTEGER NOT NULL REFERENCES outreach_campaigns (id),
    learner_id  INTEGER NOT NULL REFERENCES learners (id),
    -- The language the call was held in, and whether an interpreter helped.
    language    TEXT NOT NULL,
    interpreter BOOLEAN NOT NULL DEFAULT FALSE,
    caller_id   INTEGER REFERENCES users (id),
    called_at   TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('joins_online', 'needs_device', 'needs_pretrack', 'needs_onsite',
                                                 'stopped', 'moved', 'no_answer', 'wrong_number', 'voicemail')),
    note        TEXT NOT NULL DEFAULT '',
    -- What the outcome set in motion: a request reference, a course reference.
    action_ref  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outreach_calls_target ON outreach_calls (target_id);
CREATE INDEX outreach_calls_campaign ON outreach_calls (campaign_id);
CREATE INDEX outreach_calls_learner ON outreach_calls (learner_id, called_at);
CREATE INDEX outreach_calls_caller ON outreach_calls (caller_id);

-- +goose Down
-- Forward-only.
