/*
 * test-daemon-evlog.c: the limiter of libevent's own messages (a flood
 * of one warning, such as accept() failing with EMFILE in a loop, once
 * wrote a million lines in five seconds): repeats are counted, not
 * logged, for EVLOG_REPEAT_SECONDS; at most EVLOG_PER_SECOND lines a
 * second pass; what was held back is said before the next line.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "../src/daemon/hyptokensd.h"

#define T0	1800000000

static int
pass(struct evlog_limit *l, const char *msg, int64_t now, char *note)
{
	return evlog_filter(l, msg, now, note, 128);
}

Test(evlog, the_first_message_is_logged_without_a_note)
{
	struct evlog_limit	 l;
	char			 note[128];

	memset(&l, 0, sizeof l);
	cr_assert_eq(pass(&l, "Error from accept() call", T0, note), 1);
	cr_assert_str_eq(note, "");
}

Test(evlog, a_million_repeats_in_five_seconds_make_one_line)
{
	struct evlog_limit	 l;
	char			 note[128];
	int			 i, logged = 0;

	memset(&l, 0, sizeof l);
	for (i = 0; i < 1000000; i++)
		logged += pass(&l, "Error from accept() call: Too many open "
		    "files", T0 + i / 200000, note);
	cr_assert_eq(logged, 1);
}

Test(evlog, held_back_repeats_are_counted_before_the_next_message)
{
	struct evlog_limit	 l;
	char			 note[128];
	int			 i;

	memset(&l, 0, sizeof l);
	cr_assert_eq(pass(&l, "a", T0, note), 1);
	for (i = 0; i < 41; i++)
		cr_assert_eq(pass(&l, "a", T0 + 1, note), 0);
	cr_assert_eq(pass(&l, "b", T0 + 2, note), 1);
	cr_assert_str_eq(note, "libevent: 41 repeats of the last message "
	    "and 0 other messages not logged");
	cr_assert_eq(pass(&l, "c", T0 + 2, note), 1);
	cr_assert_str_eq(note, "", "the count is said once");
}

Test(evlog, a_repeat_is_logged_again_after_the_repeat_window)
{
	struct evlog_limit	 l;
	char			 note[128];

	memset(&l, 0, sizeof l);
	cr_assert_eq(pass(&l, "a", T0, note), 1);
	cr_assert_eq(pass(&l, "a", T0 + EVLOG_REPEAT_SECONDS - 1, note), 0);
	cr_assert_eq(pass(&l, "a", T0 + EVLOG_REPEAT_SECONDS, note), 1);
	cr_assert_str_eq(note, "libevent: 1 repeats of the last message "
	    "and 0 other messages not logged");
}

Test(evlog, at_most_the_per_second_budget_of_distinct_lines_pass)
{
	struct evlog_limit	 l;
	char			 note[128], msg[16];
	int			 i, logged = 0;

	memset(&l, 0, sizeof l);
	for (i = 0; i < EVLOG_PER_SECOND + 3; i++) {
		snprintf(msg, sizeof msg, "m%d", i);
		logged += pass(&l, msg, T0, note);
	}
	cr_assert_eq(logged, EVLOG_PER_SECOND);
	cr_assert_eq(pass(&l, "next", T0 + 1, note), 1);
	cr_assert_str_eq(note, "libevent: 0 repeats of the last message "
	    "and 3 other messages not logged");
}

Test(evlog, alternating_messages_are_bounded_by_the_budget)
{
	struct evlog_limit	 l;
	char			 note[128];
	int			 i, logged = 0;

	memset(&l, 0, sizeof l);
	for (i = 0; i < 100000; i++)
		logged += pass(&l, i % 2 ? "a" : "b", T0 + i / 20000, note);
	cr_assert_leq(logged, 5 * EVLOG_PER_SECOND);
}
