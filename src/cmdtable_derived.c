/*
 * cmdtable_derived.c - what is derived from the command table
 * (cmdtable.c): usage texts, the lookups of commands and options, and the
 * checks made before the store opens.
 */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "aiproj/yamlio.h"
#include "cli.h"

/* ---- what is derived from the table ---- */

static int
is_opt(const struct argdesc *d)
{
	return d->name && d->name[0] == '-';
}

const char *
arg_meta(const struct argdesc *d)
{
	if (!is_opt(d) && d->name)
		return d->name;
	return d->meta ? d->meta : cmd_type_info(d->type)->meta;
}

const char *
arg_choices(const struct argdesc *d)
{
	return cmd_type_info(d->type)->choices ? cmd_type_info(d->type)->meta
					       : NULL;
}

/* The noun an argument's messages use: "reason", "criterion id". */
static const char *
arg_what(const struct argdesc *d)
{
	if (d->what)
		return d->what;
	if (is_opt(d) && cmd_type_info(d->type)->what == NULL)
		return d->name + 2;
	return cmd_type_info(d->type)->what;
}

/* "--reason TEXT", "-o FILE", "-q", "[--all]", "[PROJECT...]" */
static void
arg_usage(struct sbuf *b, const struct argdesc *d, int flags)
{
	int brackets = is_opt(d) ? !(flags & (REF_REQUIRED | REF_CONFIRM))
				 : (flags & REF_OPTIONAL);

	sbuf_printf(b, "%s%s", b->len ? " " : "", brackets ? "[" : "");
	if (!is_opt(d))
		sbuf_printf(b, "%s%s", arg_meta(d),
			    flags & REF_REPEATS ? "..." : "");
	else if (d->short_name)
		sbuf_printf(b, "-%c", d->short_name);
	else
		sbuf_printf(b, "%s", d->name);
	if (is_opt(d) && d->type != AT_FLAG)
		sbuf_printf(b, " %s", arg_meta(d));
	else if (is_opt(d) && (d->flags & ARG_OPTVAL))
		sbuf_printf(b, "[=%s]", arg_meta(d));
	sbuf_printf(b, "%s", brackets ? "]" : "");
}

void
usage_args(const struct command *cmd, char *buf, size_t len)
{
	struct sbuf b = {0};

	for (const struct argref *r = cmd->args; r && r->d; r++)
		arg_usage(&b, r->d,
			  r->unless ? r->flags & ~REF_REQUIRED : r->flags);
	snprintf(buf, len, "%s", b.s ? b.s : "");
	sbuf_free(&b);
}

void
global_synopsis(char *buf, size_t len, int brackets)
{
	struct sbuf b = {0};

	for (const struct argdesc *d = global_opts; d->name; d++)
		if (d->flags & ARG_SYNOPSIS)
			arg_usage(&b, d, brackets ? 0 : REF_REQUIRED);
	snprintf(buf, len, "%s", b.s ? b.s : "");
	sbuf_free(&b);
}

int
cmd_minpos(const struct command *cmd)
{
	int n = 0;

	for (const struct argref *r = cmd->args; r && r->d; r++)
		n += !is_opt(r->d) && !(r->flags & REF_OPTIONAL);
	return n;
}

int
cmd_maxpos(const struct command *cmd)
{
	int n = 0;

	for (const struct argref *r = cmd->args; r && r->d; r++) {
		if (is_opt(r->d))
			continue;
		if (r->flags & REF_REPEATS)
			return -1;
		n++;
	}
	return n;
}

/* The reference of positional number `idx` (the repeated last one). */
static const struct argref *
positional_ref(const struct command *cmd, int idx)
{
	const struct argref *last = NULL;
	int k = 0;

	for (const struct argref *r = cmd->args; r && r->d; r++) {
		if (is_opt(r->d))
			continue;
		last = r->flags & REF_REPEATS ? r : NULL;
		if (k++ == idx)
			return r;
	}
	return last;
}

const struct argdesc *
cmd_positional(const struct command *cmd, int idx)
{
	const struct argref *r = cmd ? positional_ref(cmd, idx) : NULL;

	return r ? r->d : NULL;
}

static int
opt_is(const struct argdesc *d, const char *name, int is_short)
{
	return is_short ? d->short_name && name[0] == d->short_name &&
			      name[1] == '\0'
			: strcmp(d->name + 2, name) == 0;
}

const struct argdesc *
opt_find(const struct command *cmd, const char *name, int is_short)
{
	/* a command's own option first: component add --version VERSION */
	for (const struct argref *r = cmd ? cmd->args : NULL; r && r->d; r++)
		if (is_opt(r->d) && opt_is(r->d, name, is_short))
			return r->d;
	for (const struct argdesc *d = global_opts; d->name; d++)
		if (opt_is(d, name, is_short))
			return d;
	return NULL;
}

const struct command *
command_find(const char *group, const char *verb)
{
	for (const struct command *k = commands; k->group; k++) {
		if (strcmp(k->group, group) != 0)
			continue;
		if (!verb ? !k->verb : (k->verb && !strcmp(k->verb, verb)))
			return k;
	}
	return NULL;
}

const struct command *
command_group(const char *group)
{
	for (const struct command *k = commands; k->group; k++)
		if (k->verb && strcmp(k->group, group) == 0)
			return k;
	return NULL;
}

/* ---- checks before the store opens ---- */

/* A value of one of the types up to AT_CHECKED. */
static const struct ap_error *
check_value(const struct argdesc *d, const char *v)
{
	const struct typeinfo *t = cmd_type_info(d->type);
	const char *what = arg_what(d);

	if (t->check)
		return t->check(what, v);
	for (const char *s = t->meta; t->choices; s++) {
		size_t n = strcspn(s, "|");
		if (strlen(v) == n && strncmp(s, v, n) == 0)
			return NULL;
		s += n;
		if (!*s) /* two choices: "expected make or buy" */
			return ap_error_fmt(
			    AP_EXIT_USAGE,
			    "invalid %s '%s': expected %.*s or %s", what,
			    shown(v), (int)strcspn(t->meta, "|"), t->meta,
			    strchr(t->meta, '|') + 1);
	}
	return NULL;
}

/* The values of the arguments of type t, in the order of the usage. */
static const struct ap_error *
check_type(const struct command *cmd, const struct args *a, enum argtype t)
{
	const struct ap_error *err = NULL;
	int k = 0;

	for (const struct argref *r = cmd->args; r && r->d && !err; r++) {
		const char *v;
		if (is_opt(r->d)) {
			if (r->d->type == t && (v = opt_val(a, r->d->name + 2)))
				err = check_value(r->d, v);
			continue;
		}
		for (int i = k; r->d->type == t && i < a->npos && !err &&
				(i == k || (r->flags & REF_REPEATS));
		     i++)
			err = check_value(r->d, a->pos[i]);
		k++;
	}
	return err;
}

const struct ap_error *
prevalidate(const struct command *cmd, const struct args *a)
{
	const struct ap_error *err;

	for (int t = 0; t <= AT_CHECKED; t++)
		if ((err = check_type(cmd, a, (enum argtype)t)))
			return err;
	/* a period that ends before it starts holds nothing: say so */
	const char *since = opt_val(a, "since"), *until = opt_val(a, "until");
	if (since && until && strcmp(since, until) > 0)
		return ap_error_fmt(AP_EXIT_USAGE,
				    "--since %s is after --until %s", since,
				    until);
	for (const struct argref *r = cmd->args; r && r->d; r++) {
		struct sbuf b = {0};
		if (!(r->flags & REF_REQUIRED) || opt_has(a, r->d->name + 2) ||
		    (r->unless && opt_has(a, r->unless)))
			continue;
		arg_usage(&b, r->d, r->flags);
		err = ap_error_fmt(AP_EXIT_USAGE, "%s%s%s needs %s%s",
				   cmd->group, cmd->verb ? " " : "",
				   cmd->verb ? cmd->verb : "", b.s ? b.s : "",
				   r->why ? r->why : "");
		sbuf_free(&b);
		return err;
	}
	return NULL;
}

/* ---- usage texts ---- */

static void
words(char *buf, size_t len, const struct command *k)
{
	snprintf(buf, len, "%s%s%s", k->group, k->verb ? " " : "",
		 k->verb ? k->verb : "");
}

/* The global options, one a line, the ARG_LAST ones last. */
static void
usage_globals(FILE *f)
{
	for (int last = 0; last < 2; last++)
		for (const struct argdesc *d = global_opts; d->name; d++) {
			char left[32];
			if (!(d->flags & ARG_LAST) != !last)
				continue;
			if (d->short_name)
				snprintf(left, sizeof(left), "-%c, %s",
					 d->short_name, d->name);
			else if (d->type != AT_FLAG)
				snprintf(left, sizeof(left), "%s %s", d->name,
					 arg_meta(d));
			else
				snprintf(left, sizeof(left), "%s", d->name);
			fprintf(f, "  %-15s ", left);
			for (const char *s = d->help; *s; s++) {
				fputc(*s, f);
				if (*s == '\n')
					fprintf(f, "%18s", "");
			}
			fputc('\n', f);
		}
}

void
usage_all(FILE *f)
{
	char w[64], syn[128];

	global_synopsis(syn, sizeof(syn), 1);
	fprintf(f,
		"usage: aiproj %s COMMAND [ARGS]\n\n"
		"Track AI projects through their lifecycle: stages, gates, "
		"roles, decisions,\nKPIs and the full history of "
		"transitions.\n\nCommands:\n",
		syn);
	for (const struct command *k = commands; k->group; k++) {
		if (k->flags & CMD_HIDDEN)
			continue;
		words(w, sizeof(w), k);
		fprintf(f, "  %-18s ", w);
		text_wrap(f, k->summary, 21, 21);
		fputc('\n', f);
	}
	fputs("\nGlobal options:\n", f);
	usage_globals(f);
	fputs(
	    "\nExit status: 0 ok, 1 check does not hold, 2 usage, 3 not found,"
	    "\n4 refused by the lifecycle, 5 conflict, 6 bad input file, 7"
	    " store error,\n8 unavailable, try again (store busy, server"
	    " unreachable),\n9 done, but a hook failed (--strict-hooks).\n"
	    "See aiproj(1).\n",
	    f);
}

void
usage_group(FILE *f, const char *group)
{
	char w[64], u[256];

	fprintf(f, "usage: aiproj %s COMMAND [ARGS]\n\n", group);
	for (const struct command *k = commands; k->group; k++)
		if (strcmp(k->group, group) == 0) {
			words(w, sizeof(w), k);
			usage_args(k, u, sizeof(u));
			fprintf(f, "  aiproj %s%s", w, *u ? " " : "");
			text_wrap(f, u, 10 + (int)strlen(w), 10);
			fputs("\n      ", f);
			text_wrap(f, k->summary, 6, 6);
			fputc('\n', f);
		}
	fprintf(f, "\nRun 'aiproj %s COMMAND --help' for more.\n", group);
}

void
usage_cmd(FILE *f, const struct command *k)
{
	char w[64], u[256], syn[128];
	int numbers = 0;

	words(w, sizeof(w), k);
	usage_args(k, u, sizeof(u));
	fprintf(f, "usage: aiproj %s%s", w, *u ? " " : "");
	text_wrap(f, u, 14 + (int)strlen(w) + (*u ? 1 : 0), 8);
	fputs("\n\n", f);
	text_wrap(f, k->summary, 0, 0);
	fprintf(f, "\n\nexample:\n  %s\n", k->example);
	fputs("\nformats:", f);
	for (int bit = 1; bit > 0 && strcmp(format_name(bit), "?") != 0;
	     bit <<= 1)
		if (k->formats & bit)
			fprintf(f, " %s", format_name(bit));
	global_synopsis(syn, sizeof(syn), 0);
	fprintf(f, "\nglobal options: %s\n", syn);
	for (const struct argref *r = k->args; r && r->d; r++)
		numbers |= cmd_type_info(r->d->type)->number;
	if (numbers)
		fputs("numbers: see \"Numbers\" in aiproj(1)\n", f);
	for (const struct argref *r = k->args; r && r->d; r++)
		if (r->d->type == AT_SORT)
			fprintf(f,
				"sort fields: %s\n  (-FIELD descending;"
				" FIELD,FIELD: then by the second);\n"
				"filters: see \"Filters\" in aiproj(1)\n",
				sort_fields_list());
}
