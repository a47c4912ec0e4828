DROP TABLE run_log;
DROP TABLE items;
