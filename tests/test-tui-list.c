/*
 * test-tui-list.c: the list screen's rows and words without a terminal:
 * columns at 80, 60 and 200 columns, the filter, and the words that
 * make a row stand out without colour.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "hyp-token.h"
#include "tui.h"

#define NOW	1751371200	/* 2025-07-01 12:00:00 UTC */
#define KEEPALIVE 30

static void
utf8(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	glyphs_init(1);
}

TestSuite(list, .init = utf8);
TestSuite(words, .init = utf8);

static void
make_record(struct hyp_record *r, const char *domain, const char *purpose)
{
	memset(r, 0, sizeof *r);
	snprintf(r->domain, sizeof r->domain, "%s", domain);
	snprintf(r->user_name, sizeof r->user_name, "webapi");
	snprintf(r->purpose, sizeof r->purpose, "%s", purpose);
	r->token_life_hours = 24;
	r->access_until = NOW + 3 * 86400;
	r->keep_alive = NOW - 10;
	r->last_trans = NOW - 65;
}

static char *
row_of(struct hyp_record *r, int cols)
{
	struct canvas c;
	struct list_cols lc;
	char	*row;

	canvas_init(&c, 1, cols);
	list_columns(cols, &lc);
	list_draw_row(&c, 0, &lc, r, NULL, NOW, KEEPALIVE, 0);
	row = canvas_row(&c, 0);
	canvas_clear(&c);
	return (row);
}

struct cols_case {
	int		 cols;
	int		 user, last;
};

ParameterizedTestParameters(list, columns_fit_and_drop_user_and_last_first)
{
	static struct cols_case cases[] = {
		{ 200, 1, 1 },
		{ 80, 1, 1 },
		{ 70, 1, 0 },
		{ 60, 0, 0 },
	};

	return cr_make_param_array(struct cols_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct cols_case *c, list,
    columns_fit_and_drop_user_and_last_first)
{
	struct list_cols lc;
	int	 w;

	list_columns(c->cols, &lc);
	w = lc.mark + lc.domain + 1 + lc.purpose + 1 + lc.access + 1 +
	    lc.alive + (lc.user ? lc.user + 1 : 0) +
	    (lc.last ? lc.last + 1 : 0);
	cr_assert_leq(w, c->cols);
	cr_assert_eq(lc.user > 0, c->user);
	cr_assert_eq(lc.last > 0, c->last);
	cr_assert_geq(lc.domain, 16, "a domain keeps room to be read");
	cr_assert_geq(lc.access, 20);
}

Test(list, an_80_column_row_holds_every_column)
{
	struct hyp_record r;
	char	*row;

	make_record(&r, "portal.example.com", "portal");
	row = row_of(&r, 80);
	cr_assert_not_null(strstr(row, "portal.example.com"));
	cr_assert_not_null(strstr(row, "webapi"));
	cr_assert_not_null(strstr(row, "2025-07-04 12:00 3d"), "%s", row);
	cr_assert_not_null(strstr(row, " up "), "%s", row);
	cr_assert_not_null(strstr(row, "11:58:55"), "%s", row);
}

struct state_case {
	int64_t		 until;
	int64_t		 keep_alive;
	char		 purpose[32];
	char		 word[32];
};

ParameterizedTestParameters(list, rows_that_need_attention_say_so_in_words)
{
	static struct state_case cases[] = {
		{ NOW - 7200, NOW, "api", "expired 2h ago" },
		{ NOW + 600, NOW, "api", "expiring 12:10 in 10m" },
		{ NOW + 3 * 86400, NOW - 61, "api", "stale" },
		{ NOW + 3 * 86400, NOW - 60, "api", "up" },
		{ NOW + 3 * 86400, 0, "api", "never" },
		{ NOW + 3 * 86400, NOW, "unsecured-api", "unsecured" },
	};

	return cr_make_param_array(struct state_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct state_case *c, list,
    rows_that_need_attention_say_so_in_words)
{
	struct hyp_record r;
	char	*row;

	make_record(&r, "api.example.com", c->purpose);
	r.access_until = c->until;
	r.keep_alive = c->keep_alive;
	row = row_of(&r, 80);
	cr_assert_not_null(strstr(row, c->word), "want '%s' in '%s'",
	    c->word, row);
	free(row);
}

struct match_case {
	char		 filter[32];
	int		 want;
};

ParameterizedTestParameters(list, the_filter_matches_domain_user_and_purpose)
{
	static struct match_case cases[] = {
		{ "", 1 },
		{ "portal", 1 },
		{ "PORTAL.EX", 1 },
		{ "webapi", 1 },
		{ "WebAPI", 1 },
		{ "unsec", 0 },
		{ "z\xc3\xbcrich", 1 },		/* zürich, any case */
		{ "Z\xc3\x9c" "RICH", 1 },	/* ZÜRICH */
		{ "example.net", 0 },
	};

	return cr_make_param_array(struct match_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct match_case *c, list,
    the_filter_matches_domain_user_and_purpose)
{
	struct hyp_record r;

	make_record(&r, "portal.example.com", "portal-Z\xc3\xbcrich");
	cr_assert_eq(list_match(&r, c->filter), c->want, "'%s'", c->filter);
}

Test(words, a_masked_token_shows_prefix_and_length_only)
{
	char	*tok, buf[128];

	cr_assert_eq(token_init(NULL), 0);
	tok = token_new(TOKEN_ACCESS);
	words_mask(tok, buf, sizeof buf);
	cr_assert_eq(strncmp(buf, "hypa_", 5), 0);
	cr_assert_not_null(strstr(buf, "(120)"));
	/* no character of the random body: only prefix, dots, length */
	cr_assert_null(strpbrk(buf + 5, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz"), "the body must not show");
	token_free(tok);
	words_mask(NULL, buf, sizeof buf);
	cr_assert_str_eq(buf, "(none)");
}

struct span_case {
	long long	 secs;
	char		 want[16];
};

ParameterizedTestParameters(words, spans_use_their_largest_whole_unit)
{
	static struct span_case cases[] = {
		{ 0, "0s" }, { 59, "59s" }, { 60, "1m" }, { 3599, "59m" },
		{ 3600, "1h" }, { 2 * 86400 - 1, "47h" }, { 2 * 86400, "2d" },
		{ -7200, "2h" },
	};

	return cr_make_param_array(struct span_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct span_case *c, words,
    spans_use_their_largest_whole_unit)
{
	char	 buf[16];

	cr_assert_str_eq(words_span(c->secs, buf, sizeof buf), c->want);
}

Test(words, last_transaction_is_short_for_today_and_this_year)
{
	char	 buf[32];

	cr_assert_str_eq(words_last(0, NOW, buf, sizeof buf), "-");
	cr_assert_str_eq(words_last(NOW - 60, NOW, buf, sizeof buf),
	    "11:59:00");
	cr_assert_str_eq(words_last(NOW - 86400, NOW, buf, sizeof buf),
	    "06-30 12:00");
	cr_assert_str_eq(words_last(NOW - 400 * 86400, NOW, buf, sizeof buf),
	    "2024-05-27");
}
