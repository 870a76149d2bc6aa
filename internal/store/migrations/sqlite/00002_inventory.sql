-- +goose Up
-- Inventory: deliveries against plan, devices, and SIMs tracked as items of
-- their own. Dates are 'YYYY-MM-DD' text, which sorts as dates do.

-- A change's reason (a state transition, an override) is part of its audit row.
ALTER TABLE audit_log ADD COLUMN reason TEXT NOT NULL DEFAULT '';

CREATE TABLE deliveries (
    id            INTEGER PRIMARY KEY,
    reference     TEXT NOT NULL UNIQUE,
    supplier      TEXT NOT NULL,
    planned_on    TEXT NOT NULL,
    planned_count INTEGER NOT NULL CHECK (planned_count >= 0),
    arrived_on    TEXT,
    created_at    TEXT NOT NULL
);

-- How many devices of a delivery each region was promised.
CREATE TABLE delivery_allocations (
    delivery_id   INTEGER NOT NULL REFERENCES deliveries (id),
    region_code   TEXT NOT NULL REFERENCES regions (code),
    planned_count INTEGER NOT NULL CHECK (planned_count >= 0),
    PRIMARY KEY (delivery_id, region_code)
);

-- Serials received with a delivery that it never announced: kept to be
-- resolved with the supplier, not turned into devices without an asset tag.
CREATE TABLE delivery_unannounced (
    delivery_id INTEGER NOT NULL REFERENCES deliveries (id),
    serial      TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (delivery_id, serial)
);

CREATE TABLE devices (
    id           INTEGER PRIMARY KEY,
    asset_tag    TEXT NOT NULL UNIQUE,
    serial       TEXT NOT NULL UNIQUE,
    model        TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('chromebook', 'laptop')),
    connectivity TEXT NOT NULL CHECK (connectivity IN ('wifi', '4g')),
    region_code  TEXT NOT NULL REFERENCES regions (code),
    office_id    INTEGER REFERENCES offices (id),
    delivery_id  INTEGER REFERENCES deliveries (id),
    state        TEXT NOT NULL CHECK (state IN ('expected', 'in_stock', 'in_transit', 'on_loan', 'quarantine',
                                               'in_repair', 'lost', 'stolen', 'retired', 'spare')),
    -- The destination while in transit; NULL otherwise.
    transit_to   TEXT REFERENCES regions (code),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
-- The device list is paged by asset tag within the actor's region (keyset).
CREATE INDEX devices_region_tag ON devices (region_code, asset_tag);
-- Stock counts group by region, connectivity and state.
CREATE INDEX devices_region_state ON devices (region_code, connectivity, state);
CREATE INDEX devices_state_tag ON devices (state, asset_tag);
-- A delivery's page lists its devices and counts those received (an index-only count).
CREATE INDEX devices_delivery ON devices (delivery_id, state);
CREATE INDEX devices_office ON devices (office_id);

CREATE TABLE sims (
    id           INTEGER PRIMARY KEY,
    iccid        TEXT NOT NULL UNIQUE,
    phone        TEXT NOT NULL DEFAULT '',
    bundle_until TEXT,
    state        TEXT NOT NULL CHECK (state IN ('active', 'suspended', 'terminated')),
    device_id    INTEGER REFERENCES devices (id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
-- A device carries at most one SIM that is not terminated.
CREATE UNIQUE INDEX sims_one_per_device ON sims (device_id) WHERE device_id IS NOT NULL AND state <> 'terminated';
-- The list of bundles that end soon.
CREATE INDEX sims_bundle_until ON sims (bundle_until);

-- +goose Down
-- Forward-only.
