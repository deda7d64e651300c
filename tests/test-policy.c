/*
 * test-policy.c: the editable fields' rules (SPEC section 4), the
 * catalogues (section 6) and the effective policy that fails closed.
 * The catalogue tests read the shipped share/ files; run from the top of
 * the source tree (tests/run.sh does).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hyp-policy.h"
#include "hyp-token.h"
#include "hyp-util.h"

#define SHARE		"share"
#define NOW		INT64_C(1751371200)	/* 2025-07-01 12:00:00 */

/*
 * Field table.
 */

Test(policy, field_names_and_labels_are_the_spec_ones)
{
	static const struct {
		enum hyp_field	 f;
		const char	*name, *label;
		int		 is_list, may_be_empty;
	} want[] = {
		{ FIELD_TOKEN_LIFE_HOURS, "token_life_hours",
		    "Generated Token Life in Hours", 0, 0 },
		{ FIELD_ACCESS_UNTIL, "access_until_utc", "Access Until UTC",
		    0, 0 },
		{ FIELD_REFRESH_MODE, "refresh_token_mode",
		    "Refresh Token Mode", 0, 0 },
		{ FIELD_MAX_POSTS, "max_posts_per_ip_per_minute",
		    "Max Posts per IP per Minute", 0, 1 },
		{ FIELD_SESSION_TIMEOUT, "session_timeout_minutes",
		    "Session Timeout # Minutes", 0, 1 },
		{ FIELD_WHITELIST, "ipv4_whitelist", "IP v4 Whitelist", 1, 1 },
		{ FIELD_MODULES, "enabled_modules", "Domain Enabled Modules",
		    1, 1 },
		{ FIELD_BLOCKED, "blocked_functions", "Block These Functions",
		    1, 1 },
	};
	const struct field_info *fi;
	size_t	 i;

	cr_assert_eq(sizeof want / sizeof want[0], FIELD_COUNT);
	for (i = 0; i < FIELD_COUNT; i++) {
		fi = field_info(want[i].f);
		cr_assert_not_null(fi);
		cr_assert_eq(fi->field, want[i].f);
		cr_assert_str_eq(fi->name, want[i].name);
		cr_assert_str_eq(fi->label, want[i].label);
		cr_assert_eq(fi->is_list, want[i].is_list, "%s", fi->name);
		cr_assert_eq(fi->may_be_empty, want[i].may_be_empty, "%s",
		    fi->name);
		cr_assert_not_null(fi->allowed);
		cr_assert_eq(field_find(want[i].name), fi);
	}
	cr_assert_null(field_find("access_token"));
	cr_assert_null(field_find("Token_Life_Hours"));
	cr_assert_null(field_find(""));
	cr_assert_null(field_info(FIELD_COUNT));
}

/*
 * Scalar fields: every boundary of issue 2 item 6.
 */

struct scalar_case {
	enum hyp_field	 f;
	char		 in[48];
	int		 ok;
	char		 want[32];	/* canonical text when ok */
	int		 warned;	/* a warning is expected */
	char		 msg[96];	/* substring when refused */
};

ParameterizedTestParameters(policy, scalar_fields_keep_their_ranges)
{
	static struct scalar_case cases[] = {
		{ FIELD_TOKEN_LIFE_HOURS, "0", 0, "", 0,
		    "Generated Token Life in Hours: '0' is out of range; "
		    "allowed: 1 to 8760" },
		{ FIELD_TOKEN_LIFE_HOURS, "1", 1, "1", 0, "" },
		{ FIELD_TOKEN_LIFE_HOURS, "24", 1, "24", 0, "" },
		{ FIELD_TOKEN_LIFE_HOURS, "8760", 1, "8760", 0, "" },
		{ FIELD_TOKEN_LIFE_HOURS, "8761", 0, "", 0,
		    "'8761' is out of range; allowed: 1 to 8760" },
		{ FIELD_TOKEN_LIFE_HOURS, "", 0, "", 0,
		    "Generated Token Life in Hours: a value is required" },
		{ FIELD_TOKEN_LIFE_HOURS, "010", 0, "", 0,
		    "'010' is not a whole number in plain decimal" },
		{ FIELD_TOKEN_LIFE_HOURS, "24h", 0, "", 0, "'24h'" },
		{ FIELD_TOKEN_LIFE_HOURS, "-1", 0, "", 0, "out of range" },
		{ FIELD_TOKEN_LIFE_HOURS, "1e3", 0, "", 0, "plain decimal" },
		/* a whole number too long to hold is out of range too */
		{ FIELD_TOKEN_LIFE_HOURS, "99999999999999999999", 0, "", 0,
		    "'99999999999999999999' is out of range; allowed: 1 to "
		    "8760" },
		{ FIELD_TOKEN_LIFE_HOURS, "-99999999999999999999", 0, "", 0,
		    "is out of range" },
		{ FIELD_MAX_POSTS, "99999999999999999999", 0, "", 0,
		    "is out of range" },
		{ FIELD_TOKEN_LIFE_HOURS, " 24\t", 1, "24", 0, "" },

		{ FIELD_MAX_POSTS, "", 1, "", 0, "" },
		{ FIELD_MAX_POSTS, "  ", 1, "", 0, "" },
		{ FIELD_MAX_POSTS, "0", 0, "", 0,
		    "Max Posts per IP per Minute: '0' is out of range; "
		    "allowed: 1 to 100000, or empty" },
		{ FIELD_MAX_POSTS, "1", 1, "1", 0, "" },
		{ FIELD_MAX_POSTS, "500", 1, "500", 0, "" },
		{ FIELD_MAX_POSTS, "501", 1, "501", 1, "" },
		{ FIELD_MAX_POSTS, "100000", 1, "100000", 1, "" },
		{ FIELD_MAX_POSTS, "100001", 0, "", 0,
		    "'100001' is out of range; allowed: 1 to 100000" },
		{ FIELD_MAX_POSTS, "20/min", 0, "", 0, "'20/min'" },

		{ FIELD_SESSION_TIMEOUT, "", 1, "", 0, "" },
		{ FIELD_SESSION_TIMEOUT, "0", 0, "", 0,
		    "Session Timeout # Minutes: '0' is out of range; "
		    "allowed: 1 to 10080" },
		{ FIELD_SESSION_TIMEOUT, "1", 1, "1", 0, "" },
		{ FIELD_SESSION_TIMEOUT, "10080", 1, "10080", 0, "" },
		{ FIELD_SESSION_TIMEOUT, "10081", 0, "", 0,
		    "'10081' is out of range; allowed: 1 to 10080" },

		{ FIELD_REFRESH_MODE, "rotate", 1, "rotate", 0, "" },
		{ FIELD_REFRESH_MODE, "fixed", 1, "fixed", 0, "" },
		{ FIELD_REFRESH_MODE, "FIXED", 1, "fixed", 0, "" },
		{ FIELD_REFRESH_MODE, " Rotate ", 1, "rotate", 0, "" },
		{ FIELD_REFRESH_MODE, "", 0, "", 0,
		    "Refresh Token Mode: '' is not a mode" },
		{ FIELD_REFRESH_MODE, "rotating", 0, "", 0, "'rotating'" },

		{ FIELD_ACCESS_UNTIL, "2025-07-01T12:00:00Z", 1,
		    "2025-07-01 12:00:00", 1, "" },	/* == now: past */
		{ FIELD_ACCESS_UNTIL, "2025-07-02 00:00:00", 1,
		    "2025-07-02 00:00:00", 0, "" },
		{ FIELD_ACCESS_UNTIL, "+12h", 1, "2025-07-02 00:00:00", 0, "" },
		{ FIELD_ACCESS_UNTIL, "+90m", 1, "2025-07-01 13:30:00", 0, "" },
		{ FIELD_ACCESS_UNTIL, "2025-06-30 00:00:00", 1,
		    "2025-06-30 00:00:00", 1, "" },
		{ FIELD_ACCESS_UNTIL, "", 0, "", 0, "Access Until UTC: " },
		{ FIELD_ACCESS_UNTIL, "tomorrow", 0, "", 0,
		    "Access Until UTC: 'tomorrow'" },
		{ FIELD_ACCESS_UNTIL, "+9999999999999d", 0, "", 0,
		    "past the year 9999" },
		{ FIELD_ACCESS_UNTIL, "+99999999999999999999h", 0, "", 0,
		    "past the year 9999" },
		{ FIELD_ACCESS_UNTIL, "+010h", 0, "", 0, "plain decimal" },
		/* Past the longest token life (8760 h): allowed, warned. */
		{ FIELD_ACCESS_UNTIL, "+365d", 1, "2026-07-01 12:00:00", 0,
		    "" },
		{ FIELD_ACCESS_UNTIL, "+8761h", 1, "2026-07-01 13:00:00", 1,
		    "" },
		{ FIELD_ACCESS_UNTIL, "9999-12-31 23:59:59", 1,
		    "9999-12-31 23:59:59", 1, "" },
	};

	return cr_make_param_array(struct scalar_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct scalar_case *c, policy,
    scalar_fields_keep_their_ranges)
{
	struct hyp_error err;
	char		 warning[256] = "left over";
	char		*out = NULL;
	int		 rc;

	hyp_error_clear(&err);
	rc = field_parse(c->f, c->in, NOW, NULL, &out, warning,
	    sizeof warning, &err);
	cr_assert_eq(rc == 0, c->ok, "'%s': rc %d (%s)", c->in, rc, err.msg);
	if (!c->ok) {
		cr_assert_null(out);
		cr_assert_eq(err.code, HYP_E_INVALID);
		cr_assert(strstr(err.msg, c->msg) != NULL, "'%s': %s", c->in,
		    err.msg);
		return;
	}
	cr_assert_str_eq(out, c->want, "'%s'", c->in);
	if (c->warned)
		cr_assert(warning[0] != '\0', "'%s': no warning", c->in);
	else
		cr_assert_str_eq(warning, "", "'%s': %s", c->in, warning);
	free(out);
}

Test(policy, past_access_until_warns_that_the_token_is_refused)
{
	struct hyp_error err;
	char		 warning[256];
	char		*out;

	cr_assert_eq(field_parse(FIELD_ACCESS_UNTIL, "2025-06-30 00:00:00",
	    NOW, NULL, &out, warning, sizeof warning, &err), 0);
	cr_assert(strstr(warning, "refused from now on") != NULL, "%s",
	    warning);
	free(out);
}

Test(policy, posts_above_500_warn_but_are_kept)
{
	struct hyp_error err;
	char		 warning[256];
	char		*out;

	cr_assert_eq(field_parse(FIELD_MAX_POSTS, "501", NOW, NULL, &out,
	    warning, sizeof warning, &err), 0);
	cr_assert_str_eq(out, "501");
	cr_assert(strstr(warning, "Max Posts per IP per Minute") != NULL);
	cr_assert(strstr(warning, "above 500") != NULL, "%s", warning);
	free(out);
}

/*
 * Lists.
 */

struct list_case {
	enum hyp_field	 f;
	char		 in[160];
	int		 ok;
	char		 want[96];
	int		 warned;
	char		 msg[112];
};

ParameterizedTestParameters(policy, list_fields_parse_to_canonical_text)
{
	static struct list_case cases[] = {
		/* case 16: whitespace and empty entries */
		{ FIELD_WHITELIST,
		    "127.0.0.1, 192.168.1.10 ,\t10.0.0.0/8,,", 1,
		    "127.0.0.1\n192.168.1.10\n10.0.0.0/8", 0, "" },
		{ FIELD_WHITELIST,
		    "  127.0.0.1  \n\n\t192.168.1.10\t\n# the office\n"
		    "\n   10.0.0.0/8   \n\n", 1,
		    "127.0.0.1\n192.168.1.10\n10.0.0.0/8", 0, "" },
		{ FIELD_WHITELIST, "127.0.0.1\r\n10.0.0.0/8 # lab\r\n", 1,
		    "127.0.0.1\n10.0.0.0/8", 0, "" },
		{ FIELD_WHITELIST, "", 1, "", 0, "" },
		{ FIELD_WHITELIST, "10.0.0.1\n10.0.0.1/32\n10.0.0.1", 1,
		    "10.0.0.1", 1, "" },
		{ FIELD_WHITELIST, "10.0.0.0/8, 10.0.0.0/16", 1,
		    "10.0.0.0/8\n10.0.0.0/16", 0, "" },
		/* case 15 and issue 2: refused with the entry number */
		{ FIELD_WHITELIST, "10.0.0.1, 010.0.0.1", 0, "", 0,
		    "IP v4 Whitelist, entry 2: '010.0.0.1' has a leading zero; "
		    "write 10.0.0.1" },
		{ FIELD_WHITELIST, "10.0.0.1\n\n10.1", 0, "", 0,
		    "IP v4 Whitelist, line 3: '10.1' is not four numbers" },
		{ FIELD_WHITELIST, "1.2.3.4/33", 0, "", 0,
		    "IP v4 Whitelist, line 1: '1.2.3.4/33' has a bad prefix" },
		{ FIELD_WHITELIST, "10.0.0.1\n256.1.1.1", 0, "", 0,
		    "IP v4 Whitelist, line 2: '256.1.1.1' has a number above "
		    "255" },
		{ FIELD_WHITELIST, "10.0.0.01", 0, "", 0,
		    "IP v4 Whitelist, line 1: '10.0.0.01' has a leading zero; "
		    "write 10.0.0.1" },
		{ FIELD_WHITELIST, "1.1.1.1,0x0a.0.0.1", 0, "", 0,
		    "IP v4 Whitelist, entry 2: '0x0a.0.0.1' is not a "
		    "dotted-decimal" },
		{ FIELD_WHITELIST, "1.1.1.1\n2.2.2.2, 167772161", 0, "", 0,
		    "IP v4 Whitelist, line 2, entry 2: '167772161' is not four "
		    "numbers" },
		{ FIELD_WHITELIST, "10.1.0.0/8", 0, "", 0,
		    "the block is 10.0.0.0/8" },
		{ FIELD_WHITELIST, "10.0.0.1 10.0.0.2", 0, "", 0,
		    "line 1: '10.0.0.1 10.0.0.2'" },
		{ FIELD_WHITELIST, "*", 0, "", 0, "line 1: '*'" },

		{ FIELD_MODULES, "portal", 1, "portal", 0, "" },
		{ FIELD_MODULES, " portal ,core,", 1, "portal\ncore", 0, "" },
		{ FIELD_MODULES, "portal\nportal", 1, "portal", 1, "" },
		{ FIELD_MODULES, "shop", 0, "", 0,
		    "Domain Enabled Modules, line 1: 'shop' is not in the "
		    "modules catalogue; known: core, portal" },
		{ FIELD_MODULES, "Portal", 0, "", 0,
		    "Domain Enabled Modules, line 1: 'Portal' is not a module "
		    "name" },
		{ FIELD_MODULES, "core\nweb shop", 0, "", 0, "line 2" },

		{ FIELD_BLOCKED, "Delete_Client_Json", 1, "Delete_Client_Json",
		    0, "" },
		{ FIELD_BLOCKED, "Delete_Client_Json\n delete_client_json\n"
		    "Get.Client-List", 1, "Delete_Client_Json\nGet.Client-List",
		    1, "" },
		{ FIELD_BLOCKED, "Get Client", 0, "", 0,
		    "Block These Functions, line 1: 'Get Client' is not a "
		    "function name" },
		{ FIELD_BLOCKED, "a/b", 0, "", 0, "'a/b' is not a function" },
		{ FIELD_BLOCKED, "Get_*", 0, "", 0, "'Get_*'" },
	};

	return cr_make_param_array(struct list_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct list_case *c, policy,
    list_fields_parse_to_canonical_text)
{
	struct policy_catalog *cat;
	struct hyp_error err;
	char		 warning[256];
	char		*out = NULL;
	int		 rc;

	cat = policy_catalog_load(SHARE, &err);
	cr_assert_not_null(cat, "%s", err.msg);
	hyp_error_clear(&err);
	rc = field_parse(c->f, c->in, NOW, cat, &out, warning, sizeof warning,
	    &err);
	cr_assert_eq(rc == 0, c->ok, "'%s': rc %d (%s)", c->in, rc, err.msg);
	if (!c->ok) {
		cr_assert_null(out);
		cr_assert(strstr(err.msg, c->msg) != NULL, "'%s': %s", c->in,
		    err.msg);
	} else {
		cr_assert_str_eq(out, c->want, "'%s'", c->in);
		cr_assert_eq(warning[0] != '\0', c->warned, "'%s': '%s'",
		    c->in, warning);
	}
	free(out);
	policy_catalog_free(cat);
}

Test(policy, duplicate_whitelist_entries_are_named_in_the_warning)
{
	struct hyp_error err;
	char		 warning[256];
	char		*out;

	cr_assert_eq(field_parse(FIELD_WHITELIST, "10.0.0.1,10.0.0.2,10.0.0.1",
	    NOW, NULL, &out, warning, sizeof warning, &err), 0);
	cr_assert_str_eq(out, "10.0.0.1\n10.0.0.2");
	cr_assert(strstr(warning, "IP v4 Whitelist, entry 3: '10.0.0.1'") !=
	    NULL, "%s", warning);
	cr_assert(strstr(warning, "dropped") != NULL, "%s", warning);
	free(out);
}

Test(policy, whitelist_of_only_separators_or_comments_is_refused)
{
	static const char *const inputs[] = {
		",,", " , ,\t", "# 10.0.0.1", "\n# 10.0.0.0/8\n,\n",
	};
	struct hyp_error err;
	char		*out;
	size_t		 i;

	for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		cr_assert_eq(field_parse(FIELD_WHITELIST, inputs[i], NOW, NULL,
		    &out, NULL, 0, &err), -1, "input %zu allowed everyone", i);
		cr_assert(strstr(err.msg, "no address") != NULL, "%s",
		    err.msg);
	}
	/* A truly empty field is the documented "every address". */
	cr_assert_eq(field_parse(FIELD_WHITELIST, " \n", NOW, NULL, &out,
	    NULL, 0, &err), 0);
	cr_assert_str_eq(out, "");
	free(out);
}

Test(policy, parsing_canonical_text_again_changes_nothing)
{
	static const char *in[] = {
		"127.0.0.1, 192.168.1.10 ,\t10.0.0.0/8,,",
		" 10.0.0.1 \n # c\n10.0.0.1",
	};
	struct hyp_error err;
	char		*once, *twice;
	size_t		 i;

	for (i = 0; i < sizeof in / sizeof in[0]; i++) {
		cr_assert_eq(field_parse(FIELD_WHITELIST, in[i], NOW, NULL,
		    &once, NULL, 0, &err), 0);
		cr_assert_eq(field_parse(FIELD_WHITELIST, once, NOW, NULL,
		    &twice, NULL, 0, &err), 0);
		cr_assert_str_eq(once, twice);
		free(once);
		free(twice);
	}
}

Test(policy, module_names_are_not_checked_without_a_catalogue)
{
	struct hyp_error err;
	char		*out;

	cr_assert_eq(field_parse(FIELD_MODULES, "shop", NOW, NULL, &out, NULL,
	    0, &err), 0);
	cr_assert_str_eq(out, "shop");
	free(out);
}

Test(policy, lists_hold_at_most_the_limit)
{
	struct hyp_error err;
	char		*in, *out = NULL, *p;
	int		 i;

	in = malloc((POLICY_LIST_MAX + 1) * 16);
	cr_assert_not_null(in);
	p = in;
	for (i = 0; i < POLICY_LIST_MAX; i++)
		p += sprintf(p, "10.0.%d.%d\n", i / 256, i % 256);
	cr_assert_eq(field_parse(FIELD_WHITELIST, in, NOW, NULL, &out, NULL,
	    0, &err), 0, "%s", err.msg);
	free(out);
	out = NULL;
	sprintf(p, "10.1.0.0");
	cr_assert_eq(field_parse(FIELD_WHITELIST, in, NOW, NULL, &out, NULL,
	    0, &err), -1);
	cr_assert(strstr(err.msg, "more than 256 entries") != NULL, "%s",
	    err.msg);
	cr_assert_null(out);
	free(in);
}

Test(policy, function_names_are_at_most_64_characters)
{
	struct hyp_error err;
	char		 name[66], *out = NULL;

	memset(name, 'F', 64);
	name[64] = '\0';
	cr_assert_eq(field_parse(FIELD_BLOCKED, name, NOW, NULL, &out, NULL,
	    0, &err), 0, "%s", err.msg);
	cr_assert_str_eq(out, name);
	free(out);
	out = NULL;
	name[64] = 'F';
	name[65] = '\0';
	cr_assert_eq(field_parse(FIELD_BLOCKED, name, NOW, NULL, &out, NULL,
	    0, &err), -1);
	cr_assert(strstr(err.msg, "is not a function name") != NULL, "%s",
	    err.msg);
	cr_assert_null(out);
}

/*
 * field_get and field_set.
 */

static void
record_sample(struct hyp_record *rec)
{
	memset(rec, 0, sizeof *rec);
	hyp_strlcpy(rec->user_name, "webapi", sizeof rec->user_name);
	hyp_strlcpy(rec->domain, "api.example.com", sizeof rec->domain);
	hyp_strlcpy(rec->purpose, "api", sizeof rec->purpose);
	rec->token_life_hours = 24;
	rec->access_until = NOW;
	rec->refresh_mode = REFRESH_ROTATE;
	rec->whitelist = strdup("10.0.0.0/8\n192.0.2.10");
	rec->modules = strdup("");
	rec->blocked = strdup("Delete_Client_Json");
}

Test(policy, field_get_gives_canonical_text)
{
	static const struct {
		enum hyp_field	 f;
		const char	*want;
	} want[] = {
		{ FIELD_TOKEN_LIFE_HOURS, "24" },
		{ FIELD_ACCESS_UNTIL, "2025-07-01 12:00:00" },
		{ FIELD_REFRESH_MODE, "rotate" },
		{ FIELD_MAX_POSTS, "" },
		{ FIELD_SESSION_TIMEOUT, "" },
		{ FIELD_WHITELIST, "10.0.0.0/8\n192.0.2.10" },
		{ FIELD_MODULES, "" },
		{ FIELD_BLOCKED, "Delete_Client_Json" },
	};
	struct hyp_record rec;
	char		*text;
	size_t		 i;

	record_sample(&rec);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		text = field_get(&rec, want[i].f);
		cr_assert_str_eq(text, want[i].want);
		free(text);
	}
	rec.max_posts = 50;
	rec.refresh_mode = REFRESH_FIXED;
	text = field_get(&rec, FIELD_MAX_POSTS);
	cr_assert_str_eq(text, "50");
	free(text);
	text = field_get(&rec, FIELD_REFRESH_MODE);
	cr_assert_str_eq(text, "fixed");
	free(text);
	record_clear(&rec);
}

Test(policy, field_set_stores_canonical_text)
{
	struct hyp_record rec;
	struct hyp_error err;

	record_sample(&rec);
	cr_assert_eq(field_set(&rec, FIELD_TOKEN_LIFE_HOURS, "8760", &err), 0);
	cr_assert_eq(rec.token_life_hours, 8760);
	cr_assert_eq(field_set(&rec, FIELD_ACCESS_UNTIL, "2025-07-01 12:00:00",
	    &err), 0);
	cr_assert_eq(rec.access_until, NOW);
	cr_assert_eq(field_set(&rec, FIELD_REFRESH_MODE, "fixed", &err), 0);
	cr_assert_eq(rec.refresh_mode, REFRESH_FIXED);
	cr_assert_eq(field_set(&rec, FIELD_MAX_POSTS, "501", &err), 0);
	cr_assert_eq(rec.max_posts, 501);
	cr_assert_eq(field_set(&rec, FIELD_MAX_POSTS, "", &err), 0);
	cr_assert_eq(rec.max_posts, 0);
	cr_assert_eq(field_set(&rec, FIELD_SESSION_TIMEOUT, "10080", &err), 0);
	cr_assert_eq(rec.session_timeout, 10080);
	cr_assert_eq(field_set(&rec, FIELD_WHITELIST, "10.0.0.1", &err), 0);
	cr_assert_str_eq(rec.whitelist, "10.0.0.1");
	cr_assert_eq(field_set(&rec, FIELD_MODULES, "portal", &err), 0);
	cr_assert_str_eq(rec.modules, "portal");
	cr_assert_eq(field_set(&rec, FIELD_BLOCKED, "", &err), 0);
	cr_assert_str_eq(rec.blocked, "");
	record_clear(&rec);
}

struct set_case {
	enum hyp_field	 f;
	char		 text[48];
};

ParameterizedTestParameters(policy, field_set_refuses_what_is_not_canonical)
{
	static struct set_case cases[] = {
		{ FIELD_TOKEN_LIFE_HOURS, "010" },
		{ FIELD_TOKEN_LIFE_HOURS, " 24" },
		{ FIELD_TOKEN_LIFE_HOURS, "0" },
		{ FIELD_TOKEN_LIFE_HOURS, "" },
		{ FIELD_ACCESS_UNTIL, "+5h" },
		{ FIELD_ACCESS_UNTIL, "2025-07-01T12:00:00Z" },
		{ FIELD_REFRESH_MODE, "Rotate" },
		{ FIELD_REFRESH_MODE, "" },
		{ FIELD_MAX_POSTS, "0" },
		{ FIELD_MAX_POSTS, "100001" },
		{ FIELD_SESSION_TIMEOUT, "10081" },
		{ FIELD_WHITELIST, "10.0.0.1, 10.0.0.2" },
		{ FIELD_WHITELIST, "010.0.0.1" },
		{ FIELD_WHITELIST, "10.0.0.1\n10.0.0.1" },
		{ FIELD_WHITELIST, "10.0.0.1\n" },
		{ FIELD_MODULES, " portal" },
		{ FIELD_BLOCKED, "a b" },
	};

	return cr_make_param_array(struct set_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct set_case *c, policy,
    field_set_refuses_what_is_not_canonical)
{
	struct hyp_record rec, before;
	struct hyp_error err;

	record_sample(&rec);
	before = rec;
	cr_assert_eq(field_set(&rec, c->f, c->text, &err), -1, "'%s'",
	    c->text);
	cr_assert_eq(rec.token_life_hours, before.token_life_hours);
	cr_assert_eq(rec.access_until, before.access_until);
	cr_assert_eq(rec.refresh_mode, before.refresh_mode);
	cr_assert_eq(rec.whitelist, before.whitelist);
	record_clear(&rec);
}

Test(policy, record_copy_is_deep_and_clear_zeroes)
{
	struct hyp_record a, b;

	record_sample(&a);
	record_copy(&b, &a);
	cr_assert_neq(a.whitelist, b.whitelist);
	cr_assert_str_eq(a.whitelist, b.whitelist);
	cr_assert_str_eq(b.domain, "api.example.com");
	cr_assert_null(b.access_token);
	record_clear(&a);
	cr_assert_null(a.whitelist);
	cr_assert_str_eq(b.blocked, "Delete_Client_Json");
	record_clear(&b);
	record_clear(&b);	/* twice is harmless */
	record_clear(NULL);
}

/*
 * Catalogues.
 */

Test(policy, shipped_purposes_have_the_spec_defaults)
{
	static const struct {
		const char	*name;
		int		 bearer, posts, session;
		const char	*modules;
	} want[] = {
		{ "api", 1, 20, 20, "core" },
		{ "portal", 1, 100, 30, "core\nportal" },
		{ "unsecured-api", 0, 20, 20, "core" },
	};
	const struct policy_purpose *p;
	struct policy_catalog *cat;
	struct hyp_error err;
	size_t		 i;

	cat = policy_catalog_load(SHARE, &err);
	cr_assert_not_null(cat, "%s", err.msg);
	cr_assert_eq(cat->npurposes, 3);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		p = policy_purpose_find(cat, want[i].name);
		cr_assert_not_null(p, "%s", want[i].name);
		cr_assert_eq(p->bearer_required, want[i].bearer);
		cr_assert_eq(p->posts_per_minute, want[i].posts);
		cr_assert_eq(p->session_minutes, want[i].session);
		cr_assert_str_eq(p->modules, want[i].modules);
		cr_assert_eq(policy_default_posts(cat, want[i].name),
		    want[i].posts);
		cr_assert_eq(policy_default_session(cat, want[i].name),
		    want[i].session);
	}
	cr_assert_null(policy_purpose_find(cat, "shop"));
	cr_assert_null(policy_purpose_find(cat, "API"));
	cr_assert_eq(policy_default_posts(cat, "shop"), 0);
	cr_assert_not_null(policy_module_find(cat, "core"));
	cr_assert_not_null(policy_module_find(cat, "portal"));
	cr_assert_null(policy_module_find(cat, "shop"));
	policy_catalog_free(cat);
}

struct claim_case {
	char		 fn[48];
	char		 module[16];
};

ParameterizedTestParameters(policy, modules_claim_functions_by_name_or_glob)
{
	static struct claim_case cases[] = {
		{ "Portal_Login", "portal" },
		{ "portal_login", "portal" },
		{ "PAGE_GET", "portal" },
		{ "Page_List", "portal" },
		{ "Menu_Get", "portal" },
		{ "Get_Client", "core" },
		{ "Delete_Client_Json", "core" },
		{ "RefreshToken", "core" },
		{ "Portal", "core" },		/* Portal_* needs the '_' */
		{ "MyPage_Get", "core" },
	};

	return cr_make_param_array(struct claim_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct claim_case *c, policy,
    modules_claim_functions_by_name_or_glob)
{
	struct policy_catalog *cat;
	struct hyp_error err;

	cat = policy_catalog_load(SHARE, &err);
	cr_assert_not_null(cat, "%s", err.msg);
	cr_assert_str_eq(policy_module_for(cat, c->fn), c->module, "%s",
	    c->fn);
	policy_catalog_free(cat);
}

/* A temporary share folder holding the two catalogues given. */
static char *
share_new(const char *purposes, const char *modules)
{
	char	 tmpl[] = "/tmp/hyp-test-policy.XXXXXX", *dir, *path;
	FILE	*f;

	dir = mkdtemp(tmpl);
	cr_assert_not_null(dir);
	dir = strdup(dir);
	xasprintf(&path, "%s/purposes.ini", dir);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs(purposes, f);
	fclose(f);
	free(path);
	xasprintf(&path, "%s/modules.ini", dir);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs(modules, f);
	fclose(f);
	free(path);
	return dir;
}

static int
share_rm_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	return remove(path);
}

static void
share_free(char *dir)
{
	nftw(dir, share_rm_one, 8, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

#define GOOD_PURPOSES \
	"[api]\nbearer = required\nposts_per_minute = 20\n" \
	"session_minutes = 20\nmodules = core\n"
#define GOOD_MODULES \
	"[core]\nfunctions =\n[portal]\nfunctions = Portal_*, Page_*\n"

struct cat_case {
	char		 purposes[200];
	char		 modules[120];
	char		 msg[160];	/* after "DIR/" */
};

ParameterizedTestParameters(policy, catalogues_are_checked_strictly)
{
	static struct cat_case cases[] = {
		{ "[api]\nbearer = required\nposts_per_minute = 010\n"
		    "session_minutes = 20\nmodules = core\n", GOOD_MODULES,
		    "purposes.ini: [api] posts_per_minute = '010': a whole "
		    "number from 1 to 100000 in plain decimal" },
		{ "[api]\nbearer = required\nposts_per_minute = 20\n"
		    "session_minutes = 10081\nmodules = core\n", GOOD_MODULES,
		    "purposes.ini: [api] session_minutes = '10081': a whole "
		    "number from 1 to 10080" },
		{ "[api]\nbearer = yes\nposts_per_minute = 20\n"
		    "session_minutes = 20\nmodules = core\n", GOOD_MODULES,
		    "purposes.ini: [api] bearer = 'yes': required or none" },
		{ "[api]\nposts_per_minute = 20\n"
		    "session_minutes = 20\nmodules = core\n", GOOD_MODULES,
		    "purposes.ini: [api] bearer: missing" },
		{ "[api]\nbearer = required\nposts_per_minute = 20\n"
		    "session_minutes = 20\nmodules = core, shop\n",
		    GOOD_MODULES,
		    "purposes.ini: [api] modules = 'core, shop': entry 2: "
		    "'shop' is not a module of modules.ini" },
		{ GOOD_PURPOSES "bearr = none\n", GOOD_MODULES,
		    "purposes.ini: [api] bearr is not a known key" },
		{ GOOD_PURPOSES "description = web ; api\n", GOOD_MODULES,
		    "purposes.ini: [api] description = 'web ; api': an "
		    "unquoted value cannot hold" },
		{ GOOD_PURPOSES "[Bad Name]\n", GOOD_MODULES,
		    "purposes.ini: [bad name]: a purpose name is" },
		{ GOOD_PURPOSES, "[portal]\nfunctions = Page_*\n",
		    "modules.ini: no [core] section" },
		{ GOOD_PURPOSES, "[core]\nfunctions =\n[portal]\nfunctions =\n",
		    "modules.ini: [portal] functions = '': a module other than "
		    "core must claim" },
		{ GOOD_PURPOSES, "[core]\nfunctions =\n[portal]\n"
		    "functions = Page/*\n",
		    "modules.ini: [portal] functions = 'Page/*': entry 1:" },
		{ GOOD_PURPOSES, "[core]\nfunctions =\n[portal]\n",
		    "modules.ini: [portal] functions: missing" },
		{ GOOD_PURPOSES, "[core]\nfunctions =\nfunctions = x\n",
		    "modules.ini: [core] functions is set twice (lines 2 and "
		    "3)" },
		{ "", GOOD_MODULES, "purposes.ini: holds no [section]" },
	};

	return cr_make_param_array(struct cat_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct cat_case *c, policy, catalogues_are_checked_strictly)
{
	struct policy_catalog *cat;
	struct hyp_error err;
	char		*dir, *want;

	dir = share_new(c->purposes, c->modules);
	xasprintf(&want, "%s/%s", dir, c->msg);
	hyp_error_clear(&err);
	cat = policy_catalog_load(dir, &err);
	cr_assert_null(cat, "loaded: %s", c->msg);
	cr_assert_eq(err.code, HYP_E_CONFIG);
	cr_assert(strncmp(err.msg, want, strlen(want)) == 0,
	    "got  '%s'\nwant '%s'", err.msg, want);
	free(want);
	share_free(dir);
}

Test(policy, missing_catalogue_names_its_path)
{
	struct hyp_error err;

	cr_assert_null(policy_catalog_load("/nonexistent/share", &err));
	cr_assert_eq(err.code, HYP_E_CONFIG);
	cr_assert_str_eq(err.msg, "/nonexistent/share/modules.ini: cannot "
	    "read: No such file or directory");
}

Test(policy, site_catalogue_with_quoted_values_loads)
{
	struct policy_catalog *cat;
	struct hyp_error err;
	char		*dir;

	dir = share_new(GOOD_PURPOSES "description = \"api; with # marks\"\n"
	    "[shop]\nbearer = none\nposts_per_minute = 100000\n"
	    "session_minutes = 1\nmodules = core,shop,core\n",
	    "; full-line comment\n[core]\nfunctions =\n"
	    "  # another\n[shop]\nfunctions = 'Cart_*'\n");
	cat = policy_catalog_load(dir, &err);
	cr_assert_not_null(cat, "%s", err.msg);
	cr_assert_str_eq(policy_purpose_find(cat, "api")->description,
	    "api; with # marks");
	cr_assert_str_eq(policy_purpose_find(cat, "shop")->modules,
	    "core\nshop");
	cr_assert_str_eq(policy_module_for(cat, "cart_add"), "shop");
	policy_catalog_free(cat);
	share_free(dir);
}

/*
 * The effective policy.
 */

Test(policy, effective_policy_takes_purpose_defaults_for_empty_fields)
{
	struct policy_effective eff;
	struct policy_catalog *cat;
	struct hyp_record rec;
	struct hyp_error err;

	cat = policy_catalog_load(SHARE, &err);
	cr_assert_not_null(cat, "%s", err.msg);
	record_sample(&rec);
	cr_assert_eq(policy_effective_init(&eff, &rec, cat, &err), 0, "%s",
	    err.msg);
	cr_assert_eq(eff.bearer_required, 1);
	cr_assert_eq(eff.posts_per_minute, 20);
	cr_assert_eq(eff.session_minutes, 20);
	cr_assert_eq(eff.token_life_hours, 24);
	cr_assert_eq(eff.access_until, NOW);
	cr_assert_eq(eff.refresh_mode, REFRESH_ROTATE);
	cr_assert_eq(eff.whitelist.n, 2);
	cr_assert_eq(ipv4_list_allows(&eff.whitelist, 0x0a0b0c0d), 1);
	cr_assert_eq(ipv4_list_allows(&eff.whitelist, 0xc000020a), 1);
	cr_assert_eq(ipv4_list_allows(&eff.whitelist, 0xc000020b), 0);
	cr_assert_eq(eff.nmodules, 1);
	cr_assert_str_eq(eff.modules[0], "core");
	cr_assert_eq(eff.nblocked, 1);
	cr_assert_str_eq(eff.blocked[0], "delete_client_json");
	policy_effective_clear(&eff);

	rec.max_posts = 60;
	rec.session_timeout = 5;
	cr_assert_eq(policy_effective_init(&eff, &rec, cat, &err), 0);
	cr_assert_eq(eff.posts_per_minute, 60);
	cr_assert_eq(eff.session_minutes, 5);
	policy_effective_clear(&eff);
	record_clear(&rec);
	policy_catalog_free(cat);
}

Test(policy, enabled_modules_add_to_the_purpose_standard_ones)
{
	struct policy_effective eff;
	struct policy_catalog *cat;
	struct hyp_record rec;
	struct hyp_error err;

	cat = policy_catalog_load(SHARE, &err);
	cr_assert_not_null(cat, "%s", err.msg);
	record_sample(&rec);

	cr_assert_eq(policy_effective_init(&eff, &rec, cat, &err), 0);
	cr_assert_eq(policy_function_enabled(&eff, cat, "Get_Client"), 1);
	cr_assert_eq(policy_function_enabled(&eff, cat, "Page_Get"), 0);
	policy_effective_clear(&eff);

	free(rec.modules);
	rec.modules = strdup("portal");
	cr_assert_eq(policy_effective_init(&eff, &rec, cat, &err), 0);
	cr_assert_eq(eff.nmodules, 2);
	cr_assert_eq(policy_function_enabled(&eff, cat, "page_get"), 1);
	policy_effective_clear(&eff);

	/* portal's standard modules, plus portal again: no duplicate */
	hyp_strlcpy(rec.purpose, "portal", sizeof rec.purpose);
	cr_assert_eq(policy_effective_init(&eff, &rec, cat, &err), 0);
	cr_assert_eq(eff.nmodules, 2);
	cr_assert_str_eq(eff.modules[0], "core");
	cr_assert_str_eq(eff.modules[1], "portal");
	cr_assert_eq(eff.posts_per_minute, 100);
	cr_assert_eq(eff.session_minutes, 30);
	policy_effective_clear(&eff);

	hyp_strlcpy(rec.purpose, "unsecured-api", sizeof rec.purpose);
	cr_assert_eq(policy_effective_init(&eff, &rec, cat, &err), 0);
	cr_assert_eq(eff.bearer_required, 0);
	policy_effective_clear(&eff);
	record_clear(&rec);
	policy_catalog_free(cat);
}

Test(policy, blocked_functions_match_in_any_case)
{
	struct policy_effective eff;
	struct policy_catalog *cat;
	struct hyp_record rec;
	struct hyp_error err;

	cat = policy_catalog_load(SHARE, &err);
	cr_assert_not_null(cat, "%s", err.msg);
	record_sample(&rec);
	cr_assert_eq(policy_effective_init(&eff, &rec, cat, &err), 0);
	cr_assert_eq(policy_is_blocked(&eff, "Delete_Client_Json"), 1);
	cr_assert_eq(policy_is_blocked(&eff, "delete_client_json"), 1);
	cr_assert_eq(policy_is_blocked(&eff, "DELETE_CLIENT_JSON"), 1);
	cr_assert_eq(policy_is_blocked(&eff, "Delete_Client"), 0);
	cr_assert_eq(policy_is_blocked(&eff, "Delete_Client_Json2"), 0);
	policy_effective_clear(&eff);
	record_clear(&rec);
	policy_catalog_free(cat);
}

struct closed_case {
	int		 what;
	char		 msg[96];
};

ParameterizedTestParameters(policy, bad_stored_values_fail_closed)
{
	static struct closed_case cases[] = {
		{ 0, "record api.example.com fails closed: " },
		{ 1, "purpose 'shop' is not in the catalogue" },
		{ 2, "IP v4 Whitelist, line 1: '010.0.0.1' has a leading" },
		{ 3, "Generated Token Life in Hours: '0' is out of range" },
		{ 4, "'shop' is not in the modules catalogue" },
		{ 5, "Max Posts per IP per Minute: '100001' is out of range" },
		{ 6, "Refresh Token Mode" },
		{ 7, "IP v4 Whitelist: '10.0.0.1, 10.0.0.2' is not in canon" },
		{ 8, "Block These Functions" },
		{ 9, "Session Timeout # Minutes: '-5'" },
		{ 10, "Access Until UTC" },
	};

	return cr_make_param_array(struct closed_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct closed_case *c, policy, bad_stored_values_fail_closed)
{
	struct policy_effective eff;
	struct policy_catalog *cat;
	struct hyp_record rec;
	struct hyp_error err;

	cat = policy_catalog_load(SHARE, &err);
	cr_assert_not_null(cat, "%s", err.msg);
	record_sample(&rec);
	switch (c->what) {
	case 0:
		hyp_strlcpy(rec.invalid, "max_threads is not an integer",
		    sizeof rec.invalid);
		break;
	case 1:
		hyp_strlcpy(rec.purpose, "shop", sizeof rec.purpose);
		break;
	case 2:
		free(rec.whitelist);
		rec.whitelist = strdup("010.0.0.1");
		break;
	case 3:
		rec.token_life_hours = 0;
		break;
	case 4:
		free(rec.modules);
		rec.modules = strdup("shop");
		break;
	case 5:
		rec.max_posts = 100001;
		break;
	case 6:
		rec.refresh_mode = (enum refresh_mode)7;
		break;
	case 7:
		free(rec.whitelist);
		rec.whitelist = strdup("10.0.0.1, 10.0.0.2");
		break;
	case 8:
		free(rec.blocked);
		rec.blocked = strdup("Get Client");
		break;
	case 9:
		rec.session_timeout = -5;
		break;
	case 10:
		rec.access_until = -1;
		break;
	}
	hyp_error_clear(&err);
	cr_assert_eq(policy_effective_init(&eff, &rec, cat, &err), -1,
	    "case %d opened", c->what);
	cr_assert_eq(err.code, HYP_E_INVALID);
	cr_assert(strstr(err.msg, c->msg) != NULL, "case %d: %s", c->what,
	    err.msg);
	cr_assert(strstr(err.msg, "api.example.com") != NULL, "%s", err.msg);
	/* nothing half-built is left to enforce */
	cr_assert_eq(eff.nmodules, 0);
	cr_assert_eq(eff.whitelist.n, 0);
	if (c->what >= 2)
		cr_assert_eq(policy_check_record(&rec, cat, &err), -1);
	record_clear(&rec);
	policy_catalog_free(cat);
}

Test(policy, sound_record_passes_the_check)
{
	struct policy_catalog *cat;
	struct hyp_record rec;
	struct hyp_error err;

	cat = policy_catalog_load(SHARE, &err);
	cr_assert_not_null(cat, "%s", err.msg);
	record_sample(&rec);
	cr_assert_eq(policy_check_record(&rec, cat, &err), 0, "%s", err.msg);
	record_clear(&rec);
	policy_catalog_free(cat);
}

Test(policy, record_problem_names_what_the_daemon_would_refuse)
{
	struct policy_catalog *cat;
	struct hyp_record rec;
	struct hyp_error err;
	char		 why[256];

	cat = policy_catalog_load(SHARE, &err);
	cr_assert_not_null(cat, "%s", err.msg);

	record_sample(&rec);
	cr_assert_eq(policy_record_problem(&rec, cat, why, sizeof why), 0);
	cr_assert_str_eq(why, "");

	free(rec.whitelist);
	rec.whitelist = strdup("010.0.0.1");
	cr_assert_eq(policy_record_problem(&rec, cat, why, sizeof why), 1);
	cr_assert(strstr(why, "010.0.0.1") != NULL, "%s", why);
	record_clear(&rec);

	record_sample(&rec);
	strcpy(rec.purpose, "bogus");
	cr_assert_eq(policy_record_problem(&rec, cat, why, sizeof why), 1);
	cr_assert(strstr(why, "bogus") != NULL, "%s", why);
	record_clear(&rec);

	record_sample(&rec);
	rec.access_until = 99999999999999LL;	/* past the year 9999 */
	cr_assert_eq(policy_record_problem(&rec, cat, why, sizeof why), 1);
	record_clear(&rec);

	record_sample(&rec);
	strcpy(rec.invalid, "max_posts_per_ip_per_minute holds 'lots'");
	cr_assert_eq(policy_record_problem(&rec, cat, why, sizeof why), 1);
	cr_assert(strstr(why, "lots") != NULL, "%s", why);
	record_clear(&rec);
	policy_catalog_free(cat);
}

Test(policy, the_epoch_is_not_an_access_until_value)
{
	struct hyp_error err;
	char		*out;

	cr_assert_eq(field_parse(FIELD_ACCESS_UNTIL, "1970-01-01T00:00:00Z",
	    NOW, NULL, &out, NULL, 0, &err), -1);
	cr_assert_eq(field_parse(FIELD_ACCESS_UNTIL, "1970-01-01 00:00:01",
	    NOW, NULL, &out, NULL, 0, &err), 0);
	free(out);
}

Test(policy, a_token_typed_into_a_field_is_not_echoed_in_the_refusal)
{
	struct hyp_error err;
	char		*tok, *out, buf[64];

	cr_assert_eq(token_init(&err), 0);
	tok = token_new(TOKEN_ACCESS);
	cr_assert_eq(field_parse(FIELD_BLOCKED, tok, NOW, NULL, &out, NULL, 0,
	    &err), -1);
	cr_assert_null(strstr(err.msg, tok + TOKEN_PREFIX_LEN + 8),
	    "the refusal quotes the token");
	cr_assert_null(strstr(err.msg, "hypa_"));
	cr_assert(strstr(err.msg, "[token not shown]") != NULL,
	    "the refusal does not say the token was hidden");
	cr_assert_eq(field_parse(FIELD_WHITELIST, tok, NOW, NULL, &out, NULL,
	    0, &err), -1);
	cr_assert_null(strstr(err.msg, tok + TOKEN_PREFIX_LEN + 8),
	    "the refusal quotes the token");
	policy_show_value("x HYPR_abc", buf, sizeof buf);
	cr_assert_str_eq(buf, "x [token not shown]");
	token_free(tok);
}

Test(policy, show_value_makes_values_safe_for_a_terminal)
{
	char	 buf[12];

	cr_assert_str_eq(policy_show_value("a\tb\x1b[2J", buf, sizeof buf),
	    "a?b?[2J");
	cr_assert_str_eq(policy_show_value("0123456789abcdef", buf,
	    sizeof buf), "01234567...");
	cr_assert_str_eq(policy_show_value(NULL, buf, sizeof buf), "");
	/* "ü" is two bytes: never cut in half */
	cr_assert_str_eq(policy_show_value("1234567\xc3\xbc" "abc", buf,
	    sizeof buf), "1234567...");
}
