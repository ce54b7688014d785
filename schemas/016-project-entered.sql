-- aiproj store schema, migration 016: the projects stuck longest by an
-- index.  `report status --sort -days --limit N` over projects that are
-- not closed walks it in order of entered_at (their days run from it to
-- now) until N pass the filter, instead of sorting every project (see
-- SD_SEL_STUCK in src/store_ops.h).
CREATE INDEX IF NOT EXISTS project_entered ON project (entered_at, name);
