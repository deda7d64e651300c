/*
 * ipv4.c: IPv4 addresses and CIDR blocks for the whitelist, the trusted
 * proxies and the client addresses the daemon checks.
 *
 * Only canonical dotted decimal is accepted: four decimal parts from 0
 * to 255, no leading zeros, no hex, no octal, no short forms, no spaces.
 * inet_aton() and friends read "010.0.0.1" as 8.0.0.1 and "10.1" as
 * 10.0.0.1; here both are refused, so an entry means one thing only.
 * Addresses are kept in host byte order; a block's address never has
 * bits set beyond its prefix.
 */
#include "hyp-policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IPV4_SHOW	72	/* room for a value quoted in a message */

enum ipv4_fault {
	IPV4_OK,
	IPV4_EMPTY,
	IPV4_SYNTAX,	/* a character other than digits and dots */
	IPV4_PARTS,	/* not four parts */
	IPV4_RANGE,	/* a part above 255 */
	IPV4_ZERO,	/* a leading zero */
};

/*
 * Read len bytes of s as an address. On IPV4_OK and IPV4_ZERO, *out holds
 * the value the parts would have without their leading zeros.
 */
static enum ipv4_fault
ipv4_scan(const char *s, size_t len, unsigned int *out)
{
	unsigned int	 addr = 0, part, parts = 1;
	size_t		 i, start;
	int		 zero = 0;

	if (len == 0)
		return IPV4_EMPTY;
	for (i = 0; i < len; i++) {
		if (s[i] == '.')
			parts++;
		else if (s[i] < '0' || s[i] > '9')
			return IPV4_SYNTAX;
	}
	if (parts != 4)
		return IPV4_PARTS;

	start = 0;
	while (start <= len) {
		part = 0;
		for (i = start; i < len && s[i] != '.'; i++) {
			part = part * 10 + (unsigned int)(s[i] - '0');
			if (part > 255)
				part = 256;	/* sticky, and no overflow */
		}
		if (i == start)
			return IPV4_SYNTAX;	/* "1..2.3", a dot at an end */
		if (part > 255)
			return IPV4_RANGE;
		if (i - start > 1 && s[start] == '0')
			zero = 1;
		addr = (addr << 8) | part;
		start = i + 1;
	}
	*out = addr;
	return zero ? IPV4_ZERO : IPV4_OK;
}

static char *
ipv4_text(unsigned int addr, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xff,
	    (addr >> 8) & 0xff, addr & 0xff);
	return buf;
}

static unsigned int
ipv4_mask(unsigned int prefix)
{
	return prefix == 0 ? 0 : 0xffffffffU << (32 - prefix);
}

/* Parse a canonical dotted-decimal address. */
int
ipv4_parse(const char *s, unsigned int *out)
{
	unsigned int	 addr;

	if (s == NULL || ipv4_scan(s, strlen(s), &addr) != IPV4_OK)
		return -1;
	*out = addr;
	return 0;
}

static int
cidr_fault(enum ipv4_fault fault, const char *s, unsigned int addr,
    const char *slash, struct hyp_error *err)
{
	char	 show[IPV4_SHOW], fix[32];

	policy_show_value(s, show, sizeof show);
	switch (fault) {
	case IPV4_EMPTY:
		return hyp_error_set(err, HYP_E_INVALID, "'%s' has no "
		    "address; write four numbers 0 to 255 joined by dots, "
		    "like 192.0.2.10", show);
	case IPV4_SYNTAX:
		return hyp_error_set(err, HYP_E_INVALID, "'%s' is not a "
		    "dotted-decimal IPv4 address; write four numbers 0 to "
		    "255 joined by dots, like 192.0.2.10", show);
	case IPV4_PARTS:
		return hyp_error_set(err, HYP_E_INVALID, "'%s' is not four "
		    "numbers joined by dots; write all four, like 10.0.0.1 "
		    "(short forms are not accepted)", show);
	case IPV4_RANGE:
		return hyp_error_set(err, HYP_E_INVALID, "'%s' has a number "
		    "above 255; each of the four is 0 to 255", show);
	case IPV4_ZERO:
		ipv4_text(addr, fix, sizeof fix);
		return hyp_error_set(err, HYP_E_INVALID, "'%s' has a leading "
		    "zero; write %s%s", show, fix, slash != NULL ? slash : "");
	default:
		return hyp_error_set(err, HYP_E_INVALID, "'%s' is not an "
		    "IPv4 address", show);
	}
}

/* Parse "a.b.c.d" (a /32) or "a.b.c.d/N" in canonical form. */
int
cidr_parse(const char *s, unsigned int *addrp, unsigned int *prefixp,
    struct hyp_error *err)
{
	const char	*slash;
	char		 show[IPV4_SHOW], fix[32];
	unsigned int	 addr = 0;
	long long	 prefix = 32;
	enum ipv4_fault	 fault;
	size_t		 alen;

	if (s == NULL)
		s = "";
	slash = strchr(s, '/');
	alen = slash != NULL ? (size_t)(slash - s) : strlen(s);
	fault = ipv4_scan(s, alen, &addr);
	if (fault != IPV4_OK && fault != IPV4_ZERO)
		return cidr_fault(fault, s, addr, NULL, err);

	if (slash != NULL && hyp_parse_int(slash + 1, 0, 32, &prefix) == -1) {
		policy_show_value(s, show, sizeof show);
		return hyp_error_set(err, HYP_E_INVALID, "'%s' has a bad "
		    "prefix; write /0 to /32 in plain decimal, like "
		    "10.0.0.0/8", show);
	}
	if (fault == IPV4_ZERO)
		return cidr_fault(fault, s, addr, slash, err);
	if ((addr & ~ipv4_mask((unsigned int)prefix)) != 0) {
		policy_show_value(s, show, sizeof show);
		ipv4_text(addr & ipv4_mask((unsigned int)prefix), fix,
		    sizeof fix);
		return hyp_error_set(err, HYP_E_INVALID, "'%s' has address "
		    "bits set beyond the /%lld prefix; the block is %s/%lld",
		    show, prefix, fix, prefix);
	}
	*addrp = addr;
	*prefixp = (unsigned int)prefix;
	return 0;
}

/* A client address: canonical IPv4 or IPv4-mapped IPv6, as IPv4. */
int
ipv4_parse_client(const char *s, unsigned int *out)
{
	static const unsigned char mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};
	unsigned char	 a6[16];

	if (s == NULL)
		return -1;
	if (ipv4_parse(s, out) == 0)
		return 0;
	/*
	 * inet_pton takes hex in either case and the embedded dotted form
	 * (which it reads strictly: no leading zeros, four parts), and
	 * refuses scope ids, brackets and spaces.
	 */
	if (strchr(s, ':') == NULL || strlen(s) >= INET6_ADDRSTRLEN ||
	    inet_pton(AF_INET6, s, a6) != 1)
		return -1;
	if (memcmp(a6, mapped, sizeof mapped) != 0)
		return -1;
	*out = ((unsigned int)a6[12] << 24) | ((unsigned int)a6[13] << 16) |
	    ((unsigned int)a6[14] << 8) | a6[15];
	return 0;
}

/* Parse canonical list text (one block a line) for matching. */
int
ipv4_list_parse(const char *text, struct ipv4_list *list,
    struct hyp_error *err)
{
	const char	*p, *nl;
	char		*entry;
	unsigned int	 addr, prefix;
	size_t		 n = 1, line = 0;
	int		 rc;

	memset(list, 0, sizeof *list);
	if (text == NULL || *text == '\0')
		return 0;
	for (p = text; *p != '\0'; p++) {
		if (*p == '\n')
			n++;
	}
	list->entries = xcalloc(n, sizeof *list->entries);

	for (p = text; p != NULL; p = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		line++;
		entry = nl != NULL ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		rc = cidr_parse(entry, &addr, &prefix, err);
		free(entry);
		if (rc == -1) {
			if (err != NULL) {
				char	 why[HYP_ERROR_MAX];

				hyp_strlcpy(why, err->msg, sizeof why);
				hyp_error_set(err, HYP_E_INVALID,
				    "IP v4 Whitelist, line %zu: %s", line, why);
			}
			ipv4_list_clear(list);
			return -1;
		}
		list->entries[list->n].addr = addr;
		list->entries[list->n].mask = ipv4_mask(prefix);
		list->n++;
	}
	return 0;
}

/* 1 if the list is empty or one of its blocks holds addr. */
int
ipv4_list_allows(const struct ipv4_list *list, unsigned int addr)
{
	size_t	 i;

	if (list->n == 0)
		return 1;
	for (i = 0; i < list->n; i++) {
		if ((addr & list->entries[i].mask) == list->entries[i].addr)
			return 1;
	}
	return 0;
}

/* Release the entries; the list is empty afterwards. */
void
ipv4_list_clear(struct ipv4_list *list)
{
	if (list == NULL)
		return;
	free(list->entries);
	list->entries = NULL;
	list->n = 0;
}
