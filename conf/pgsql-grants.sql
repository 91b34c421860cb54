-- The privileges of a PostgreSQL role that runs mod_seances_auth but owns nothing (README,
-- "Running several servers"). The tables belong to the role that ran "seances-admin init",
-- which also runs init and migrate later. As that owner (or a superuser), in the database:
--
--     psql -v role=seances_web -f conf/pgsql-grants.sql "host=db.example.ch dbname=seances user=seances"
--
-- Run it again after a migration that adds a table or a sequence.
GRANT USAGE ON SCHEMA public TO :"role";
GRANT SELECT ON schema_version TO :"role";
GRANT SELECT, INSERT, UPDATE, DELETE
    ON users, sessions, login_events, throttle, grants, recovery_codes, login_pending,
       reset_tokens
    TO :"role";
GRANT USAGE ON SEQUENCE users_id_seq, login_events_id_seq, recovery_codes_id_seq TO :"role";
