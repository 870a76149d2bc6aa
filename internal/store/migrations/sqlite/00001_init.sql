-- +goose Up
-- Times are UTC text in one fixed-width format (store/time.go), so that they
-- sort and compare as strings exactly as PostgreSQL's timestamptz does.

-- Regions are fixed reference data: the codes are part of the file formats.
CREATE TABLE regions (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL
);
INSERT INTO regions (code, name, position) VALUES
    ('ANT', 'Antwerpen', 1), ('BRU', 'Brussel', 2), ('LIM', 'Limburg', 3),
    ('OVL', 'Oost-Vlaanderen', 4), ('VBR', 'Vlaams-Brabant', 5), ('WVL', 'West-Vlaanderen', 6);

CREATE TABLE offices (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    name        TEXT NOT NULL,
    UNIQUE (region_code, name)
);
INSERT INTO offices (region_code, name) VALUES
    ('ANT', 'Antwerpen'), ('BRU', 'Brussel'), ('LIM', 'Hasselt'),
    ('OVL', 'Gent'), ('VBR', 'Leuven'), ('WVL', 'Brugge');

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'coordinator', 'desk', 'counsellor', 'teacher', 'enforcement')),
    -- NULL for national roles; the domain checks which roles need one.
    region_code    TEXT REFERENCES regions (code),
    password_hash  TEXT NOT NULL DEFAULT '',
    language       TEXT NOT NULL DEFAULT 'nl',
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TEXT NOT NULL,
    deactivated_at TEXT
);
-- Staff lists are filtered by the actor's region.
CREATE INDEX users_region_code ON users (region_code);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    name       TEXT NOT NULL,
    -- Only the SHA-256 of the token is kept; the prefix lets a person tell tokens apart.
    hash       TEXT NOT NULL UNIQUE,
    prefix     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
-- The account page lists a user's tokens.
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

-- One row per wrong password; throttling counts the recent ones.
CREATE TABLE login_failures (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    at      TEXT NOT NULL
);
CREATE INDEX login_failures_user_at ON login_failures (user_id, at);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    INTEGER REFERENCES users (id),
    actor_label TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    -- The object's region, so that a regional coordinator sees the audit of the region.
    region_code TEXT REFERENCES regions (code),
    before      TEXT,
    after       TEXT,
    request_id  TEXT NOT NULL DEFAULT ''
);
-- The audit page filters by actor, by object and by date, newest first.
CREATE INDEX audit_log_actor ON audit_log (actor_label, id);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, id);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_region ON audit_log (region_code, id);

-- Sessions of github.com/alexedwards/scs/sqlite3store: expiry is a Julian day.
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry REAL NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

-- +goose Down
-- Forward-only: a down migration would destroy the audit log.
