/*
 * html.h - writing HTML5 and inline SVG from text the store holds: every
 * such text goes through html_text(), which escapes markup and drops what
 * HTML and XML must not carry, so a name like "<script>" shows as text.
 * Markup itself (tags, numbers, fixed words) is written with fputs/fprintf.
 */
#ifndef AIPROJ_HTML_H
#define AIPROJ_HTML_H

#include <stdio.h>

/*
 * Text or an attribute value (double-quoted): & < > " ' as character
 * references; control characters (but tab and newline), invisible format
 * characters and invalid UTF-8 as U+FFFD, so the result is valid in HTML
 * and well-formed in XML (SVG).  NULL writes nothing.
 */
void html_text(FILE *f, const char *s);
/* A number for an SVG coordinate: at most one decimal, no exponent. */
void html_coord(FILE *f, double v);

#endif
