/* test-util.c: strict integers, paths and the error carrier. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include "hyp-util.h"

struct int_case {
	char		 in[32];	/* an array: params are copied */
	long long	 min, max;
	int		 ok;
	long long	 want;
};

ParameterizedTestParameters(util, parse_int_is_strict_base10)
{
	static struct int_case cases[] = {
		{ "0", 0, 10, 1, 0 },
		{ "1", 1, 8760, 1, 1 },
		{ "8760", 1, 8760, 1, 8760 },
		{ "8761", 1, 8760, 0, 0 },
		{ "0", 1, 8760, 0, 0 },
		{ "010", 0, 100, 0, 0 },	/* octal to some readers */
		{ "0x10", 0, 100, 0, 0 },
		{ "30s", 0, 100, 0, 0 },
		{ "180abc", 0, 1000, 0, 0 },
		{ " 5", 0, 10, 0, 0 },
		{ "5 ", 0, 10, 0, 0 },
		{ "+5", 0, 10, 0, 0 },
		{ "", 0, 10, 0, 0 },
		{ "-", -10, 10, 0, 0 },
		{ "-0", -10, 10, 0, 0 },
		{ "-7", -10, 10, 1, -7 },
		{ "99999999999999999999", 0, 10, 0, 0 },
	};

	return cr_make_param_array(struct int_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct int_case *c, util, parse_int_is_strict_base10)
{
	long long	 v = -12345;
	int		 rc = hyp_parse_int(c->in, c->min, c->max, &v);

	cr_assert_eq(rc == 0, c->ok, "'%s' in [%lld, %lld]: rc %d", c->in,
	    c->min, c->max, rc);
	if (c->ok)
		cr_assert_eq(v, c->want);
	else
		cr_assert_eq(v, -12345, "refused value must not be stored");
}

struct check_case {
	char			 in[32];
	enum hyp_int_problem	 want;
};

ParameterizedTestParameters(util, check_int_tells_the_form_from_the_range)
{
	static struct check_case cases[] = {
		{ "24", HYP_INT_OK },
		{ "0", HYP_INT_RANGE },
		{ "8761", HYP_INT_RANGE },
		{ "-5", HYP_INT_RANGE },
		{ "99999999999999999999", HYP_INT_RANGE },
		{ "-99999999999999999999", HYP_INT_RANGE },
		{ "010", HYP_INT_SYNTAX },
		{ "-0", HYP_INT_SYNTAX },
		{ "+5", HYP_INT_SYNTAX },
		{ "24h", HYP_INT_SYNTAX },
		{ "1e3", HYP_INT_SYNTAX },
		{ "99999999999999999999x", HYP_INT_SYNTAX },
		{ "", HYP_INT_SYNTAX },
	};

	return cr_make_param_array(struct check_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct check_case *c, util,
    check_int_tells_the_form_from_the_range)
{
	long long	 v = -12345;

	cr_assert_eq(hyp_check_int(c->in, 1, 8760, &v), c->want, "'%s'",
	    c->in);
	if (c->want != HYP_INT_OK)
		cr_assert_eq(v, -12345, "refused value must not be stored");
}

Test(util, relative_path_is_taken_from_the_base_file_folder)
{
	char	*p;

	p = hyp_path_relative("/etc/hyptokens/a.ini", "tokens.db");
	cr_assert_str_eq(p, "/etc/hyptokens/tokens.db");
	free(p);
	p = hyp_path_relative("/etc/hyptokens/a.ini", "/var/lib/t.db");
	cr_assert_str_eq(p, "/var/lib/t.db");
	free(p);
	p = hyp_path_relative("a.ini", "t.db");
	cr_assert_str_eq(p, "t.db");
	free(p);
}

Test(util, error_set_keeps_code_and_message)
{
	struct hyp_error err;

	cr_assert_eq(hyp_error_set(&err, HYP_E_INVALID, "bad %d", 7), -1);
	cr_assert_eq(err.code, HYP_E_INVALID);
	cr_assert_str_eq(err.msg, "bad 7");
	hyp_error_clear(&err);
	cr_assert_eq(err.code, HYP_OK);
	cr_assert_str_eq(err.msg, "");
}

Test(util, strlcpy_truncates_and_terminates)
{
	char	 buf[4];

	cr_assert_eq(hyp_strlcpy(buf, "abcdef", sizeof buf), 6);
	cr_assert_str_eq(buf, "abc");
}
