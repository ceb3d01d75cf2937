/*
 * test_fileio.c - sysbench's fileio test.  Prepare (untimed): --file-num
 * files of --file-total-size / --file-num bytes in /sbtest, written with
 * the generation-0 pattern, then sync.  Timed: events of one
 * --file-block-size block each, in --file-test-mode: seqwr, seqrd (event e
 * is block e of the files laid end to end, wrapping), rndrd, rndwr, rndrw
 * (a random block per event); writes write the block's generation-1
 * pattern; every --file-fsync-freq writes of a chunk fsync the file
 * written, and --file-fsync-end=on fsyncs every file at the end (timed,
 * as sysbench).  Verified: every block read must hold its expected
 * pattern; after the test every block must hold generation 0 or 1.
 *
 * Determinism with concurrent threads: a block's content is a function of
 * (file, block, generation) only, so concurrent writes of one block store
 * the same bytes; in rndrw each block is either a read block or a write
 * block (3 in 5 read: sysbench's --file-rw-ratio 1.5), so a read never
 * races a write.  The digest covers what the reads returned (per chunk)
 * and every file's final contents.  The files share one fd each, guarded
 * by a per-file mutex (lseek + transfer).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysbench.h"

static const char *const mode_choices[] = { "seqwr", "seqrd", "rndrd", "rndwr", "rndrw", NULL };
static const char *const onoff_choices[] = { "on", "off", NULL };

static struct sb_option fileio_options[] = {
	{ "file-num", SB_OPT_U64, "number of files to create", 16, 4, 0, 0, 0 },
	{ "file-total-size", SB_OPT_SIZE, "total size of files to create", 64ull << 20, 4ull << 20,
	  0, 0, 0 },
	{ "file-block-size", SB_OPT_SIZE, "block size to use in all IO operations", 16384, 0, 0, 0,
	  0 },
	{ "file-test-mode", SB_OPT_STR, "test mode", 0, 0, "rndrw", mode_choices, 0 },
	{ "file-fsync-freq", SB_OPT_U64, "do fsync() after this number of requests (0 - off)", 100,
	  0, 0, 0, 0 },
	{ "file-fsync-end", SB_OPT_STR, "do fsync() at the end of test", 0, 0, "on", onoff_choices,
	  0 },
	{ 0 },
};

enum { SEQWR, SEQRD, RNDRD, RNDWR, RNDRW };

struct sb_file {
	int fd;
	vt_mutex_t lock;
	char path[48];
};

static struct {
	int mode, fsync_end;
	uint64_t nfiles, bs, words, blocks_per_file, nblocks, fsync_freq, seed;
	struct sb_file *file;
	uint64_t *pattern; /* the base pattern of one block */
	uint64_t reads, writes, fsyncs;
} f;

struct fileio_worker {
	uint64_t *buf;
	uint64_t writes_in_chunk;
};

/* Word i of block b in generation g: pattern[i] ^ key(b, g). */
static uint64_t block_key(uint64_t b, unsigned gen)
{
	return sb_mix64(f.seed ^ (b << 1) ^ gen ^ 0x5bd1e995ull);
}

static void fill_block(uint64_t *buf, uint64_t b, unsigned gen)
{
	uint64_t k = block_key(b, gen);
	for (uint64_t i = 0; i < f.words; i++)
		buf[i] = f.pattern[i] ^ k;
}

/* The generation block b holds (0 or 1), or -1 if neither. */
static int block_generation(const uint64_t *buf, uint64_t b)
{
	for (unsigned gen = 0; gen < 2; gen++) {
		uint64_t k = block_key(b, gen), i;
		for (i = 0; i < f.words && buf[i] == (f.pattern[i] ^ k); i++)
			;
		if (i == f.words)
			return (int)gen;
	}
	return -1;
}

static int is_read_block(uint64_t b)
{
	return sb_mix64(f.seed ^ b ^ 0x27d4eb2f165667c5ull) % 5 < 3;
}

static int parse_options(struct sb_run *r)
{
	static const char *const names[] = { "seqwr", "seqrd", "rndrd", "rndwr", "rndrw" };
	const char *mode = sb_opt_str(fileio_options, "file-test-mode");
	for (int i = 0; i < 5; i++)
		if (strcmp(mode, names[i]) == 0)
			f.mode = i;
	f.fsync_end = strcmp(sb_opt_str(fileio_options, "file-fsync-end"), "on") == 0;
	f.nfiles = sb_opt_u64(fileio_options, "file-num");
	f.bs = sb_opt_u64(fileio_options, "file-block-size");
	f.fsync_freq = sb_opt_u64(fileio_options, "file-fsync-freq");
	f.seed = r->common.seed;
	uint64_t total = sb_opt_u64(fileio_options, "file-total-size");
	if (f.nfiles < 1 || f.nfiles > 48) {
		fprintf(stderr, "sysbench: option --file-num: expected 1..48 (the kernel's 64 fds "
				"per process)\n");
		return -1;
	}
	if (f.bs < 512 || f.bs % 512 || f.bs > (4u << 20)) {
		fprintf(stderr, "sysbench: option --file-block-size: expected a multiple of 512 "
				"up to 4M\n");
		return -1;
	}
	f.words = f.bs / 8;
	f.blocks_per_file = total / f.nfiles / f.bs;
	if (f.blocks_per_file == 0) {
		fprintf(stderr, "sysbench: option --file-total-size: expected at least one block "
				"per file\n");
		return -1;
	}
	f.nblocks = f.blocks_per_file * f.nfiles;
	if (!r->common.events)
		r->events = f.mode <= SEQRD ? f.nblocks : 2 * f.nblocks;
	return 0;
}

static int create_file(uint64_t i, uint64_t *buf)
{
	struct sb_file *fl = &f.file[i];
	snprintf(fl->path, sizeof fl->path, SB_DATA_DIR "/test_file.%llu", (unsigned long long)i);
	fl->fd = open(fl->path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fl->fd < 0) {
		fprintf(stderr, "sysbench: fileio: open %s: %s\n", fl->path, strerror(errno));
		return -1;
	}
	for (uint64_t k = 0; k < f.blocks_per_file; k++) {
		uint64_t b = i * f.blocks_per_file + k;
		fill_block(buf, b, 0);
		if (sb_pwrite_full(fl->fd, buf, f.bs, k * f.bs, fl->path) < 0)
			return -1;
	}
	return 0;
}

static int fileio_setup(struct sb_run *r)
{
	if (parse_options(r) < 0 || sb_data_dir() < 0)
		return -1;
	f.file = calloc(f.nfiles, sizeof *f.file);
	f.pattern = malloc(f.bs);
	uint64_t *buf = malloc(f.bs);
	if (!f.file || !f.pattern || !buf) {
		fprintf(stderr, "sysbench: test_fileio.c: out of memory\n");
		return -1;
	}
	for (uint64_t i = 0; i < f.nfiles; i++)
		f.file[i].fd = -1;
	sb_rng_t rng = sb_rng_for(f.seed, ~0ull);
	for (uint64_t i = 0; i < f.words; i++)
		f.pattern[i] = sb_rng_next(&rng);
	char sz[32];
	printf("Creating %llu files, %s each, %s total (prepare, not timed)\n",
	       (unsigned long long)f.nfiles, sb_fmt_size(sz, sizeof sz, f.blocks_per_file * f.bs),
	       sb_fmt_size(sz + 16, 16, f.nblocks * f.bs));
	for (uint64_t i = 0; i < f.nfiles; i++)
		if (create_file(i, buf) < 0) {
			free(buf);
			return -1;
		}
	free(buf);
	sync_fs(); /* the test starts with nothing dirty */
	return 0;
}

static void *fileio_worker_init(struct sb_run *r, unsigned id)
{
	(void)r;
	(void)id;
	struct fileio_worker *fw = calloc(1, sizeof *fw);
	if (fw && !(fw->buf = malloc(f.bs))) {
		free(fw);
		fw = NULL;
	}
	return fw;
}

static void fileio_worker_fini(struct sb_worker *w)
{
	struct fileio_worker *fw = w->priv;
	if (fw)
		free(fw->buf);
	free(fw);
}

static void fileio_chunk_begin(struct sb_worker *w, struct sb_chunk *c)
{
	(void)c;
	if (w->priv)
		((struct fileio_worker *)w->priv)->writes_in_chunk = 0;
}

static int do_read(struct fileio_worker *fw, struct sb_chunk *c, uint64_t b)
{
	struct sb_file *fl = &f.file[b / f.blocks_per_file];
	vt_mutex_lock(&fl->lock);
	int rc = sb_pread_full(fl->fd, fw->buf, f.bs, (b % f.blocks_per_file) * f.bs, fl->path);
	vt_mutex_unlock(&fl->lock);
	__atomic_fetch_add(&f.reads, 1, __ATOMIC_RELAXED);
	if (rc < 0)
		return -1;
	/* a read block is never written during the test: generation 0 */
	if (block_generation(fw->buf, b) != 0) {
		fprintf(stderr, "sysbench: fileio: %s block %llu: unexpected contents\n", fl->path,
			(unsigned long long)(b % f.blocks_per_file));
		return -1;
	}
	c->result = sb_fold(c->result, vt_digest(fw->buf, f.bs));
	return 0;
}

static int do_write(struct fileio_worker *fw, struct sb_chunk *c, uint64_t b)
{
	struct sb_file *fl = &f.file[b / f.blocks_per_file];
	fill_block(fw->buf, b, 1);
	int sync_now = f.fsync_freq && ++fw->writes_in_chunk % f.fsync_freq == 0;
	vt_mutex_lock(&fl->lock);
	int rc = sb_pwrite_full(fl->fd, fw->buf, f.bs, (b % f.blocks_per_file) * f.bs, fl->path);
	vt_mutex_unlock(&fl->lock);
	__atomic_fetch_add(&f.writes, 1, __ATOMIC_RELAXED);
	if (rc == 0 && sync_now) {
		rc = fsync(fl->fd);
		__atomic_fetch_add(&f.fsyncs, 1, __ATOMIC_RELAXED);
	}
	c->result = sb_fold(c->result, b);
	return rc < 0 ? -1 : 0;
}

static int fileio_event(struct sb_worker *w, struct sb_chunk *c, uint64_t e)
{
	struct fileio_worker *fw = w->priv;
	if (!fw)
		return -1;
	sb_rng_t rng = sb_rng_for(f.seed, e);
	uint64_t b = f.mode <= SEQRD ? e % f.nblocks : sb_rng_below(&rng, f.nblocks);
	switch (f.mode) {
	case SEQRD:
	case RNDRD: return do_read(fw, c, b);
	case SEQWR:
	case RNDWR: return do_write(fw, c, b);
	default: return is_read_block(b) ? do_read(fw, c, b) : do_write(fw, c, b);
	}
}

static int fileio_finish_timed(struct sb_run *r)
{
	(void)r;
	int rc = 0;
	if (!f.fsync_end || f.mode == SEQRD || f.mode == RNDRD)
		return 0;
	for (uint64_t i = 0; i < f.nfiles; i++) {
		if (fsync(f.file[i].fd) < 0) {
			fprintf(stderr, "sysbench: fileio: fsync %s: %s\n", f.file[i].path,
				strerror(errno));
			rc = -1;
		}
		f.fsyncs++;
	}
	return rc;
}

/* Untimed: every file's contents into the digest, each block checked. */
static int fileio_digest(struct sb_run *r, vt_digest_t *d)
{
	(void)r;
	uint64_t *buf = malloc(f.bs), bad = 0;
	if (!buf)
		return -1;
	for (uint64_t i = 0; i < f.nfiles; i++)
		for (uint64_t k = 0; k < f.blocks_per_file; k++) {
			if (sb_pread_full(f.file[i].fd, buf, f.bs, k * f.bs, f.file[i].path) < 0) {
				free(buf);
				return -1;
			}
			bad += block_generation(buf, i * f.blocks_per_file + k) < 0;
			vt_digest_update(d, buf, f.bs);
		}
	free(buf);
	if (bad)
		fprintf(stderr,
			"sysbench: fileio: %llu blocks hold neither their written nor "
			"their prepared contents\n",
			(unsigned long long)bad);
	return bad ? -1 : 0;
}

static void fileio_report(struct sb_run *r)
{
	uint64_t ns = r->end_ns > r->start_ns ? r->end_ns - r->start_ns : 1;
	double s = (double)ns / 1e9;
	printf("File operations:\n    reads/s: %llu\n    writes/s: %llu\n    fsyncs/s: %llu\n\n",
	       (unsigned long long)((double)f.reads / s),
	       (unsigned long long)((double)f.writes / s),
	       (unsigned long long)((double)f.fsyncs / s));
	printf("Throughput:\n    read, MiB/s: %llu\n    written, MiB/s: %llu\n\n",
	       (unsigned long long)((double)(f.reads * f.bs) / s / 1048576.0),
	       (unsigned long long)((double)(f.writes * f.bs) / s / 1048576.0));
}

/* sysbench's cleanup: remove the files. */
static void fileio_cleanup(struct sb_run *r)
{
	(void)r;
	for (uint64_t i = 0; f.file && i < f.nfiles; i++) {
		if (f.file[i].fd >= 0)
			close(f.file[i].fd);
		if (f.file[i].path[0])
			unlink(f.file[i].path);
	}
	free(f.file);
	free(f.pattern);
}

const struct sb_test sb_test_fileio = {
	.name = "fileio",
	.summary = "File I/O test",
	.options = fileio_options,
	.setup = fileio_setup,
	.worker_init = fileio_worker_init,
	.chunk_begin = fileio_chunk_begin,
	.event = fileio_event,
	.worker_fini = fileio_worker_fini,
	.finish_timed = fileio_finish_timed,
	.digest = fileio_digest,
	.report = fileio_report,
	.cleanup = fileio_cleanup,
};
