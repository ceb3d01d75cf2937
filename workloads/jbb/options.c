/*
 * options.c - presets and parsing of the jbb command line (options.h).
 */
#include "options.h"

#include "warehouse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const jbb_config default_preset = {
	.warehouses = JBB_DEFAULT_WAREHOUSES,
	.txns = 6000,
	.heap_kb_default = 8192,
	.items = 5000,
	.customers = 300,
	.orders_kept = 300,
	.history_kept = 2000,
};

static const jbb_config small_preset = {
	.warehouses = JBB_DEFAULT_WAREHOUSES,
	.txns = 150,
	.heap_kb_default = 512,
	.items = 400,
	.customers = 20,
	.orders_kept = 20,
	.history_kept = 100,
};

static int parse_number(const char *opt, const char *text, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end = NULL;
	unsigned long long v = text ? strtoull(text, &end, 10) : 0;
	if (!text || !*text || *end || v < lo || v > hi) {
		fprintf(stderr, "jbb: option %s: expected a number from %llu to %llu, got '%s'\n",
			opt, (unsigned long long)lo, (unsigned long long)hi, text ? text : "");
		return -1;
	}
	*out = v;
	return 0;
}

/* Applies one option that takes a number; 1 when opt is not one of them. */
static int number_option(const char *opt, const char *arg, jbb_config *cfg)
{
	uint64_t v;
	if (!strcmp(opt, "--warehouses")) {
		if (parse_number(opt, arg, 1, JBB_MAX_WAREHOUSES, &v))
			return -1;
		cfg->warehouses = (unsigned)v;
	} else if (!strcmp(opt, "--txns")) {
		if (parse_number(opt, arg, 1, 1000000000, &v))
			return -1;
		cfg->txns = v;
	} else if (!strcmp(opt, "--heap")) {
		if (parse_number(opt, arg, 1, 4096, &v))
			return -1;
		cfg->heap_mb = (unsigned)v;
	} else if (!strcmp(opt, "--items")) {
		if (parse_number(opt, arg, 1, 1000000, &v))
			return -1;
		cfg->items = (unsigned)v;
	} else if (!strcmp(opt, "--customers")) {
		if (parse_number(opt, arg, 1, 100000, &v))
			return -1;
		cfg->customers = (unsigned)v;
	} else {
		return 1;
	}
	return 0;
}

/* Rough live size of one warehouse in KB (objects with their 16-byte
 * headers and references; an order with its ~10 lines is about 1 KB). */
static uint64_t live_kb_estimate(const jbb_config *cfg)
{
	uint64_t stock = (uint64_t)cfg->items * (16 + 8 + sizeof(struct stock_data));
	uint64_t customers =
		(uint64_t)JBB_DISTRICTS * cfg->customers * (16 + 16 + sizeof(struct customer_data));
	uint64_t orders = (uint64_t)JBB_DISTRICTS * cfg->orders_kept * 1024;
	uint64_t history = (uint64_t)cfg->history_kept * (16 + 16 + sizeof(struct history_data));
	return (stock + customers + orders + history) / 1024;
}

/* Without --heap, a warehouse gets the preset's heap; when --items or
 * --customers change the data's size, 1.5 times its estimated live size
 * if that is larger. */
static void size_default_heap(jbb_config *cfg)
{
	uint64_t kb = live_kb_estimate(cfg) * 3 / 2 + WH_TXN_RESERVE / 1024;
	if (kb > cfg->heap_kb_default)
		cfg->heap_kb_default = (unsigned)kb;
}

static void usage(void)
{
	fprintf(stderr, "usage: jbb [--small] [--warehouses W] [--txns N] [--heap MB] [--items N] "
			"[--customers N] [--verify]\n");
}

int jbb_parse_options(int argc, char **argv, jbb_config *cfg)
{
	const jbb_config *preset = &default_preset;
	for (int i = 1; i < argc; i++) /* the preset first: other options refine it */
		if (!strcmp(argv[i], "--small"))
			preset = &small_preset;
	*cfg = *preset;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--small"))
			continue;
		if (!strcmp(argv[i], "--verify")) {
			cfg->verify = 1;
			continue;
		}
		int r = number_option(argv[i], i + 1 < argc ? argv[i + 1] : NULL, cfg);
		if (r < 0)
			return -1;
		if (r > 0) {
			fprintf(stderr, "jbb: unknown option '%s'\n", argv[i]);
			usage();
			return -1;
		}
		i++;
	}
	if (cfg->items != preset->items || cfg->customers != preset->customers)
		size_default_heap(cfg);
	return 0;
}
