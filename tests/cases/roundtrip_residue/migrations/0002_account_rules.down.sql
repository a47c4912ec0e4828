-- Reverts the plan column only: the index, the status default and the
-- CHECK constraint are left behind (roundtrip must report exactly those).
ALTER TABLE accounts DROP COLUMN plan;
