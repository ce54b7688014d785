/*
 * hooks.c - the hooks folder, whether a hook would run, and running one:
 * fork and exec without a shell, the payload on its standard input, its
 * own process group, a time limit after which the group is killed.
 */
#include "aiproj/hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *const hook_events[] = {
    "pre-move",     "post-move",     "pre-approve", "post-approve",
    "post-release", "post-kpi",      "post-breach", "post-role",
    "post-close",   "post-handover", NULL,
};

int
hook_event_known(const char *name)
{
	for (int i = 0; hook_events[i]; i++)
		if (strcmp(hook_events[i], name) == 0)
			return 1;
	return 0;
}

const char *
hook_source_name(enum hook_source s)
{
	switch (s) {
	case HOOKS_OPTION: return "--hooks";
	case HOOKS_ENV: return "AIPROJ_HOOKS";
	case HOOKS_XDG: return "XDG_CONFIG_HOME";
	case HOOKS_HOME: return "HOME";
	case HOOKS_NOWHERE: break;
	}
	return "none";
}

int
hooks_dir(const char *option, char **dir, enum hook_source *src)
{
	const char *v, *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n = 0;

	*dir = NULL;
	*src = HOOKS_NOWHERE;
	if (option) {
		*src = HOOKS_OPTION;
		v = option;
	} else if ((v = getenv("AIPROJ_HOOKS"))) {
		if (!*v)
			return 0; /* set but empty: no hooks */
		*src = HOOKS_ENV;
	} else if (xdg && xdg[0] == '/') {
		*src = HOOKS_XDG;
		n = asprintf(dir, "%s/aiproj/hooks", xdg);
	} else if (home && home[0] == '/') {
		*src = HOOKS_HOME;
		n = asprintf(dir, "%s/.config/aiproj/hooks", home);
	} else {
		return 0;
	}
	if (*src == HOOKS_OPTION || *src == HOOKS_ENV)
		*dir = strdup(v);
	if (n < 0 || !*dir) {
		*dir = NULL;
		return -1;
	}
	return 0;
}

const char *
hook_state_name(enum hook_state s)
{
	switch (s) {
	case HOOK_RUNS: return "runs";
	case HOOK_MISSING: return "missing";
	case HOOK_NOT_EXECUTABLE: return "not executable";
	case HOOK_NOT_REGULAR: return "not a regular file";
	}
	return "?";
}

enum hook_state
hook_lookup(const char *dir, const char *event, char **path)
{
	struct stat sb;

	*path = NULL;
	if (!dir || asprintf(path, "%s/%s", dir, event) < 0) {
		*path = NULL;
		return HOOK_MISSING;
	}
	if (stat(*path, &sb) != 0)
		return HOOK_MISSING;
	if (!S_ISREG(sb.st_mode))
		return HOOK_NOT_REGULAR;
	if (access(*path, X_OK) != 0)
		return HOOK_NOT_EXECUTABLE;
	return HOOK_RUNS;
}

int
hook_ok(const struct hook_result *r)
{
	return r->exited && r->status == 0 && !r->timed_out && !r->failed;
}

void
hook_describe(const struct hook_result *r, int timeout, char *buf, size_t len)
{
	if (r->failed)
		snprintf(buf, len, "could not be started: %s",
			 strerror(r->status));
	else if (r->timed_out)
		snprintf(buf, len, "killed after %d s (AIPROJ_HOOK_TIMEOUT)",
			 timeout);
	else if (r->exited)
		snprintf(buf, len, "exit %d", r->status);
	else
		snprintf(buf, len, "killed by signal %d", r->status);
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* In the child: never returns. */
static void
child(const char *path, int in, int er, char *const env[])
{
	char *argv[2] = {(char *)path, NULL};
	int null = open("/dev/null", O_WRONLY);

	setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	if (dup2(in, STDIN_FILENO) < 0 || dup2(er, STDERR_FILENO) < 0 ||
	    (null >= 0 && dup2(null, STDOUT_FILENO) < 0))
		_exit(126);
	/* the store's descriptors stay with aiproj */
	close_range(3, ~0U, 0);
	for (int i = 0; env && env[i]; i++)
		putenv(env[i]);
	execv(path, argv);
	dprintf(STDERR_FILENO, "cannot run %s: %s\n", path, strerror(errno));
	_exit(126);
}

/* Keep the first lines of what the hook writes to stderr. */
struct errbuf {
	struct hook_result *r;
	size_t len;
	int lines;
};

static void
keep(struct errbuf *e, const char *s, size_t n)
{
	for (size_t i = 0; i < n && e->lines < HOOK_ERR_LINES; i++) {
		if (e->len + 1 >= sizeof(e->r->err))
			break;
		e->r->err[e->len++] = s[i];
		if (s[i] == '\n')
			e->lines++;
	}
	e->r->err[e->len] = '\0';
}

/* Read what is there; 0 at the end of the pipe. */
static int
drain(int fd, struct errbuf *e)
{
	char b[4096];
	ssize_t n;

	while ((n = read(fd, b, sizeof(b))) > 0)
		keep(e, b, (size_t)n);
	return n < 0 && (errno == EAGAIN || errno == EINTR);
}

/* Reap what has ended in the hook's process group (aiproj is the
 * subreaper of its orphans while it runs): the hook's own status in *st. */
static void
reap(pid_t pid, int *reaped, int *st)
{
	pid_t r;
	int s;

	while ((r = waitpid(-pid, &s, WNOHANG)) > 0)
		if (r == pid) {
			*reaped = 1;
			*st = s;
		}
}

/* Is anything left in process group `pg`? */
static int
group_alive(pid_t pg, int *reaped, int *st)
{
	reap(pg, reaped, st);
	return kill(-pg, 0) == 0 || errno != ESRCH;
}

/* Past the limit: SIGTERM to the group, SIGKILL after the grace, the
 * hook reaped and the group gone (or a second more). */
static void
kill_group(pid_t pid, int *reaped, int *st)
{
	long long until = now_ms() + HOOK_TERM_GRACE_MS;

	kill(-pid, SIGTERM);
	while (now_ms() < until) {
		if (!group_alive(pid, reaped, st) && *reaped)
			return;
		poll(NULL, 0, 10);
	}
	kill(-pid, SIGKILL);
	if (!*reaped && waitpid(pid, st, 0) == pid)
		*reaped = 1;
	for (until = now_ms() + 1000;
	     group_alive(pid, reaped, st) && now_ms() < until;)
		poll(NULL, 0, 10);
}

/* Feed the payload and collect stderr until the hook exits or the time is
 * up (then *timed_out). */
static void
supervise(pid_t pid, int infd, int errfd, const char *payload, size_t len,
	  int timeout, struct errbuf *e, int *st)
{
	long long deadline = now_ms() + (long long)timeout * 1000;
	size_t off = 0;
	int reaped = 0;

	if (len == 0)
		close(infd), infd = -1;
	while (!reaped) {
		struct pollfd p[2];
		nfds_t n = 0;
		long long left = deadline - now_ms();
		if (left <= 0) {
			e->r->timed_out = 1;
			kill_group(pid, &reaped, st);
			break;
		}
		if (infd >= 0)
			p[n++] = (struct pollfd){.fd = infd, .events = POLLOUT};
		if (errfd >= 0)
			p[n++] = (struct pollfd){.fd = errfd, .events = POLLIN};
		poll(p, n, left < 20 ? (int)left : 20);
		if (infd >= 0) {
			ssize_t w = write(infd, payload + off, len - off);
			if (w > 0)
				off += (size_t)w;
			if ((w < 0 && errno != EAGAIN && errno != EINTR) ||
			    off == len)
				close(infd), infd = -1;
		}
		if (errfd >= 0 && !drain(errfd, e))
			close(errfd), errfd = -1;
		if (waitpid(pid, st, WNOHANG) == pid)
			reaped = 1;
	}
	if (infd >= 0)
		close(infd);
	if (errfd >= 0) {
		drain(errfd, e);
		close(errfd);
	}
}

int
hook_run(const char *path, const char *payload, size_t len, char *const env[],
	 int timeout, struct hook_result *r)
{
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	struct errbuf e = {.r = r};
	int in[2], er[2], st = 0;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (pipe2(in, O_CLOEXEC) != 0)
		goto fail;
	if (pipe2(er, O_CLOEXEC) != 0) {
		close(in[0]), close(in[1]);
		goto fail;
	}
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old); /* a hook need not read its input */
	/* what the hook leaves behind is reparented here, to be reaped */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if ((pid = fork()) == 0)
		child(path, in[0], er[1], env);
	close(in[0]);
	close(er[1]);
	if (pid < 0) {
		int saved = errno;
		close(in[1]), close(er[0]);
		sigaction(SIGPIPE, &old, NULL);
		errno = saved;
		goto fail;
	}
	setpgid(pid, pid); /* as the child does: whichever comes first */
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	fcntl(er[0], F_SETFL, O_NONBLOCK);
	supervise(pid, in[1], er[0], payload, len, timeout, &e, &st);
	sigaction(SIGPIPE, &old, NULL);
	if (WIFEXITED(st)) {
		r->exited = 1;
		r->status = WEXITSTATUS(st);
	} else if (WIFSIGNALED(st)) {
		r->status = WTERMSIG(st);
	}
	return 0;
fail:
	r->failed = 1;
	r->status = errno;
	return -1;
}
