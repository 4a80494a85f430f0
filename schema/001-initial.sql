-- obl store, schema version 1 (PRAGMA user_version = 1). See obl-schema(5).
-- A run is one campaign of one configuration; a trial one repetition of a scenario in it;
-- a series the values of one metric in one trial. Values live in `sample`, one row each,
-- in order, at rowids first_sample .. first_sample + count - 1 of their series.

CREATE TABLE run (
	id      INTEGER PRIMARY KEY,
	label   TEXT NOT NULL UNIQUE,          -- e.g. baseline, awq
	created TEXT NOT NULL                  -- UTC time of the first ingest into the run
);

CREATE TABLE run_tag (
	run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
	key    TEXT NOT NULL,                  -- model, engine, quant, gpu, git_sha, ...
	value  TEXT NOT NULL,
	PRIMARY KEY (run_id, key)
) WITHOUT ROWID;

CREATE TABLE scenario (
	id        INTEGER PRIMARY KEY,
	canonical TEXT NOT NULL UNIQUE         -- keys sorted: "concurrency=8;input_len=64;output_len=128"
);

CREATE TABLE scenario_key (
	scenario_id INTEGER NOT NULL REFERENCES scenario(id) ON DELETE CASCADE,
	key         TEXT NOT NULL,
	value       TEXT NOT NULL,
	PRIMARY KEY (scenario_id, key)
) WITHOUT ROWID;

CREATE TABLE metric (
	id        INTEGER PRIMARY KEY,
	name      TEXT NOT NULL UNIQUE,        -- ttft_ms, output_throughput_tok_s, ...
	unit      TEXT NOT NULL,
	direction TEXT NOT NULL CHECK (direction IN ('lower', 'higher', 'none')),
	kind      TEXT NOT NULL CHECK (kind IN ('sample', 'aggregate', 'proportion'))
);

CREATE TABLE source (
	id       INTEGER PRIMARY KEY,
	path     TEXT NOT NULL,                -- as given to obl-ingest
	sha256   TEXT NOT NULL UNIQUE,         -- the same content is ingested once
	format   TEXT NOT NULL,
	size     INTEGER NOT NULL,             -- bytes
	ingested TEXT NOT NULL,                -- UTC time
	run_id   INTEGER NOT NULL REFERENCES run(id)
);

CREATE TABLE trial (
	id          INTEGER PRIMARY KEY,
	run_id      INTEGER NOT NULL REFERENCES run(id),
	scenario_id INTEGER NOT NULL REFERENCES scenario(id),
	source_id   INTEGER NOT NULL REFERENCES source(id),
	repetition  INTEGER NOT NULL           -- 1, 2, ... per run, scenario and metric: files
	                                       -- with different metrics (a GPU log, a load-time
	                                       -- record) can share a repetition
);
CREATE INDEX trial_by_run_scenario ON trial(run_id, scenario_id);

CREATE TABLE series (
	id           INTEGER PRIMARY KEY,
	trial_id     INTEGER NOT NULL REFERENCES trial(id),
	metric_id    INTEGER NOT NULL REFERENCES metric(id),
	first_sample INTEGER,                  -- rowid in sample of the first value (NULL: none)
	count        INTEGER NOT NULL,         -- number of values
	successes    REAL,                     -- proportions known only as counts
	trials       REAL,
	UNIQUE (trial_id, metric_id)
);

CREATE TABLE sample (
	value REAL NOT NULL
);

-- One row per value, with everything needed to read it: the documented way to query.
CREATE VIEW samples AS
SELECT r.label          AS run,
       sc.canonical     AS scenario,
       m.name           AS metric,
       m.unit           AS unit,
       t.repetition     AS repetition,
       s.rowid - se.first_sample + 1 AS seq,
       s.value          AS value,
       src.path         AS source
FROM series se
JOIN trial t      ON t.id = se.trial_id
JOIN run r        ON r.id = t.run_id
JOIN scenario sc  ON sc.id = t.scenario_id
JOIN metric m     ON m.id = se.metric_id
JOIN source src   ON src.id = t.source_id
JOIN sample s     ON s.rowid BETWEEN se.first_sample AND se.first_sample + se.count - 1;

-- Proportions known as counts (e.g. accuracy of an evaluation), one row per trial.
CREATE VIEW tallies AS
SELECT r.label AS run, sc.canonical AS scenario, m.name AS metric, t.repetition AS repetition,
       se.successes AS successes, se.trials AS trials
FROM series se
JOIN trial t     ON t.id = se.trial_id
JOIN run r       ON r.id = t.run_id
JOIN scenario sc ON sc.id = t.scenario_id
JOIN metric m    ON m.id = se.metric_id
WHERE se.successes IS NOT NULL;
