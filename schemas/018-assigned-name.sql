-- aiproj store schema, migration 018: the name an assignment was made to.
-- `person rename` and `person merge` move a person's assignments to the
-- name they keep (the role is still theirs, since when it was given), but
-- the event feed and the log must go on saying who was assigned then: an
-- event never changes.  assigned_name keeps the name the assignment was
-- made to, written once by the first rename or merge that moves it (NULL:
-- the name is still `person`).
ALTER TABLE assignment ADD COLUMN assigned_name TEXT;
