-- mod_seances_auth schema for sqlite3, version 6.
-- Times are seconds since the Unix epoch. Secrets are stored only as hashes
-- (sessions, reset tokens, recovery codes) or encrypted (TOTP secrets).
-- Applied by "seances-admin init" to a new database, which also records the version;
-- an older database is brought here by the numbered migrations of src/core/schema.c.
CREATE TABLE IF NOT EXISTS schema_version (
    version     INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE,
    name_key      TEXT NOT NULL UNIQUE,  -- RFC 8265 UsernameCaseMapped name: one account per spelling
    email         TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    disabled      INTEGER NOT NULL DEFAULT 0,
    totp_secret   TEXT NOT NULL DEFAULT '',  -- encrypted at rest, empty when 2FA is off
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    totp_enabled  INTEGER NOT NULL DEFAULT 0,
    created       INTEGER NOT NULL,
    password_changed INTEGER NOT NULL DEFAULT 0,
    totp_pending  TEXT NOT NULL DEFAULT '',  -- encrypted, an enrolment not confirmed yet
    totp_pending_created INTEGER NOT NULL DEFAULT 0,
    lang          TEXT NOT NULL DEFAULT ''  -- fr, de, it or en: the mails' language
);
CREATE TABLE IF NOT EXISTS sessions (
    id_hash     TEXT PRIMARY KEY,            -- SHA-256 of the session id in the cookie
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created     INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    expires     INTEGER NOT NULL,            -- absolute end of the session
    remember    INTEGER NOT NULL DEFAULT 0,  -- "Rester connecté"
    level       INTEGER NOT NULL DEFAULT 1,  -- 1 password, 2 password and TOTP
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
CREATE INDEX IF NOT EXISTS sessions_expires ON sessions(expires);
CREATE TABLE IF NOT EXISTS login_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    time        INTEGER NOT NULL,
    user_id     INTEGER,                     -- NULL for unknown user names
    username    TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT '',
    result      TEXT NOT NULL,               -- ok, bad_password, ..., bad_code, totp_enabled: see README
    factor      TEXT NOT NULL DEFAULT 'password'
);
CREATE INDEX IF NOT EXISTS login_events_user ON login_events(user_id, time);
CREATE INDEX IF NOT EXISTS login_events_time ON login_events(time);
CREATE TABLE IF NOT EXISTS throttle (
    key          TEXT PRIMARY KEY,           -- "user:<name_key>" or "ip:<address>"
    failures     INTEGER NOT NULL DEFAULT 0,
    window_start INTEGER NOT NULL,
    banned_until INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS throttle_window ON throttle(window_start);
CREATE TABLE IF NOT EXISTS recovery_codes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash   TEXT NOT NULL,
    used        INTEGER NOT NULL DEFAULT 0   -- 0, or when it was used
);
CREATE INDEX IF NOT EXISTS recovery_codes_user ON recovery_codes(user_id);
CREATE TABLE IF NOT EXISTS login_pending (
    id_hash     TEXT PRIMARY KEY,            -- SHA-256 of the id in the pending-login cookie
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    step        TEXT NOT NULL,               -- what is owed after the password: code, enrol
    created     INTEGER NOT NULL,
    expires     INTEGER NOT NULL,
    tries       INTEGER NOT NULL DEFAULT 0,
    remember    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS reset_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created     INTEGER NOT NULL,
    expires     INTEGER NOT NULL,
    used        INTEGER NOT NULL DEFAULT 0,      -- 0, or when it was used
    tries       INTEGER NOT NULL DEFAULT 0,      -- wrong codes typed against it
    code_hash   TEXT NOT NULL DEFAULT ''     -- SHA-256 of the short code of the mail
);
CREATE INDEX IF NOT EXISTS reset_tokens_user ON reset_tokens(user_id);
CREATE TABLE IF NOT EXISTS grants (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    app         TEXT NOT NULL,
    PRIMARY KEY (user_id, app)
);
-- Security notices of events that seances-admin caused (it has no mail configuration): the
-- next server with mail takes each row and mails it, and a row nobody takes goes after two days.
CREATE TABLE IF NOT EXISTS notice_outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,               -- password_changed, totp_reset
    created     INTEGER NOT NULL             -- when the event happened
);
