-- obl store, schema version 3. The tags each file carried, kept per file: run configuration
-- (model, quantization, engine, hardware: the same in every file of a run, and copied into
-- run_tag) and provenance (date, host, executable: allowed to differ between the files of a
-- run, so kept here only, never overwritten as a run tag).

CREATE TABLE source_tag (
	source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
	key       TEXT NOT NULL,
	value     TEXT NOT NULL,
	PRIMARY KEY (source_id, key)
) WITHOUT ROWID;
