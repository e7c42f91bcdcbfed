// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The stacks as a pprof profile (-o x.pb.gz): the profile.proto message of
 * github.com/google/pprof, gzipped, for `go tool pprof`, pprof's web UI,
 * speedscope or Pyroscope. Two sample types, wait/nanoseconds and
 * cpu/nanoseconds: a wait stack's sample has its wait time and 0, an
 * on-CPU stack's 0 and its CPU time, so `-sample_index=cpu` shows the
 * on-CPU profile and the default (wait, or cpu for a CPU-bound verdict) the
 * other. Every sample carries the string labels "cause" (net ... other, cpu)
 * and, for waits, "wait" (external: no thread of the tree ended it; or
 * internal), so `-tagfocus=cause=net` keeps one cause.
 *
 * Frames are symbolised already: each location has one line whose function
 * is the frame's name (or "[module]", "[unknown]", as in the folded stacks)
 * with its file, and no mapping, so pprof never tries to symbolise again.
 *
 * The protobuf is written by hand: varints and length-delimited fields,
 * nested messages built in a buffer of their own first. Strings go into the
 * string table once, found again through a small hash table.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <zlib.h>

#include "doc.h"
#include "report.h"

/* profile.proto field numbers */
enum {
	PROFILE_SAMPLE_TYPE = 1,
	PROFILE_SAMPLE = 2,
	PROFILE_LOCATION = 4,
	PROFILE_FUNCTION = 5,
	PROFILE_STRING_TABLE = 6,
	PROFILE_TIME_NANOS = 9,
	PROFILE_DURATION_NANOS = 10,
	PROFILE_PERIOD_TYPE = 11,
	PROFILE_PERIOD = 12,
	PROFILE_COMMENT = 13,
	PROFILE_DEFAULT_SAMPLE_TYPE = 14,
	VALUE_TYPE_TYPE = 1,
	VALUE_TYPE_UNIT = 2,
	SAMPLE_LOCATION_ID = 1,
	SAMPLE_VALUE = 2,
	SAMPLE_LABEL = 3,
	LABEL_KEY = 1,
	LABEL_STR = 2,
	LOCATION_ID = 1,
	LOCATION_ADDRESS = 3,
	LOCATION_LINE = 4,
	LINE_FUNCTION_ID = 1,
	LINE_LINE = 2,
	FUNCTION_ID = 1,
	FUNCTION_NAME = 2,
	FUNCTION_SYSTEM_NAME = 3,
	FUNCTION_FILENAME = 4,
};

enum { WIRE_VARINT = 0, WIRE_LEN = 2 };

struct buf {
	unsigned char *data;
	size_t len, cap;
	int err;
};

static void buf_put(struct buf *b, const void *p, size_t n)
{
	if (b->err)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		unsigned char *d;

		while (cap < b->len + n)
			cap *= 2;
		d = realloc(b->data, cap);
		if (!d) {
			b->err = -ENOMEM;
			return;
		}
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void put_varint(struct buf *b, uint64_t v)
{
	unsigned char out[10];
	size_t n = 0;

	do {
		out[n] = v & 0x7f;
		v >>= 7;
		if (v)
			out[n] |= 0x80;
		n++;
	} while (v);
	buf_put(b, out, n);
}

static void put_key(struct buf *b, unsigned int field, unsigned int wire)
{
	put_varint(b, (uint64_t)field << 3 | wire);
}

/* A varint field; proto3 leaves out zeros. */
static void put_uint(struct buf *b, unsigned int field, uint64_t v)
{
	if (!v)
		return;
	put_key(b, field, WIRE_VARINT);
	put_varint(b, v);
}

static void put_bytes(struct buf *b, unsigned int field, const void *p, size_t n)
{
	put_key(b, field, WIRE_LEN);
	put_varint(b, n);
	buf_put(b, p, n);
}

/* A nested message: sub's bytes as a length-delimited field; sub is emptied. */
static void put_message(struct buf *b, unsigned int field, struct buf *sub)
{
	if (sub->err)
		b->err = sub->err;
	put_bytes(b, field, sub->data, sub->len);
	sub->len = 0;
	sub->err = 0;
}

/* ---- interning: strings, functions and locations get ids once ---- */

struct slot {
	char *key;
	size_t len;
	uint64_t id;
};

struct table {
	struct slot *slots;
	size_t cap, nr;
	int err;
};

static uint64_t hash_of(const char *k, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211ULL;
	return h;
}

static int table_grow(struct table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64;
	struct slot *s = calloc(cap, sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < t->cap; i++) {
		size_t j;

		if (!t->slots[i].key)
			continue;
		for (j = hash_of(t->slots[i].key, t->slots[i].len) & (cap - 1); s[j].key;
		     j = (j + 1) & (cap - 1))
			;
		s[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = s;
	t->cap = cap;
	return 0;
}

/*
 * The id of key; a new key gets the next id (nr, from 0) and *added is set.
 * On failure the id is 0 and t->err set.
 */
static uint64_t table_id(struct table *t, const char *key, size_t len, bool *added)
{
	size_t j;

	*added = false;
	if (t->err)
		return 0;
	if ((t->nr + 1) * 2 > t->cap && (t->err = table_grow(t)))
		return 0;
	for (j = hash_of(key, len) & (t->cap - 1); t->slots[j].key; j = (j + 1) & (t->cap - 1))
		if (t->slots[j].len == len && !memcmp(t->slots[j].key, key, len))
			return t->slots[j].id;
	t->slots[j].key = malloc(len ? len : 1);
	if (!t->slots[j].key) {
		t->err = -ENOMEM;
		return 0;
	}
	memcpy(t->slots[j].key, key, len);
	t->slots[j].len = len;
	t->slots[j].id = t->nr++;
	*added = true;
	return t->slots[j].id;
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->slots[i].key);
	free(t->slots);
}

struct builder {
	struct buf out; /* the Profile message */
	struct buf sub, line; /* scratch for nested messages */
	struct table strings, functions, locations;
};

/* The string's index in string_table, written there the first time. */
static uint64_t str_id(struct builder *pb, const char *s)
{
	size_t len = strlen(s);
	bool added;
	uint64_t id = table_id(&pb->strings, s, len, &added);

	if (added)
		put_bytes(&pb->out, PROFILE_STRING_TABLE, s, len);
	return id;
}

static void put_value_type(struct builder *pb, unsigned int field, const char *type,
			   const char *unit)
{
	uint64_t t = str_id(pb, type), u = str_id(pb, unit);

	put_uint(&pb->sub, VALUE_TYPE_TYPE, t);
	put_uint(&pb->sub, VALUE_TYPE_UNIT, u);
	put_message(&pb->out, field, &pb->sub);
}

/* Function ids start at 1: 0 means none in profile.proto. */
static uint64_t function_id(struct builder *pb, const char *name, const char *file)
{
	size_t nl = strlen(name), fl = strlen(file);
	char *key = malloc(nl + fl + 2);
	uint64_t id, name_id, file_id;
	bool added;

	if (!key) {
		pb->out.err = -ENOMEM;
		return 0;
	}
	memcpy(key, name, nl + 1);
	memcpy(key + nl + 1, file, fl + 1);
	id = table_id(&pb->functions, key, nl + fl + 2, &added) + 1;
	free(key);
	if (!added)
		return id;
	name_id = str_id(pb, name);
	file_id = str_id(pb, file);
	put_uint(&pb->sub, FUNCTION_ID, id);
	put_uint(&pb->sub, FUNCTION_NAME, name_id);
	put_uint(&pb->sub, FUNCTION_SYSTEM_NAME, name_id);
	put_uint(&pb->sub, FUNCTION_FILENAME, file_id);
	put_message(&pb->out, PROFILE_FUNCTION, &pb->sub);
	return id;
}

/* One location per address, function and line; ids from 1. */
static uint64_t location_id(struct builder *pb, const struct json_object *frame)
{
	char name_buf[300], key[64];
	const char *name = doc_frame_name(frame, name_buf, sizeof(name_buf));
	uint64_t fn = function_id(pb, name, doc_str(frame, "file"));
	uint64_t addr = doc_u64(frame, "addr"), line = doc_u64(frame, "line"), id;
	bool added;

	snprintf(key, sizeof(key), "%llx/%llu/%llu", (unsigned long long)addr,
		 (unsigned long long)fn, (unsigned long long)line);
	id = table_id(&pb->locations, key, strlen(key), &added) + 1;
	if (!added)
		return id;
	put_uint(&pb->line, LINE_FUNCTION_ID, fn);
	put_uint(&pb->line, LINE_LINE, line);
	put_uint(&pb->sub, LOCATION_ID, id);
	put_uint(&pb->sub, LOCATION_ADDRESS, addr);
	put_message(&pb->sub, LOCATION_LINE, &pb->line);
	put_message(&pb->out, PROFILE_LOCATION, &pb->sub);
	return id;
}

static void put_label(struct buf *sample, struct buf *scratch, uint64_t key, uint64_t str)
{
	put_uint(scratch, LABEL_KEY, key);
	put_uint(scratch, LABEL_STR, str);
	put_message(sample, SAMPLE_LABEL, scratch);
}

static void put_sample(struct builder *pb, const char *kind, bool cpu,
		       const struct json_object *e)
{
	size_t n = doc_len(e, "frames");
	struct buf ids = { 0 }, sample = { 0 }, vals = { 0 };
	uint64_t t = doc_stack_time(e);

	/* the locations first: they go to the profile, the sample after them */
	for (size_t k = 0; k < n; k++)
		put_varint(&ids, location_id(pb, doc_at(e, "frames", k)));
	put_varint(&vals, cpu ? 0 : t);
	put_varint(&vals, cpu ? t : 0);
	if (ids.len)
		put_bytes(&sample, SAMPLE_LOCATION_ID, ids.data, ids.len);
	put_bytes(&sample, SAMPLE_VALUE, vals.data, vals.len);
	put_label(&sample, &pb->sub, str_id(pb, "cause"), str_id(pb, kind));
	if (!cpu)
		put_label(&sample, &pb->sub, str_id(pb, "wait"),
			  str_id(pb, doc_bool(e, "external") ? "external" : "internal"));
	if (ids.err || vals.err)
		sample.err = -ENOMEM;
	put_message(&pb->out, PROFILE_SAMPLE, &sample);
	free(ids.data);
	free(vals.data);
	free(sample.data);
}

/* created_at ("2026-01-02T03:04:05Z") in ns since the epoch; 0 when unreadable. */
static uint64_t created_ns(const struct json_object *doc)
{
	struct tm tm = { 0 };
	const char *end = strptime(doc_str(doc, "created_at"), "%Y-%m-%dT%H:%M:%SZ", &tm);
	time_t t;

	if (!end || *end)
		return 0;
	t = timegm(&tm);
	return t > 0 ? (uint64_t)t * 1000000000ULL : 0;
}

static int build(const struct json_object *doc, struct builder *pb)
{
	const struct json_object *stacks = doc_get(doc, "stacks");
	uint64_t period = 0, default_type;
	char comment[160];

	/* string_table[0] is "" */
	str_id(pb, "");
	put_value_type(pb, PROFILE_SAMPLE_TYPE, "wait", "nanoseconds");
	put_value_type(pb, PROFILE_SAMPLE_TYPE, "cpu", "nanoseconds");
	for (int c = 0; c < DOC_NR_STACK_KINDS; c++) {
		const char *kind = doc_stack_kinds[c];
		bool cpu = c == DOC_STACK_CPU;

		for (size_t i = 0; i < doc_len(stacks, kind); i++) {
			const struct json_object *e = doc_at(stacks, kind, i);

			if (cpu && !period && doc_u64(e, "samples"))
				period = doc_u64(e, "cpu_ns") / doc_u64(e, "samples");
			put_sample(pb, kind, cpu, e);
		}
	}
	put_uint(&pb->out, PROFILE_TIME_NANOS, created_ns(doc));
	put_uint(&pb->out, PROFILE_DURATION_NANOS, doc_u64(doc, "duration_ns"));
	put_value_type(pb, PROFILE_PERIOD_TYPE, "cpu", "nanoseconds");
	put_uint(&pb->out, PROFILE_PERIOD, period);
	snprintf(comment, sizeof(comment), "advisor %s: %s", doc_str(doc, "advisor_version"),
		 doc_model_or_unknown(doc, "verdict.model"));
	put_uint(&pb->out, PROFILE_COMMENT, str_id(pb, comment));
	default_type = str_id(pb, !strcmp(doc_str(doc, "verdict.model"), "multiprocessing") ?
					  "cpu" : "wait");
	put_uint(&pb->out, PROFILE_DEFAULT_SAMPLE_TYPE, default_type);

	if (pb->sub.err || pb->line.err)
		return -ENOMEM;
	if (pb->strings.err || pb->functions.err || pb->locations.err)
		return -ENOMEM;
	return pb->out.err;
}

/* gzip (RFC 1952, mtime 0 so that the same report gives the same bytes) to f. */
static int gzip_write(FILE *f, const unsigned char *data, size_t len)
{
	unsigned char chunk[16384];
	z_stream zs = { 0 };
	int zr, err = 0;

	if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		return -ENOMEM;
	zs.next_in = (unsigned char *)data;
	zs.avail_in = (uInt)len;
	do {
		zs.next_out = chunk;
		zs.avail_out = sizeof(chunk);
		zr = deflate(&zs, Z_FINISH);
		if (zr == Z_STREAM_ERROR) {
			err = -EIO;
			break;
		}
		if (fwrite(chunk, 1, sizeof(chunk) - zs.avail_out, f) !=
		    sizeof(chunk) - zs.avail_out) {
			err = -EIO;
			break;
		}
	} while (zr != Z_STREAM_END);
	deflateEnd(&zs);
	return err;
}

int report_pprof_write(FILE *f, const struct json_object *doc)
{
	struct builder pb = { 0 };
	int err;

	err = build(doc, &pb);
	if (!err && pb.out.len > UINT32_MAX)
		err = -EFBIG; /* one deflate call takes at most 4 GiB */
	if (!err)
		err = gzip_write(f, pb.out.data, pb.out.len);
	free(pb.out.data);
	free(pb.sub.data);
	free(pb.line.data);
	table_free(&pb.strings);
	table_free(&pb.functions);
	table_free(&pb.locations);
	if (!err && ferror(f))
		err = -EIO;
	return err;
}
