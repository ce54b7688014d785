/* html.c - escaping HTML and SVG text (html.h). */
#include "aiproj/html.h"

#include <math.h>
#include <string.h>

#include "aiproj/util.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

/* One code point of s at *p (moved past it), escaped. */
static void
put_cp(FILE *f, const char **p)
{
	const char *start = *p;
	unsigned cp = utf8_next(p);

	switch (cp) {
	case '&': fputs("&amp;", f); return;
	case '<': fputs("&lt;", f); return;
	case '>': fputs("&gt;", f); return;
	case '"': fputs("&quot;", f); return;
	case '\'': fputs("&#39;", f); return;
	case '\t':
	case '\n': fputc((int)cp, f); return;
	default: break;
	}
	/* utf8_next() gives U+FFFD for a bad byte: one replacement either
	 * way; XML forbids C0 controls, HTML warns of C1 ones */
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp_is_format(cp) ||
	    cp == 0xfffe || cp == 0xffff)
		fputs(REPLACEMENT, f);
	else
		fwrite(start, 1, (size_t)(*p - start), f);
}

void
html_text(FILE *f, const char *s)
{
	if (!s)
		return;
	while (*s)
		put_cp(f, &s);
}

void
html_coord(FILE *f, double v)
{
	if (!isfinite(v))
		v = 0;
	v = round(v * 10) / 10;
	if (v == floor(v))
		fprintf(f, "%.0f", v);
	else
		fprintf(f, "%.1f", v);
}
