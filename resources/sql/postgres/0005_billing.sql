-- Billing and access control: who opened a hold (so that a restarted daemon
-- releases its own dead holds and no one else's), subscription allowances,
-- project budgets, plans, rate limits, key blocks and upstream cost rules.
ALTER TABLE holds ADD COLUMN owner TEXT;
ALTER TABLE holds ADD COLUMN model TEXT;
ALTER TABLE holds ADD COLUMN paid_by TEXT;
CREATE INDEX holds_owner_open ON holds(owner) WHERE closed_at IS NULL;

ALTER TABLE balances ADD COLUMN subscription_remaining BIGINT NOT NULL DEFAULT 0;
ALTER TABLE balances ADD COLUMN subscription_month TEXT;

CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    models TEXT NOT NULL DEFAULT '[]',
    billing_mode TEXT NOT NULL DEFAULT 'prepaid',
    monthly_allowance BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE project_spend (
    project_id TEXT NOT NULL,
    month TEXT NOT NULL,
    charged BIGINT NOT NULL DEFAULT 0,
    held BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, month)
);

CREATE TABLE rate_limits (
    id TEXT PRIMARY KEY,
    scope TEXT NOT NULL,
    target TEXT,
    rpm BIGINT,
    tpm BIGINT,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX rate_limits_scope ON rate_limits(scope, target);

CREATE TABLE key_blocks (
    id TEXT PRIMARY KEY,
    key_id TEXT,
    key_prefix TEXT,
    provider TEXT NOT NULL DEFAULT '*',
    reason TEXT NOT NULL DEFAULT '',
    created_by TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE cost_rules (
    id TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL,
    model_pattern TEXT NOT NULL,
    input_per_mtok BIGINT NOT NULL DEFAULT 0,
    output_per_mtok BIGINT NOT NULL DEFAULT 0,
    cache_read_per_mtok BIGINT NOT NULL DEFAULT 0,
    cache_write_per_mtok BIGINT NOT NULL DEFAULT 0,
    per_request BIGINT NOT NULL DEFAULT 0,
    per_image BIGINT NOT NULL DEFAULT 0,
    per_second BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX cost_rules_channel ON cost_rules(channel_id);
