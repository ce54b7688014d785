/*
 * testutil.h - what the unit tests (test_engine.c, test_store.c,
 * test_yaml.c, test_hooks.c) share: cmocka and its headers, and
 * assertions on strings and on aiproj's errors.
 */
#ifndef AIPROJ_TESTUTIL_H
#define AIPROJ_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aiproj/error.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

#define assert_contains(hay, needle)                                           \
	do {                                                                   \
		const char *h_ = (hay), *n_ = (needle);                        \
		if (!h_ || !strstr(h_, n_))                                    \
			fail_msg("expected '%s' in '%s'", n_,                  \
				 h_ ? h_ : "(null)");                          \
	} while (0)

#define assert_not_contains(hay, needle)                                       \
	do {                                                                   \
		const char *h_ = (hay), *n_ = (needle);                        \
		if (h_ && strstr(h_, n_))                                      \
			fail_msg("did not expect '%s' in '%s'", n_, h_);       \
	} while (0)

/* Assert an error with this code (0: success) and, when given, a part of
 * its message. */
static inline void
check_err(const struct ap_error *err, int code, const char *needle,
	  const char *label)
{
	if (code == 0) {
		if (err)
			fail_msg("%s: unexpected error %d: %s", label,
				 err->code, err->msg);
		return;
	}
	if (!err)
		fail_msg("%s: expected error %d, got success", label, code);
	if (err->code != code)
		fail_msg("%s: expected code %d, got %d: %s", label, code,
			 err->code, err->msg);
	if (needle && !strstr(err->msg, needle))
		fail_msg("%s: expected '%s' in message '%s'", label, needle,
			 err->msg);
}

/* Assert success of a call, named in the message. */
#define OK(call) check_err((call), 0, NULL, #call)

#endif
