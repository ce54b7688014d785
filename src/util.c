/* util.c - input validation, time stamps and small string helpers. */
#include "aiproj/util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "width_table.h"

/* A C1 control character (U+0080-U+009F) in UTF-8 starts here. */
static int
c1_control(const char *p)
{
	return (unsigned char)p[0] == 0xc2 && (unsigned char)p[1] >= 0x80 &&
	       (unsigned char)p[1] <= 0x9f;
}

static int
name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

static int
alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

const struct ap_error *
valid_name(const char *what, const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return ap_error_fmt(AP_EXIT_USAGE, "%s name is empty", what);
	if (n > NAME_MAX_LEN)
		return ap_error_fmt(AP_EXIT_USAGE,
				    "%s name '%s' is %zu characters long;"
				    " at most %d are allowed",
				    what, shown(s), n, NAME_MAX_LEN);
	for (size_t i = 0; i < n; i++) {
		if (!name_char((unsigned char)s[i]) ||
		    (i == 0 && !alnum((unsigned char)s[0])))
			return ap_error_fmt(
			    AP_EXIT_USAGE,
			    "invalid %s name '%s': use 1-64 characters of"
			    " A-Z a-z 0-9 . _ -, starting with a letter or"
			    " digit",
			    what, shown(s));
	}
	return NULL;
}

int
utf8_valid(const char *str, size_t max)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (s[i]) {
		unsigned c = s[i], need, cp;

		if (i >= max)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			need = 1, cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2, cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3, cp = c & 0x07;
		} else {
			return 0;
		}
		for (unsigned k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		/* overlong, surrogate or out of range */
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		i += need + 1;
	}
	return i <= max;
}

unsigned
utf8_next(const char **str)
{
	const unsigned char *s = (const unsigned char *)*str;
	unsigned c = s[0], cp, need;

	if (c < 0x80) {
		*str += c != 0;
		return c;
	}
	need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
	cp = c & (0x3f >> need);
	if (c < 0xc2 || c > 0xf4) {
		*str += 1;
		return 0xfffd;
	}
	for (unsigned k = 1; k <= need; k++) {
		if ((s[k] & 0xc0) != 0x80) {
			*str += 1;
			return 0xfffd;
		}
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	*str += need + 1;
	return cp;
}

static int
in_ranges(const struct width_range *r, size_t n, unsigned cp)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

#define NRANGES(a) (sizeof(a) / sizeof((a)[0]))

int
cp_width(unsigned cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	if (cp < 0x300)
		return cp == 0xad ? 0 : 1;
	if (in_ranges(width_zero, NRANGES(width_zero), cp))
		return 0;
	return in_ranges(width_wide, NRANGES(width_wide), cp) ? 2 : 1;
}

int
cp_is_format(unsigned cp)
{
	return cp >= 0xad && in_ranges(width_format, NRANGES(width_format), cp);
}

int
cp_is_space(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == 0xa0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

int
u8_width(const char *s)
{
	int w = 0;

	while (*s) {
		/* printable ASCII, most text: a column a byte */
		if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f) {
			w++, s++;
			continue;
		}
		w += cp_width(utf8_next(&s));
	}
	return w;
}

const char *
shown(const char *s)
{
	static char ring[4][96];
	static unsigned next;
	char *out = ring[next++ % 4];
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)s;

	while (*p && o < 80) {
		size_t n = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
		char tmp[5] = {0};
		size_t k;
		for (k = 0; k < n && p[k]; k++)
			tmp[k] = (char)p[k];
		if (k < n || !utf8_valid(tmp, 4) || *p < 0x20 || *p == 0x7f ||
		    c1_control(tmp)) {
			out[o++] = '?';
			/* a whole C1 character, else one bad byte */
			p += k == n && utf8_valid(tmp, 4) ? n : 1;
			continue;
		}
		if (o + n > 80)
			break;
		memcpy(out + o, tmp, n);
		o += n;
		p += n;
	}
	if (*p)
		memcpy(out + o, "...", 3), o += 3;
	out[o] = '\0';
	return out;
}

const struct ap_error *
valid_person(const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return ap_error_fmt(AP_EXIT_USAGE, "person name is empty");
	if (n > PERSON_MAX_LEN)
		return ap_error_fmt(AP_EXIT_USAGE,
				    "person name is %zu bytes long; at most %d"
				    " are allowed",
				    n, PERSON_MAX_LEN);
	if (!utf8_valid(s, PERSON_MAX_LEN))
		return ap_error_fmt(AP_EXIT_USAGE,
				    "person name is not valid UTF-8");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c1_control(s + i))
			return ap_error_fmt(AP_EXIT_USAGE,
					    "person name holds a control"
					    " character; only printable text is"
					    " allowed");
	}
	for (const char *p = s; *p;) {
		unsigned cp = utf8_next(&p);
		if (cp_is_format(cp))
			return ap_error_fmt(
			    AP_EXIT_USAGE,
			    "person name holds the invisible format character"
			    " U+%04X; it could make the name display as"
			    " another, so it is not allowed",
			    cp);
	}
	if (s[0] == ' ' || s[n - 1] == ' ')
		return ap_error_fmt(AP_EXIT_USAGE,
				    "person name '%s' starts or ends with a"
				    " space",
				    shown(s));
	return NULL;
}

const struct ap_error *
valid_email(const char *s)
{
	size_t n = strlen(s);
	const char *at = strchr(s, '@');

	if (n > 254)
		return ap_error_fmt(AP_EXIT_USAGE,
				    "email is %zu bytes long; at most 254 are"
				    " allowed",
				    n);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return ap_error_fmt(AP_EXIT_USAGE,
					    "invalid email '%s': printable"
					    " ASCII without spaces only",
					    shown(s));
	if (n && (!at || at == s || !at[1] || strchr(at + 1, '@')))
		return ap_error_fmt(AP_EXIT_USAGE,
				    "invalid email '%s': expected NAME@DOMAIN",
				    shown(s));
	return NULL;
}

const struct ap_error *
valid_handle(const char *s)
{
	size_t n = strlen(s);

	if (n > 64)
		return ap_error_fmt(AP_EXIT_USAGE,
				    "handle is %zu bytes long; at most 64 are"
				    " allowed",
				    n);
	if (!utf8_valid(s, 64))
		return ap_error_fmt(AP_EXIT_USAGE, "handle is not valid UTF-8");
	for (const char *p = s; *p;) {
		unsigned cp = utf8_next(&p);
		if (cp <= 0x20 || (cp >= 0x7f && cp <= 0xa0) ||
		    cp_is_format(cp) || cp_is_space(cp))
			return ap_error_fmt(AP_EXIT_USAGE,
					    "invalid handle '%s': no spaces,"
					    " control or invisible characters",
					    shown(s));
	}
	return NULL;
}

/* Does s (valid UTF-8) hold a character that shows: not a space of any
 * width, not an invisible format character, not one of no width? */
static int
has_visible(const char *s)
{
	while (*s) {
		unsigned cp = utf8_next(&s);
		if (cp != '\n' && !cp_is_space(cp) && !cp_is_format(cp) &&
		    cp_width(cp) > 0)
			return 1;
	}
	return 0;
}

const struct ap_error *
valid_text(const char *what, const char *s, int required)
{
	size_t n = strlen(s);

	if (required && s[strspn(s, " \t\n")] == '\0')
		return ap_error_fmt(AP_EXIT_USAGE, "%s is empty", what);
	if (n > TEXT_MAX_LEN)
		return ap_error_fmt(AP_EXIT_USAGE,
				    "%s is %zu bytes long; at most %d are"
				    " allowed",
				    what, n, TEXT_MAX_LEN);
	if (!utf8_valid(s, TEXT_MAX_LEN))
		return ap_error_fmt(AP_EXIT_USAGE, "%s is not valid UTF-8",
				    what);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ||
		    c1_control(s + i))
			return ap_error_fmt(
			    AP_EXIT_USAGE,
			    "%s holds control character 0x%02x;"
			    " only newline and tab are allowed",
			    what,
			    c1_control(s + i) ? (unsigned char)s[i + 1] : c);
	}
	if (required && !has_visible(s))
		return ap_error_fmt(AP_EXIT_USAGE,
				    "%s is empty (it has no visible character)",
				    what);
	return NULL;
}

void
now_utc(char buf[32])
{
	const char *fixed = getenv("AIPROJ_NOW");
	struct timespec ts;
	struct tm tm;

	if (fixed && *fixed && strlen(fixed) < 32) {
		strcpy(buf, fixed);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	/* %d of a year past 9999 would not fit: strftime bounds it */
	if (strftime(buf, 24, "%4Y-%m-%dT%H:%M:%S", &tm) == 0)
		strcpy(buf, "1970-01-01T00:00:00");
	snprintf(buf + strlen(buf), 8, ".%03dZ", (int)(ts.tv_nsec / 1000000L));
}

/* A stamp of the store's own shape (YYYY-MM-DDTHH:MM:SS.mmmZ, year 1 on,
 * month 1 to 12) read by hand: sscanf and timegm cost more than the rest
 * of a report over a whole portfolio.  The days of a proleptic Gregorian
 * date, linear in day, hour, minute and second as timegm is.  Each place
 * is checked in turn, its digit or its mark, so nothing past the end of
 * a shorter string is read (its '\0' is neither). */
static int
stamp_fast(const char *s, double *out)
{
#define SD(i) ((unsigned)(unsigned char)s[i] - '0')
#define SD2(i) ((int)(SD(i) * 10 + SD((i) + 1)))
	long y, mo, era, yoe, doy, doe;

	if (SD(0) > 9 || SD(1) > 9 || SD(2) > 9 || SD(3) > 9 || s[4] != '-' ||
	    SD(5) > 9 || SD(6) > 9 || s[7] != '-' || SD(8) > 9 || SD(9) > 9 ||
	    s[10] != 'T' || SD(11) > 9 || SD(12) > 9 || s[13] != ':' ||
	    SD(14) > 9 || SD(15) > 9 || s[16] != ':' || SD(17) > 9 ||
	    SD(18) > 9 || s[19] != '.' || SD(20) > 9 || SD(21) > 9 ||
	    SD(22) > 9 || s[23] != 'Z')
		return -1;
	y = SD2(0) * 100 + SD2(2), mo = SD2(5);
	if (y < 1 || mo < 1 || mo > 12)
		return -1;
	y -= mo <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153L * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + SD2(8) - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*out = (double)(era * 146097 + doe - 719468) * 86400.0 +
	       SD2(11) * 3600.0 + SD2(14) * 60.0 + SD2(17) +
	       (int)(SD(20) * 100 + SD2(21)) / 1000.0;
	return 0;
#undef SD2
#undef SD
}

int
stamp_parse(const char *s, double *out)
{
	struct tm tm = {0};
	int ms = 0;

	if (stamp_fast(s, out) == 0)
		return 0;
	if (!*s) /* (none: what sscanf finds in it, without its cost) */
		return -1;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) != 7)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = (double)timegm(&tm) + ms / 1000.0;
	return 0;
}

int
date_valid(const char *s)
{
	char buf[32];

	if (strlen(s) != 10)
		return 0;
	snprintf(buf, sizeof(buf), "%sT00:00:00.000Z", s);
	return stamp_valid(buf);
}

int
stamp_valid(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
	double t;

	if (strlen(s) != sizeof(shape) - 1)
		return 0;
	int y, mo, d, h, mi, se;
	static const int mdays[] = {31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};

	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9')
				    : s[i] != shape[i])
			return 0;
			/* every digit is one (the shape above): read them as sscanf's
	 * "%4d-%2d-%2dT%2d:%2d:%2d" would, without its cost (an import checks
	 * some millions) */
#define D2(i) ((s[i] - '0') * 10 + (s[(i) + 1] - '0'))
	y = D2(0) * 100 + D2(2);
	mo = D2(5);
	d = D2(8);
	h = D2(11);
	mi = D2(14);
	se = D2(17);
#undef D2
	/* a real date and time: timegm would quietly roll Feb 30 over */
	if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59)
		return 0;
	if (d > mdays[mo - 1] +
		    (mo == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
		return 0;
	return stamp_parse(s, &t) == 0;
}

void
stamp_format(double t, char buf[32])
{
	time_t sec = (time_t)t;
	int ms = (int)((t - (double)sec) * 1000.0 + 0.5);
	struct tm tm;

	if (ms >= 1000) {
		sec++;
		ms -= 1000;
	}
	gmtime_r(&sec, &tm);
	if (strftime(buf, 24, "%4Y-%m-%dT%H:%M:%S", &tm) == 0)
		strcpy(buf, "1970-01-01T00:00:00");
	snprintf(buf + strlen(buf), 8, ".%03uZ", (unsigned)ms % 1000u);
}

double
stamp_diff(const char *a, const char *b)
{
	double x, y;

	if (stamp_parse(a, &x) || stamp_parse(b, &y))
		return 0;
	return y - x;
}

void
human_duration(double sec, char *buf, size_t len)
{
	long s = sec < 0 ? 0 : (long)sec;

	if (s >= 86400)
		snprintf(buf, len, "%ldd %ldh", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, len, "%ldh %ldm", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(buf, len, "%ldm %lds", s / 60, s % 60);
	else
		snprintf(buf, len, "%lds", s);
}

static int
digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

const struct ap_error *
parse_whole(const char *what, const char *s, long long min, long long max,
	    long long *out)
{
	long long v = 0;
	const char *p = s;

	for (; digit(*p); p++) {
		if (v > (LLONG_MAX - 9) / 10)
			break;
		v = v * 10 + (*p - '0');
	}
	if (p == s || *p || v < min || v > max)
		return ap_error_fmt(AP_EXIT_USAGE,
				    "invalid %s '%s': expected a whole number"
				    " from %lld to %lld (digits only)",
				    what, shown(s), min, max);
	*out = v;
	return NULL;
}

/* [-]DIGITS[.DIGITS][(e|E)[+-]DIGITS]: a decimal as a command takes it */
static int
decimal_spelling(const char *p)
{
	if (*p == '-')
		p++;
	if (!digit(*p))
		return 0;
	while (digit(*p))
		p++;
	if (*p == '.') {
		if (!digit(*++p))
			return 0;
		while (digit(*p))
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!digit(*p))
			return 0;
		while (digit(*p))
			p++;
	}
	return *p == '\0';
}

const struct ap_error *
parse_decimal(const char *what, const char *s, double *out)
{
	double v = 0;

	errno = 0;
	/* strtod() says ERANGE for a spelling too large for a double, or too
	 * small to be told from 0 */
	if (!decimal_spelling(s) || (strict_number(s, &v) && errno != ERANGE))
		return ap_error_fmt(AP_EXIT_USAGE,
				    "invalid %s '%s': expected a decimal number"
				    " like 12, -0.5 or 2.5e-3",
				    what, shown(s));
	if (errno == ERANGE || fabs(v) > DECIMAL_MAX ||
	    (v != 0 && fabs(v) < DECIMAL_MIN))
		return ap_error_fmt(AP_EXIT_USAGE,
				    "invalid %s '%s': out of range (0, or from"
				    " 1e-15 to 1e15 either side of it)",
				    what, shown(s));
	*out = v == 0 ? 0 : v; /* no -0 */
	return NULL;
}

int
strict_number(const char *s, double *v)
{
	const char *p = s;
	char *end;
	int digits = 0;

	if (*p == '-' || *p == '+')
		p++;
	while (*p >= '0' && *p <= '9')
		p++, digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	if (!digits)
		return -1;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p)
		return -1;
	*v = strtod(s, &end);
	return *end || *v != *v || *v > 1e300 || *v < -1e300 ? -1 : 0;
}

int
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[65];

	if (la > 64 || lb > 64)
		return 100;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int prev = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int cur = row[j];
			int best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

int
sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *p;
		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->s, cap);
		if (!p)
			return -1;
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

int
sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	char *tmp;
	int n, rc;

	va_start(ap, fmt);
	n = vasprintf(&tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	rc = sbuf_add(b, tmp, (size_t)n);
	free(tmp);
	return rc;
}

void
sbuf_free(struct sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

const struct ap_error *
xstrdup(const char *s, char **out)
{
	*out = strdup(s ? s : "");
	return *out ? NULL : ap_error_nomem();
}

struct fd_cookie {
	int fd, own;
	int *err;
};

static ssize_t
fd_cookie_write(void *cookie, const char *buf, size_t n)
{
	struct fd_cookie *k = cookie;
	size_t done = 0;

	while (done < n) {
		ssize_t w = write(k->fd, buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!*k->err)
				*k->err = w < 0 ? errno : EIO;
			return (ssize_t)done; /* short: an error */
		}
		done += (size_t)w;
	}
	return (ssize_t)done;
}

static int
fd_cookie_close(void *cookie)
{
	struct fd_cookie *k = cookie;
	int rc = k->own ? close(k->fd) : 0;

	free(k);
	return rc;
}

FILE *
fd_stream(int fd, int own, int *err)
{
	cookie_io_functions_t io = {.write = fd_cookie_write,
				    .close = fd_cookie_close};
	struct fd_cookie *k = malloc(sizeof(*k));
	FILE *f;

	if (!k)
		return NULL;
	*k = (struct fd_cookie){.fd = fd, .own = own, .err = err};
	*err = 0;
	if (!(f = fopencookie(k, "w", io)))
		free(k);
	return f;
}

char *
follow_links(const char *path)
{
	char *cur = strdup(path), buf[4096];

	for (int hops = 0; cur; hops++) {
		struct stat sb;
		const char *slash;
		char *next;
		ssize_t n;

		if (lstat(cur, &sb) != 0 || !S_ISLNK(sb.st_mode))
			return cur;
		if (hops == 40) {
			free(cur);
			errno = ELOOP;
			return NULL;
		}
		if ((n = readlink(cur, buf, sizeof(buf) - 1)) < 0) {
			int e = errno;
			free(cur);
			errno = e;
			return NULL;
		}
		buf[n] = '\0';
		slash = strrchr(cur, '/');
		if (buf[0] == '/' || !slash)
			next = strdup(buf);
		else if (asprintf(&next, "%.*s/%s", (int)(slash - cur), cur,
				  buf) < 0)
			next = NULL;
		free(cur);
		cur = next;
	}
	errno = ENOMEM;
	return NULL;
}

void
fmt_int(char buf[24], int64_t v)
{
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	char digits[24];
	size_t n = 0, i = 0;

	do
		digits[n++] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		buf[i++] = '-';
	while (n)
		buf[i++] = digits[--n];
	buf[i] = '\0';
}

void
fmt_num(char *buf, size_t len, double v)
{
	if (!isfinite(v)) {
		snprintf(buf, len, "0");
		return;
	}
	/* the range check first: casting a huge double is undefined */
	if (fabs(v) < 1e15 && v == (double)(int64_t)v) {
		if (len >= 24)
			fmt_int(buf, (int64_t)v);
		else
			snprintf(buf, len, "%lld", (long long)v);
		return;
	}
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	/* "1e-07" is a string to a YAML 1.1 reader: write "1.0e-07" */
	{
		char *e = strchr(buf, 'e');
		size_t n = strlen(buf);
		if (e && !memchr(buf, '.', (size_t)(e - buf)) && n + 2 < len) {
			memmove(e + 2, e, n - (size_t)(e - buf) + 1);
			e[0] = '.';
			e[1] = '0';
		}
	}
}
