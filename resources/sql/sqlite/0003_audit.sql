-- Every admin change: who made it, what it touched, before and after.
-- Secrets never appear in before/after (channel secrets show as secret_set).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_token_id TEXT,
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL,
    resource TEXT NOT NULL,
    resource_id TEXT,
    request_id TEXT,
    before_json TEXT,
    after_json TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX audit_log_resource ON audit_log(resource, resource_id, id);
CREATE INDEX audit_log_created ON audit_log(created_at);
