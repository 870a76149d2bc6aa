-- +goose Up
-- The database itself keeps a device from being lent by a path that skips the
-- state table: only a device in stock can go on loan, so a spare-pool device
-- (or one in repair, lost, ...) never can, whatever code runs the UPDATE.
-- SQLSTATE 23000 (integrity_constraint_violation) maps to a conflict.
-- +goose StatementBegin
CREATE FUNCTION devices_state_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.state = 'on_loan' AND OLD.state <> 'in_stock' THEN
        RAISE EXCEPTION 'only a device in stock can be handed out' USING ERRCODE = '23000';
    END IF;
    IF TG_OP = 'INSERT' AND NEW.state IN ('on_loan', 'in_transit', 'quarantine') THEN
        RAISE EXCEPTION 'a new device cannot start on loan, in transit or in quarantine' USING ERRCODE = '23000';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER devices_lent_only_from_stock BEFORE UPDATE OF state ON devices
    FOR EACH ROW EXECUTE FUNCTION devices_state_guard();
CREATE TRIGGER devices_created_at_rest BEFORE INSERT ON devices
    FOR EACH ROW EXECUTE FUNCTION devices_state_guard();

-- +goose Down
-- Forward-only.
