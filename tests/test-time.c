/*
 * test-time.c: UTC parsing and formatting (SPEC section 9, cases.md 19).
 * Expected epochs come from the issue (1751371200) or were worked out by
 * calendar (2024-01-01 is 1704067200; the last second of 9999 is
 * 253402300799), never from running the code under test.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hyp-time.h"

/* 2025-07-01 12:00:00 and 9999-12-31 23:59:59 */
#define JULY_FIRST_NOON	INT64_C(1751371200)
#define LAST_SECOND	INT64_C(253402300799)

static const char *zones[] = {
	"UTC", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"
};

/*
 * Switch TZ and prove it took effect: away from UTC the local offset of
 * the test instant must not be zero, or the test would prove nothing.
 */
static void
zone_set(const char *tz)
{
	struct tm	 tm;
	time_t		 t = (time_t)JULY_FIRST_NOON;

	cr_assert_eq(setenv("TZ", tz, 1), 0);
	tzset();
	cr_assert_not_null(localtime_r(&t, &tm));
	if (strcmp(tz, "UTC") != 0)
		cr_assert_neq(tm.tm_gmtoff, 0, "zone %s not installed", tz);
}

struct abs_case {
	char	 in[48];
	int64_t	 want;
};

ParameterizedTestParameters(time, absolute_forms_ignore_tz)
{
	static struct abs_case cases[] = {
		{ "2025-07-01T12:00:00Z", JULY_FIRST_NOON },
		{ "2025-07-01 12:00:00", JULY_FIRST_NOON },
		{ "  2025-07-01 12:00:00  ", JULY_FIRST_NOON },
		{ " 2025-07-01T12:00:00Z", JULY_FIRST_NOON },
		{ "2025-07-01 12:00:01", JULY_FIRST_NOON + 1 },
		{ "2025-07-01 11:59:59", JULY_FIRST_NOON - 1 },
		{ "1970-01-01 00:00:00", 0 },
		{ "1970-01-01 00:00:01", 1 },
		{ "2024-01-01 00:00:00", 1704067200 },
		{ "2024-02-29 00:00:00", 1704067200 + 59 * 86400 },
		{ "2024-12-31 23:59:59", 1704067200 + 366 * 86400 - 1 },
		{ "2000-02-29T12:34:56Z", 951827696 },
		{ "9999-12-31 23:59:59", LAST_SECOND },
		{ "9999-12-31T23:59:59Z", LAST_SECOND },
	};

	return cr_make_param_array(struct abs_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct abs_case *c, time, absolute_forms_ignore_tz)
{
	struct hyp_error err;
	int64_t		 t;
	size_t		 i;

	for (i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		zone_set(zones[i]);
		t = -1;
		cr_assert_eq(time_parse(c->in, 0, &t, &err), 0,
		    "'%s' under %s: %s", c->in, zones[i], err.msg);
		cr_assert_eq(t, c->want, "'%s' under %s: %lld", c->in,
		    zones[i], (long long)t);
	}
}

struct bad_case {
	char	 in[48];
};

ParameterizedTestParameters(time, malformed_or_impossible_times_are_refused)
{
	static struct bad_case cases[] = {
		{ "2025-02-29 00:00:00" },	/* 2025 is no leap year */
		{ "2100-02-29 00:00:00" },	/* nor is 2100 */
		{ "2024-02-30 00:00:00" },
		{ "2025-04-31 00:00:00" },
		{ "2025-13-01 00:00:00" },
		{ "2025-00-10 00:00:00" },
		{ "2025-07-00 00:00:00" },
		{ "2025-07-32 00:00:00" },
		{ "2025-07-01 24:00:00" },
		{ "2025-07-01 12:60:00" },
		{ "2025-07-01 12:00:60" },
		{ "2025-7-1 12:00:00" },
		{ "2025-07-01T12:00:00" },	/* ISO without Z */
		{ "2025-07-01 12:00:00Z" },
		{ "2025-07-01t12:00:00z" },
		{ "2025-07-01T12:00:00+00:00" },
		{ "2025-07-01  12:00:00" },
		{ "2025/07/01 12:00:00" },
		{ "2025-07-01 12:00" },
		{ "2025-07-01" },
		{ "2025-07-01 12:00:00 x" },
		{ "+2025-07-01 12:00:00" },
		{ "1969-12-31 23:59:59" },
		{ "0000-01-01 00:00:00" },
		{ "10000-01-01 00:00:00" },
		{ "2025-07-01 -1:00:00" },
		{ "2025-07-01 1a:00:00" },
		{ "+010h" },
		{ "+h" },
		{ "+5w" },
		{ "+5" },
		{ "+" },
		{ "+5H" },
		{ "+-5h" },
		{ "++5h" },
		{ "+ 5h" },
		{ "+5 h" },
		{ "+0x10s" },
		{ "+1e3s" },
		{ "-5h" },
		{ "5h" },
		{ "+99999999999999999999s" },
		{ "+3000000d" },		/* past the year 9999 */
		{ "" },
		{ "   " },
		{ "junk" },
		{ "now" },
		{ "1751371200" },
	};

	return cr_make_param_array(struct bad_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct bad_case *c, time,
    malformed_or_impossible_times_are_refused)
{
	struct hyp_error err;
	int64_t		 t = 12345;

	cr_assert_eq(time_parse(c->in, JULY_FIRST_NOON, &t, &err), -1,
	    "'%s' was accepted", c->in);
	cr_assert_eq(t, 12345, "a refused value must not be stored");
	cr_assert_eq(err.code, HYP_E_INVALID);
	cr_assert_not_null(strstr(err.msg, "YYYY-MM-DD HH:MM:SS"),
	    "forms not listed: %s", err.msg);
	cr_assert_not_null(strstr(err.msg, "YYYY-MM-DDTHH:MM:SSZ"),
	    "forms not listed: %s", err.msg);
	cr_assert_not_null(strstr(err.msg, "+N"), "forms not listed: %s",
	    err.msg);
}

struct why_case {
	char	 in[40];
	char	 why[40];
};

ParameterizedTestParameters(time, a_relative_time_names_its_real_problem)
{
	static struct why_case cases[] = {
		/* too large, however many digits: past the year 9999 */
		{ "+3000000d", "past the year 9999" },
		{ "+9999999999999d", "past the year 9999" },
		{ "+99999999999999999999s", "past the year 9999" },
		{ "+999999999999999999999999h", "past the year 9999" },
		/* not plain decimal */
		{ "+010h", "plain decimal" },
		{ "+-5h", "plain decimal" },
		{ "+1e3s", "plain decimal" },
		{ "+5w", "the unit must be" },
	};

	return cr_make_param_array(struct why_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct why_case *c, time,
    a_relative_time_names_its_real_problem)
{
	struct hyp_error err;
	int64_t		 t;

	cr_assert_eq(time_parse(c->in, JULY_FIRST_NOON, &t, &err), -1);
	cr_assert_not_null(strstr(err.msg, c->why), "'%s': %s", c->in,
	    err.msg);
}

Test(time, refusal_names_the_value)
{
	struct hyp_error err;
	int64_t		 t;

	cr_assert_eq(time_parse(" 2025-13-01 00:00:00 ", 0, &t, &err), -1);
	cr_assert_not_null(strstr(err.msg, "2025-13-01 00:00:00"), "%s",
	    err.msg);
	cr_assert_eq(time_parse("+5w", 0, &t, &err), -1);
	cr_assert_not_null(strstr(err.msg, "'+5w'"), "%s", err.msg);
}

/* Found by fuzz-time: the refused value was quoted with its raw bytes. */
Test(time, refusal_shows_no_control_bytes)
{
	struct hyp_error err;
	int64_t		 t;
	size_t		 i;

	cr_assert_eq(time_parse("\x1b[2J\x07+1\x7fh", 0, &t, &err), -1);
	for (i = 0; err.msg[i] != '\0'; i++)
		cr_assert(!((unsigned char)err.msg[i] < 0x20 ||
		    err.msg[i] == 0x7f), "control byte at %zu", i);
	cr_assert_not_null(strstr(err.msg, "'?[2J?+1?h'"), "%s", err.msg);
}

Test(time, null_input_is_refused)
{
	struct hyp_error err;
	int64_t		 t = 7;

	cr_assert_eq(time_parse(NULL, 0, &t, &err), -1);
	cr_assert_eq(t, 7);
	cr_assert_eq(err.code, HYP_E_INVALID);
}

struct rel_case {
	char	 in[32];
	int64_t	 add;
};

ParameterizedTestParameters(time, relative_forms_count_from_now)
{
	static struct rel_case cases[] = {
		{ "+90m", 5400 },
		{ "+12h", 12 * 3600 },
		{ "+30d", 30 * 86400 },
		{ "+1s", 1 },
		{ "+45s", 45 },
		{ "+1d", 86400 },
		{ "+8760h", 8760 * 3600 },
		{ " +90m ", 5400 },
		/* exactly the last second of 9999 from JULY_FIRST_NOON */
		{ "+251650929599s", LAST_SECOND - JULY_FIRST_NOON },
	};

	return cr_make_param_array(struct rel_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct rel_case *c, time, relative_forms_count_from_now)
{
	struct hyp_error err;
	int64_t		 t = -1;

	zone_set("Asia/Kolkata");
	cr_assert_eq(time_parse(c->in, JULY_FIRST_NOON, &t, &err), 0,
	    "'%s': %s", c->in, err.msg);
	cr_assert_eq(t, JULY_FIRST_NOON + c->add, "'%s': %lld", c->in,
	    (long long)t);
}

Test(time, relative_form_past_year_9999_is_refused)
{
	struct hyp_error err;
	int64_t		 t = 3;

	cr_assert_eq(time_parse("+251650929600s", JULY_FIRST_NOON, &t, &err),
	    -1);
	cr_assert_eq(t, 3);
	cr_assert_eq(time_parse("+1s", LAST_SECOND, &t, &err), -1);
	cr_assert_eq(t, 3);
	cr_assert_eq(time_parse("+0s", LAST_SECOND, &t, &err), 0, "%s",
	    err.msg);
	cr_assert_eq(t, LAST_SECOND);
}

struct fmt_case {
	int64_t	 t;
	char	 text[HYP_TIME_TEXT];
};

ParameterizedTestParameters(time, format_round_trips_in_every_zone)
{
	static struct fmt_case cases[] = {
		{ 0, "1970-01-01 00:00:00" },
		{ JULY_FIRST_NOON, "2025-07-01 12:00:00" },
		{ 1704067200 + 59 * 86400, "2024-02-29 00:00:00" },
		{ 1704067200 + 366 * 86400 - 1, "2024-12-31 23:59:59" },
		{ 951827696, "2000-02-29 12:34:56" },
		{ LAST_SECOND, "9999-12-31 23:59:59" },
	};

	return cr_make_param_array(struct fmt_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct fmt_case *c, time, format_round_trips_in_every_zone)
{
	struct hyp_error err;
	char		 buf[HYP_TIME_TEXT];
	int64_t		 t;
	size_t		 i;

	for (i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		zone_set(zones[i]);
		memset(buf, 'x', sizeof buf);
		cr_assert_eq(time_format(c->t, buf), buf);
		cr_assert_str_eq(buf, c->text, "under %s", zones[i]);
		t = -1;
		cr_assert_eq(time_parse(buf, 0, &t, &err), 0, "%s", err.msg);
		cr_assert_eq(t, c->t, "under %s", zones[i]);
	}
}

struct relfmt_case {
	int64_t	 delta;		/* when - now */
	char	 text[32];
};

ParameterizedTestParameters(time, relative_format_is_compact)
{
	static struct relfmt_case cases[] = {
		{ 0, "now" },
		{ 86340, "in 23 h 59 min" },
		{ 86399, "in 23 h 59 min" },	/* rounds down */
		{ 6 * 86400, "in 6 d" },
		{ 6 * 86400 + 5 * 3600 + 7, "in 6 d 5 h" },
		{ -7200, "2 h ago" },
		{ -19, "19 s ago" },
		{ 1, "in 1 s" },
		{ 90, "in 1 min 30 s" },
		{ 3600, "in 1 h" },
		{ -(86400 + 3 * 3600), "1 d 3 h ago" },
		{ -(365 * 86400), "365 d ago" },
	};

	return cr_make_param_array(struct relfmt_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct relfmt_case *c, time, relative_format_is_compact)
{
	char	 buf[64];

	cr_assert_eq(time_format_relative(JULY_FIRST_NOON + c->delta,
	    JULY_FIRST_NOON, buf, sizeof buf), buf);
	cr_assert_str_eq(buf, c->text, "delta %lld", (long long)c->delta);
}

Test(time, relative_format_stays_inside_a_small_buffer)
{
	char	 buf[8];

	memset(buf, 'x', sizeof buf);
	time_format_relative(JULY_FIRST_NOON + 86340, JULY_FIRST_NOON, buf, 5);
	cr_assert_eq(strlen(buf), 4);
	cr_assert_eq(buf[5], 'x', "wrote past the given length");
}

static int64_t
clock_fixed(void)
{
	return 42;
}

Test(time, now_uses_the_injected_clock_until_reset)
{
	int64_t	 before, now;

	time_set_clock(clock_fixed);
	cr_assert_eq(time_now(), 42);
	time_set_clock(NULL);
	before = (int64_t)time(NULL);
	now = time_now();
	cr_assert(now >= before && now <= (int64_t)time(NULL),
	    "real clock expected, got %lld", (long long)now);
}
