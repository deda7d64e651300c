/*
 * fuzz-ipv4.c: the IPv4 parsers on arbitrary text: ipv4_parse (canonical
 * dotted decimal), ipv4_parse_client (also IPv4-mapped IPv6) and
 * cidr_parse (an address or a block).
 *
 * Properties: ipv4_parse accepts exactly the texts that formatting some
 * address gives back (checked against inet_pton and a formatter written
 * here); whatever it accepts, ipv4_parse_client accepts with the same
 * value; a client address accepted in IPv6 form formats back to text
 * that ipv4_parse accepts with the same value; cidr_parse accepts only
 * the canonical spelling of a masked block, and a block built from the
 * input's bytes is accepted, or refused when bits stand beyond its
 * prefix.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "hyp-policy.h"

static void
fuzz_dotted(unsigned int a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
	    (a >> 8) & 0xff, a & 0xff);
}

static unsigned int
fuzz_mask(unsigned int prefix)
{
	return prefix == 0 ? 0 : 0xffffffffU << (32 - prefix);
}

/* The oracle: s is the formatted text of the address inet_pton reads. */
static int
fuzz_is_canonical(const char *s, unsigned int *out)
{
	struct in_addr	 in;
	char		 text[32];

	if (inet_pton(AF_INET, s, &in) != 1)
		return 0;
	*out = ntohl(in.s_addr);
	fuzz_dotted(*out, text, sizeof text);
	return strcmp(text, s) == 0;
}

static void
fuzz_check_text(const char *s)
{
	struct hyp_error err;
	unsigned int	 v = 0, c = 0, want = 0, again = 0, addr, prefix;
	char		 text[64], show[128];
	const char	*slash;
	int		 rc, canon;

	fuzz_show(s, show, sizeof show);
	rc = ipv4_parse(s, &v);
	canon = fuzz_is_canonical(s, &want);
	FUZZ_ASSERT((rc == 0) == canon, "ipv4_parse('%s') = %d, canonical "
	    "%d", show, rc, canon);
	FUZZ_ASSERT(rc == -1 || v == want, "ipv4_parse('%s') value", show);

	if (ipv4_parse_client(s, &c) == 0) {
		FUZZ_ASSERT(rc == -1 || c == v, "client value of '%s' differs",
		    show);
		fuzz_dotted(c, text, sizeof text);
		FUZZ_ASSERT(ipv4_parse(text, &again) == 0 && again == c,
		    "client '%s' formats to '%s' which does not parse back",
		    show, text);
		FUZZ_ASSERT(rc == 0 || strchr(s, ':') != NULL, "client '%s' "
		    "accepted without being IPv4 or IPv6", show);
	} else
		FUZZ_ASSERT(rc == -1, "'%s' is IPv4 but not a client", show);

	if (cidr_parse(s, &addr, &prefix, &err) == 0) {
		FUZZ_ASSERT(prefix <= 32 && (addr & ~fuzz_mask(prefix)) == 0,
		    "block '%s' not masked", show);
		fuzz_dotted(addr, text, sizeof text);
		slash = strchr(s, '/');
		if (slash != NULL)
			snprintf(text + strlen(text), sizeof text -
			    strlen(text), "/%u", prefix);
		else
			FUZZ_ASSERT(prefix == 32, "address '%s' not a /32",
			    show);
		FUZZ_ASSERT(strcmp(text, s) == 0, "block '%s' is not its "
		    "canonical spelling '%s'", show, text);
	} else
		FUZZ_ASSERT(err.code == HYP_E_INVALID && err.msg[0] != '\0' &&
		    !fuzz_has_control(err.msg), "refusal of '%s' without a "
		    "printable reason", show);
}

/* Blocks and mapped addresses built from 5 bytes of input. */
static void
fuzz_check_built(const uint8_t *data)
{
	struct hyp_error err;
	struct ipv4_list list;
	unsigned int	 v, p, addr, prefix, c;
	char		 text[80], entry[40];

	v = (unsigned int)data[0] << 24 | (unsigned int)data[1] << 16 |
	    (unsigned int)data[2] << 8 | data[3];
	p = data[4] % 33;

	fuzz_dotted(v & fuzz_mask(p), entry, sizeof entry);
	snprintf(entry + strlen(entry), sizeof entry - strlen(entry), "/%u",
	    p);
	FUZZ_ASSERT(cidr_parse(entry, &addr, &prefix, &err) == 0 &&
	    addr == (v & fuzz_mask(p)) && prefix == p, "block %s refused: %s",
	    entry, err.msg);
	FUZZ_ASSERT(ipv4_list_parse(entry, &list, &err) == 0 &&
	    list.n == 1 && ipv4_list_allows(&list, v), "list %s does not "
	    "allow its own address", entry);
	ipv4_list_clear(&list);

	fuzz_dotted(v, text, sizeof text);
	snprintf(text + strlen(text), sizeof text - strlen(text), "/%u", p);
	if ((v & ~fuzz_mask(p)) != 0)
		FUZZ_ASSERT(cidr_parse(text, &addr, &prefix, &err) == -1,
		    "unmasked block %s accepted", text);

	snprintf(text, sizeof text, "::ffff:");
	fuzz_dotted(v, text + strlen(text), sizeof text - strlen(text));
	FUZZ_ASSERT(ipv4_parse_client(text, &c) == 0 && c == v,
	    "mapped %s refused", text);
	snprintf(text, sizeof text, "::FFFF:%x:%x", v >> 16, v & 0xffff);
	FUZZ_ASSERT(ipv4_parse_client(text, &c) == 0 && c == v,
	    "mapped %s refused", text);
	snprintf(text, sizeof text, "::%x:%x", v >> 16, v & 0xffff);
	FUZZ_ASSERT(ipv4_parse_client(text, &c) == -1 || v >> 16 == 0xffff,
	    "IPv4-compatible %s taken as a client", text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	s = fuzz_string(data, size);
	fuzz_check_text(s);
	free(s);
	if (size >= 5)
		fuzz_check_built(data);
	return 0;
}
