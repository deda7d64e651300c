/*
 * test-daemon-flood.c: flood protection (SPEC section 8, step 2): more
 * than N requests in any 60 seconds blocks the address for the block
 * time, requests during a block do not extend it, addresses are counted
 * apart, and memory stays bounded under a flood of distinct addresses.
 * Tenant sessions (step 6) too. Time is passed in, second by second.
 */
#include <criterion/criterion.h>

#include "../src/daemon/hyptokensd.h"

#define A	0x0a000001U	/* 10.0.0.1 */
#define B	0x0a000002U
#define T0	1800000000

Test(flood, n_requests_pass_and_the_next_one_is_refused)
{
	struct flood_table	*t = flood_new(100);
	int			 i, retry = 0;

	for (i = 0; i < 20; i++)
		cr_assert_eq(flood_check(t, A, 20, 300, T0, &retry), 0,
		    "request %d", i + 1);
	cr_assert_neq(flood_check(t, A, 20, 300, T0, &retry), 0);
	cr_assert_eq(retry, 300);
	flood_free(t);
}

Test(flood, the_window_is_sixty_seconds_at_its_last_second)
{
	struct flood_table	*t = flood_new(100);
	int			 i, retry = 0;

	for (i = 0; i < 5; i++)
		cr_assert_eq(flood_check(t, A, 5, 300, T0, &retry), 0);
	/* T0 .. T0+59 is one 60-second span: a sixth is one too many. */
	cr_assert_neq(flood_check(t, A, 5, 300, T0 + 59, &retry), 0);
	flood_free(t);
}

Test(flood, requests_older_than_sixty_seconds_no_longer_count)
{
	struct flood_table	*t = flood_new(100);
	int			 i, retry = 0;

	for (i = 0; i < 5; i++)
		cr_assert_eq(flood_check(t, A, 5, 300, T0, &retry), 0);
	/* T0+1 .. T0+60 holds none of them. */
	for (i = 0; i < 5; i++)
		cr_assert_eq(flood_check(t, A, 5, 300, T0 + 60, &retry), 0,
		    "request %d at +60", i + 1);
	cr_assert_neq(flood_check(t, A, 5, 300, T0 + 60, &retry), 0);
	flood_free(t);
}

Test(flood, the_window_slides_second_by_second)
{
	struct flood_table	*t = flood_new(100);
	int			 retry = 0;

	cr_assert_eq(flood_check(t, A, 4, 300, T0, &retry), 0);
	cr_assert_eq(flood_check(t, A, 4, 300, T0, &retry), 0);
	cr_assert_eq(flood_check(t, A, 4, 300, T0 + 30, &retry), 0);
	cr_assert_eq(flood_check(t, A, 4, 300, T0 + 30, &retry), 0);
	/* At +59 all four are in the span: refused. */
	cr_assert_neq(flood_check(t, A, 4, 300, T0 + 59, &retry), 0);
	flood_free(t);

	t = flood_new(100);
	cr_assert_eq(flood_check(t, A, 4, 300, T0, &retry), 0);
	cr_assert_eq(flood_check(t, A, 4, 300, T0, &retry), 0);
	cr_assert_eq(flood_check(t, A, 4, 300, T0 + 30, &retry), 0);
	cr_assert_eq(flood_check(t, A, 4, 300, T0 + 30, &retry), 0);
	/* At +60 the first two left the span: two more fit, not three. */
	cr_assert_eq(flood_check(t, A, 4, 300, T0 + 60, &retry), 0);
	cr_assert_eq(flood_check(t, A, 4, 300, T0 + 60, &retry), 0);
	cr_assert_neq(flood_check(t, A, 4, 300, T0 + 60, &retry), 0);
	flood_free(t);
}

Test(flood, steady_traffic_under_the_limit_is_never_blocked)
{
	struct flood_table	*t = flood_new(100);
	int			 s, retry = 0;

	/* 40 a minute against a limit of 60, for ten minutes. */
	for (s = 0; s < 600; s += 3) {
		cr_assert_eq(flood_check(t, A, 60, 300, T0 + s, &retry), 0,
		    "at +%d", s);
		cr_assert_eq(flood_check(t, A, 60, 300, T0 + s, &retry), 0,
		    "at +%d", s);
	}
	flood_free(t);
}

Test(flood, requests_during_a_block_do_not_extend_it)
{
	struct flood_table	*t = flood_new(100);
	int			 s, retry = 0;

	cr_assert_eq(flood_check(t, A, 1, 300, T0, &retry), 0);
	cr_assert_eq(flood_check(t, A, 1, 300, T0 + 10, &retry), 2);
	cr_assert_eq(retry, 300);
	for (s = 11; s < 310; s += 7) {
		cr_assert_eq(flood_check(t, A, 1, 300, T0 + s, &retry), 1,
		    "at +%d", s);
		cr_assert_eq(retry, 310 - s, "Retry-After at +%d", s);
	}
	cr_assert_eq(flood_check(t, A, 1, 300, T0 + 309, &retry), 1);
	cr_assert_eq(retry, 1);
	/* The block ends when it was due, and counting starts afresh. */
	cr_assert_eq(flood_check(t, A, 1, 300, T0 + 310, &retry), 0);
	cr_assert_eq(flood_check(t, A, 1, 300, T0 + 311, &retry), 2);
	flood_free(t);
}

Test(flood, addresses_are_counted_apart)
{
	struct flood_table	*t = flood_new(100);
	int			 i, retry = 0;

	for (i = 0; i < 3; i++)
		cr_assert_eq(flood_check(t, A, 3, 300, T0, &retry), 0);
	cr_assert_neq(flood_check(t, A, 3, 300, T0, &retry), 0);
	for (i = 0; i < 3; i++)
		cr_assert_eq(flood_check(t, B, 3, 300, T0, &retry), 0,
		    "B was charged for A");
	flood_free(t);
}

Test(flood, memory_is_bounded_under_distinct_addresses)
{
	struct flood_table	*t = flood_new(1000);
	unsigned int		 a;
	int			 retry = 0;

	for (a = 0; a < 100000; a++)
		flood_check(t, 0x0b000000U + a, 20, 300, T0 + a / 1000,
		    &retry);
	cr_assert_leq(flood_count(t), 1000);
	flood_free(t);
}

Test(flood, a_blocked_address_that_keeps_sending_stays_blocked)
{
	struct flood_table	*t = flood_new(8);
	unsigned int		 a;
	int			 retry = 0;

	cr_assert_eq(flood_check(t, A, 1, 300, T0, &retry), 0);
	cr_assert_eq(flood_check(t, A, 1, 300, T0, &retry), 2);
	/* A flood of new addresses evicts the least recently seen. */
	for (a = 0; a < 1000; a++) {
		flood_check(t, 0x0b000000U + a, 1, 300, T0 + 1, &retry);
		cr_assert_eq(flood_check(t, A, 1, 300, T0 + 1, &retry), 1,
		    "A unblocked after %u new addresses", a + 1);
	}
	flood_free(t);
}

Test(flood, stale_addresses_are_dropped_as_new_ones_come)
{
	struct flood_table	*t = flood_new(1000);
	unsigned int		 a;
	int			 retry = 0;

	for (a = 0; a < 100; a++)
		flood_check(t, 0x0b000000U + a, 20, 300, T0, &retry);
	cr_assert_eq(flood_count(t), 100);
	for (a = 0; a < 10; a++)
		flood_check(t, 0x0c000000U + a, 20, 300, T0 + 120, &retry);
	cr_assert_lt(flood_count(t), 100);
	flood_free(t);
}

Test(tenant, max_sessions_then_refused_with_a_wait)
{
	struct tenant_table	*t = tenant_new();
	int			 retry = 0;

	cr_assert_eq(tenant_enter(t, "a", 2, 1200, T0, &retry), 0);
	cr_assert_eq(tenant_enter(t, "b", 2, 1200, T0 + 10, &retry), 0);
	cr_assert_eq(tenant_enter(t, "a", 2, 1200, T0 + 20, &retry), 0,
	    "a live session is refused");
	cr_assert_eq(tenant_enter(t, "c", 2, 1200, T0 + 30, &retry), 1);
	/* b, idle since +10, goes after 1200 s of idleness: +1211. */
	cr_assert_eq(retry, 1211 - 30);
	cr_assert_eq(tenant_count(t), 2);
	tenant_free(t);
}

Test(tenant, sessions_idle_longer_than_the_timeout_are_dropped)
{
	struct tenant_table	*t = tenant_new();
	int			 retry = 0;

	cr_assert_eq(tenant_enter(t, "a", 1, 60, T0, &retry), 0);
	/* Idle exactly the timeout: still live. */
	cr_assert_eq(tenant_enter(t, "b", 1, 60, T0 + 60, &retry), 1);
	/* Idle longer: dropped, and the new tenant gets its place. */
	cr_assert_eq(tenant_enter(t, "b", 1, 60, T0 + 61, &retry), 0);
	cr_assert_eq(tenant_count(t), 1);
	tenant_free(t);
}

Test(tenant, using_a_session_keeps_it_alive)
{
	struct tenant_table	*t = tenant_new();
	int			 s, retry = 0;

	for (s = 0; s <= 600; s += 50)
		cr_assert_eq(tenant_enter(t, "a", 1, 60, T0 + s, &retry), 0);
	cr_assert_eq(tenant_enter(t, "b", 1, 60, T0 + 600, &retry), 1);
	tenant_free(t);
}
