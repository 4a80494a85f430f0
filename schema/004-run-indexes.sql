-- obl store, schema version 4. Indexes for reading a store of many runs run by run and file by
-- file: a run's files (source by run_id: a run's tags, which join its files' tags) and a
-- file's trials (trial by source_id: obl-ingest merging a database). Without them each lookup
-- scanned the whole table, and reading a history of 10 000 runs took a minute in lookups.

CREATE INDEX source_by_run ON source(run_id);
CREATE INDEX trial_by_source ON trial(source_id);
