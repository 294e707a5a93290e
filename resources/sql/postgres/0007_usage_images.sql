-- Images an images/generations call produced, what per_image prices.
ALTER TABLE usage_records ADD COLUMN images BIGINT NOT NULL DEFAULT 0;
