/*
 * test_yaml.c - unit tests of the YAML layer: yaml_load() and its limits,
 * lifecycle_parse() on the embedded default and on bad lifecycles, and the
 * yemit emitter.  Every error must read FILE:LINE:COLUMN with 1-based line
 * and column.
 */
#include "aiproj/embedded.h"
#include "aiproj/lifecycle.h"
#include "aiproj/util.h"
#include "aiproj/chain.h"
#include "aiproj/portfolio.h"
#include "aiproj/yamlio.h"
#include "testutil.h"

/* Load `len` bytes; expect success (msg NULL) or exactly this message. */
static void
load_expect(const char *buf, size_t len, const char *msg, const char *label)
{
	struct ynode *root = (struct ynode *)1;
	const struct ap_error *err = yaml_load(buf, len, "t.yaml", &root);

	if (!msg) {
		if (err)
			fail_msg("%s: unexpected error: %s", label, err->msg);
		assert_non_null(root);
		ynode_free(root);
		return;
	}
	if (!err) {
		ynode_free(root);
		fail_msg("%s: expected '%s', got success", label, msg);
	}
	if (root != NULL)
		fail_msg("%s: root not reset on error", label);
	if (err->code != AP_EXIT_INPUT || strcmp(err->msg, msg) != 0)
		fail_msg("%s:\n  expected %d '%s'\n  got      %d '%s'", label,
			 AP_EXIT_INPUT, msg, err->code, err->msg);
}

static void
load_str(const char *buf, const char *msg, const char *label)
{
	load_expect(buf, strlen(buf), msg, label);
}

/* ---- the tree ---- */

static void
test_load_tree(void **state)
{
	const char *doc = "# a comment\n"
			  "name: churn\n"
			  "list: [a, 'b c', \"d\"]\n"
			  "nested:\n"
			  "  deep:\n"
			  "    - x: 1\n"
			  "      y: |\n"
			  "        two\n"
			  "        lines\n"
			  "empty: ''\n";
	struct ynode *root = NULL, *v, *item;

	(void)state;
	assert_null(yaml_load(doc, strlen(doc), "t.yaml", &root));
	assert_non_null(root);
	assert_int_equal(root->type, Y_MAP);
	assert_int_equal(root->n, 8); /* key, value, ... */
	assert_int_equal(root->line, 2);
	assert_int_equal(root->col, 1);
	assert_string_equal(root->kids[0]->str, "name");
	assert_int_equal(root->kids[0]->line, 2);
	assert_int_equal(root->kids[0]->col, 1);

	v = ymap_get(root, "name");
	assert_non_null(v);
	assert_int_equal(v->type, Y_SCALAR);
	assert_string_equal(v->str, "churn");
	assert_true(v->plain);
	assert_int_equal(v->line, 2);
	assert_int_equal(v->col, 7);

	v = ymap_get(root, "list");
	assert_int_equal(v->type, Y_SEQ);
	assert_int_equal(v->n, 3);
	assert_int_equal(v->line, 3);
	assert_int_equal(v->col, 7);
	assert_string_equal(v->kids[1]->str, "b c");
	assert_false(v->kids[1]->plain);
	assert_int_equal(v->kids[1]->col, 11);
	assert_false(v->kids[2]->plain);

	v = ymap_get(ymap_get(root, "nested"), "deep");
	assert_non_null(v);
	assert_int_equal(v->type, Y_SEQ);
	assert_int_equal(v->n, 1);
	item = v->kids[0];
	assert_int_equal(item->type, Y_MAP);
	assert_int_equal(item->line, 6);
	assert_int_equal(item->col, 7);
	assert_string_equal(ymap_get(item, "y")->str, "two\nlines\n");
	assert_int_equal(ymap_get(item, "x")->line, 6);
	assert_int_equal(ymap_get(item, "x")->col, 10);

	v = ymap_get(root, "empty");
	assert_string_equal(v->str, "");
	assert_false(v->plain);

	assert_null(ymap_get(root, "missing"));
	assert_null(ymap_get(ymap_get(root, "name"), "x")); /* not a map */
	assert_null(ymap_get(NULL, "x"));
	ynode_free(root);
	ynode_free(NULL);
}

static void
test_load_scalar_root(void **state)
{
	struct ynode *root = NULL;

	(void)state;
	assert_null(yaml_load("just text", 9, "t.yaml", &root));
	assert_int_equal(root->type, Y_SCALAR);
	assert_string_equal(root->str, "just text");
	ynode_free(root);
	/* core tags are fine */
	assert_null(yaml_load("a: !!str 5\n", 11, "t.yaml", &root));
	assert_string_equal(ymap_get(root, "a")->str, "5");
	ynode_free(root);
	/* a document end marker is still one document */
	load_str("a: 1\n...\n", NULL, "document end marker");
	load_str("---\na: 1\n", NULL, "explicit document start");
}

/* ---- limits ---- */

static char *
nested_flow(int depth)
{
	char *s = malloc((size_t)depth * 2 + 2);

	assert_non_null(s);
	memset(s, '[', (size_t)depth);
	memset(s + depth, ']', (size_t)depth);
	s[2 * depth] = '\n';
	s[2 * depth + 1] = '\0';
	return s;
}

static void
test_nesting_limit(void **state)
{
	char *s;
	struct ynode *root = NULL, *n;
	int depth = 0;

	(void)state;
	s = nested_flow(YAML_MAX_DEPTH);
	assert_null(yaml_load(s, strlen(s), "t.yaml", &root));
	for (n = root; n && n->type == Y_SEQ; n = n->n ? n->kids[0] : NULL)
		depth++;
	assert_int_equal(depth, 64);
	ynode_free(root);
	free(s);

	s = nested_flow(YAML_MAX_DEPTH + 1);
	load_str(s, "t.yaml:1:65: nesting deeper than 64 levels", "65 deep");
	free(s);

	/* far deeper is refused as fast, at the same place */
	s = nested_flow(100000);
	load_str(s, "t.yaml:1:65: nesting deeper than 64 levels",
		 "100000 deep");
	free(s);
}

static void
test_nesting_limit_block(void **state)
{
	char buf[8192];
	size_t o = 0;

	(void)state;
	/* 65 block mappings, one per line, each indented one more */
	for (int i = 0; i < 65; i++) {
		memset(buf + o, ' ', (size_t)i);
		o += (size_t)i;
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s",
				      i < 64 ? "k:\n" : "k: 1\n");
	}
	load_str(buf, "t.yaml:65:65: nesting deeper than 64 levels",
		 "65 block maps");
	/* drop the innermost: 64 levels load */
	o = 0;
	for (int i = 0; i < 64; i++) {
		memset(buf + o, ' ', (size_t)i);
		o += (size_t)i;
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s",
				      i < 63 ? "k:\n" : "k: 1\n");
	}
	load_str(buf, NULL, "64 block maps");
}

struct load_case {
	const char *label, *in, *msg;
};

static const struct load_case refused_cases[] = {
    /* anchors and aliases */
    {"anchor on a scalar", "a: &x 1\nb: 2\n",
     "t.yaml:1:4: anchors are not allowed"},
    {"anchor on a mapping", "&top\na: 1\n",
     "t.yaml:1:1: anchors are not allowed"},
    {"anchor on a sequence", "a:\n  b: &s [1, 2]\n",
     "t.yaml:2:6: anchors are not allowed"},
    {"anchor then alias", "a: &x [1]\nb: *x\n",
     "t.yaml:1:4: anchors are not allowed"},
    {"alias alone", "a: 1\nb: *x\n", "t.yaml:2:4: aliases are not allowed"},
    {"alias in a list", "- *ref\n", "t.yaml:1:3: aliases are not allowed"},
    {"billion laughs", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
     "t.yaml:1:4: anchors are not allowed"},
    /* duplicate keys */
    {"duplicate key", "a: 1\nb: 2\na: 3\n", "t.yaml:3:1: duplicate key 'a'"},
    {"duplicate key, nested", "top:\n  x: 1\n  x: 2\n",
     "t.yaml:3:3: duplicate key 'x'"},
    {"duplicate key, flow", "{k: 1, k: 2}\n", "t.yaml:1:8: duplicate key 'k'"},
    {"duplicate key, quoted the other way", "k: 1\n\"k\": 2\n",
     "t.yaml:2:1: duplicate key 'k'"},
    /* multi-document */
    {"two documents", "a: 1\n---\nb: 2\n",
     "t.yaml:2:1: only one YAML document is allowed"},
    {"two explicit documents", "--- a\n--- b\n",
     "t.yaml:2:1: only one YAML document is allowed"},
    {"a document after an end marker", "a: 1\n...\n--- b\n",
     "t.yaml:3:1: only one YAML document is allowed"},
    {"a bare document after an end marker", "a: 1\n...\nb: 2\n",
     "t.yaml:3:1: did not find expected <document start>"},
    /* tags */
    {"local tag", "a: !foo 1\n", "t.yaml:1:4: tags are not allowed: '!foo'"},
    {"tag at the top", "!thing\na: 1\n",
     "t.yaml:1:1: tags are not allowed: '!thing'"},
    {"verbatim tag", "- !<tag:example.com,2000:x> 1\n",
     "t.yaml:1:3: tags are not allowed: 'tag:example.com,2000:x'"},
    {"tag on a sequence", "a: !list [1]\n",
     "t.yaml:1:4: tags are not allowed: '!list'"},
    /* empty */
    {"empty", "", "t.yaml:1:1: document is empty"},
    {"only a comment", "# nothing here\n", "t.yaml:1:1: document is empty"},
    {"only blank lines", "\n\n  \n", "t.yaml:1:1: document is empty"},
};

static void
test_refused_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(refused_cases); i++)
		load_str(refused_cases[i].in, refused_cases[i].msg,
			 refused_cases[i].label);
}

/* A collection used as a key is reported where the key is, not where it
 * ends. */
static void
test_non_scalar_key(void **state)
{
	(void)state;
	load_str("? [a]\n: 1\n", "t.yaml:1:3: mapping keys must be scalars",
		 "flow key");
	load_str("? a: 1\n  b: 2\n: v\n",
		 "t.yaml:1:3: mapping keys must be scalars",
		 "block mapping key");
}

static void
test_invalid_utf8(void **state)
{
	static const struct load_case cases[] = {
	    {"bad byte", "a: 1\nb: \xff\n",
	     "t.yaml:2:4: invalid UTF-8 or NUL byte"},
	    {"bad byte at the start",
	     "\xfe"
	     "a: 1\n",
	     "t.yaml:1:1: invalid UTF-8 or NUL byte"},
	    {"overlong", "a: \xc0\xaf\n",
	     "t.yaml:1:4: invalid UTF-8 or NUL byte"},
	    {"surrogate", "a: ok\nb: x\xed\xa0\x80\n",
	     "t.yaml:2:5: invalid UTF-8 or NUL byte"},
	    {"truncated", "k: \xe2\x82",
	     "t.yaml:1:4: invalid UTF-8 or NUL byte"},
	    {"after multibyte text", "\xc3\xa9\xc3\xa9: \x80\n",
	     "t.yaml:1:5: invalid UTF-8 or NUL byte"},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		load_str(cases[i].in, cases[i].msg, cases[i].label);
	/* a NUL byte inside the given length */
	load_expect("a: 1\nb\0c: 2\n", 12,
		    "t.yaml:2:2: invalid UTF-8 or NUL byte", "NUL byte");
	/* valid multibyte text is fine */
	load_str("caf\xc3\xa9: \xe2\x82\xac 5\n", NULL, "valid UTF-8");
}

/* libyaml's reader reports a byte offset, not a mark: the message must
 * still give the line and column of the bad character. */
static void
test_reader_error_position(void **state)
{
	(void)state;
	load_str("a: \x01\n", "t.yaml:1:4: control characters are not allowed",
		 "control character on line 1");
	load_str("a: 1\nb: 2\nc: \x01\n",
		 "t.yaml:3:4: control characters are not allowed",
		 "control character on line 3");
	load_str("a: 1\nb: x\x7fy\n",
		 "t.yaml:2:5: control characters are not allowed",
		 "DEL on line 2");
}

static void
test_syntax_error_position(void **state)
{
	struct ynode *root = (struct ynode *)1;
	const struct ap_error *err;

	(void)state;
	err = yaml_load("a: 1\nb: [1, 2\n", 14, "s.yaml", &root);
	assert_non_null(err);
	assert_int_equal(err->code, AP_EXIT_INPUT);
	assert_null(root);
	/* 1-based: the problem is reported on line 3 (end of input), never
	 * on a line 0 or column 0 */
	assert_contains(err->msg, "s.yaml:3:1: ");
	err = yaml_load("a: b: c\n", 8, "s.yaml", &root);
	assert_non_null(err);
	assert_int_equal(err->code, AP_EXIT_INPUT);
	assert_contains(err->msg, "s.yaml:1:5: ");
	err = yaml_load("key: 'open\n", 11, "s.yaml", &root);
	assert_non_null(err);
	assert_contains(err->msg, "s.yaml:2:1: ");
}

static void
test_size_limit(void **state)
{
	size_t max = YAML_MAX_BYTES;
	char *buf = malloc(max + 2);
	struct ynode *root = NULL;

	(void)state;
	assert_int_equal(max, 16u << 20);
	assert_non_null(buf);
	/* exactly 16 MiB: a key and a long comment */
	memset(buf, '#', max + 1);
	memcpy(buf, "a: 1\n", 5);
	buf[max - 1] = '\n';
	buf[max] = '\0';
	assert_null(yaml_load(buf, max, "t.yaml", &root));
	assert_string_equal(ymap_get(root, "a")->str, "1");
	ynode_free(root);
	/* one byte more is refused before parsing */
	buf[max - 1] = '#';
	buf[max] = '\n';
	buf[max + 1] = '\0';
	load_expect(buf, max + 1,
		    "t.yaml:1:1: document is 16777217 bytes; at most 16777216"
		    " are allowed",
		    "16 MiB + 1");
	free(buf);
}

static void
test_scalar_limit(void **state)
{
	size_t n = YAML_MAX_SCALAR;
	char *buf = malloc(n + 16);
	struct ynode *root = NULL;

	(void)state;
	assert_non_null(buf);
	memcpy(buf, "k: ", 3);
	memset(buf + 3, 'x', n);
	strcpy(buf + 3 + n, "\n");
	assert_null(yaml_load(buf, strlen(buf), "t.yaml", &root));
	assert_int_equal(strlen(ymap_get(root, "k")->str), n);
	ynode_free(root);
	memset(buf + 3, 'x', n + 1);
	strcpy(buf + 4 + n, "\n");
	load_str(buf, "t.yaml:1:4: scalar is longer than 65536 bytes",
		 "64 KiB + 1 scalar");
	free(buf);
}

/* (buf, len) is the document: bytes after len are not part of it. */
static void
test_len_bounds_the_document(void **state)
{
	const char *buf = "a: 1\xff\xff garbage";
	struct ynode *root = NULL;
	const struct ap_error *err;

	(void)state;
	err = yaml_load(buf, 4, "t.yaml", &root);
	if (err)
		fail_msg("yaml_load read past len: %s", err->msg);
	assert_string_equal(ymap_get(root, "a")->str, "1");
	ynode_free(root);
}

/* ---- lifecycle_parse: the embedded default ---- */

static void
test_default_lifecycle(void **state)
{
	static const char *const roles[] = {"sponsor",       "data-analyst",
					    "data-engineer", "data-scientist",
					    "ai-engineer",   "devops"};
	/* the default lifecycle's RACI letters by role, in the order above */
	static const struct {
		const char *slug, *name, *raci;
		int decision, kpi;
	} stages[] = {
	    {"feasibility", "Feasibility", "ACIIRI", 1, 1},
	    {"data-preparation", "Data preparation", "IRAIII", 0, 0},
	    {"prototyping-testing", "Prototyping & testing", "IIRARI", 0, 0},
	    {"productization", "Productization", "ICAIRR", 0, 0},
	    {"deployment", "Deployment", "IIIIIA", 0, 0},
	};
	struct lifecycle lc;
	const struct ap_error *err;
	int idx = -1;

	(void)state;
	err = lifecycle_parse(lifecycle_default_yaml,
			      strlen(lifecycle_default_yaml), "lifecycle.yaml",
			      &lc);
	if (err)
		fail_msg("default lifecycle: %s", err->msg);
	assert_int_equal(lc.nroles, 6);
	for (size_t r = 0; r < N_ELEMS(roles); r++) {
		assert_string_equal(lc.roles[r].slug, roles[r]);
		assert_true(strlen(lc.roles[r].name) > 0);
		assert_true(strlen(lc.roles[r].description) > 0);
	}
	assert_string_equal(lc.roles[0].name, "Sponsor");
	assert_int_equal(lc.nstages, 5);
	for (size_t s = 0; s < N_ELEMS(stages); s++) {
		char raci[LC_MAX_ROLES + 1] = "";
		for (size_t r = 0; r < lc.nroles; r++)
			strcat(raci, raci_letter(lc.stages[s].raci[r]));
		assert_string_equal(lc.stages[s].slug, stages[s].slug);
		assert_string_equal(lc.stages[s].name, stages[s].name);
		if (strcmp(raci, stages[s].raci) != 0)
			fail_msg("stage %s: RACI %s, want %s", stages[s].slug,
				 raci, stages[s].raci);
		assert_int_equal(lc.stages[s].requires_decision,
				 stages[s].decision);
		assert_int_equal(lc.stages[s].requires_kpi, stages[s].kpi);
		assert_true(lc.stages[s].ncriteria > 0);
	}
	/* the seed's default exit criteria (schemas/lifecycle.yaml) */
	{
		struct sbuf all = {0};
		for (size_t k = 0; k < lc.stages[0].ncriteria; k++)
			sbuf_printf(&all, "%s\n", lc.stages[0].criteria[k]);
		for (size_t k = 0; k < lc.stages[1].ncriteria; k++)
			sbuf_printf(&all, "%s\n", lc.stages[1].criteria[k]);
		if (!strstr(all.s, "re-training") ||
		    !strstr(all.s, "feedback") ||
		    !strstr(all.s, "monitoring and alerting") ||
		    !strstr(all.s, "anomalies") ||
		    !strstr(all.s, "imputation") ||
		    !strstr(all.s, "idempotent")) {
			sbuf_free(&all);
			lifecycle_free(&lc);
			fail_msg("default criteria miss the seed's");
		}
		sbuf_free(&all);
	}
	for (size_t c = 0; c < lc.ncomponents; c++) {
		assert_true(lc.components[c].owner >= 0);
		assert_true((size_t)lc.components[c].owner < lc.nroles);
	}
	/* parallel stages and sign-offs: prototyping starts after
	 * feasibility; productization asks an ai-engineer sign-off */
	for (size_t s = 0; s < lc.nstages; s++) {
		int ns = 0;
		for (size_t r = 0; r < lc.nroles; r++)
			ns += lc.stages[s].signoff[r];
		assert_int_equal(lc.stages[s].starts_after, s == 2 ? 0 : -1);
		assert_int_equal(ns, s == 3);
	}
	assert_true(lc.stages[3].signoff[lifecycle_role(&lc, "ai-engineer")]);
	assert_non_null(strstr(lifecycle_default_yaml,
			       "prototyping and testing phase\n    # can"
			       " start."));
	assert_non_null(strstr(lifecycle_default_yaml,
			       "AI engineers ... decide on deployment"
			       " readiness and monitoring."));
	assert_int_equal(lifecycle_accountable(&lc, 0), 0);
	assert_null(lifecycle_resolve_stage(&lc, "proto", &idx));
	assert_int_equal(idx, 2);
	/* "Monitoring ... re-training": a breach goes back there */
	assert_int_equal(lc.on_breach, 2);
	/* a bought product still goes to production: productization */
	assert_int_equal(lc.on_buy, 3);
	assert_non_null(strstr(lifecycle_default_yaml,
			       "The outcome of this stage is a BUY/MAKE"
			       " decision."));
	lifecycle_free(&lc);
	assert_int_equal(lc.nstages, 0);
}

/* ---- lifecycle_parse: bad lifecycles ---- */

#define HEAD                                                                   \
	"aiproj-lifecycle: 1\n"                                                \
	"roles:\n"                                                             \
	"  - slug: a\n"                                                        \
	"    name: A\n"                                                        \
	"  - slug: b\n"                                                        \
	"    name: B\n"

struct lc_case {
	const char *label, *doc;
	const char *msgs; /* every expected line, '\n'-separated, in order */
};

static const struct lc_case lc_cases[] = {
    {"valid",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "    accountable: a\n"
	  "    responsible: [b]\n",
     NULL},
    {"on_breach names a stage",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "on_breach: one\n",
     NULL},
    {"on_breach names no stage",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "on_breach: two\n",
     "bad.yaml:10:12: unknown stage 'two'"},
    {"on_breach is not a scalar",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "on_breach: [one]\n",
     "bad.yaml:10:12: expected a stage slug for on_breach"},
    {"on_buy names a later stage",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "    requires: [decision]\n"
	  "  - slug: two\n"
	  "    name: Two\n"
	  "on_buy: two\n",
     NULL},
    {"on_buy close",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "    requires: [decision]\n"
	  "on_buy: close\n",
     NULL},
    {"on_buy names no stage",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "on_buy: two\n",
     "bad.yaml:10:9: unknown stage 'two'"},
    {"on_buy names the deciding stage",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "    requires: [decision]\n"
	  "  - slug: two\n"
	  "    name: Two\n"
	  "on_buy: one\n",
     "bad.yaml:13:9: on_buy names no stage later than where make or buy"
     " is decided 'one'"},
    {"on_buy is not a scalar",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "on_buy: [one]\n",
     "bad.yaml:10:9: expected close or a stage slug for on_buy"},
    {"starts_after and signoffs",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "  - slug: two\n"
	  "    name: Two\n"
	  "    starts_after: one\n"
	  "    signoffs: [a, b]\n",
     NULL},
    {"starts_after: itself, a later stage, unknown, a list",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "    starts_after: one\n"
	  "  - slug: two\n"
	  "    name: Two\n"
	  "    starts_after: three\n"
	  "  - slug: three\n"
	  "    name: Three\n"
	  "    starts_after: [one]\n"
	  "  - slug: four\n"
	  "    name: Four\n"
	  "    starts_after: nine\n",
     "bad.yaml:10:19: starts_after names no earlier stage 'one'\n"
     "bad.yaml:13:19: starts_after names no earlier stage 'three'\n"
     "bad.yaml:16:19: expected a stage slug\n"
     "bad.yaml:19:19: starts_after names no earlier stage 'nine'"},
    {"signoffs: unknown role, twice",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "    signoffs: [a, zz, a]\n",
     "bad.yaml:10:19: unknown role 'zz'\n"
     "bad.yaml:10:23: role named twice in signoffs 'a'"},
    {"signoffs: the accountable role",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "    accountable: a\n"
	  "    signoffs: [b, a]\n",
     "bad.yaml:11:19: the stage's accountable role approves its gate; a"
     " sign-off must come from another role 'a'"},
    {"unknown key in a stage",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "    gate: x\n",
     "bad.yaml:10:5: unknown key 'gate'"},
    {"unknown key at the top",
     "aiproj-lifecycle: 1\n"
     "colour: blue\n"
     "roles: []\n"
     "stages:\n"
     "  - slug: one\n"
     "    name: One\n",
     "bad.yaml:2:1: unknown key 'colour'"},
    {"unknown role in RACI",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "    responsible: [b, ghost]\n",
     "bad.yaml:10:22: unknown role 'ghost'"},
    {"unknown accountable role",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "    accountable: boss\n",
     "bad.yaml:10:18: unknown role 'boss'"},
    {"two accountable roles",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "    accountable: [a, b]\n",
     "bad.yaml:10:18: a stage has one accountable role"},
    {"a role both A and R",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "    accountable: a\n"
	  "    responsible: [a]\n",
     "bad.yaml:11:19: role named twice for the stage 'a'"},
    {"duplicate stage slug",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "  - slug: one\n"
	  "    name: Two\n",
     "bad.yaml:10:11: duplicate stage 'one'"},
    {"duplicate stage name",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: Same\n"
	  "  - slug: two\n"
	  "    name: same\n",
     "bad.yaml:11:11: duplicate stage name 'same'"},
    {"all-digit slug",
     HEAD "stages:\n"
	  "  - slug: 123\n",
     "bad.yaml:8:11: invalid stage slug (use a-z 0-9 -, not only digits)"
     " '123'"},
    {"slug with capitals",
     HEAD "stages:\n"
	  "  - slug: One\n",
     "bad.yaml:8:11: invalid stage slug (use a-z 0-9 -, not only digits)"
     " 'One'"},
    {"missing stages", HEAD, "bad.yaml:1:1: missing key 'stages'"},
    {"no stages", HEAD "stages: []\n",
     "bad.yaml:7:9: a lifecycle needs at least one stage"},
    {"stages not a list", HEAD "stages: one\n",
     "bad.yaml:7:9: expected a list for 'stages'"},
    {"wrong version",
     "aiproj-lifecycle: 2\n"
     "roles: []\n"
     "stages:\n"
     "  - slug: one\n"
     "    name: One\n",
     "bad.yaml:1:19: unsupported lifecycle format version (want 1)"},
    {"missing version",
     "roles: []\n"
     "stages:\n"
     "  - slug: one\n"
     "    name: One\n",
     "bad.yaml:1:1: missing key 'aiproj-lifecycle'"},
    {"unknown requirement",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "    requires: [decision, budget]\n",
     "bad.yaml:10:26: unknown requirement (decision or kpi) 'budget'"},
    {"requirement named twice",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "    requires: [kpi, decision, kpi]\n",
     "bad.yaml:10:31: named twice in requires 'kpi'"},
    {"duplicate role",
     "aiproj-lifecycle: 1\n"
     "roles:\n"
     "  - slug: a\n"
     "    name: A\n"
     "  - slug: a\n"
     "    name: A again\n"
     "stages:\n"
     "  - slug: one\n"
     "    name: One\n",
     "bad.yaml:5:11: duplicate role 'a'"},
    {"component with an unknown owner",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    name: One\n"
	  "components:\n"
	  "  - name: model\n"
	  "    owner: ghost\n",
     "bad.yaml:12:12: unknown role 'ghost'"},
    {"stage without a name",
     HEAD "stages:\n"
	  "  - slug: one\n"
	  "    accountable: a\n",
     "bad.yaml:8:5: missing key 'name'"},
    {"role without a name",
     "aiproj-lifecycle: 1\n"
     "roles:\n"
     "  - slug: a\n"
     "    description: no name\n"
     "stages:\n"
     "  - slug: one\n"
     "    name: One\n",
     "bad.yaml:3:5: missing key 'name'"},
    {"not a mapping", "- a\n- b\n",
     "bad.yaml:1:1: expected a mapping at the top"},
    {"every problem at once",
     "aiproj-lifecycle: 2\n"      /* 1 */
     "colour: blue\n"             /* 2 */
     "roles:\n"                   /* 3 */
     "  - slug: a\n"              /* 4 */
     "    name: A\n"              /* 5 */
     "    nmae: typo\n"           /* 6 */
     "  - slug: b\n"              /* 7 */
     "    name: B\n"              /* 8 */
     "stages:\n"                  /* 9 */
     "  - slug: one\n"            /* 10 */
     "    name: One\n"            /* 11 */
     "    accountable: [a, b]\n"  /* 12 */
     "    responsible: [ghost]\n" /* 13 */
     "  - slug: one\n"            /* 14 */
     "    name: Uno\n"            /* 15 */
     "  - slug: \"42\"\n"         /* 16 */
     "    name: Number\n"         /* 17 */
     "    gate: x\n",             /* 18 */
     "bad.yaml:2:1: unknown key 'colour'\n"
     "bad.yaml:1:19: unsupported lifecycle format version (want 1)\n"
     "bad.yaml:6:5: unknown key 'nmae'\n"
     "bad.yaml:12:18: a stage has one accountable role\n"
     "bad.yaml:13:19: unknown role 'ghost'\n"
     "bad.yaml:14:11: duplicate stage 'one'\n"
     "bad.yaml:18:5: unknown key 'gate'\n"
     "bad.yaml:16:11: invalid stage slug (use a-z 0-9 -, not only digits)"
     " '42'"},
    /* names that would make a stage or role argument ambiguous */
    {"a stage name that is a number",
     HEAD "stages:\n"         /* 7 */
	  "  - slug: one\n"   /* 8 */
	  "    name: \"2\"\n" /* 9 */
	  "  - slug: two\n"   /* 10 */
	  "    name: Two\n",  /* 11 */
     "bad.yaml:9:11: stage name is a number, which would shadow stage"
     " numbers '2'"},
    {"a stage name equal to another stage's slug",
     HEAD "stages:\n"        /* 7 */
	  "  - slug: one\n"  /* 8 */
	  "    name: Two\n"  /* 9 */
	  "  - slug: two\n"  /* 10 */
	  "    name: One\n", /* 11 */
     "bad.yaml:10:11: stage slug equal to the name of another stage 'two'\n"
     "bad.yaml:11:11: stage name equal to the slug of another stage 'One'"},
    {"role names alike",
     "aiproj-lifecycle: 1\n" /* 1 */
     "roles:\n"              /* 2 */
     "  - slug: a\n"         /* 3 */
     "    name: Boss\n"      /* 4 */
     "  - slug: b\n"         /* 5 */
     "    name: BOSS\n"      /* 6 */
     "  - slug: c\n"         /* 7 */
     "    name: A\n"         /* 8 */
     "stages:\n"             /* 9 */
     "  - slug: one\n"       /* 10 */
     "    name: One\n",      /* 11 */
     "bad.yaml:6:11: duplicate role name (in any case) 'BOSS'\n"
     "bad.yaml:8:11: role name equal to the slug of another role 'A'"},
    {"criteria alike in a stage",
     HEAD "stages:\n"        /* 7 */
	  "  - slug: one\n"  /* 8 */
	  "    name: One\n"  /* 9 */
	  "    criteria:\n"  /* 10 */
	  "      - Tested\n" /* 11 */
	  "      - tested\n" /* 12 */
	  "      - \" \"\n", /* 13 */
     "bad.yaml:12:9: duplicate criterion in the stage 'tested'\n"
     "bad.yaml:13:9: expected a criterion text (1-4096 bytes, not only"
     " spaces)"},
};

static void
test_lifecycle_bad_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(lc_cases); i++) {
		const struct lc_case *c = &lc_cases[i];
		struct lifecycle lc;
		const struct ap_error *err;
		size_t want_lines = 1, got_lines = 1;
		char *want;

		memset(&lc, 0xa5, sizeof(lc)); /* parse must reset it */
		err = lifecycle_parse(c->doc, strlen(c->doc), "bad.yaml", &lc);
		if (!c->msgs) {
			if (err)
				fail_msg("%s: unexpected error: %s", c->label,
					 err->msg);
			lifecycle_free(&lc);
			continue;
		}
		if (!err) {
			lifecycle_free(&lc);
			fail_msg("%s: accepted", c->label);
		}
		if (err->code != AP_EXIT_INPUT)
			fail_msg("%s: code %d: %s", c->label, err->code,
				 err->msg);
		/* every expected line is there, and nothing else */
		want = strdup(c->msgs);
		assert_non_null(want);
		for (char *save = NULL, *l = strtok_r(want, "\n", &save); l;
		     l = strtok_r(NULL, "\n", &save)) {
			const char *p = strstr(err->msg, l);
			size_t n = strlen(l);
			if (!p || (p != err->msg && p[-1] != '\n') ||
			    (p[n] != '\0' && p[n] != '\n')) {
				char copy[256];
				snprintf(copy, sizeof(copy), "%s", l);
				free(want);
				fail_msg("%s: missing line '%s' in:\n%s",
					 c->label, copy, err->msg);
			}
		}
		free(want);
		for (const char *p = c->msgs; *p; p++)
			want_lines += *p == '\n';
		for (const char *p = err->msg; *p; p++)
			got_lines += *p == '\n';
		if (want_lines != got_lines)
			fail_msg("%s: %zu lines, want %zu:\n%s", c->label,
				 got_lines, want_lines, err->msg);
		/* nothing is handed back on failure */
		assert_int_equal(lc.nstages, 0);
		assert_int_equal(lc.nroles, 0);
		assert_null(lc.components);
	}
}

static void
test_lifecycle_custom(void **state)
{
	const char *doc = "aiproj-lifecycle: 1\n"
			  "roles:\n"
			  "  - slug: owner\n"
			  "    name: Owner\n"
			  "    description: Owns it\n"
			  "  - slug: builder\n"
			  "    name: Builder\n"
			  "stages:\n"
			  "  - slug: plan\n"
			  "    name: Plan\n"
			  "    accountable: owner\n"
			  "    consulted: builder\n"
			  "    requires: [kpi]\n"
			  "    criteria:\n"
			  "      - Scope agreed\n"
			  "  - slug: build\n"
			  "    name: Build\n"
			  "    accountable: builder\n"
			  "    requires: [decision]\n"
			  "  - slug: ship\n"
			  "    name: Ship\n"
			  "    responsible: [builder, owner]\n"
			  "components:\n"
			  "  - name: app\n"
			  "    owner: builder\n";
	struct lifecycle lc;
	const struct ap_error *err;

	(void)state;
	err = lifecycle_parse(doc, strlen(doc), "c.yaml", &lc);
	if (err)
		fail_msg("custom lifecycle: %s", err->msg);
	assert_int_equal(lc.nroles, 2);
	assert_int_equal(lc.nstages, 3);
	assert_string_equal(lc.roles[0].description, "Owns it");
	assert_string_equal(lc.roles[1].description, "");
	assert_int_equal(lc.stages[0].raci[0], RACI_A);
	assert_int_equal(lc.stages[0].raci[1], RACI_C);
	assert_true(lc.stages[0].requires_kpi);
	assert_false(lc.stages[0].requires_decision);
	assert_int_equal(lc.stages[0].ncriteria, 1);
	assert_string_equal(lc.stages[0].criteria[0], "Scope agreed");
	assert_string_equal(lc.stages[1].name, "Build");
	assert_true(lc.stages[1].requires_decision);
	assert_int_equal(lc.stages[1].ncriteria, 0);
	assert_int_equal(lifecycle_accountable(&lc, 2), -1);
	/* no on_breach and no prototyping-testing stage: none */
	assert_int_equal(lc.on_breach, -1);
	/* no on_buy and no productization stage: a buy closes */
	assert_int_equal(lc.on_buy, -1);
	assert_int_equal(lc.stages[2].raci[0], RACI_R);
	assert_int_equal(lc.stages[2].raci[1], RACI_R);
	assert_int_equal(lc.ncomponents, 1);
	assert_string_equal(lc.components[0].name, "app");
	assert_int_equal(lc.components[0].owner, 1);
	lifecycle_free(&lc);
}

/* A store's own lifecycle, made before the ambiguity checks, still loads;
 * a file with it is refused. */
static void
test_lifecycle_stored_is_lenient(void **state)
{
	const char *doc = HEAD "stages:\n"
			       "  - slug: one\n"
			       "    name: Two\n"
			       "    accountable: a\n"
			       "    signoffs: [a]\n"
			       "  - slug: two\n"
			       "    name: \"1\"\n"
			       "    criteria: [x, X]\n";
	struct lifecycle lc;
	const struct ap_error *err;

	(void)state;
	err = lifecycle_parse_stored(doc, strlen(doc), "store", &lc);
	if (err)
		fail_msg("stored lifecycle refused: %s", err->msg);
	assert_int_equal(lc.nstages, 2);
	assert_int_equal(lc.stages[1].ncriteria, 2);
	lifecycle_free(&lc);
	err = lifecycle_parse(doc, strlen(doc), "f.yaml", &lc);
	assert_non_null(err);
	assert_int_equal(err->code, AP_EXIT_INPUT);
}

static void
test_lifecycle_yaml_errors_pass_through(void **state)
{
	struct lifecycle lc;
	const struct ap_error *err;
	const char *doc = "aiproj-lifecycle: 1\nroles: &r []\n";

	(void)state;
	err = lifecycle_parse(doc, strlen(doc), "x.yaml", &lc);
	assert_non_null(err);
	assert_int_equal(err->code, AP_EXIT_INPUT);
	assert_string_equal(err->msg, "x.yaml:2:8: anchors are not allowed");
	assert_int_equal(lc.nstages, 0);
	err = lifecycle_parse("", 0, "x.yaml", &lc);
	assert_non_null(err);
	assert_string_equal(err->msg, "x.yaml:1:1: document is empty");
}

/* ---- the emitter ---- */

static void
test_yemit_round_trip(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct yemit *y = NULL;
	struct ynode *root = NULL, *v;
	static const char *const retyped[] = {
	    "yes", "No", "on",   "OFF", "true",       "null",  "~",    "1.5",
	    "42",  "-7", "0x1F", "1e3", "2026-01-01", "12:30", ".inf", ""};

	(void)state;
	assert_non_null(f);
	assert_null(yemit_open(f, &y));
	yemit_map(y);
	yemit_str(y, "aiproj");
	yemit_plain(y, "1");
	yemit_str(y, "name");
	yemit_str(y, "plain text");
	yemit_str(y, "none");
	yemit_str(y, NULL);
	yemit_str(y, "words");
	yemit_seq(y);
	for (size_t i = 0; i < N_ELEMS(retyped); i++)
		yemit_str(y, retyped[i]);
	yemit_end(y, 0);
	yemit_str(y, "multi");
	yemit_str(y, "line one\nline two: x");
	yemit_end(y, 1);
	assert_null(yemit_close(y));
	assert_int_equal(fclose(f), 0);

	assert_contains(text, "aiproj: 1\n");
	assert_contains(text, "name: plain text\n");
	assert_contains(text, "none: null\n");
	assert_contains(text, "\"yes\"");
	assert_contains(text, "\"1.5\"");
	assert_null(yaml_load(text, len, "out.yaml", &root));
	v = ymap_get(root, "aiproj");
	assert_string_equal(v->str, "1");
	assert_true(v->plain);
	v = ymap_get(root, "name");
	assert_string_equal(v->str, "plain text");
	assert_true(v->plain);
	v = ymap_get(root, "none");
	assert_string_equal(v->str, "null");
	assert_true(v->plain);
	v = ymap_get(root, "words");
	assert_int_equal(v->type, Y_SEQ);
	assert_int_equal(v->n, N_ELEMS(retyped));
	for (size_t i = 0; i < N_ELEMS(retyped); i++) {
		/* strings a reader would retype come back quoted */
		if (strcmp(v->kids[i]->str, retyped[i]) != 0 ||
		    v->kids[i]->plain)
			fail_msg("'%s' came back as %s '%s'", retyped[i],
				 v->kids[i]->plain ? "plain" : "quoted",
				 v->kids[i]->str);
	}
	assert_string_equal(ymap_get(root, "multi")->str,
			    "line one\nline two: x");
	ynode_free(root);
	free(text);
}

static void
test_yemit_write_error(void **state)
{
	FILE *f = fopen("/dev/null", "r");
	struct yemit *y = NULL;
	const struct ap_error *err;

	(void)state;
	assert_non_null(f);
	assert_null(yemit_open(f, &y));
	yemit_map(y);
	yemit_str(y, "k");
	yemit_str(y, "v");
	yemit_end(y, 1);
	err = yemit_close(y);
	fclose(f);
	assert_non_null(err);
	assert_int_equal(err->code, AP_EXIT_STORE);
	assert_string_equal(err->msg, "cannot write YAML output");
}

/* ---- the hash chains of an export's project (portfolio_chain.c) ---- */

struct chain_seen {
	int n;
	char what[8][64];
};

static void
on_chain(void *arg, const struct pf_chain_problem *p)
{
	struct chain_seen *s = arg;

	if (s->n < 8)
		snprintf(s->what[s->n], sizeof(s->what[0]), "%s%s%s %zu%s",
			 p->chain, p->kpi ? " " : "", p->kpi ? p->kpi : "",
			 p->index, p->missing ? " missing" : "");
	s->n++;
}

static const char *
hash_of(const struct ynode *project, const char *list, size_t i)
{
	const struct ynode *l = ymap_get(project, list);
	const struct ynode *h = ymap_get(l->kids[i], "hash");

	return h ? h->str : NULL;
}

static void
test_chain_project(void **state)
{
	static const char doc[] =
	    "name: p\n"
	    "kpis:\n"
	    "- name: auc\n"
	    "  readings:\n"
	    "  - {value: 0.5, actor: ann, at: '2026-01-02T00:00:00.000Z'}\n"
	    "history:\n"
	    "- {from: feasibility, to: data-preparation, kind: advance,\n"
	    "   actor: ann, reason: null, at: '2026-01-02T00:00:00.000Z'}\n"
	    "- {from: data-preparation, to: feasibility, kind: back,\n"
	    "   actor: bob, reason: why, at: '2026-01-03T00:00:00.000Z'}\n"
	    "approvals:\n"
	    "- {stage: feasibility, epoch: 0, person: ann, role: sponsor,\n"
	    "   note: null, at: '2026-01-01T00:00:00.000Z'}\n";
	const char *first[] = {"feasibility", "data-preparation",
			       "advance",     "ann",
			       NULL,          "2026-01-02T00:00:00.000Z"};
	const char *second[] = {
	    "data-preparation",        "feasibility", "back", "bob", "why",
	    "2026-01-03T00:00:00.000Z"};
	char h1[CHAIN_HEX], h2[CHAIN_HEX];
	struct chain_seen seen = {0};
	struct ynode *root;
	struct ynode *actor;

	(void)state;
	OK(yaml_load(doc, strlen(doc), "t", &root));
	/* no hashes, none required: every row gets the computed one */
	assert_int_equal(pf_chain_project(root, NULL, 1, 0, on_chain, &seen),
			 4);
	assert_int_equal(seen.n, 0);
	OK(chain_hash(CHAIN_HISTORY, chain_genesis, first, 6, h1));
	OK(chain_hash(CHAIN_HISTORY, h1, second, 6, h2));
	assert_string_equal(hash_of(root, "history", 0), h1);
	assert_string_equal(hash_of(root, "history", 1), h2);
	assert_non_null(hash_of(root, "approvals", 0));
	/* now they match: nothing to report, nothing recomputed */
	assert_int_equal(pf_chain_project(root, NULL, 1, 1, on_chain, &seen),
			 0);
	assert_int_equal(seen.n, 0);
	/* the first move's actor edited: the first row of that chain is
	 * named, once, and the other chains are intact */
	actor = ymap_get(ymap_get(root, "history")->kids[0], "actor");
	free(actor->str);
	actor->str = strdup("eve");
	assert_int_equal(pf_chain_project(root, NULL, 1, 1, on_chain, &seen),
			 2);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.what[0], "history 1");
	/* recomputed in the tree: checking again finds nothing */
	seen.n = 0;
	assert_int_equal(pf_chain_project(root, NULL, 1, 1, on_chain, &seen),
			 0);
	assert_int_equal(seen.n, 0);
	ynode_free(root);

	/* required but missing: named as missing */
	OK(yaml_load(doc, strlen(doc), "t", &root));
	assert_int_equal(pf_chain_project(root, NULL, 1, 1, on_chain, &seen),
			 4);
	assert_int_equal(seen.n, 3);
	assert_string_equal(seen.what[0], "history 1 missing");
	assert_string_equal(seen.what[1], "approval 1 missing");
	assert_string_equal(seen.what[2], "reading auc 1 missing");
	ynode_free(root);
}

/* YAML 1.2's core schema nulls, and only those, plain only. */
static void
test_ynode_is_null(void **state)
{
	static const char *const yes[] = {"", "~", "null", "Null", "NULL"};
	static const char *const no[] = {
	    "~~", "~ ",  "nul",   "nulls", "nULL", "NuLL", "n",
	    "N",  "Nul", "NULLS", "Nulls", "0",    "none", "false"};
	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++) {
		struct ynode *p = ynode_scalar(yes[i], 1),
			     *q = ynode_scalar(yes[i], 0);
		assert_non_null(p);
		assert_non_null(q);
		assert_true(ynode_is_null(p));
		assert_false(ynode_is_null(q)); /* quoted: a string */
		ynode_free(p);
		ynode_free(q);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++) {
		struct ynode *p = ynode_scalar(no[i], 1);
		assert_non_null(p);
		assert_false(ynode_is_null(p));
		ynode_free(p);
	}
	assert_false(ynode_is_null(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_load_tree),
	    cmocka_unit_test(test_load_scalar_root),
	    cmocka_unit_test(test_nesting_limit),
	    cmocka_unit_test(test_nesting_limit_block),
	    cmocka_unit_test(test_refused_table),
	    cmocka_unit_test(test_non_scalar_key),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_syntax_error_position),
	    cmocka_unit_test(test_reader_error_position),
	    cmocka_unit_test(test_size_limit),
	    cmocka_unit_test(test_scalar_limit),
	    cmocka_unit_test(test_len_bounds_the_document),
	    cmocka_unit_test(test_default_lifecycle),
	    cmocka_unit_test(test_lifecycle_bad_table),
	    cmocka_unit_test(test_lifecycle_custom),
	    cmocka_unit_test(test_lifecycle_stored_is_lenient),
	    cmocka_unit_test(test_lifecycle_yaml_errors_pass_through),
	    cmocka_unit_test(test_yemit_round_trip),
	    cmocka_unit_test(test_yemit_write_error),
	    cmocka_unit_test(test_chain_project),
	    cmocka_unit_test(test_ynode_is_null),
	};
	int rc = cmocka_run_group_tests_name("yaml", tests, NULL, NULL);

	ap_error_cleanup();
	return rc;
}
