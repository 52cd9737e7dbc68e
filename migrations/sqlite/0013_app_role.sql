-- Twin of postgres/0013_app_role.sql: SQLite has no roles (the file's permissions
-- are its access control), so nothing changes here.
SELECT 1;
