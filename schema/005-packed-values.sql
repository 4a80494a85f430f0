-- obl store, schema version 5. A series' values packed into blocks of binary64 instead of one
-- `sample` row per value: 8 bytes a value on disk instead of ~17, one insert per block
-- instead of one row per value, and a series read back as a few blobs. The `samples` view
-- still shows one row per value, decoded in SQL, exactly. store.c moves the values of an
-- older store from `sample` into `sample_block` in the same transaction, then drops `sample`
-- and series.first_sample (see obl-schema(5)).

-- The values of series series_id, in order: the block at `start` holds values start + 1 ..
-- start + length(data) / 8 of the series (seq in `samples`), 8 bytes each, an IEEE 754
-- binary64 in little-endian byte order. A block holds 1 to 504 values (4032 bytes: 16 blocks
-- fill a 64 KiB page, one a 4 KiB page, so that no value spills to an overflow page and the
-- view below reads a few KiB per value). The blocks of a series follow each other from start 0
-- and their lengths add up to series.count; a series without values has none.
CREATE TABLE sample_block (
	series_id INTEGER NOT NULL REFERENCES series(id),
	start     INTEGER NOT NULL,            -- values before this block in the series
	data      BLOB NOT NULL                -- length(data) / 8 values, little-endian binary64
);
CREATE UNIQUE INDEX sample_block_by_series ON sample_block(series_id, start);

-- One row per value, as before: the blocks decoded in SQL (sign, exponent and fraction from
-- the hexadecimal of each 8 bytes; (1 + f / 2^52) * 2^(e - 1023) is exact in binary64, as are
-- subnormals f * 2^-1074, zeros of either sign and infinities). Needs SQLite's power(), there
-- since 3.35 when built with math functions (as Debian's and most distributions' are). The
-- joins are CROSS JOINs so that rows come series by series (in the order they were stored),
-- each in order of seq, whatever the query filters on: a series' tables are looked up once
-- and its blocks read only when its run, scenario and metric match.
DROP VIEW samples;
CREATE VIEW samples AS
WITH RECURSIVE pos(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM pos WHERE i < 503)
SELECT r.label          AS run,
       sc.canonical     AS scenario,
       m.name           AS metric,
       m.unit           AS unit,
       t.repetition     AS repetition,
       b.start + pos.i + 1 AS seq,
       (SELECT CASE WHEN e = 2047 THEN (CASE WHEN f = 0 THEN 1e999 END)
                    WHEN e = 0 THEN f * power(2, -1074)
                    ELSE (1 + f / 4503599627370496.0) * power(2, e - 1023) END
               * (1 - 2 * negative)
        FROM (SELECT ((instr('0123456789ABCDEF', substr(h, 15, 1)) - 1) & 7) * 256 + (instr('0123456789ABCDEF', substr(h, 16, 1)) - 1) * 16 + (instr('0123456789ABCDEF', substr(h, 13, 1)) - 1) AS e,
		       ((instr('0123456789ABCDEF', substr(h, 14, 1)) - 1) << 48)
		       + ((instr('0123456789ABCDEF', substr(h, 11, 1)) - 1) << 44)
		       + ((instr('0123456789ABCDEF', substr(h, 12, 1)) - 1) << 40)
		       + ((instr('0123456789ABCDEF', substr(h, 9, 1)) - 1) << 36)
		       + ((instr('0123456789ABCDEF', substr(h, 10, 1)) - 1) << 32)
		       + ((instr('0123456789ABCDEF', substr(h, 7, 1)) - 1) << 28)
		       + ((instr('0123456789ABCDEF', substr(h, 8, 1)) - 1) << 24)
		       + ((instr('0123456789ABCDEF', substr(h, 5, 1)) - 1) << 20)
		       + ((instr('0123456789ABCDEF', substr(h, 6, 1)) - 1) << 16)
		       + ((instr('0123456789ABCDEF', substr(h, 3, 1)) - 1) << 12)
		       + ((instr('0123456789ABCDEF', substr(h, 4, 1)) - 1) << 8)
		       + ((instr('0123456789ABCDEF', substr(h, 1, 1)) - 1) << 4)
		       + ((instr('0123456789ABCDEF', substr(h, 2, 1)) - 1) << 0) AS f,
		       instr('89ABCDEF', substr(h, 15, 1)) > 0 AS negative
	      FROM (SELECT hex(substr(b.data, 8 * pos.i + 1, 8)) AS h LIMIT 1) LIMIT 1)
       ) AS value,
       src.path         AS source
FROM series se
CROSS JOIN trial t        ON t.id = se.trial_id
CROSS JOIN run r          ON r.id = t.run_id
CROSS JOIN scenario sc    ON sc.id = t.scenario_id
CROSS JOIN metric m       ON m.id = se.metric_id
CROSS JOIN source src     ON src.id = t.source_id
CROSS JOIN sample_block b ON b.series_id = se.id
CROSS JOIN pos            ON pos.i < length(b.data) / 8;
