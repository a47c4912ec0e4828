-- Reverts 0004_files.up.sql
DROP TABLE file_uploads;
DROP TABLE files;
