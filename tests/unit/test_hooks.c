/*
 * test_hooks.c - the hook runner without the command line: the folder's
 * lookup, a hook's state, running one (payload, environment, exit code,
 * stderr's first lines) and its time limit (the process group killed).
 */
#include "testutil.h"

#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aiproj/hooks.h"

static char dir[64];

/* A script `name` in dir with `body` after the #! line. */
static void
script(const char *name, const char *body, int mode)
{
	char path[192];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	assert_int_equal(chmod(path, (mode_t)mode), 0);
}

static char *
slurp(const char *name)
{
	static char buf[4096];
	char path[192];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "r")))
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/aiproj-hooks-unit.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_events(void **state)
{
	int n = 0;

	(void)state;
	while (hook_events[n])
		n++;
	assert_int_equal(n, 10);
	assert_true(hook_event_known("pre-move"));
	assert_true(hook_event_known("post-release"));
	assert_true(hook_event_known("post-handover"));
	assert_false(hook_event_known("pre-handover"));
	assert_false(hook_event_known("move"));
	assert_false(hook_event_known("pre-kpi"));
}

static void
test_folder(void **state)
{
	enum hook_source src;
	char *d;

	(void)state;
	setenv("AIPROJ_HOOKS", "/env/hooks", 1);
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	setenv("HOME", "/home/ana", 1);
	assert_int_equal(hooks_dir("opt", &d, &src), 0);
	assert_string_equal(d, "opt");
	assert_int_equal(src, HOOKS_OPTION);
	free(d);
	assert_int_equal(hooks_dir(NULL, &d, &src), 0);
	assert_string_equal(d, "/env/hooks");
	assert_string_equal(hook_source_name(src), "AIPROJ_HOOKS");
	free(d);
	setenv("AIPROJ_HOOKS", "", 1); /* set but empty: none */
	assert_int_equal(hooks_dir(NULL, &d, &src), 0);
	assert_null(d);
	assert_int_equal(src, HOOKS_NOWHERE);
	unsetenv("AIPROJ_HOOKS");
	assert_int_equal(hooks_dir(NULL, &d, &src), 0);
	assert_string_equal(d, "/xdg/aiproj/hooks");
	free(d);
	setenv("XDG_CONFIG_HOME", "relative", 1); /* not absolute: ignored */
	assert_int_equal(hooks_dir(NULL, &d, &src), 0);
	assert_string_equal(d, "/home/ana/.config/aiproj/hooks");
	assert_int_equal(src, HOOKS_HOME);
	free(d);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	assert_int_equal(hooks_dir(NULL, &d, &src), 0);
	assert_null(d);
}

static void
test_lookup(void **state)
{
	char *path, sub[128];

	(void)state;
	script("post-kpi", "exit 0", 0755);
	script("post-role", "exit 0", 0644);
	snprintf(sub, sizeof(sub), "%s/post-close", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(hook_lookup(dir, "post-kpi", &path), HOOK_RUNS);
	assert_non_null(path);
	assert_contains(path, "/post-kpi");
	free(path);
	assert_int_equal(hook_lookup(dir, "post-role", &path),
			 HOOK_NOT_EXECUTABLE);
	free(path);
	assert_int_equal(hook_lookup(dir, "post-close", &path),
			 HOOK_NOT_REGULAR);
	free(path);
	assert_int_equal(hook_lookup(dir, "pre-move", &path), HOOK_MISSING);
	free(path);
	assert_int_equal(hook_lookup(NULL, "pre-move", &path), HOOK_MISSING);
	assert_null(path);
	assert_string_equal(hook_state_name(HOOK_NOT_REGULAR),
			    "not a regular file");
}

static void
run(const char *name, const char *payload, int timeout, struct hook_result *r)
{
	char path[192], *env[] = {"AIPROJ_EVENT=post-move", NULL};

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(hook_run(path, payload, payload ? strlen(payload) : 0,
				  env, timeout, r),
			 0);
}

static void
test_run(void **state)
{
	struct hook_result r;
	char buf[320], want[160];

	(void)state;
	snprintf(buf, sizeof(buf),
		 "cat >'%s/got'; echo \"$AIPROJ_EVENT\" >'%s/env'", dir, dir);
	script("rec", buf, 0755);
	run("rec", "{\"aiproj\": 1}\n", 5, &r);
	assert_true(hook_ok(&r));
	assert_string_equal(slurp("got"), "{\"aiproj\": 1}\n");
	assert_string_equal(slurp("env"), "post-move\n");
	assert_string_equal(r.err, "");

	/* exit code, and the first lines of stderr only */
	script("fail",
	       "for i in 1 2 3 4 5 6 7; do echo \"line $i\" >&2; done; exit 3",
	       0755);
	run("fail", "x", 5, &r);
	assert_false(hook_ok(&r));
	assert_true(r.exited);
	assert_int_equal(r.status, 3);
	assert_string_equal(r.err, "line 1\nline 2\nline 3\nline 4\nline 5\n");
	hook_describe(&r, 5, buf, sizeof(buf));
	assert_string_equal(buf, "exit 3");

	/* a hook that reads nothing of a large payload: no SIGPIPE here */
	{
		size_t n = 1 << 20;
		char *big = malloc(n + 1);
		assert_non_null(big);
		memset(big, 'x', n);
		big[n] = '\0';
		script("deaf", "exit 0", 0755);
		run("deaf", big, 5, &r);
		assert_true(hook_ok(&r));
		free(big);
	}

	/* killed by a signal */
	script("sig", "kill -KILL $$", 0755);
	run("sig", NULL, 5, &r);
	assert_false(r.exited);
	hook_describe(&r, 5, buf, sizeof(buf));
	snprintf(want, sizeof(want), "killed by signal %d", SIGKILL);
	assert_string_equal(buf, want);

	/* cannot be started */
	snprintf(buf, sizeof(buf), "%s/none", dir);
	assert_int_equal(hook_run(buf, "", 0, NULL, 5, &r), 0);
	assert_int_equal(r.status, 126); /* the child says why on stderr */
	assert_contains(r.err, "cannot run");
}

static void
test_timeout(void **state)
{
	struct hook_result r;
	char body[320], buf[128];
	time_t t0 = time(NULL);
	long pg, bg;

	(void)state;
	snprintf(body, sizeof(body),
		 "trap '' TERM; echo $$ >'%s/pg'; sleep 60 & echo $! >'%s/bg';"
		 " wait",
		 dir, dir);
	script("slow", body, 0755);
	run("slow", "", 1, &r);
	assert_true(r.timed_out);
	assert_false(hook_ok(&r));
	assert_true(time(NULL) - t0 <= 4);
	hook_describe(&r, 1, buf, sizeof(buf));
	assert_string_equal(buf, "killed after 1 s (AIPROJ_HOOK_TIMEOUT)");
	pg = strtol(slurp("pg"), NULL, 10);
	bg = strtol(slurp("bg"), NULL, 10);
	assert_true(pg > 1 && bg > 1);
	/* nothing of the group is left, the background child included */
	assert_int_equal(kill((pid_t)-pg, 0), -1);
	assert_int_equal(errno, ESRCH);
	assert_int_equal(kill((pid_t)bg, 0), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_events), cmocka_unit_test(test_lookup),
	    cmocka_unit_test(test_run),    cmocka_unit_test(test_timeout),
	    cmocka_unit_test(test_folder),
	};

	return cmocka_run_group_tests_name("hooks", tests, setup, teardown);
}
