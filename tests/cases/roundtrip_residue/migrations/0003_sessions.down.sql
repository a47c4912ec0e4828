-- The down migration drops the wrong table.
DROP TABLE session;
