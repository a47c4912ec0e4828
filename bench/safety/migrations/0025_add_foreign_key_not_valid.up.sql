SET lock_timeout = '2s';
ALTER TABLE t_fk_nv ADD CONSTRAINT t_fk_nv_ref FOREIGN KEY (ref) REFERENCES t_index (id) NOT VALID;
