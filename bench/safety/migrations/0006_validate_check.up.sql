ALTER TABLE t_check_nv VALIDATE CONSTRAINT t_check_nv_a;
