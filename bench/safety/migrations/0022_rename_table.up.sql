ALTER TABLE t_rename RENAME TO t_renamed;
