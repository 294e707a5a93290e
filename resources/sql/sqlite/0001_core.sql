-- Identity, access and catalog: admin tokens, users, projects, API keys,
-- channels, models and their routes. Times are Unix milliseconds (UTC);
-- money and prices are integer micro-credits.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE admin_tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_by TEXT,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    plan TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    monthly_budget INTEGER,
    status TEXT NOT NULL DEFAULT 'active',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX projects_user ON projects(user_id);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    project_id TEXT REFERENCES projects(id),
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    models TEXT NOT NULL DEFAULT '[]',
    families TEXT NOT NULL DEFAULT '[]',
    scopes TEXT NOT NULL DEFAULT '[]',
    ip_allow TEXT NOT NULL DEFAULT '[]',
    rpm INTEGER,
    tpm INTEGER,
    max_concurrency INTEGER,
    store_payloads INTEGER,
    expires_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
);
CREATE INDEX api_keys_user ON api_keys(user_id);
CREATE INDEX api_keys_prefix ON api_keys(prefix);

CREATE TABLE channels (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    provider TEXT NOT NULL,
    base_url TEXT NOT NULL,
    secret_ciphertext TEXT,
    secret_ref TEXT,
    types TEXT NOT NULL DEFAULT '[]',
    priority INTEGER NOT NULL DEFAULT 0,
    weight INTEGER NOT NULL DEFAULT 1,
    timeout_ms INTEGER,
    enabled INTEGER NOT NULL DEFAULT 1,
    config TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE models (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    input_per_mtok INTEGER NOT NULL DEFAULT 0,
    output_per_mtok INTEGER NOT NULL DEFAULT 0,
    cache_read_per_mtok INTEGER NOT NULL DEFAULT 0,
    cache_write_per_mtok INTEGER NOT NULL DEFAULT 0,
    per_request INTEGER NOT NULL DEFAULT 0,
    per_image INTEGER NOT NULL DEFAULT 0,
    per_second INTEGER NOT NULL DEFAULT 0,
    fallback TEXT NOT NULL DEFAULT '{}',
    max_output_tokens INTEGER,
    enabled INTEGER NOT NULL DEFAULT 1,
    display_name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE model_routes (
    model_id TEXT NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    channel_id TEXT NOT NULL REFERENCES channels(id),
    upstream_model TEXT NOT NULL,
    priority INTEGER,
    weight INTEGER,
    PRIMARY KEY (model_id, position)
);
CREATE INDEX model_routes_channel ON model_routes(channel_id);
