-- +goose Up
-- Learning materials: one national catalogue, reviewed on stated criteria.
-- Barriers: findings that software, a website or a material does not suit the
-- learners, per region.
CREATE TABLE materials (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL,
    -- One material per address, so that the same video is not proposed twice.
    link            TEXT NOT NULL UNIQUE,
    type            TEXT NOT NULL CHECK (type IN ('module', 'exercise', 'method', 'video')),
    theme           TEXT NOT NULL,
    track           TEXT NOT NULL CHECK (track IN ('basic', 'standard', 'intensive', 'any')),
    works_offline   BOOLEAN NOT NULL,
    -- NULL when the command line or the demo submitted it; the label names them.
    submitted_by    INTEGER REFERENCES users (id),
    submitted_label TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected')),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
-- The catalogue lists by title, in keyset pages on (title, id), with or
-- without a status filter.
CREATE INDEX materials_title ON materials (title, id);
CREATE INDEX materials_status_title ON materials (status, title, id);
CREATE INDEX materials_submitted_by ON materials (submitted_by);

-- The languages a material is in: a row per ISO 639-1 code, so that the
-- catalogue filters on one language with an index.
CREATE TABLE material_languages (
    material_id INTEGER NOT NULL REFERENCES materials (id),
    language    TEXT NOT NULL,
    PRIMARY KEY (material_id, language)
);
-- The language filter looks materials up by language.
CREATE INDEX material_languages_language ON material_languages (language, material_id);

-- Every review is kept: the answers, the decision and the notes.
CREATE TABLE material_reviews (
    id             INTEGER PRIMARY KEY,
    material_id    INTEGER NOT NULL REFERENCES materials (id),
    reviewer_id    INTEGER REFERENCES users (id),
    reviewer_label TEXT NOT NULL,
    language_level BOOLEAN NOT NULL,
    accessible     BOOLEAN NOT NULL,
    chromebook     BOOLEAN NOT NULL,
    mobile_data    BOOLEAN NOT NULL,
    decision       TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
    notes          TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL
);
-- A material's page shows its reviews, newest first.
CREATE INDEX material_reviews_material ON material_reviews (material_id, id);
CREATE INDEX material_reviews_reviewer ON material_reviews (reviewer_id);

CREATE TABLE barriers (
    id             INTEGER PRIMARY KEY,
    resource_kind  TEXT NOT NULL CHECK (resource_kind IN ('software', 'website', 'material')),
    resource       TEXT NOT NULL,
    -- Lower case with single spaces: the summary groups "Zoom" and "zoom" as one.
    resource_key   TEXT NOT NULL,
    material_id    INTEGER REFERENCES materials (id),
    category       TEXT NOT NULL CHECK (category IN ('language', 'literacy', 'accessibility', 'device', 'connectivity', 'account', 'cost')),
    severity       TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'blocking')),
    description    TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'resolved', 'wont_fix')),
    reported_by    INTEGER REFERENCES users (id),
    reported_label TEXT NOT NULL,
    region_code    TEXT NOT NULL REFERENCES regions (code),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
-- Lists and summaries run within a region, newest first, often on status.
CREATE INDEX barriers_region_status ON barriers (region_code, status, id);
-- National lists run newest first over every region.
CREATE INDEX barriers_status ON barriers (status, id);
-- The summary per resource groups by its key.
CREATE INDEX barriers_resource ON barriers (resource_kind, resource_key);
-- A material's page counts the barriers reported on it.
CREATE INDEX barriers_material ON barriers (material_id);
CREATE INDEX barriers_reported_by ON barriers (reported_by);

-- +goose Down
-- Forward-only.
