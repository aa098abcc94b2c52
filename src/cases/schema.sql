-- chokepoint case store schema (alerts, dispositions, good-guy list, audit chain).
--
-- Written in the common subset of SQLite and PostgreSQL so that the same file
-- can create the PostgreSQL store later: no auto-increment columns (the store
-- assigns ids inside its write transaction), BIGINT/TEXT/DOUBLE PRECISION
-- types, times as ISO 8601 UTC text ('2026-03-01T12:00:00Z') plus BIGINT Unix
-- seconds where the store compares times, enumerations as CHECK constraints.
-- Connection settings (SQLite: WAL, synchronous=FULL, foreign_keys) are set by
-- the store, not here. Every statement is idempotent (IF NOT EXISTS).
-- See docs/cases.md.
--
-- Schema version 2 (schema_version row). This file creates the newest schema;
-- an older store is brought up to date by the migration steps in
-- src/cases/store.c (version 1 -> 2: ALTER TABLE alerts ADD COLUMN rule,
-- hit_kind, hit_field, rule_score, rule_hits). Change both together.

CREATE TABLE IF NOT EXISTS schema_version (
    version     BIGINT NOT NULL
);

-- One alert per (screened transaction, party / list entity pair) that asked
-- for REVIEW or BLOCK and was not suppressed, or per transaction whose
-- REVIEW/BLOCK came from goods, route or rule hits (party and entity NULL).
-- score is the party's name score (party alerts) or the message score (goods,
-- route and rule alerts). rule .. rule_hits say which policy rule(s) asked for
-- the alert: rule = the rule names joined by ', ' (first the deciding one);
-- hit_kind, hit_field, rule_score = kind, message field and own score of the
-- deciding hit (the highest action, then the highest score); rule_hits = a
-- JSON array of every hit the alert stands for:
-- [{"kind","field","value","rule","score","action","reason"}]. NULL in alerts
-- recorded before version 2 (their result still holds every hit).
CREATE TABLE IF NOT EXISTS alerts (
    id              BIGINT PRIMARY KEY,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    message_id      TEXT,
    status          TEXT NOT NULL CHECK (status IN ('open', 'pending_confirmation', 'closed', 'escalated')),
    decision        TEXT NOT NULL CHECK (decision IN ('REVIEW', 'BLOCK')),
    score           DOUBLE PRECISION NOT NULL,
    party           TEXT,
    party_key       TEXT,
    entity_id       TEXT,
    entity_name     TEXT,
    entity_hash     TEXT,
    list_version    TEXT,
    lists           TEXT NOT NULL,
    policy          TEXT NOT NULL,
    result          TEXT NOT NULL,
    outcome         TEXT CHECK (outcome IS NULL OR outcome IN ('true_match', 'false_positive')),
    closed_at       TEXT,
    rule            TEXT,
    hit_kind        TEXT CHECK (hit_kind IS NULL OR hit_kind IN ('party', 'goods', 'route', 'rule')),
    hit_field       TEXT,
    rule_score      DOUBLE PRECISION,
    rule_hits       TEXT
);
CREATE INDEX IF NOT EXISTS alerts_status ON alerts (status, id);

CREATE TABLE IF NOT EXISTS dispositions (
    id          BIGINT PRIMARY KEY,
    alert_id    BIGINT NOT NULL REFERENCES alerts (id),
    user_name   TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('screener', 'analyst', 'checker', 'admin')),
    decision    TEXT NOT NULL CHECK (decision IN ('true_match', 'false_positive', 'escalate')),
    step        TEXT NOT NULL CHECK (step IN ('proposal', 'confirmation', 'escalation')),
    comment     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dispositions_alert ON dispositions (alert_id, id);

-- Good-guy list: a confirmed false positive for (party_key, entity_id).
-- Active while expires_at > now, ended_at IS NULL and the list entity still
-- has entity_hash.
CREATE TABLE IF NOT EXISTS suppressions (
    id              BIGINT PRIMARY KEY,
    party           TEXT NOT NULL,
    party_key       TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    entity_hash     TEXT NOT NULL,
    list_version    TEXT,
    alert_id        BIGINT NOT NULL REFERENCES alerts (id),
    proposed_by     TEXT NOT NULL,
    confirmed_by    TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      BIGINT NOT NULL,
    ended_at        TEXT,
    end_reason      TEXT,
    hits            BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS suppressions_pair ON suppressions (party_key, entity_id);

-- Append-only, hash-chained audit log. hash = SHA-256(prev_hash || "\n" ||
-- canonical record); the canonical record is the compact JSON array
-- [seq, at, actor, action, object, detail]. audit_head holds the last seq and
-- hash so that deleting the newest records is also detected.
CREATE TABLE IF NOT EXISTS audit (
    seq         BIGINT PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    object      TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_head (
    id          BIGINT PRIMARY KEY CHECK (id = 1),
    seq         BIGINT NOT NULL,
    hash        TEXT NOT NULL
);
