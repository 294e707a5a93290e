-- One row per public API request and one per upstream attempt. Request ids
-- are time-ordered ("req_" + hex milliseconds + random), so the primary key
-- is also the time order: filters are (column, request_id) indexes and a
-- time range is a request_id range. Bodies live apart, so that scans of the
-- usage table stay small and payload retention can differ.
CREATE TABLE usage_records (
    request_id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    user_id TEXT,
    key_id TEXT,
    project_id TEXT,
    family TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    model TEXT,
    upstream_model TEXT,
    channel_id TEXT,
    status INTEGER NOT NULL,
    error_code TEXT,
    error_message TEXT,
    stream INTEGER NOT NULL DEFAULT 0,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cached_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    reasoning_tokens INTEGER NOT NULL DEFAULT 0,
    estimated INTEGER NOT NULL DEFAULT 0,
    latency_ms INTEGER NOT NULL DEFAULT 0,
    ttfb_ms INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    finish_reason TEXT,
    cut_reason TEXT,
    delivered_bytes INTEGER NOT NULL DEFAULT 0,
    delivered_chars INTEGER NOT NULL DEFAULT 0,
    credits INTEGER NOT NULL DEFAULT 0,
    upstream_cost INTEGER NOT NULL DEFAULT 0,
    prices TEXT,
    upstream_request_id TEXT,
    client_ip TEXT,
    user_agent TEXT
);
CREATE INDEX usage_records_user ON usage_records(user_id, request_id);
CREATE INDEX usage_records_key ON usage_records(key_id, request_id);
CREATE INDEX usage_records_model ON usage_records(model, request_id);
CREATE INDEX usage_records_status ON usage_records(status, request_id);
CREATE INDEX usage_records_created ON usage_records(created_at);

CREATE TABLE usage_attempts (
    request_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    channel_id TEXT NOT NULL,
    model TEXT,
    upstream_model TEXT,
    status INTEGER NOT NULL DEFAULT 0,
    error_class TEXT NOT NULL,
    error_message TEXT,
    latency_ms INTEGER NOT NULL DEFAULT 0,
    ttfb_ms INTEGER,
    upstream_request_id TEXT,
    PRIMARY KEY (request_id, attempt)
);
CREATE INDEX usage_attempts_channel ON usage_attempts(channel_id, started_at);

CREATE TABLE usage_payloads (
    request_id TEXT PRIMARY KEY,
    request_body TEXT,
    response_body TEXT,
    request_truncated INTEGER NOT NULL DEFAULT 0,
    response_truncated INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX usage_payloads_created ON usage_payloads(created_at);
