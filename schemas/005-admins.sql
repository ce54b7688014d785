-- aiproj store schema, version 5: the store's administrators.
-- Under `policy: roles` only an administrator changes the policy, imports,
-- creates, renames or deletes a project and adds or removes
-- administrators.  `init` makes its actor the first; `aiproj admin add`
-- and `admin remove` change the list.
--
-- A store made before this version did not record who ran `init`, so it
-- starts with none: while a store has no administrator, the first
-- `admin add` is allowed to anyone and is logged in the audit log
-- (docs/security.md).

CREATE TABLE admin (
	person   TEXT PRIMARY KEY,
	added_by TEXT NOT NULL,
	added_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
