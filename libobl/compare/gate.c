/*
 * gate.c - the gate's decision: whether a comparison fails (a gating row worse, or with
 * --strict a gating row inconclusive), which is the tools' exit status.
 */
#include "compare.h"

#include <math.h>

int obl_rows_regressed(const struct obl_comparison *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].presence == OBL_PAIRED && rows[i].gating &&
		    rows[i].verdict == OBL_VERDICT_WORSE)
			return 1;
	return 0;
}

int obl_gate_fails(const struct obl_comparison *rows, size_t n, int strict)
{
	if (obl_rows_regressed(rows, n))
		return 1;
	for (size_t i = 0; strict && i < n; i++)
		if (rows[i].presence == OBL_PAIRED && rows[i].gating &&
		    rows[i].verdict == OBL_VERDICT_INCONCLUSIVE)
			return 1;
	return 0;
}

int obl_gate_cannot_fail(const struct obl_comparison *rows, size_t n)
{
	size_t gating = 0, hopeless = 0;
	for (size_t i = 0; i < n; i++)
		if (rows[i].presence == OBL_PAIRED && rows[i].gating && !isnan(rows[i].p_value) &&
		    !rows[i].dependent && !rows[i].no_variance) {
			gating++;
			hopeless += rows[i].cannot_reject;
		}
	return gating > 0 && hopeless == gating;
}
