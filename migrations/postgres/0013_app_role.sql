-- Two roles (issue 13). The owner (who runs these migrations) owns the schema; the
-- group role `staffroom_app` may read and write what the app needs, but may only
-- INSERT and SELECT audit rows: no UPDATE, DELETE or TRUNCATE of `audit_log`.
-- `staffroom db grant LOGIN_ROLE` puts the role staff connect as into the group.
-- Roles belong to the cluster: the group is created once (when the owner may create
-- roles; otherwise a notice says so and the README shows the one line to run), and
-- each database grants its own tables.
DO $$
DECLARE
    s text := quote_ident(current_schema());
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'staffroom_app') THEN
        IF (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            CREATE ROLE staffroom_app NOLOGIN;
        ELSE
            RAISE NOTICE 'staffroom_app was not created: % may not create roles (see the README)', current_user;
            RETURN;
        END IF;
    END IF;
    EXECUTE 'GRANT USAGE ON SCHEMA ' || s || ' TO staffroom_app';
    EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ' || s || ' TO staffroom_app';
    EXECUTE 'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ' || s || ' TO staffroom_app';
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM staffroom_app;
    -- Tables later migrations add are granted the same way (audit_log stays as above).
    EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA ' || s || ' GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO staffroom_app';
    EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA ' || s || ' GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO staffroom_app';
END
$$;
