-- Request ids are time-ordered, so a time range of usage rows or payloads is
-- a request_id range: the created_at indexes only cost every insert.
DROP INDEX usage_records_created;
DROP INDEX usage_payloads_created;
