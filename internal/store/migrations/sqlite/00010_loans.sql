-- +goose Up
-- The lending desk: requests for a device, loans from reservation to return,
-- the loan agreement in versions, and the learners' acceptances of it.

CREATE TABLE loan_requests (
    id          INTEGER PRIMARY KEY,
    ref         TEXT NOT NULL UNIQUE,
    learner_id  INTEGER NOT NULL REFERENCES learners (id),
    course_id   INTEGER NOT NULL REFERENCES courses (id),
    region_code TEXT NOT NULL REFERENCES regions (code),
    need        TEXT NOT NULL CHECK (need IN ('wifi', '4g')),
    channel     TEXT NOT NULL CHECK (channel IN ('counsellor', 'teacher', 'learner', 'phone', 'desk')),
    state       TEXT NOT NULL CHECK (state IN ('waiting', 'allocated', 'cancelled')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
-- The queue is read per region among waiting requests.
CREATE INDEX loan_requests_region_state ON loan_requests (region_code, state);
CREATE INDEX loan_requests_learner ON loan_requests (learner_id);
CREATE INDEX loan_requests_course ON loan_requests (course_id);
-- A learner asks once per course and need while a request is open.
CREATE UNIQUE INDEX loan_requests_one_open ON loan_requests (learner_id, course_id) WHERE state = 'waiting';

CREATE TABLE loans (
    id             INTEGER PRIMARY KEY,
    learner_id     INTEGER NOT NULL REFERENCES learners (id),
    course_id      INTEGER REFERENCES courses (id),
    device_id      INTEGER NOT NULL REFERENCES devices (id),
    region_code    TEXT NOT NULL REFERENCES regions (code),
    -- The device's connectivity, kept on the loan so that reports count loans
    -- by it without a join (a swap keeps the connectivity).
    connectivity   TEXT NOT NULL CHECK (connectivity IN ('wifi', '4g')),
    request_id     INTEGER REFERENCES loan_requests (id),
    -- The agreed period, both days included; the due date starts at its end
    -- and moves only by an extension.
    starts_on      TEXT NOT NULL,
    ends_on        TEXT NOT NULL,
    due_on         TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('reserved', 'handed_out', 'returned', 'cancelled', 'lost', 'stolen')),
    handed_out_on  TEXT,
    returned_on    TEXT,
    -- The desk's checklists (JSON) and the condition at return.
    handout_check  TEXT NOT NULL DEFAULT '',
    return_check   TEXT NOT NULL DEFAULT '',
    condition      TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK (ends_on >= starts_on),
    CHECK (due_on >= ends_on),
    CHECK (state NOT IN ('handed_out', 'returned', 'lost', 'stolen') OR handed_out_on IS NOT NULL),
    CHECK (state <> 'returned' OR returned_on IS NOT NULL)
);
CREATE INDEX loans_device_state ON loans (device_id, state);
CREATE INDEX loans_learner ON loans (learner_id);
CREATE INDEX loans_course ON loans (course_id);
CREATE INDEX loans_request ON loans (request_id);
-- The desk's day (hand-outs and returns due) and the reminder job read by region, state and dates.
CREATE INDEX loans_region_state_start ON loans (region_code, state, starts_on);
CREATE INDEX loans_state_due ON loans (state, due_on);

-- DESIGN invariant 1: a device is never held by two active loans on one
-- day. Writers are serialised (BEGIN IMMEDIATE on one connection), so this
-- check cannot race with another insert.
-- +goose StatementBegin
CREATE TRIGGER loans_no_overlap_insert BEFORE INSERT ON loans
WHEN NEW.state IN ('reserved', 'handed_out') AND EXISTS (
    SELECT 1 FROM loans o WHERE o.device_id = NEW.device_id AND o.state IN ('reserved', 'handed_out')
       AND o.starts_on <= NEW.due_on AND NEW.starts_on <= o.due_on)
BEGIN
    SELECT RAISE(ABORT, 'the device is already lent or reserved for some of these days');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER loans_no_overlap_update BEFORE UPDATE OF device_id, starts_on, due_on, state ON loans
WHEN NEW.state IN ('reserved', 'handed_out') AND EXISTS (
    SELECT 1 FROM loans o WHERE o.id <> NEW.id AND o.device_id = NEW.device_id AND o.state IN ('reserved', 'handed_out')
       AND o.starts_on <= NEW.due_on AND NEW.starts_on <= o.due_on)
BEGIN
    SELECT RAISE(ABORT, 'the device is already lent or reserved for some of these days');
END;
-- +goose StatementEnd

-- DESIGN invariant 3: a spare-pool device is never reserved, whatever code
-- writes the loan.
-- +goose StatementBegin
CREATE TRIGGER loans_never_spare_insert BEFORE INSERT ON loans
WHEN NEW.state IN ('reserved', 'handed_out')
     AND EXISTS (SELECT 1 FROM devices WHERE id = NEW.device_id AND state IN ('spare', 'retired'))
BEGIN
    SELECT RAISE(ABORT, 'a spare or retired device is never lent');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER loans_never_spare_update BEFORE UPDATE OF device_id, state ON loans
WHEN NEW.state IN ('reserved', 'handed_out')
     AND EXISTS (SELECT 1 FROM devices WHERE id = NEW.device_id AND state IN ('spare', 'retired'))
BEGIN
    SELECT RAISE(ABORT, 'a spare or retired device is never lent');
END;
-- +goose StatementEnd

-- A faulty device replaced inside its loan: both devices stay linked to it.
CREATE TABLE loan_swaps (
    id             INTEGER PRIMARY KEY,
    loan_id        INTEGER NOT NULL REFERENCES loans (id),
    old_device_id  INTEGER NOT NULL REFERENCES devices (id),
    new_device_id  INTEGER NOT NULL REFERENCES devices (id),
    swapped_on     TEXT NOT NULL,
    reason         TEXT NOT NULL,
    -- The addendum to the agreement that names the new device.
    addendum       TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX loan_swaps_loan ON loan_swaps (loan_id);
CREATE INDEX loan_swaps_old ON loan_swaps (old_device_id);
CREATE INDEX loan_swaps_new ON loan_swaps (new_device_id);

CREATE TABLE agreement_versions (
    id           INTEGER PRIMARY KEY,
    version      INTEGER NOT NULL UNIQUE CHECK (version > 0),
    published_at TEXT NOT NULL,
    published_by INTEGER REFERENCES users (id)
);
CREATE INDEX agreement_versions_published_by ON agreement_versions (published_by);

CREATE TABLE agreement_texts (
    version_id INTEGER NOT NULL REFERENCES agreement_versions (id),
    language   TEXT NOT NULL,
    body       TEXT NOT NULL,
    PRIMARY KEY (version_id, language)
);

CREATE TABLE acceptances (
    id          INTEGER PRIMARY KEY,
    loan_id     INTEGER NOT NULL REFERENCES loans (id),
    version_id  INTEGER NOT NULL REFERENCES agreement_versions (id),
    language    TEXT NOT NULL,
    -- The exact text shown (Dutch, then the translation) and its SHA-256.
    text        TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    method      TEXT NOT NULL CHECK (method IN ('signature', 'code', 'paper')),
    signature   TEXT NOT NULL DEFAULT '',
    typed_name  TEXT NOT NULL DEFAULT '',
    scan        BLOB,
    scan_type   TEXT NOT NULL DEFAULT '',
    witness_id  INTEGER REFERENCES users (id),
    imported    BOOLEAN NOT NULL DEFAULT FALSE,
    accepted_at TEXT NOT NULL
);
CREATE INDEX acceptances_loan ON acceptances (loan_id, version_id);
CREATE INDEX acceptances_version ON acceptances (version_id);
CREATE INDEX acceptances_witness ON acceptances (witness_id);

-- Devices of lost or stolen loans waiting to be disabled remotely by the
-- device-management integration.
CREATE TABLE remote_disables (
    id           INTEGER PRIMARY KEY,
    device_id    INTEGER NOT NULL REFERENCES devices (id),
    loan_id      INTEGER NOT NULL REFERENCES loans (id),
    state        TEXT NOT NULL CHECK (state IN ('queued', 'sent')),
    requested_at TEXT NOT NULL,
    sent_at      TEXT
);
CREATE INDEX remote_disables_device ON remote_disables (device_id);
CREATE INDEX remote_disables_loan ON remote_disables (loan_id);

-- One-time codes for the learner's own pages: signing in, and accepting an
-- agreement. Only a hash of the code is kept.
CREATE TABLE learner_codes (
    id         INTEGER PRIMARY KEY,
    learner_id INTEGER NOT NULL REFERENCES learners (id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('signin', 'accept')),
    loan_id    INTEGER REFERENCES loans (id),
    code_hash  TEXT NOT NULL,
    tries      INTEGER NOT NULL DEFAULT 0,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX learner_codes_learner ON learner_codes (learner_id, purpose);
CREATE INDEX learner_codes_loan ON learner_codes (loan_id);

-- Reminders sent to learners: at most one message per learner per day,
-- listing all their items, whatever the number of devices or processes.
CREATE TABLE reminders (
    id         INTEGER PRIMARY KEY,
    learner_id INTEGER NOT NULL REFERENCES learners (id),
    sent_on    TEXT NOT NULL,
    channel    TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    language   TEXT NOT NULL,
    loan_ids   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (learner_id, sent_on)
);

-- Overdue loans escalated to the course's teacher and the desk: once a loan.
CREATE TABLE escalations (
    id         INTEGER PRIMARY KEY,
    loan_id    INTEGER NOT NULL UNIQUE REFERENCES loans (id),
    sent_on    TEXT NOT NULL,
    recipients TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- The first version of the agreement. Later versions are published in the
-- application; this one is never changed.
INSERT INTO agreement_versions (version, published_at) VALUES (1, '2020-05-01T00:00:00.000000Z');
INSERT INTO agreement_texts (version_id, language, body) VALUES
((SELECT id FROM agreement_versions WHERE version = 1), 'nl',
'Leenovereenkomst voor een toestel

Ik, {learner}, leen van het Agentschap Integratie en Inburgering dit toestel: {device}.
Ik krijg er ook bij: {accessories}.

Ik mag het toestel gebruiken van {from} tot en met {until}, voor mijn cursus.
Ik breng het toestel terug ten laatste op {due}.
Zo breng ik het terug: {return}.

Ik zorg goed voor het toestel. Ik gebruik het alleen voor mijn cursus en ik geef het aan niemand anders.
Is het toestel kapot, verloren of gestolen? Dan meld ik dat meteen aan het agentschap.
Breng ik het toestel niet terug, dan kan het agentschap het toestel op afstand blokkeren.

De Nederlandse tekst is de tekst die geldt.'),
((SELECT id FROM agreement_versions WHERE version = 1), 'en',
'Loan agreement for a device

I, {learner}, borrow this device from the Agency for Integration and Civic Integration: {device}.
I also receive: {accessories}.

I may use the device from {from} up to and including {until}, for my course.
I bring the device back by {due} at the latest.
This is how I bring it back: {return}.

I take good care of the device. I use it only for my course and I do not give it to anyone else.
Is the device broken, lost or stolen? Then I tell the agency at once.
If I do not bring the device back, the agency can block it remotely.

The Dutch text is the one that applies.'),
((SELECT id FROM agreement_versions WHERE version = 1), 'fr',
'Contrat de prêt d''un appareil

Moi, {learner}, j''emprunte cet appareil à l''Agence pour l''intégration et l''intégration civique : {device}.
Je reçois aussi : {accessories}.

Je peux utiliser l''appareil du {from} au {until} inclus, pour mon cours.
Je rends l''appareil au plus tard le {due}.
Voici comment je le rends : {return}.

Je prends soin de l''appareil. Je l''utilise seulement pour mon cours et je ne le donne à personne d''autre.
L''appareil est cassé, perdu ou volé ? Je le signale tout de suite à l''agence.
Si je ne rends pas l''appareil, l''agence peut le bloquer à distance.

Le texte néerlandais est le texte qui fait foi.'),
((SELECT id FROM agreement_versions WHERE version = 1), 'ar',
'اتفاقية إعارة جهاز

أنا، {learner}، أستعير هذا الجهاز من وكالة الاندماج والاندماج المدني: {device}.
وأستلم معه أيضًا: {accessories}.

يمكنني استخدام الجهاز من {from} إلى {until} (شاملًا هذا اليوم)، من أجل دورتي.
أُعيد الجهاز في موعد أقصاه {due}.
هكذا أُعيده: {return}.

أعتني بالجهاز جيدًا. أستخدمه لدورتي فقط ولا أعطيه لأي شخص آخر.
إذا تعطّل الجهاز أو ضاع أو سُرق، أُبلغ الوكالة فورًا.
إذا لم أُعِد الجهاز، يمكن للوكالة أن تقفله عن بُعد.

النص الهولندي هو النص المعتمد.');

-- +goose Down
-- Forward-only.
