/*
 * fuzz-time.c: time_parse on arbitrary text and clocks.
 *
 * Input: one byte choosing "now" (a fixed set of edge values, or the
 * next 8 bytes), then the text. A model written here predicts the
 * outcome: the two absolute forms checked field by field against timegm,
 * "+N" and a unit against plain arithmetic. Properties besides: every
 * accepted time lies in 1970..9999; time_format of it parses back to
 * the same value, in both absolute forms; the result is the same under
 * two very different TZ settings; a refusal's message holds no control
 * byte, whatever the input held.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "hyp-time.h"

#define FUZZ_TIME_MAX	INT64_C(253402300799)	/* 9999-12-31 23:59:59 */

static const int64_t fuzz_nows[] = {
	0, 1, 1751371200, FUZZ_TIME_MAX - 86400, FUZZ_TIME_MAX - 1,
	FUZZ_TIME_MAX, FUZZ_TIME_MAX + 1, -1, INT64_MAX, INT64_MIN,
};
#define FUZZ_NNOWS (sizeof fuzz_nows / sizeof fuzz_nows[0])

/* Zones far from UTC, with odd offsets and summer time, without tzdata. */
static const char *const fuzz_zones[] = {
	"XST-13:45", "YST+09:30YDT,M3.2.0,M11.1.0",
};

static int
model_digits(const char *s, size_t n, int *out)
{
	size_t	 i;

	*out = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*out = *out * 10 + (s[i] - '0');
	}
	return 0;
}

static int
model_absolute(const char *s, size_t len, int64_t *out)
{
	struct tm	 tm, back;
	time_t		 t;
	int		 y, mo, d, h, mi, sec;

	if (len != 19 && len != 20)
		return -1;
	if (s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':' ||
	    s[10] != (len == 19 ? ' ' : 'T') || (len == 20 && s[19] != 'Z'))
		return -1;
	if (model_digits(s, 4, &y) || model_digits(s + 5, 2, &mo) ||
	    model_digits(s + 8, 2, &d) || model_digits(s + 11, 2, &h) ||
	    model_digits(s + 14, 2, &mi) || model_digits(s + 17, 2, &sec))
		return -1;
	if (y < 1970 || h > 23 || mi > 59 || sec > 59)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	/* timegm normalises 02-30 into March: a real date comes back. */
	if (gmtime_r(&t, &back) == NULL || back.tm_year != y - 1900 ||
	    back.tm_mon != mo - 1 || back.tm_mday != d)
		return -1;
	*out = (int64_t)t;
	return 0;
}

static int
model_relative(const char *s, size_t len, int64_t now, int64_t *out)
{
	int64_t		 unit, n = 0;
	size_t		 i;

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
		return -1;
	}
	if (s[1] == '0' && len > 3)
		return -1;	/* a leading zero */
	for (i = 1; i < len - 1; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (s[i] - '0');
		if (n > FUZZ_TIME_MAX)
			return -1;
	}
	if (now < 0 || now > FUZZ_TIME_MAX || n > (FUZZ_TIME_MAX - now) / unit)
		return -1;
	*out = now + n * unit;
	return 0;
}

static int
model_parse(const char *s, int64_t now, int64_t *out)
{
	size_t	 len = strlen(s);

	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0 || len >= 32)
		return -1;
	if (s[0] == '+')
		return model_relative(s, len, now, out);
	return model_absolute(s, len, out);
}

static int
fuzz_parse_in(const char *zone, const char *s, int64_t now, int64_t *t,
    struct hyp_error *err)
{
	setenv("TZ", zone, 1);
	tzset();
	return time_parse(s, now, t, err);
}

static void
fuzz_check_round_trip(int64_t t)
{
	struct hyp_error err;
	char		 text[HYP_TIME_TEXT], iso[HYP_TIME_TEXT + 1];
	int64_t		 back = -1;

	time_format(t, text);
	FUZZ_ASSERT(strlen(text) == 19, "%lld formats as '%s'", (long long)t,
	    text);
	FUZZ_ASSERT(time_parse(text, 0, &back, &err) == 0 && back == t,
	    "'%s' does not parse back to %lld", text, (long long)t);
	snprintf(iso, sizeof iso, "%.10sT%.8sZ", text, text + 11);
	FUZZ_ASSERT(time_parse(iso, 0, &back, &err) == 0 && back == t,
	    "'%s' does not parse back to %lld", iso, (long long)t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hyp_error err;
	int64_t		 now, t[2] = { -1, -1 }, want = -1;
	uint64_t	 raw = 0;
	char		*s, show[96];
	int		 rc[2], expect;
	size_t		 i, skip = 1;

	if (size == 0)
		return 0;
	if (data[0] < FUZZ_NNOWS)
		now = fuzz_nows[data[0]];
	else if (data[0] < 128 && size >= 9) {
		for (i = 1; i < 9; i++)
			raw = raw << 8 | data[i];
		now = (int64_t)raw;
		skip = 9;
	} else
		now = 1751371200 + (int64_t)data[0] * 7919;
	s = fuzz_string(data + skip, size - skip);
	fuzz_show(s, show, sizeof show);

	rc[0] = fuzz_parse_in(fuzz_zones[0], s, now, &t[0], &err);
	FUZZ_ASSERT(rc[0] == 0 || (err.code == HYP_E_INVALID &&
	    !fuzz_has_control(err.msg)), "'%s' refused without a "
	    "printable reason", show);
	rc[1] = fuzz_parse_in(fuzz_zones[1], s, now, &t[1], &err);
	FUZZ_ASSERT(rc[0] == rc[1] && (rc[0] == -1 || t[0] == t[1]),
	    "'%s' parses differently under two TZ values", show);

	expect = model_parse(s, now, &want);
	FUZZ_ASSERT(rc[0] == expect, "'%s' (now %lld): time_parse %d, model "
	    "%d", show, (long long)now, rc[0], expect);
	if (rc[0] == 0) {
		FUZZ_ASSERT(t[0] == want, "'%s' (now %lld): %lld, model %lld",
		    show, (long long)now, (long long)t[0], (long long)want);
		FUZZ_ASSERT(t[0] >= 0 && t[0] <= FUZZ_TIME_MAX, "'%s' gives "
		    "%lld, outside 1970..9999", show, (long long)t[0]);
		fuzz_check_round_trip(t[0]);
	}
	free(s);
	return 0;
}
