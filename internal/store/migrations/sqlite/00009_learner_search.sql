-- +goose Up
-- Learner search at a million learners (issue 4, item 10). Every learner list
-- and search reads in the order (last_norm, first_norm, ref) and pages by that
-- key. With ref in the index, a page's keys come from the index alone and the
-- keyset seeks straight to its place; the indexes of 00004 lacked ref and are
-- replaced (each was a prefix of one below).
DROP INDEX learners_region_name;
DROP INDEX learners_last_norm;
DROP INDEX learners_first_norm;
-- The national list in name order, and the start of a last name.
CREATE INDEX learners_name ON learners (last_norm, first_norm, ref);
-- A regional list in the same order: regional roles see their region only.
CREATE INDEX learners_region_name ON learners (region_code, last_norm, first_norm, ref);
-- The start of a first name: its matches with their place in the list, and
-- the region to filter on, without reading the table.
CREATE INDEX learners_first_name ON learners (first_norm, last_norm, ref, region_code);

-- +goose Down
-- Forward-only.
