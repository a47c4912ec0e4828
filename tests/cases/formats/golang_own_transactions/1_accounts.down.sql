DROP TABLE run_log;
DROP TABLE accounts;
