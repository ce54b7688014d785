/*
 * chain.c - the hash chains' canonical encoding and SHA-256 (FIPS 180-4,
 * written here: a library loaded for one function cost every command a
 * millisecond of start-up); see include/aiproj/chain.h and
 * docs/security.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/chain.h"

const char chain_genesis[CHAIN_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static const struct {
	const char *type, *table, *noun, *spec;
} kinds[CHAIN_KINDS] = {
    [CHAIN_HISTORY] = {"transition", "transition", "history", "tttttt"},
    [CHAIN_APPROVAL] = {"approval", "approval", "approval", "tttttt"},
    [CHAIN_READING] = {"reading", "kpi_reading", "reading", "tdttb"},
    [CHAIN_AUDIT] = {"audit", "audit", "audit", "tttttt"},
    [CHAIN_RELEASE] = {"release", "prod_release", "release", "ttttttttttt"},
    [CHAIN_CHANGE] = {"change", "kpi_change", "change", "tttdtdttt"},
};

const char *
chain_type(enum chain_kind k)
{
	return kinds[k].type;
}

const char *
chain_spec(enum chain_kind k)
{
	return kinds[k].spec;
}

const char *
chain_table(enum chain_kind k)
{
	return kinds[k].table;
}

const char *
chain_noun(enum chain_kind k)
{
	return kinds[k].noun;
}

static void
hex(const unsigned char *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

/* ---- SHA-256 (FIPS 180-4) ---- */

static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t
ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

/* One 64-byte block into the state h. */
static void
sha_block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, k;

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 =
		    ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 =
		    ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0], b = h[1], c = h[2], d = h[3];
	e = h[4], f = h[5], g = h[6], k = h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) +
			      ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
			      ((a & b) ^ (a & c) ^ (b & c));
		k = g, g = f, f = e, e = d + t1;
		d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d;
	h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

const struct ap_error *
chain_sha256_hex(const void *data, size_t len, char out[CHAIN_HEX])
{
	uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	const unsigned char *p = data;
	unsigned char tail[128], md[32];
	size_t rest = len % 64, n;
	uint64_t bits = (uint64_t)len * 8;

	for (size_t i = 0; i + 64 <= len; i += 64)
		sha_block(h, p + i);
	/* the last bytes, 0x80, zeros and the length in bits: one block or
	 * two */
	memset(tail, 0, sizeof(tail));
	if (rest)
		memcpy(tail, p + (len - rest), rest);
	tail[rest] = 0x80;
	n = rest < 56 ? 64 : 128;
	for (int i = 0; i < 8; i++)
		tail[n - 1 - i] = (unsigned char)(bits >> (8 * i));
	sha_block(h, tail);
	if (n == 128)
		sha_block(h, tail + 64);
	for (int i = 0; i < 8; i++) {
		md[4 * i] = (unsigned char)(h[i] >> 24);
		md[4 * i + 1] = (unsigned char)(h[i] >> 16);
		md[4 * i + 2] = (unsigned char)(h[i] >> 8);
		md[4 * i + 3] = (unsigned char)h[i];
	}
	hex(md, 32, out);
	return NULL;
}

void
chain_double(double v, char out[17])
{
	unsigned char b[8];
	uint64_t u;

	memcpy(&u, &v, sizeof(u));
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(u >> (56 - 8 * i));
	hex(b, 8, out);
}

/* What snprintf(num, 24, "%zu:", n) writes, without its NUL, and its
 * length: a hash takes two a field (the length, then the text), and an
 * import some millions. */
static size_t
len_colon(char num[24], size_t n)
{
	char d[24];
	size_t k = 0, i = 0;

	do
		d[k++] = (char)('0' + n % 10);
	while (n /= 10);
	while (k)
		num[i++] = d[--k];
	num[i++] = ':';
	return i;
}

/* Append one field ("N:BYTES\n", or "-\n" for a null) at buf + *at; with
 * buf NULL only count. */
static void
field(char *buf, size_t *at, const char *v)
{
	char num[24];
	size_t n, k;

	if (!v) {
		if (buf)
			memcpy(buf + *at, "-\n", 2);
		*at += 2;
		return;
	}
	n = strlen(v);
	k = len_colon(num, n);
	if (buf) {
		memcpy(buf + *at, num, k);
		memcpy(buf + *at + k, v, n);
		buf[*at + k + n] = '\n';
	}
	*at += k + n + 1;
}

const struct ap_error *
chain_hash(enum chain_kind k, const char *prev, const char *const *fields,
	   size_t n, char out[CHAIN_HEX])
{
	const struct ap_error *err;
	char stackbuf[1024], head[64], *buf;
	size_t body = 0, hlen, at;

	field(NULL, &body, prev);
	for (size_t i = 0; i < n; i++)
		field(NULL, &body, fields[i]);
	hlen = (size_t)snprintf(head, sizeof(head), "%s %zu", kinds[k].type,
				body) +
	       1; /* with its NUL */
	buf = hlen + body <= sizeof(stackbuf) ? stackbuf : malloc(hlen + body);
	if (!buf)
		return ap_error_nomem();
	memcpy(buf, head, hlen);
	at = hlen;
	field(buf, &at, prev);
	for (size_t i = 0; i < n; i++)
		field(buf, &at, fields[i]);
	err = chain_sha256_hex(buf, at, out);
	if (buf != stackbuf)
		free(buf);
	return err;
}

int
chain_is_hash(const char *s)
{
	size_t i;

	if (!s)
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 64;
}
