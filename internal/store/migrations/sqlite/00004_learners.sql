-- +goose Up
-- Learners: personal data. The national register number is never stored in
-- clear: nn_cipher is AES-GCM (nonce || ciphertext, base64) under the key from
-- TRAJECT_SECRET_KEY, nn_hash an HMAC-SHA256 for exact look-up, nn_mask what
-- the pages show.
CREATE TABLE learners (
    id            INTEGER PRIMARY KEY,
    ref           TEXT NOT NULL UNIQUE,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    -- Lower case without diacritics, for prefix search by name.
    first_norm    TEXT NOT NULL,
    last_norm     TEXT NOT NULL,
    birth_date    TEXT,
    nn_cipher     TEXT,
    nn_hash       TEXT UNIQUE,
    nn_mask       TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    language      TEXT NOT NULL,
    region_code   TEXT NOT NULL REFERENCES regions (code),
    office_id     INTEGER REFERENCES offices (id),
    obligation    TEXT NOT NULL CHECK (obligation IN ('obliged', 'entitled')),
    counsellor_id INTEGER REFERENCES users (id),
    -- The day the trajectory closed; retention counts from it.
    closed_on     TEXT,
    anonymised_at TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
-- Lists and name search run within a region, by last name then first name.
CREATE INDEX learners_region_name ON learners (region_code, last_norm, first_norm);
CREATE INDEX learners_last_norm ON learners (last_norm, first_norm);
CREATE INDEX learners_first_norm ON learners (first_norm);
CREATE INDEX learners_counsellor ON learners (counsellor_id);
CREATE INDEX learners_office ON learners (office_id);
-- The retention job finds closed trajectories by date.
CREATE INDEX learners_closed_on ON learners (closed_on);

-- +goose Down
-- Forward-only.
