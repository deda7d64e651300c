/*
 * test-tui-list.c: the list screen's rows and words without a terminal:
 * columns at 60 to 200 columns for domains of every length (a long one
 * cut rather than pushing the others off), the filter, the words that
 * make a row stand out without colour, and the INVALID mark of a record
 * its daemon would refuse.
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
#define SHARE	"share"

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

/* The row of r alone on a screen cols wide, checked against cat. */
static char *
row_with(struct hyp_record *r, int cols, const struct policy_catalog *cat)
{
	struct canvas c;
	struct list_cols lc;
	struct list_need need;
	char	*row;

	memset(&need, 0, sizeof need);
	list_need_add(&need, r);
	canvas_init(&c, 1, cols);
	list_columns(cols, &need, &lc);
	list_draw_row(&c, 0, &lc, r, cat, NOW, KEEPALIVE, 0);
	row = canvas_row(&c, 0);
	canvas_clear(&c);
	return (row);
}

static char *
row_of(struct hyp_record *r, int cols)
{
	return (row_with(r, cols, NULL));
}

/* A domain name of n characters. */
static void
long_domain(struct hyp_record *r, int n)
{
	int	 i;

	for (i = 0; i < n - 12; i++)
		r->domain[i] = (char)('a' + i % 26);
	snprintf(r->domain + i, sizeof r->domain - (size_t)i, ".example.com");
}

struct cols_case {
	int		 cols;
	int		 domain, purpose, user;	/* widest of the records */
	int		 show_user, show_last;
	int		 domain_w;		/* at least */
};

ParameterizedTestParameters(list, the_domain_gets_its_width_before_others)
{
	static struct cols_case cases[] = {
		/* the demonstration's records at 80: every column */
		{ 80, 18, 13, 6, 1, 1, 18 },
		{ 160, 60, 13, 6, 1, 1, 60 },
		{ 200, 100, 13, 6, 1, 1, 100 },
		{ 200, 16, 6, 40, 1, 1, 16 },
		{ 70, 18, 13, 6, 1, 0, 18 },
		{ 60, 18, 13, 6, 0, 0, 18 },
		/*
		 * One long domain: cut, so that the other columns keep their
		 * place on a wide screen; narrower, the domain keeps 30
		 * columns and the last transaction goes first.
		 */
		{ 120, 65, 13, 6, 1, 1, 30 },
		{ 100, 65, 13, 16, 1, 0, 30 },
		{ 80, 60, 13, 6, 1, 0, 30 },
		{ 60, 60, 13, 6, 0, 0, 19 },
	};

	return cr_make_param_array(struct cols_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct cols_case *c, list,
    the_domain_gets_its_width_before_others)
{
	struct list_cols lc;
	struct list_need need = { c->domain, c->purpose, c->user };
	int	 w;

	list_columns(c->cols, &need, &lc);
	/* each column and its separator; the last one's may fall off */
	w = lc.mark + lc.domain + 1 + lc.purpose + 1 + lc.access + 1 +
	    lc.alive + 1 + (lc.user ? lc.user + 1 : 0) +
	    (lc.last ? lc.last + 1 : 0) - 1;
	cr_assert_leq(w, c->cols, "%d columns for %d", w, c->cols);
	cr_assert_eq(lc.user > 0, c->show_user, "user %d", lc.user);
	cr_assert_eq(lc.last > 0, c->show_last, "last %d", lc.last);
	cr_assert_geq(lc.domain, c->domain_w, "domain %d", lc.domain);
	cr_assert_geq(lc.access, 20);
	cr_assert_geq(lc.purpose, 7, "PURPOSE fits");
	if (c->cols >= 80)
		cr_assert_geq(lc.purpose, c->purpose, "PURPOSE whole");
	if (c->show_user)
		cr_assert_geq(lc.user, c->user < 16 ? c->user : 16);
}

struct domain_case {
	int		 cols;
	int		 len;
	int		 cut;
};

ParameterizedTestParameters(list, a_domain_is_cut_only_when_it_cannot_fit)
{
	static struct domain_case cases[] = {
		{ 80, 18, 0 },
		{ 80, 30, 0 },
		{ 160, 60, 0 },
		{ 200, 120, 0 },
		{ 80, 70, 1 },
		{ 60, 50, 1 },
	};

	return cr_make_param_array(struct domain_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct domain_case *c, list,
    a_domain_is_cut_only_when_it_cannot_fit)
{
	struct hyp_record r;
	char	*row, start[16];

	make_record(&r, "", "portal");
	long_domain(&r, c->len);
	row = row_of(&r, c->cols);
	if (c->cut) {
		snprintf(start, sizeof start, "%.10s", r.domain);
		cr_assert_not_null(strstr(row, start), "%s", row);
		cr_assert_not_null(strstr(row, "\xe2\x80\xa6"),
		    "a cut domain ends in a mark: %s", row);
	} else
		cr_assert_not_null(strstr(row, r.domain), "%s", row);
	free(row);
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

Test(list, one_long_domain_leaves_every_column_in_place_at_120)
{
	struct hyp_record r;
	char	*row;

	make_record(&r, "", "unsecured-api");
	long_domain(&r, 65);
	row = row_of(&r, 120);
	cr_assert_not_null(strstr(row, "\xe2\x80\xa6"), "cut: %s", row);
	cr_assert_not_null(strstr(row, "unsecured-api"), "%s", row);
	cr_assert_not_null(strstr(row, "webapi"), "USER: %s", row);
	cr_assert_not_null(strstr(row, "2025-07-04 12:00 3d"), "%s", row);
	cr_assert_not_null(strstr(row, " up "), "%s", row);
	cr_assert_not_null(strstr(row, "11:58:55"), "LAST TRANS: %s", row);
	free(row);
}

Test(list, the_80_column_demonstration_shows_the_purpose_whole)
{
	struct hyp_record r;
	char	*row;

	/* the widest of the three records of the demonstration */
	make_record(&r, "portal.example.com", "unsecured-api");
	row = row_of(&r, 80);
	cr_assert_not_null(strstr(row, "portal.example.com "), "%s", row);
	cr_assert_not_null(strstr(row, "unsecured-api "), "%s", row);
	cr_assert_not_null(strstr(row, "webapi"), "%s", row);
	cr_assert_not_null(strstr(row, "11:58:55"), "%s", row);
	free(row);
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

/* A record as a daemon would enforce it, with the catalogue's purpose. */
static void
sound_record(struct hyp_record *r)
{
	make_record(r, "api.example.com", "api");
	r->whitelist = xstrdup("");
	r->modules = xstrdup("");
	r->blocked = xstrdup("");
}

struct refused_case {
	char		 what[48];
	char		 whitelist[32];
	char		 modules[32];
	char		 purpose[32];
	int		 hours;
	long long	 until;
	int		 unread;	/* storage could not read a column */
	int		 refused;
};

ParameterizedTestParameters(list, a_record_its_daemon_refuses_says_invalid)
{
	static struct refused_case cases[] = {
		{ "sound", "", "", "api", 24, NOW + 86400, 0, 0 },
		{ "whitelist", "010.0.0.1", "", "api", 24, NOW + 86400, 0, 1 },
		{ "hours 0", "", "", "api", 0, NOW + 86400, 0, 1 },
		{ "module", "", "nosuch", "api", 24, NOW + 86400, 0, 1 },
		{ "purpose", "", "", "bogus", 24, NOW + 86400, 0, 1 },
		{ "until", "", "", "api", 24, 99999999999999LL, 0, 1 },
		{ "text in a number", "", "", "api", 24, NOW + 86400, 1, 1 },
	};

	return cr_make_param_array(struct refused_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct refused_case *c, list,
    a_record_its_daemon_refuses_says_invalid)
{
	struct policy_catalog *cat;
	struct hyp_error err;
	struct hyp_record r;
	char	*row;

	cat = policy_catalog_load(SHARE, &err);
	cr_assert_not_null(cat, "%s", err.msg);
	sound_record(&r);
	free(r.whitelist);
	free(r.modules);
	r.whitelist = xstrdup(c->whitelist);
	r.modules = xstrdup(c->modules);
	snprintf(r.purpose, sizeof r.purpose, "%s", c->purpose);
	r.token_life_hours = c->hours;
	r.access_until = c->until;
	if (c->unread)
		snprintf(r.invalid, sizeof r.invalid, "max_posts_per_ip_per_"
		    "minute holds 'lots', not a number");
	cr_assert_eq(list_is_refused(&r, cat), c->refused, "%s", c->what);
	row = row_with(&r, 80, cat);
	if (c->refused)
		cr_assert_not_null(strstr(row, "INVALID"), "%s: %s", c->what,
		    row);
	else
		cr_assert_null(strstr(row, "INVALID"), "%s: %s", c->what, row);
	free(row);
	record_clear(&r);
	policy_catalog_free(cat);
}
