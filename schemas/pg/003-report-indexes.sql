-- aiproj store schema, version 3 (PostgreSQL): the indexes of
-- schemas/003-report-indexes.sql, which let the portfolio reports read each
-- project's rows without touching unrelated ones.

-- criteria of a stage, with their state, from the index alone
DROP INDEX criterion_stage;
CREATE INDEX criterion_stage ON criterion (project_id, stage, done);

-- approvals of the current epoch and stage, from the index alone
DROP INDEX approval_project;
CREATE INDEX approval_project ON approval (project_id, epoch, stage);

-- back-jumps are counted without reading every transition
CREATE INDEX transition_back ON transition (project_id) WHERE kind = 'back';
