/*
 * records.h - turning flat records (a JSON object per line, a CSV row) into a batch, shared
 * by the generic JSON and CSV readers so both follow the same rules:
 *  - fields named like scenario keys (input_len, output_len, concurrency, request_rate,
 *    dataset, batch_size, scenario) and columns mapped with --column COL=@KEY form the
 *    scenario; records with the same scenario are one trial;
 *  - "label" / "run" names the run; other text fields are tags when constant;
 *  - every other numeric field is a metric: one value per record (a sample), or, for a
 *    file that is a single object, one value per file (an aggregate); its unit comes from
 *    its name's suffix (_ms, _s, _us, _ns, _tok_s, _req_s, _gib, _mib, _pct).
 */
#ifndef OBL_RECORDS_H
#define OBL_RECORDS_H

#include "model.h"
#include "reader.h"

struct obl_field {
	char *name;
	char *text; /* the value as text */
	int is_number;
	double number;
};

struct obl_record {
	struct obl_field *fields;
	size_t n;
	long line; /* where it starts, for messages */
};

struct obl_records {
	struct obl_record *items;
	size_t n;
	int single_object; /* the file was one object: values are aggregates */
};

int obl_record_add(struct obl_record *r, const char *name, const char *text, int is_number,
		   double number);
void obl_records_free(struct obl_records *rs);
/* Appends a new empty record; NULL when out of memory. */
struct obl_record *obl_records_new(struct obl_records *rs, long line);

/* Builds the batch from the records, applying the --column mappings in opt. */
OBL_MUST_CHECK int obl_records_to_batch(const struct obl_records *rs, const struct obl_read_options *opt,
					const char *path, struct obl_batch *b, struct obl_error *err);

#endif
