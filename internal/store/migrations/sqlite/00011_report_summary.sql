-- +goose Up
-- Summaries the loan reports read instead of the loans themselves, so that
-- loans-by-month and device-usage stay well under a second at ten million
-- loans (DESIGN §4: a GROUP BY over a million loans alone takes 0.8 s here).
-- Triggers on loans keep them in step with every write path (API, desk,
-- import, demo, bulk); a property test compares them with plain counts.

-- Per region, connectivity and month (YYYY-MM; dates are calendar days in
-- Europe/Brussels already): loans handed out in the month, the sum of their
-- agreed days, and loans that stop being active from this month on. A loan
-- is active from the month it was handed out up to the month it was returned,
-- so it "ends" in the month after its return, or at once if the records say
-- it came back before it went out. Active in month m is then the running sum
-- of started minus the running sum of ended up to m.
CREATE TABLE loan_month_counts (
    region_code  TEXT NOT NULL REFERENCES regions (code),
    connectivity TEXT NOT NULL,
    month        TEXT NOT NULL,
    started      INTEGER NOT NULL DEFAULT 0,
    ended        INTEGER NOT NULL DEFAULT 0,
    agreed_days  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (region_code, connectivity, month)
);

-- Per region, connectivity and course period (the months of the agreed start
-- and end): loans handed out, and loans still reserved.
CREATE TABLE loan_period_counts (
    region_code  TEXT NOT NULL REFERENCES regions (code),
    connectivity TEXT NOT NULL,
    period_from  TEXT NOT NULL,
    period_to    TEXT NOT NULL,
    lent         INTEGER NOT NULL DEFAULT 0,
    reserved     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (region_code, connectivity, period_from, period_to)
);

-- The overlap guard of 00010 (loans_no_overlap_insert and _update) looks for
-- a device's active loans that reach past a day. Without this index SQLite
-- reads them through loans_state_due, all active loans of every device due
-- after that day, which made each bulk-written reservation cost thousands of
-- rows. The active loans are few beside the history, so the index is small.
-- (PostgreSQL's exclusion constraint has its own partial GiST index.)
CREATE INDEX loans_active_device_due ON loans (device_id, due_on) WHERE state IN ('reserved', 'handed_out');

-- The loans already recorded.
INSERT INTO loan_month_counts (region_code, connectivity, month, started, agreed_days)
SELECT region_code, connectivity, substr(handed_out_on, 1, 7), COUNT(*),
       SUM(CAST(julianday(ends_on) - julianday(starts_on) AS INTEGER) + 1)
FROM loans WHERE handed_out_on IS NOT NULL GROUP BY 1, 2, 3;
INSERT INTO loan_month_counts (region_code, connectivity, month, ended)
SELECT region_code, connectivity,
       max(substr(handed_out_on, 1, 7), strftime('%Y-%m', returned_on, 'start of month', '+1 month')), COUNT(*)
FROM loans WHERE handed_out_on IS NOT NULL AND returned_on IS NOT NULL GROUP BY 1, 2, 3
ON CONFLICT (region_code, connectivity, month) DO UPDATE SET ended = ended + excluded.ended;
INSERT INTO loan_period_counts (region_code, connectivity, period_from, period_to, lent, reserved)
SELECT region_code, connectivity, substr(starts_on, 1, 7), substr(ends_on, 1, 7),
       SUM(handed_out_on IS NOT NULL), SUM(state = 'reserved')
FROM loans GROUP BY 1, 2, 3, 4;

-- +goose StatementBegin
CREATE TRIGGER loans_report_insert AFTER INSERT ON loans
BEGIN
    INSERT INTO loan_month_counts (region_code, connectivity, month, started, agreed_days)
    SELECT NEW.region_code, NEW.connectivity, substr(NEW.handed_out_on, 1, 7), 1,
           CAST(julianday(NEW.ends_on) - julianday(NEW.starts_on) AS INTEGER) + 1
    WHERE NEW.handed_out_on IS NOT NULL
    ON CONFLICT (region_code, connectivity, month) DO UPDATE
        SET started = started + 1, agreed_days = agreed_days + excluded.agreed_days;
    INSERT INTO loan_month_counts (region_code, connectivity, month, ended)
    SELECT NEW.region_code, NEW.connectivity,
           max(substr(NEW.handed_out_on, 1, 7), strftime('%Y-%m', NEW.returned_on, 'start of month', '+1 month')), 1
    WHERE NEW.handed_out_on IS NOT NULL AND NEW.returned_on IS NOT NULL
    ON CONFLICT (region_code, connectivity, month) DO UPDATE SET ended = ended + 1;
    INSERT INTO loan_period_counts (region_code, connectivity, period_from, period_to, lent, reserved)
    SELECT NEW.region_code, NEW.connectivity, substr(NEW.starts_on, 1, 7), substr(NEW.ends_on, 1, 7),
           NEW.handed_out_on IS NOT NULL, NEW.state = 'reserved'
    WHERE NEW.handed_out_on IS NOT NULL OR NEW.state = 'reserved'
    ON CONFLICT (region_code, connectivity, period_from, period_to) DO UPDATE
        SET lent = lent + excluded.lent, reserved = reserved + excluded.reserved;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER loans_report_delete AFTER DELETE ON loans
BEGIN
    UPDATE loan_month_counts SET started = started - 1,
           agreed_days = agreed_days - (CAST(julianday(OLD.ends_on) - julianday(OLD.starts_on) AS INTEGER) + 1)
    WHERE OLD.handed_out_on IS NOT NULL AND region_code = OLD.region_code AND connectivity = OLD.connectivity
      AND month = substr(OLD.handed_out_on, 1, 7);
    UPDATE loan_month_counts SET ended = ended - 1
    WHERE OLD.handed_out_on IS NOT NULL AND OLD.returned_on IS NOT NULL
      AND region_code = OLD.region_code AND connectivity = OLD.connectivity
      AND month = max(substr(OLD.handed_out_on, 1, 7), strftime('%Y-%m', OLD.returned_on, 'start of month', '+1 month'));
    UPDATE loan_period_counts SET lent = lent - (OLD.handed_out_on IS NOT NULL), reserved = reserved - (OLD.state = 'reserved')
    WHERE region_code = OLD.region_code AND connectivity = OLD.connectivity
      AND period_from = substr(OLD.starts_on, 1, 7) AND period_to = substr(OLD.ends_on, 1, 7);
END;
-- +goose StatementEnd

-- An update takes the old row out and puts the new one in: the same
-- statements as the delete and insert triggers, on the columns they read.
-- +goose StatementBegin
CREATE TRIGGER loans_report_update AFTER UPDATE OF region_code, connectivity, starts_on, ends_on, state, handed_out_on, returned_on ON loans
BEGIN
    UPDATE loan_month_counts SET started = started - 1,
           agreed_days = agreed_days - (CAST(julianday(OLD.ends_on) - julianday(OLD.starts_on) AS INTEGER) + 1)
    WHERE OLD.handed_out_on IS NOT NULL AND region_code = OLD.region_code AND connectivity = OLD.connectivity
      AND month = substr(OLD.handed_out_on, 1, 7);
    UPDATE loan_month_counts SET ended = ended - 1
    WHERE OLD.handed_out_on IS NOT NULL AND OLD.returned_on IS NOT NULL
      AND region_code = OLD.region_code AND connectivity = OLD.connectivity
      AND month = max(substr(OLD.handed_out_on, 1, 7), strftime('%Y-%m', OLD.returned_on, 'start of month', '+1 month'));
    UPDATE loan_period_counts SET lent = lent - (OLD.handed_out_on IS NOT NULL), reserved = reserved - (OLD.state = 'reserved')
    WHERE region_code = OLD.region_code AND connectivity = OLD.connectivity
      AND period_from = substr(OLD.starts_on, 1, 7) AND period_to = substr(OLD.ends_on, 1, 7);
    INSERT INTO loan_month_counts (region_code, connectivity, month, started, agreed_days)
    SELECT NEW.region_code, NEW.connectivity, substr(NEW.handed_out_on, 1, 7), 1,
           CAST(julianday(NEW.ends_on) - julianday(NEW.starts_on) AS INTEGER) + 1
    WHERE NEW.handed_out_on IS NOT NULL
    ON CONFLICT (region_code, connectivity, month) DO UPDATE
        SET started = started + 1, agreed_days = agreed_days + excluded.agreed_days;
    INSERT INTO loan_month_counts (region_code, connectivity, month, ended)
    SELECT NEW.region_code, NEW.connectivity,
           max(substr(NEW.handed_out_on, 1, 7), strftime('%Y-%m', NEW.returned_on, 'start of month', '+1 month')), 1
    WHERE NEW.handed_out_on IS NOT NULL AND NEW.returned_on IS NOT NULL
    ON CONFLICT (region_code, connectivity, month) DO UPDATE SET ended = ended + 1;
    INSERT INTO loan_period_counts (region_code, connectivity, period_from, period_to, lent, reserved)
    SELECT NEW.region_code, NEW.connectivity, substr(NEW.starts_on, 1, 7), substr(NEW.ends_on, 1, 7),
           NEW.handed_out_on IS NOT NULL, NEW.state = 'reserved'
    WHERE NEW.handed_out_on IS NOT NULL OR NEW.state = 'reserved'
    ON CONFLICT (region_code, connectivity, period_from, period_to) DO UPDATE
        SET lent = lent + excluded.lent, reserved = reserved + excluded.reserved;
END;
-- +goose StatementEnd

-- +goose Down
-- Forward-only.
