-- The credits ledger: append-only postings whose sum is a user's balance,
-- and holds, which reduce what is available without moving money.
-- balances keeps each user's sum and open holds in one row, updated in the
-- same transaction as the posting or hold that changes them.
CREATE TABLE ledger_postings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL REFERENCES users(id),
    project_id TEXT,
    key_id TEXT,
    request_id TEXT,
    task_id TEXT,
    type TEXT NOT NULL,
    amount INTEGER NOT NULL,
    balance_after INTEGER NOT NULL,
    paid_by TEXT NOT NULL DEFAULT 'prepaid',
    reason TEXT NOT NULL DEFAULT '',
    idempotency_key TEXT,
    created_by TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX ledger_postings_user ON ledger_postings(user_id, id);
CREATE UNIQUE INDEX ledger_postings_idempotency ON ledger_postings(user_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX ledger_postings_request ON ledger_postings(request_id) WHERE request_id IS NOT NULL;

CREATE TABLE holds (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    project_id TEXT,
    key_id TEXT,
    request_id TEXT,
    task_id TEXT,
    amount INTEGER NOT NULL,
    opened_at INTEGER NOT NULL,
    closed_at INTEGER,
    outcome TEXT,
    charged INTEGER
);
CREATE INDEX holds_user ON holds(user_id, opened_at);
CREATE INDEX holds_open ON holds(closed_at) WHERE closed_at IS NULL;

CREATE TABLE balances (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    balance INTEGER NOT NULL DEFAULT 0,
    held INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);
