/*
 * stats.h - the statistics of a report: the mean of a sample of runs and
 * its 95% confidence interval (Student's t), and which workload metrics
 * are times (lower is better).
 *
 * Contract: stats_of() takes n values (n may be 0) and fills n, mean,
 * the sample standard deviation and the half-width of the two-sided 95%
 * confidence interval of the mean, t(0.975, n-1) * sd / sqrt(n); sd and
 * half are NAN below two values (one run says nothing about spread), mean
 * is NAN for none.  No allocation.
 */
#ifndef ANALYZE_STATS_H
#define ANALYZE_STATS_H

struct sample_stats {
	unsigned n;
	double mean, sd, half;
};

void stats_of(const double *x, unsigned n, struct sample_stats *out);

/* The 0.975 quantile of Student's t with df degrees of freedom (df >= 1);
 * exact table to 30, then a Cornish-Fisher expansion (within 1e-7). */
double stats_t975(unsigned df);

/* True for a metric measured as a time (lower is better): names ending
 * in "seconds", "_ns" or "_cycles", or holding "latency" (the workloads'
 * conventions, workloads/README.md). */
int metric_is_time(const char *name);

/* A ratio of metric means (config / native) as performance, higher is
 * better: inverted for a time metric; NAN when not positive or not
 * finite (a native mean of 0). */
double metric_as_performance(double ratio, const char *metric_name);

#endif
