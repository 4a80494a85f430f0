-- obl store, schema version 2. What obl-ingest warned about a file (e.g. a summary in the
-- file that disagrees with the values recomputed from its own raw arrays), so that a report
-- can say so long after the ingest's stderr is gone.

CREATE TABLE source_warning (
	source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
	message   TEXT NOT NULL
);
CREATE INDEX source_warning_by_source ON source_warning(source_id);
