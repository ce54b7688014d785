/*
 * chain.c - the hash chains' canonical encoding and SHA-256 (libcrypto's
 * EVP_Digest); see include/aiproj/chain.h and docs/security.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

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

const struct ap_error *
chain_sha256_hex(const void *data, size_t len, char out[CHAIN_HEX])
{
	/* fetched once: EVP_sha256() would look it up at every call */
	static EVP_MD *sha256;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!sha256 && !(sha256 = EVP_MD_fetch(NULL, "SHA256", NULL)))
		return ap_error_fmt(AP_EXIT_STORE,
				    "cannot compute SHA-256 (libcrypto)");
	if (!EVP_Digest(data, len, md, &mdlen, sha256, NULL) || mdlen != 32)
		return ap_error_fmt(AP_EXIT_STORE,
				    "cannot compute SHA-256 (libcrypto)");
	hex(md, mdlen, out);
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
