ALTER TABLE t_varchar ALTER COLUMN a TYPE varchar(100);
