-- Nearly every call ends 200, and a support search for 200s is a walk back
-- along request_id that matches almost every row: the status index only has
-- to find the rest. Queries for another status say `status <> 200` so that
-- the planner may use it.
DROP INDEX usage_records_status;
CREATE INDEX usage_records_status ON usage_records(status, request_id) WHERE status <> 200;
