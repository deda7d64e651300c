/*
 * time.c: UTC times as integer seconds since the epoch (SPEC section 9).
 *
 * Input is parsed by hand, character by character at fixed positions,
 * and converted with calendar arithmetic written here, so nothing
 * depends on the TZ variable or the machine's zone (no mktime). Every
 * accepted time lies in the years 1970 to 9999, which keeps the display
 * form at its fixed 19 characters. A clock can be injected for tests.
 */
#include "hyp-time.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define TIME_FORMS \
	"use YYYY-MM-DD HH:MM:SS or YYYY-MM-DDTHH:MM:SSZ (UTC), " \
	"or +N followed by s, m, h or d"

#define TIME_YEAR_MIN	1970
#define TIME_YEAR_MAX	9999
#define TIME_INPUT_MAX	32	/* longer trimmed input is refused */
#define TIME_SHOW_MAX	40	/* quoted part of a refused value */

static int64_t	(*time_clock)(void);

static int	 time_is_leap(int);
static int	 time_month_days(int, int);
static int64_t	 time_leaps_through(int);
static int64_t	 time_days_from_civil(int, int, int);
static int64_t	 time_max(void);
static int	 time_get_digits(const char *, size_t, int *);
static int	 time_parse_absolute(const char *, size_t, int64_t *,
		    const char **);
static int	 time_parse_relative(const char *, size_t, int64_t, int64_t *,
		    const char **);
static void	 time_show(const char *, size_t, char [TIME_SHOW_MAX + 1]);

static int
time_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
time_month_days(int y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && time_is_leap(y))
		return 29;
	return days[m - 1];
}

/* Leap years in [1, y], by the Gregorian rule. */
static int64_t
time_leaps_through(int y)
{
	return y / 4 - y / 100 + y / 400;
}

/* Days from 1970-01-01 to y-m-d; y >= 1970 and the date valid. */
static int64_t
time_days_from_civil(int y, int m, int d)
{
	int64_t	 days;
	int	 i;

	days = (int64_t)(y - 1970) * 365 +
	    time_leaps_through(y - 1) - time_leaps_through(1969);
	for (i = 1; i < m; i++)
		days += time_month_days(y, i);
	return days + d - 1;
}

/* The last second of 9999-12-31. */
static int64_t
time_max(void)
{
	return time_days_from_civil(TIME_YEAR_MAX, 12, 31) * 86400 + 86399;
}

/* n decimal digits exactly; 0 or -1. */
static int
time_get_digits(const char *s, size_t n, int *out)
{
	size_t	 i;
	int	 v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/*
 * "YYYY-MM-DD HH:MM:SS" (19) or "YYYY-MM-DDTHH:MM:SSZ" (20), read by
 * position. On failure *why says what was wrong.
 */
static int
time_parse_absolute(const char *s, size_t len, int64_t *out,
    const char **why)
{
	int	 y, mo, d, h, mi, sec;

	*why = "not in an accepted form";
	if (len != 19 && len != 20)
		return -1;
	if (s[10] != (len == 19 ? ' ' : 'T') || (len == 20 && s[19] != 'Z'))
		return -1;
	if (s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':')
		return -1;
	if (time_get_digits(s, 4, &y) == -1 ||
	    time_get_digits(s + 5, 2, &mo) == -1 ||
	    time_get_digits(s + 8, 2, &d) == -1 ||
	    time_get_digits(s + 11, 2, &h) == -1 ||
	    time_get_digits(s + 14, 2, &mi) == -1 ||
	    time_get_digits(s + 17, 2, &sec) == -1)
		return -1;

	if (y < TIME_YEAR_MIN || y > TIME_YEAR_MAX) {
		*why = "the year must be 1970 to 9999";
		return -1;
	}
	if (mo < 1 || mo > 12) {
		*why = "no such month";
		return -1;
	}
	if (d < 1 || d > time_month_days(y, mo)) {
		*why = "no such day in that month";
		return -1;
	}
	if (h > 23 || mi > 59 || sec > 59) {
		*why = "no such time of day";
		return -1;
	}
	*out = time_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    sec;
	return 0;
}

/* "+N" and a unit s, m, h or d, counted from now. */
static int
time_parse_relative(const char *s, size_t len, int64_t now, int64_t *out,
    const char **why)
{
	char		 num[TIME_INPUT_MAX];
	long long	 n, unit;
	enum hyp_int_problem prob;

	*why = "not in an accepted form";
	if (len < 3 || s[0] != '+')
		return -1;
	switch (s[len - 1]) {
	case 's':
		unit = 1;
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	default:
		*why = "the unit must be s, m, h or d";
		return -1;
	}
	memcpy(num, s + 1, len - 2);
	num[len - 2] = '\0';
	prob = hyp_check_int(num, 0, time_max(), &n);
	if (num[0] == '-' || prob == HYP_INT_SYNTAX) {
		*why = "N must be a plain decimal number";
		return -1;
	}
	/* however many digits N has, too large is past the year 9999 */
	if (prob == HYP_INT_RANGE || now < 0 || now > time_max() ||
	    n > (time_max() - now) / unit) {
		*why = "that is past the year 9999";
		return -1;
	}
	*out = now + n * unit;
	return 0;
}

/*
 * The refused value as quoted in a message: at most TIME_SHOW_MAX bytes,
 * control bytes as '?', so that a message cannot move a terminal.
 */
static void
time_show(const char *s, size_t len, char show[TIME_SHOW_MAX + 1])
{
	size_t	 i;

	if (len > TIME_SHOW_MAX)
		len = TIME_SHOW_MAX;
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			show[i] = '?';
		else
			show[i] = s[i];
	}
	show[len] = '\0';
}

/* Parse an absolute or relative UTC time. */
int
time_parse(const char *s, int64_t now, int64_t *out, struct hyp_error *err)
{
	const char	*why = "empty";
	char		 show[TIME_SHOW_MAX + 1];
	size_t		 len;
	int64_t		 t = 0;
	int		 rc = -1;

	if (s == NULL)
		s = "";
	len = strlen(s);
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;

	if (len >= TIME_INPUT_MAX)
		why = "too long";
	else if (len > 0 && s[0] == '+')
		rc = time_parse_relative(s, len, now, &t, &why);
	else if (len > 0)
		rc = time_parse_absolute(s, len, &t, &why);
	if (rc == -1) {
		time_show(s, len, show);
		return hyp_error_set(err, HYP_E_INVALID,
		    "'%s' is not a time (%s): " TIME_FORMS, show, why);
	}
	*out = t;
	return 0;
}

/* The display form "YYYY-MM-DD HH:MM:SS". */
char *
time_format(int64_t t, char *buf)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, HYP_TIME_TEXT, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		hyp_strlcpy(buf, "out of range", HYP_TIME_TEXT);
	return buf;
}

/* Compact distance: the largest unit and the next one if not zero. */
char *
time_format_relative(int64_t when, int64_t now, char *buf, size_t len)
{
	static const struct {
		unsigned long long	 secs;
		const char		*name;
	} units[] = {
		{ 86400, "d" }, { 3600, "h" }, { 60, "min" }, { 1, "s" }
	};
	const size_t		 nunits = sizeof units / sizeof units[0];
	unsigned long long	 a, q, r;
	size_t			 i;
	char			 text[64];

	if (len == 0)
		return buf;
	if (when == now) {
		hyp_strlcpy(buf, "now", len);
		return buf;
	}
	if (when > now)
		a = (unsigned long long)when - (unsigned long long)now;
	else
		a = (unsigned long long)now - (unsigned long long)when;

	for (i = 0; i < nunits - 1 && a < units[i].secs; i++)
		;
	q = a / units[i].secs;
	r = i + 1 < nunits ? a % units[i].secs / units[i + 1].secs : 0;
	if (r != 0)
		snprintf(text, sizeof text, "%llu %s %llu %s", q,
		    units[i].name, r, units[i + 1].name);
	else
		snprintf(text, sizeof text, "%llu %s", q, units[i].name);

	if (when > now)
		snprintf(buf, len, "in %s", text);
	else
		snprintf(buf, len, "%s ago", text);
	return buf;
}

/* The injected clock if any, else the real one. */
int64_t
time_now(void)
{
	if (time_clock != NULL)
		return time_clock();
	return (int64_t)time(NULL);
}

/* Inject a clock for tests; NULL restores the real one. */
void
time_set_clock(int64_t (*fn)(void))
{
	time_clock = fn;
}
