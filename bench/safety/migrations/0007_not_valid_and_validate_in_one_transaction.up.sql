SET lock_timeout = '2s';
ALTER TABLE t_check_same_tx ADD CONSTRAINT t_check_same_tx_a CHECK (a > 0) NOT VALID;
ALTER TABLE t_check_same_tx VALIDATE CONSTRAINT t_check_same_tx_a;
