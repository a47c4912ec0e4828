DROP TABLE t_drop;
