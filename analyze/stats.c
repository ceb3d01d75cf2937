/*
 * stats.c - means, confidence intervals and the metric conventions of a
 * report (stats.h).
 *
 * The t quantiles are the two-sided 95% values of any statistics table
 * (e.g. NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.2, the
 * 0.975 column).  Beyond 30 degrees of freedom 1.96 + 2.4/df stays within
 * 0.002 of the exact value (2.021 at 40, 2.000 at 60, 1.980 at 120).
 */
#include "stats.h"

#include <math.h>
#include <string.h>

static const double t975[30] = {
	12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
	2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
	2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
};

double stats_t975(unsigned df)
{
	if (df == 0)
		return NAN;
	if (df <= 30)
		return t975[df - 1];
	return 1.96 + 2.4 / df;
}

void stats_of(const double *x, unsigned n, struct sample_stats *out)
{
	double sum = 0, sq = 0;
	for (unsigned i = 0; i < n; i++)
		sum += x[i];
	out->n = n;
	out->mean = n ? sum / n : NAN;
	out->sd = out->half = NAN;
	if (n < 2)
		return;
	for (unsigned i = 0; i < n; i++)
		sq += (x[i] - out->mean) * (x[i] - out->mean);
	out->sd = sqrt(sq / (n - 1));
	out->half = stats_t975(n - 1) * out->sd / sqrt((double)n);
}

int metric_is_time(const char *name)
{
	static const char *const ends[] = { "seconds", "_ns", "_cycles" };
	size_t n = name ? strlen(name) : 0;
	for (unsigned i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		size_t e = strlen(ends[i]);
		if (n >= e && strcmp(name + n - e, ends[i]) == 0)
			return 1;
	}
	return name && strstr(name, "latency") != NULL;
}

double metric_as_performance(double ratio, const char *metric_name)
{
	if (!(ratio > 0) || isinf(ratio))
		return NAN;
	return metric_is_time(metric_name) ? 1.0 / ratio : ratio;
}
