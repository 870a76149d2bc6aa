-- +goose Up
-- The database itself keeps a device from being lent by a path that skips the
-- state table: only a device in stock can go on loan, so a spare-pool device
-- (or one in repair, lost, ...) never can, whatever code runs the UPDATE.
-- +goose StatementBegin
CREATE TRIGGER devices_lent_only_from_stock BEFORE UPDATE OF state ON devices
WHEN NEW.state = 'on_loan' AND OLD.state <> 'in_stock'
BEGIN
    SELECT RAISE(ABORT, 'only a device in stock can be handed out');
END;
-- +goose StatementEnd

-- A new device starts where a delivery or the ICT team puts it; it is never
-- created on loan, in transit or in quarantine.
-- +goose StatementBegin
CREATE TRIGGER devices_created_at_rest BEFORE INSERT ON devices
WHEN NEW.state IN ('on_loan', 'in_transit', 'quarantine')
BEGIN
    SELECT RAISE(ABORT, 'a new device cannot start on loan, in transit or in quarantine');
END;
-- +goose StatementEnd

-- +goose Down
-- Forward-only.
