/* test-ipv4.c: canonical addresses, CIDR blocks, mapped clients, lists. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stdlib.h>
#include <string.h>

#include "hyp-policy.h"

struct addr_case {
	char		 in[48];	/* arrays: params are copied */
	int		 ok;
	unsigned int	 want;
};

ParameterizedTestParameters(ipv4, parse_takes_only_canonical_dotted_decimal)
{
	static struct addr_case cases[] = {
		{ "0.0.0.0", 1, 0x00000000 },
		{ "255.255.255.255", 1, 0xffffffff },
		{ "10.0.0.1", 1, 0x0a000001 },
		{ "192.168.1.10", 1, 0xc0a8010a },
		{ "127.0.0.1", 1, 0x7f000001 },
		{ "010.0.0.1", 0, 0 },		/* octal to inet_aton */
		{ "10.0.0.01", 0, 0 },
		{ "00.0.0.0", 0, 0 },
		{ "0x0a.0.0.1", 0, 0 },
		{ "10.1", 0, 0 },		/* short form */
		{ "10.0.1", 0, 0 },
		{ "167772161", 0, 0 },		/* one number */
		{ "256.1.1.1", 0, 0 },
		{ "1.2.3.999", 0, 0 },
		{ "1.2.3.4.5", 0, 0 },
		{ "1..2.3", 0, 0 },
		{ "1.2.3.", 0, 0 },
		{ ".1.2.3", 0, 0 },
		{ "", 0, 0 },
		{ " 10.0.0.1", 0, 0 },
		{ "10.0.0.1 ", 0, 0 },
		{ "+1.2.3.4", 0, 0 },
		{ "-1.2.3.4", 0, 0 },
		{ "1.2.3.4/32", 0, 0 },
		{ "1.2.3.a", 0, 0 },
		{ "99999999999.0.0.1", 0, 0 },
	};

	return cr_make_param_array(struct addr_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct addr_case *c, ipv4,
    parse_takes_only_canonical_dotted_decimal)
{
	unsigned int	 addr = 0x12345678;
	int		 rc = ipv4_parse(c->in, &addr);

	cr_assert_eq(rc == 0, c->ok, "'%s': rc %d", c->in, rc);
	if (c->ok)
		cr_assert_eq(addr, c->want, "'%s': %08x", c->in, addr);
	else
		cr_assert_eq(addr, 0x12345678, "refused value was stored");
}

struct cidr_case {
	char		 in[48];
	int		 ok;
	unsigned int	 addr, prefix;
	char		 msg[128];	/* expected substring when refused */
};

ParameterizedTestParameters(ipv4, cidr_blocks_are_canonical)
{
	static struct cidr_case cases[] = {
		{ "10.0.0.0/8", 1, 0x0a000000, 8, "" },
		{ "1.2.3.4", 1, 0x01020304, 32, "" },
		{ "1.2.3.4/32", 1, 0x01020304, 32, "" },
		{ "0.0.0.0/0", 1, 0, 0, "" },
		{ "192.168.0.0/16", 1, 0xc0a80000, 16, "" },
		{ "1.2.3.4/33", 0, 0, 0, "'1.2.3.4/33' has a bad prefix" },
		{ "10.0.0.0/08", 0, 0, 0, "bad prefix" },
		{ "1.2.3.4/", 0, 0, 0, "bad prefix" },
		{ "1.2.3.4/-1", 0, 0, 0, "bad prefix" },
		{ "1.2.3.4/ 8", 0, 0, 0, "bad prefix" },
		{ "1.2.3.4/8/8", 0, 0, 0, "bad prefix" },
		{ "10.1.0.0/8", 0, 0, 0,
		    "'10.1.0.0/8' has address bits set beyond the /8 prefix; "
		    "the block is 10.0.0.0/8" },
		{ "0.0.0.1/0", 0, 0, 0, "the block is 0.0.0.0/0" },
		{ "010.0.0.1", 0, 0, 0,
		    "'010.0.0.1' has a leading zero; write 10.0.0.1" },
		{ "10.0.0.01", 0, 0, 0,
		    "'10.0.0.01' has a leading zero; write 10.0.0.1" },
		{ "010.0.0.0/8", 0, 0, 0, "write 10.0.0.0/8" },
		{ "0x0a.0.0.1", 0, 0, 0, "is not a dotted-decimal IPv4" },
		{ "10.1", 0, 0, 0, "short forms are not accepted" },
		{ "167772161", 0, 0, 0, "short forms are not accepted" },
		{ "256.1.1.1", 0, 0, 0, "has a number above 255" },
		{ "", 0, 0, 0, "has no address" },
		{ "/8", 0, 0, 0, "has no address" },
	};

	return cr_make_param_array(struct cidr_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct cidr_case *c, ipv4, cidr_blocks_are_canonical)
{
	struct hyp_error err;
	unsigned int	 addr = 7, prefix = 7;
	int		 rc;

	hyp_error_clear(&err);
	rc = cidr_parse(c->in, &addr, &prefix, &err);
	cr_assert_eq(rc == 0, c->ok, "'%s': rc %d (%s)", c->in, rc, err.msg);
	if (c->ok) {
		cr_assert_eq(addr, c->addr, "'%s': %08x", c->in, addr);
		cr_assert_eq(prefix, c->prefix);
		return;
	}
	cr_assert_eq(err.code, HYP_E_INVALID);
	cr_assert(strstr(err.msg, c->msg) != NULL, "'%s': message '%s'",
	    c->in, err.msg);
	cr_assert_eq(addr, 7, "refused block was stored");
}

ParameterizedTestParameters(ipv4, client_addresses_fold_mapped_ipv6)
{
	static struct addr_case cases[] = {
		{ "10.1.2.3", 1, 0x0a010203 },
		{ "::ffff:10.1.2.3", 1, 0x0a010203 },
		{ "::ffff:a01:203", 1, 0x0a010203 },
		{ "0:0:0:0:0:ffff:10.1.2.3", 1, 0x0a010203 },
		{ "0:0:0:0:0:ffff:a01:203", 1, 0x0a010203 },
		{ "::FFFF:A01:203", 1, 0x0a010203 },
		{ "::ffff:8.8.8.8", 1, 0x08080808 },
		{ "::1", 0, 0 },
		{ "::", 0, 0 },
		{ "2001:db8::1", 0, 0 },
		{ "::10.1.2.3", 0, 0 },		/* compatible, not mapped */
		{ "::fffe:10.1.2.3", 0, 0 },
		{ "1::ffff:10.1.2.3", 0, 0 },
		{ "::ffff:010.1.2.3", 0, 0 },
		{ "::ffff:10.1", 0, 0 },
		{ "[::ffff:10.1.2.3]", 0, 0 },
		{ "::ffff:10.1.2.3%eth0", 0, 0 },
		{ " ::ffff:10.1.2.3", 0, 0 },
		{ "010.0.0.1", 0, 0 },
		{ "10.0.0.01", 0, 0 },
		{ "0x0a.0.0.1", 0, 0 },
		{ "10.1", 0, 0 },
		{ "167772161", 0, 0 },
		{ "", 0, 0 },
		{ " ", 0, 0 },
		{ "10.0.0.1, 10.0.0.2", 0, 0 },
		{ "unknown", 0, 0 },
	};

	return cr_make_param_array(struct addr_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct addr_case *c, ipv4,
    client_addresses_fold_mapped_ipv6)
{
	unsigned int	 addr = 0x12345678;
	int		 rc = ipv4_parse_client(c->in, &addr);

	cr_assert_eq(rc == 0, c->ok, "'%s': rc %d", c->in, rc);
	if (c->ok)
		cr_assert_eq(addr, c->want, "'%s': %08x", c->in, addr);
	else
		cr_assert_eq(addr, 0x12345678, "refused address was stored");
}

Test(ipv4, client_parse_refuses_null)
{
	unsigned int	 addr;

	cr_assert_eq(ipv4_parse_client(NULL, &addr), -1);
}

/* Case 14: a 10.0.0.0/8 whitelist and four client spellings. */
Test(ipv4, mapped_clients_match_the_whitelist_as_ipv4)
{
	static const struct {
		const char	*client;
		int		 allowed;
	} cases[] = {
		{ "::ffff:10.1.2.3", 1 },
		{ "::ffff:a01:203", 1 },
		{ "0:0:0:0:0:ffff:10.1.2.3", 1 },
		{ "::ffff:8.8.8.8", 0 },
	};
	struct ipv4_list list;
	struct hyp_error err;
	unsigned int	 addr;
	size_t		 i;

	cr_assert_eq(ipv4_list_parse("10.0.0.0/8", &list, &err), 0);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cr_assert_eq(ipv4_parse_client(cases[i].client, &addr), 0);
		cr_assert_eq(ipv4_list_allows(&list, addr), cases[i].allowed,
		    "%s", cases[i].client);
	}
	ipv4_list_clear(&list);
}

Test(ipv4, empty_list_allows_every_address)
{
	struct ipv4_list list;
	struct hyp_error err;

	cr_assert_eq(ipv4_list_parse("", &list, &err), 0);
	cr_assert_eq(list.n, 0);
	cr_assert_eq(ipv4_list_allows(&list, 0x08080808), 1);
	ipv4_list_clear(&list);
	cr_assert_eq(ipv4_list_parse(NULL, &list, &err), 0);
	cr_assert_eq(ipv4_list_allows(&list, 0x01020304), 1);
	ipv4_list_clear(&list);
}

Test(ipv4, list_matches_addresses_and_blocks)
{
	static const struct {
		unsigned int	 addr;
		int		 allowed;
	} cases[] = {
		{ 0x0a000001, 1 },	/* 10.0.0.1 */
		{ 0x0a000002, 0 },	/* 10.0.0.2 */
		{ 0xc0a80000, 1 },	/* 192.168.0.0 */
		{ 0xc0a8ffff, 1 },	/* 192.168.255.255 */
		{ 0xc0a90000, 0 },	/* 192.169.0.0 */
		{ 0xc0a7ffff, 0 },	/* 192.167.255.255 */
	};
	struct ipv4_list list;
	struct hyp_error err;
	size_t		 i;

	cr_assert_eq(ipv4_list_parse("10.0.0.1\n192.168.0.0/16", &list,
	    &err), 0, "%s", err.msg);
	cr_assert_eq(list.n, 2);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		cr_assert_eq(ipv4_list_allows(&list, cases[i].addr),
		    cases[i].allowed, "%08x", cases[i].addr);
	ipv4_list_clear(&list);
	cr_assert_eq(list.n, 0);
	cr_assert_null(list.entries);
}

Test(ipv4, slash_zero_allows_every_address)
{
	struct ipv4_list list;
	struct hyp_error err;

	cr_assert_eq(ipv4_list_parse("0.0.0.0/0", &list, &err), 0);
	cr_assert_eq(ipv4_list_allows(&list, 0xffffffff), 1);
	cr_assert_eq(ipv4_list_allows(&list, 0), 1);
	ipv4_list_clear(&list);
}

struct list_case {
	char		 text[64];
	char		 msg[96];
};

ParameterizedTestParameters(ipv4, list_parse_takes_only_canonical_text)
{
	static struct list_case cases[] = {
		{ "10.0.0.1, 10.0.0.2", "line 1:" },
		{ "10.0.0.1\n\n10.0.0.2", "line 2: '' has no address" },
		{ "10.0.0.1\n010.0.0.2", "line 2: '010.0.0.2' has a leading" },
		{ " 10.0.0.1", "line 1:" },
		{ "10.0.0.1\n", "line 2:" },
		{ "10.0.0.1 # office", "line 1:" },
	};

	return cr_make_param_array(struct list_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct list_case *c, ipv4,
    list_parse_takes_only_canonical_text)
{
	struct ipv4_list list;
	struct hyp_error err;

	hyp_error_clear(&err);
	cr_assert_eq(ipv4_list_parse(c->text, &list, &err), -1, "'%s'",
	    c->text);
	cr_assert(strncmp(err.msg, "IP v4 Whitelist, ", 17) == 0, "%s",
	    err.msg);
	cr_assert(strstr(err.msg, c->msg) != NULL, "'%s': %s", c->text,
	    err.msg);
	cr_assert_eq(list.n, 0, "a refused list must hold nothing");
	cr_assert_null(list.entries);
}
