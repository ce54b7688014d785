/* output.c - formats and the streaming JSON writer. */
#include "aiproj/output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/yamlio.h"

static const struct {
	const char *name;
	int fmt;
} formats[] = {
    {"text", FMT_TEXT},         {"json", FMT_JSON}, {"yaml", FMT_YAML},
    {"csv", FMT_CSV},           {"markdown", FMT_MARKDOWN},
    {"github", FMT_GITHUB},
};

int
format_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(name, formats[i].name) == 0)
			return formats[i].fmt;
	return 0;
}

const char *
format_name(int fmt)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i].fmt == fmt)
			return formats[i].name;
	return "?";
}

void
jw_init(struct jw *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
}

void
jw_init_yaml(struct jw *w, FILE *f)
{
	jw_init(w, f);
	if (yemit_open(f, &w->y))
		w->y = NULL; /* out of memory: fall back to JSON, still valid YAML */
}

static void
indent(struct jw *w)
{
	fputc('\n', w->f);
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

/* Comma and indentation before a value (or a key). */
static void
pre(struct jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		if (w->count[w->depth]++)
			fputc(',', w->f);
		indent(w);
	}
}

static void
open_value(struct jw *w, char o, char c)
{
	if (w->y) {
		if (o == '{')
			yemit_map(w->y);
		else
			yemit_seq(w->y);
		if (w->depth < JW_MAX_DEPTH - 1)
			w->closer[++w->depth] = c;
		return;
	}
	pre(w);
	fputc(o, w->f);
	if (w->depth < JW_MAX_DEPTH - 1) {
		w->depth++;
		w->count[w->depth] = 0;
		w->closer[w->depth] = c;
	}
}

void
jw_obj(struct jw *w)
{
	open_value(w, '{', '}');
}

void
jw_arr(struct jw *w)
{
	open_value(w, '[', ']');
}

void
jw_end(struct jw *w)
{
	char c = w->closer[w->depth];
	int had = w->count[w->depth];

	if (w->y) {
		yemit_end(w->y, c == '}');
		w->depth--;
		return;
	}
	w->depth--;
	if (had)
		indent(w);
	fputc(c, w->f);
}

static void
put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void
jw_key(struct jw *w, const char *k)
{
	if (w->y) {
		yemit_plain(w->y, k);
		return;
	}
	pre(w);
	put_string(w->f, k);
	fputs(": ", w->f);
	w->after_key = 1;
}

void
jw_str(struct jw *w, const char *s)
{
	if (w->y) {
		yemit_str(w->y, s);
		return;
	}
	pre(w);
	if (s)
		put_string(w->f, s);
	else
		fputs("null", w->f);
}

void
jw_int(struct jw *w, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	if (w->y) {
		yemit_plain(w->y, buf);
		return;
	}
	pre(w);
	fputs(buf, w->f);
}

void
fmt_num(char *buf, size_t len, double v)
{
	if (!isfinite(v)) {
		snprintf(buf, len, "0");
		return;
	}
	if (v == (double)(int64_t)v && fabs(v) < 1e15) {
		snprintf(buf, len, "%lld", (long long)v);
		return;
	}
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

void
jw_num(struct jw *w, double v)
{
	char buf[40];

	fmt_num(buf, sizeof(buf), v);
	if (w->y) {
		yemit_plain(w->y, buf);
		return;
	}
	pre(w);
	fputs(buf, w->f);
}

void
jw_bool(struct jw *w, int v)
{
	if (w->y) {
		yemit_plain(w->y, v ? "true" : "false");
		return;
	}
	pre(w);
	fputs(v ? "true" : "false", w->f);
}

void
jw_null(struct jw *w)
{
	if (w->y) {
		yemit_plain(w->y, "null");
		return;
	}
	pre(w);
	fputs("null", w->f);
}

void
jw_doc(struct jw *w)
{
	jw_obj(w);
	jw_kint(w, "aiproj", 1);
}

void
jw_done(struct jw *w)
{
	while (w->depth > 0)
		jw_end(w);
	if (w->y) {
		yemit_close(w->y); /* a write error shows when main flushes */
		w->y = NULL;
		return;
	}
	fputc('\n', w->f);
}

void
jw_kstr(struct jw *w, const char *k, const char *s)
{
	jw_key(w, k);
	jw_str(w, s);
}

void
jw_kint(struct jw *w, const char *k, int64_t v)
{
	jw_key(w, k);
	jw_int(w, v);
}

void
jw_knum(struct jw *w, const char *k, double v)
{
	jw_key(w, k);
	jw_num(w, v);
}

void
jw_kbool(struct jw *w, const char *k, int v)
{
	jw_key(w, k);
	jw_bool(w, v);
}
