-- obl store on PostgreSQL, schema version 1 (the row of schema_version). See obl-schema(5).
-- The logical model of the SQLite store: a run is one campaign of one configuration; a trial
-- one repetition of a scenario in it; a series the values of one metric in one trial. A
-- series' values are one float8[] in order (the `samples` view expands them). Text sorts as
-- bytes (COLLATE "C"), as in SQLite, so that every listing is ordered the same on both
-- engines whatever the database's locale.

CREATE TABLE schema_version (
	version integer NOT NULL
);
INSERT INTO schema_version(version) VALUES (0);

CREATE TABLE run (
	id      bigserial PRIMARY KEY,
	label   text COLLATE "C" NOT NULL UNIQUE,   -- e.g. baseline, awq
	created text COLLATE "C" NOT NULL           -- UTC time of the first ingest into the run
);

CREATE TABLE run_tag (
	run_id bigint NOT NULL REFERENCES run(id) ON DELETE CASCADE,
	key    text COLLATE "C" NOT NULL,           -- model, engine, quant, gpu, git_sha, ...
	value  text COLLATE "C" NOT NULL,
	PRIMARY KEY (run_id, key)
);

CREATE TABLE scenario (
	id        bigserial PRIMARY KEY,
	canonical text COLLATE "C" NOT NULL UNIQUE  -- keys sorted: "concurrency=8;input_len=64"
);

CREATE TABLE scenario_key (
	scenario_id bigint NOT NULL REFERENCES scenario(id) ON DELETE CASCADE,
	key         text COLLATE "C" NOT NULL,
	value       text COLLATE "C" NOT NULL,
	PRIMARY KEY (scenario_id, key)
);

CREATE TABLE metric (
	id        bigserial PRIMARY KEY,
	name      text COLLATE "C" NOT NULL UNIQUE, -- ttft_ms, output_throughput_tok_s, ...
	unit      text COLLATE "C" NOT NULL,
	direction text NOT NULL CHECK (direction IN ('lower', 'higher', 'none')),
	kind      text NOT NULL CHECK (kind IN ('sample', 'aggregate', 'proportion'))
);

CREATE TABLE source (
	id       bigserial PRIMARY KEY,
	path     text COLLATE "C" NOT NULL,         -- as given to obl-ingest
	sha256   text NOT NULL UNIQUE,              -- the same content is ingested once
	format   text NOT NULL,
	size     bigint NOT NULL,                   -- bytes
	ingested text COLLATE "C" NOT NULL,         -- UTC time
	run_id   bigint NOT NULL REFERENCES run(id) ON DELETE CASCADE
);
CREATE INDEX source_by_run ON source(run_id);

CREATE TABLE source_tag (
	source_id bigint NOT NULL REFERENCES source(id) ON DELETE CASCADE,
	key       text COLLATE "C" NOT NULL,
	value     text COLLATE "C" NOT NULL,
	PRIMARY KEY (source_id, key)
);

CREATE TABLE source_warning (
	id        bigserial PRIMARY KEY,
	source_id bigint NOT NULL REFERENCES source(id) ON DELETE CASCADE,
	message   text COLLATE "C" NOT NULL
);
CREATE INDEX source_warning_by_source ON source_warning(source_id);

CREATE TABLE trial (
	id          bigserial PRIMARY KEY,
	run_id      bigint NOT NULL REFERENCES run(id) ON DELETE CASCADE,
	scenario_id bigint NOT NULL REFERENCES scenario(id),
	source_id   bigint NOT NULL REFERENCES source(id) ON DELETE CASCADE,
	repetition  integer NOT NULL                -- 1, 2, ... per run, scenario and metric
);
CREATE INDEX trial_by_run_scenario ON trial(run_id, scenario_id);
CREATE INDEX trial_by_source ON trial(source_id);

CREATE TABLE series (
	id        bigserial PRIMARY KEY,
	trial_id  bigint NOT NULL REFERENCES trial(id) ON DELETE CASCADE,
	metric_id bigint NOT NULL REFERENCES metric(id),
	count     integer NOT NULL,                 -- number of values
	successes float8,                           -- proportions known only as counts
	trials    float8,
	vals      float8[] NOT NULL,                -- the values, in order
	UNIQUE (trial_id, metric_id)
);
CREATE INDEX series_by_metric ON series(metric_id);

-- One row per value, with everything needed to read it: the documented way to query.
CREATE VIEW samples AS
SELECT r.label          AS run,
       sc.canonical     AS scenario,
       m.name           AS metric,
       m.unit           AS unit,
       t.repetition     AS repetition,
       v.seq            AS seq,
       v.value          AS value,
       src.path         AS source
FROM series se
JOIN trial t      ON t.id = se.trial_id
JOIN run r        ON r.id = t.run_id
JOIN scenario sc  ON sc.id = t.scenario_id
JOIN metric m     ON m.id = se.metric_id
JOIN source src   ON src.id = t.source_id
CROSS JOIN LATERAL unnest(se.vals) WITH ORDINALITY AS v(value, seq);

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
