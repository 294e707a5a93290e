-- Images an images/generations call produced, what per_image prices.
ALTER TABLE usage_records ADD COLUMN images INTEGER NOT NULL DEFAULT 0;
