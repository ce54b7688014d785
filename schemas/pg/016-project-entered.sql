-- aiproj store schema (PostgreSQL), migration 016: the projects stuck
-- longest by an index, as schemas/016-project-entered.sql.
CREATE INDEX IF NOT EXISTS project_entered ON project (entered_at, name);
