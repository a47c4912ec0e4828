-- Written for a server where this runs outside a transaction; diesel would
-- fail here on `migration revert`, never on `migration run`.
DROP INDEX CONCURRENTLY notes_title_idx;
