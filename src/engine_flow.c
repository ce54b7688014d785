/*
 * engine_flow.c - dates and flow over time: days overdue, time in a
 * visit, percentiles (no store, no I/O).
 */
#include "aiproj/engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"

/* *n: days since 1970-01-01 of a day YYYY-MM-DD (negative before it);
 * -1 when d is no day. */
static int
day_number(const char *d, long *n)
{
	char stamp[32];
	double t;

	if (!d || !date_valid(d))
		return -1;
	snprintf(stamp, sizeof(stamp), "%sT00:00:00.000Z", d);
	if (stamp_parse(stamp, &t))
		return -1;
	*n = (long)floor(t / 86400.0);
	return 0;
}

long
eng_days_overdue(const char *due, const char *today)
{
	long d, t;

	/* (no due date, the most common case: today is not read) */
	if (day_number(due, &d) || day_number(today, &t))
		return 0;
	return t <= d ? 0 : t - d;
}

int
eng_overdue(int status, const char *due, const char *today)
{
	return status != PS_CLOSED && eng_days_overdue(due, today) > 0;
}

void
eng_visit_time(double start, double end, const struct eng_status_at *ch,
	       size_t n, double *active, double *held)
{
	int status = PS_ACTIVE;
	double t = start;
	size_t i = 0;

	*active = *held = 0;
	for (; i < n && ch[i].at <= start; i++)
		status = ch[i].status;
	for (;; i++) {
		double until = i < n && ch[i].at < end ? ch[i].at : end;
		if (until > t) {
			if (status == PS_ACTIVE)
				*active += until - t;
			else if (status == PS_ON_HOLD)
				*held += until - t;
			t = until;
		}
		if (i >= n || ch[i].at >= end)
			break;
		status = ch[i].status;
	}
}

double
eng_percentile(const double *sorted, size_t n, int pct)
{
	size_t k;

	if (n == 0)
		return 0;
	if (pct < 1)
		pct = 1;
	if (pct > 100)
		pct = 100;
	k = ((size_t)pct * n + 99) / 100;
	return sorted[k ? k - 1 : 0];
}

static int
value_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void
eng_sort_values(double *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), value_cmp);
}
