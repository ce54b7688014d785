/*
 * engine_buy.c - the buy path: "The outcome of this stage is a BUY/MAKE
 * decision."  A bought product still has to be connected to the system
 * and put in production, so a buy moves the project on to the lifecycle's
 * on_buy stage; with on_buy close it closes the project as bought.
 */
#include <string.h>

#include "aiproj/engine.h"

void
eng_decide_outcome(const struct lifecycle *lc, const struct eng_project *p,
		   int kind, const char *reason, struct eng_decided *out)
{
	memset(out, 0, sizeof(*out));
	out->to = -1;
	out->ch.to = p->status;
	if (kind != DK_BUY)
		return;
	if (lc->on_buy > p->stage && (size_t)lc->on_buy < lc->nstages) {
		out->to = lc->on_buy;
		return;
	}
	out->closes = 1;
	out->ch.to = PS_CLOSED;
	out->ch.reason = reason;
	out->ch.outcome = "bought";
}

int
eng_skipped(const char *kind, int from, int to, int *first)
{
	*first = from + 1;
	if (!kind || strcmp(kind, "buy") != 0 || from < 0 || to <= from + 1)
		return 0;
	return to - from - 1;
}
