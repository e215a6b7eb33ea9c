-- Sign-ups, their confirmation tokens, the email outbox and the embedded mailbox.
-- One schema for SQLite and PostgreSQL: only TEXT and BIGINT columns, so the same SQL (through
-- sqlx's Any driver) reads and writes both. Times are Unix microseconds (UTC).

CREATE TABLE signups (
    id TEXT PRIMARY KEY NOT NULL,
    -- As normalised by the form's parser (domain in lower-case ASCII); shown and mailed to.
    email TEXT NOT NULL,
    -- The whole address in lower case: one sign-up per mailbox, however it was typed.
    email_key TEXT NOT NULL UNIQUE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    -- E.164
    phone TEXT NOT NULL,
    address TEXT NOT NULL,
    address2 TEXT NOT NULL,
    city TEXT NOT NULL,
    state TEXT NOT NULL,
    zip TEXT NOT NULL,
    -- pending_confirmation | confirmed
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    confirmed_at BIGINT
);

-- Only the SHA-256 of a token is kept: the token itself exists in the email alone.
CREATE TABLE confirmation_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    signup_id TEXT NOT NULL REFERENCES signups (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX confirmation_tokens_by_signup ON confirmation_tokens (signup_id);

-- The outbox: a row per email to send, written in the sign-up's transaction. The message is
-- composed when it is sent, from the sign-up as it is then, so no body (and no token) waits here.
CREATE TABLE email_outbox (
    id TEXT PRIMARY KEY NOT NULL,
    signup_id TEXT NOT NULL REFERENCES signups (id) ON DELETE CASCADE,
    -- queued | sent | failed
    state TEXT NOT NULL,
    -- Claims so far; a claim counts even if its worker died before finishing.
    attempts BIGINT NOT NULL,
    -- Not before this time (backoff).
    run_at BIGINT NOT NULL,
    -- The worker holding the job, until lease_until; an expired lease may be taken again.
    lease_owner TEXT,
    lease_until BIGINT,
    -- Why the last attempt failed, as a class and an SMTP code: never the server's text.
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX email_outbox_due ON email_outbox (state, run_at);
CREATE INDEX email_outbox_by_signup ON email_outbox (signup_id);

-- What vouch would have sent, when no SMTP server is configured.
CREATE TABLE mailbox (
    id TEXT PRIMARY KEY NOT NULL,
    job_id TEXT NOT NULL UNIQUE,
    signup_id TEXT NOT NULL REFERENCES signups (id) ON DELETE CASCADE,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX mailbox_newest ON mailbox (created_at);
