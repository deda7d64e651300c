/*
 * fuzz-canon.c: the daemon's path canonicaliser (canon_path,
 * canon_function) and the blocked-function check of auth_check behind
 * it, on a policy that blocks "DeleteClient" and "get.info".
 *
 * The first byte picks the mode. Raw mode takes the rest as
 * X-Original-URI under one of three API prefixes. Spelling mode builds
 * a request for a blocked name from the input: each character literal,
 * in upper case or percent-encoded in either case, with "./", "//",
 * "x/../" or ";params" between segments and a query, fragment, slash or
 * further segment after.
 *
 * Properties: a canonical path starts with '/', has no empty, "." or
 * ".." segment, no ';', '#', backslash or control byte, and
 * canonicalising it again changes nothing (see FUZZ_CANON_STRICT
 * below); a uri holding ".." as a segment of its decoded path, or a '#',
 * has no canonical path and names no function; the function of a path
 * is lower case, one segment, and the same when taken from the
 * canonical path; whenever the function is a blocked name, whatever its
 * spelling, auth_check refuses it as blocked; a request auth_check lets
 * through names a function that is neither blocked nor unparsable.
 *
 * Canonical paths holding '%' or '?' (made from "%25" and "%3F") change
 * when canonicalised again, by the design of decoding once: the
 * idempotence and the decoded-again blocked check apply to them only
 * when the environment sets FUZZ_CANON_STRICT=1.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "../../src/daemon/hyptokensd.h"
#include "hyp-token.h"

#define FUZZ_URI_MAX	8192

static const char *const fuzz_prefixes[] = { "/", "/api/", "/v1/API/" };
#define FUZZ_NPREFIXES (sizeof fuzz_prefixes / sizeof fuzz_prefixes[0])

static const char *const fuzz_blocked[] = { "deleteclient", "get.info" };
#define FUZZ_NBLOCKED (sizeof fuzz_blocked / sizeof fuzz_blocked[0])

static struct hyp_config fuzz_cfg;
static int64_t		 fuzz_clock = 1800000000;
static int		 fuzz_strict;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct policy_catalog	*cat;
	struct hyp_record	 rec;
	struct hyp_error	 err;
	struct state_policy	*p;
	const char		*strict = getenv("FUZZ_CANON_STRICT");

	fuzz_strict = strict != NULL && strcmp(strict, "1") == 0;
	if (token_init(&err) == -1)
		fuzz_fail("token_init: %s", err.msg);
	if ((cat = policy_catalog_load(fuzz_share_dir(), &err)) == NULL)
		fuzz_fail("catalogue: %s", err.msg);
	state_init(cat);
	auth_init();

	hyp_strlcpy(fuzz_cfg.domain, "fuzz.example.com",
	    sizeof fuzz_cfg.domain);
	fuzz_cfg.ntrusted_proxies = 1;
	ipv4_parse("127.0.0.1", &fuzz_cfg.trusted_proxies[0].addr);
	fuzz_cfg.trusted_proxies[0].prefix = 32;
	fuzz_cfg.block_seconds = 300;
	fuzz_cfg.max_tenants = 2;

	memset(&rec, 0, sizeof rec);
	rec.id = 1;
	hyp_strlcpy(rec.user_name, "fuzz", sizeof rec.user_name);
	hyp_strlcpy(rec.domain, "fuzz.example.com", sizeof rec.domain);
	/* No bearer: a request that passes the function checks is let in. */
	hyp_strlcpy(rec.purpose, "unsecured-api", sizeof rec.purpose);
	rec.token_life_hours = 1;
	rec.access_until = fuzz_clock + 3600;
	rec.max_posts = POLICY_POSTS_MAX;
	rec.whitelist = xstrdup("");
	rec.modules = xstrdup("");
	rec.blocked = xstrdup("DeleteClient\nget.info");
	state_install(STATE_SERVING, &rec, NULL);
	p = state_acquire();
	if (p->kind != STATE_SERVING)
		fuzz_fail("the fuzz policy does not serve: %s", p->why);
	state_release(p);
	return 0;
}

static int
fuzz_is_blocked(const char *fn)
{
	size_t	 i;

	for (i = 0; i < FUZZ_NBLOCKED; i++) {
		if (strcasecmp(fn, fuzz_blocked[i]) == 0)
			return 1;
	}
	return 0;
}

static int
fuzz_reinterpreted(const char *s)
{
	return strpbrk(s, "%?#") != NULL;
}

/* What must hold of any canonical path out. */
static void
fuzz_check_canonical(const char *uri, const char *out)
{
	char		 again[FUZZ_URI_MAX], show[256];
	const char	*why = NULL, *seg, *end;
	size_t		 n;

	fuzz_show(out, show, sizeof show);
	FUZZ_ASSERT(out[0] == '/', "canonical '%s' not rooted", show);
	FUZZ_ASSERT(strpbrk(out, ";#\\") == NULL && !fuzz_has_control(out),
	    "canonical '%s' holds ';', '#', '\\' or a control byte", show);
	for (seg = out + 1; strcmp(out, "/") != 0 && seg != NULL;
	    seg = *end == '/' ? end + 1 : NULL) {
		end = seg + strcspn(seg, "/");
		n = (size_t)(end - seg);
		FUZZ_ASSERT(n > 0 && !(n == 1 && seg[0] == '.') &&
		    !(n == 2 && seg[0] == '.' && seg[1] == '.'),
		    "canonical '%s' holds an empty or dot segment", show);
	}
	if (fuzz_reinterpreted(out) && !fuzz_strict)
		return;
	FUZZ_ASSERT(canon_path(out, again, sizeof again, &why) == 0,
	    "canonical '%s' refused when canonicalised again: %s", show,
	    why);
	FUZZ_ASSERT(strcmp(again, out) == 0, "canonical '%s' changes when "
	    "canonicalised again", show);
}

static void
fuzz_check_function(const char *prefix, const char *out, const char *fn)
{
	char		 again[DAEMON_FUNCTION_MAX];
	const char	*why = NULL, *c;

	FUZZ_ASSERT(fn[0] != '\0' && strpbrk(fn, "/;") == NULL,
	    "function '%s' is not one segment", fn);
	for (c = fn; *c != '\0'; c++)
		FUZZ_ASSERT(!isupper((unsigned char)*c), "function '%s' not "
		    "lower case", fn);
	if (out == NULL || (fuzz_reinterpreted(out) && !fuzz_strict))
		return;
	FUZZ_ASSERT(canon_function(out, prefix, again, sizeof again,
	    &why) == 0 && strcmp(again, fn) == 0, "canonical path names "
	    "another function than its request");
}

/* Decode "%XX" once more, as a second decoding layer would; -1 if bad. */
static int
fuzz_decode_again(const char *s, char *out, size_t len)
{
	size_t		 o = 0;
	unsigned int	 v;

	for (; *s != '\0' && o + 1 < len; s++) {
		if (*s == '%') {
			if (!isxdigit((unsigned char)s[1]) ||
			    !isxdigit((unsigned char)s[2]) ||
			    sscanf(s + 1, "%2x", &v) != 1)
				return -1;
			out[o++] = (char)tolower((int)v);
			s += 2;
		} else
			out[o++] = *s;
	}
	out[o] = '\0';
	return 0;
}

/* 1 if uri holds a '#', or a ".." segment once its path is decoded. */
static int
fuzz_is_ambiguous(const char *uri)
{
	char		 path[FUZZ_URI_MAX], dec[FUZZ_URI_MAX];
	const char	*seg;
	size_t		 n;

	if (strchr(uri, '#') != NULL)
		return 1;
	n = strcspn(uri, "?");
	if (n >= sizeof path)
		return 0;
	memcpy(path, uri, n);
	path[n] = '\0';
	if (fuzz_decode_again(path, dec, sizeof dec) == -1)
		return 0;
	for (seg = dec; seg != NULL; seg = strchr(seg, '/')) {
		if (*seg == '/')
			seg++;
		n = strcspn(seg, ";/");
		if (n == 2 && seg[0] == '.' && seg[1] == '.')
			return 1;
	}
	return 0;
}

static void
fuzz_check_request(const char *prefix, const char *uri)
{
	struct state_policy	*p;
	struct auth_input	 in;
	struct auth_result	 res;
	char			 out[FUZZ_URI_MAX], fn[DAEMON_FUNCTION_MAX];
	char			 twice[DAEMON_FUNCTION_MAX], show[256];
	const char		*why = NULL;
	int			 rc_path, rc_fn;

	fuzz_show(uri, show, sizeof show);
	rc_path = canon_path(uri, out, sizeof out, &why);
	FUZZ_ASSERT(rc_path == 0 || (why != NULL && why[0] != '\0'),
	    "refusal of '%s' without a reason", show);
	if (rc_path == 0)
		fuzz_check_canonical(uri, out);
	why = NULL;
	rc_fn = canon_function(uri, prefix, fn, sizeof fn, &why);
	FUZZ_ASSERT(rc_fn == -1 || rc_path == 0, "'%s' names a function but "
	    "has no canonical path", show);
	if (rc_fn == 0)
		fuzz_check_function(prefix, rc_path == 0 ? out : NULL, fn);
	FUZZ_ASSERT(!fuzz_is_ambiguous(uri) || (rc_path == -1 && rc_fn == -1),
	    "'%s' holds '#' or a \"..\" segment, yet was read", show);

	hyp_strlcpy(fuzz_cfg.api_prefix, prefix, sizeof fuzz_cfg.api_prefix);
	memset(&in, 0, sizeof in);
	in.peer_is_ipv4 = 1;
	ipv4_parse("127.0.0.1", &in.peer);
	in.real_ip = "192.0.2.7";
	in.uri = uri;
	/* A minute apart: the flood count never decides here. */
	fuzz_clock += DAEMON_FLOOD_WINDOW + 1;
	p = state_acquire();
	auth_check(&fuzz_cfg, p, &in, fuzz_clock, &res);
	state_release(p);

	if (rc_fn == -1)
		FUZZ_ASSERT(res.outcome == AUTH_REFUSED &&
		    res.metric == M_REFUSED_PATH, "'%s': no function, yet "
		    "not refused for its path (metric %d)", show,
		    (int)res.metric);
	else if (fuzz_is_blocked(fn))
		FUZZ_ASSERT(res.outcome == AUTH_REFUSED &&
		    res.metric == M_REFUSED_FUNCTION, "'%s' names blocked "
		    "'%s' but is not refused as blocked (metric %d)", show, fn,
		    (int)res.metric);
	if (res.outcome != AUTH_ALLOWED)
		return;
	FUZZ_ASSERT(rc_fn == 0 && !fuzz_is_blocked(fn) &&
	    strcmp(res.function, fn) == 0, "'%s' let through for function "
	    "'%s'", show, res.function);
	if (fuzz_strict && fuzz_decode_again(fn, twice, sizeof twice) == 0)
		FUZZ_ASSERT(!fuzz_is_blocked(twice), "'%s' let through: "
		    "decoded once more it names blocked '%s'", show, twice);
}

/* Next op byte of the input; 0 (plain) once it is used up. */
static unsigned int
fuzz_op(const uint8_t *data, size_t size, size_t *at)
{
	return *at < size ? data[(*at)++] : 0;
}

static void
fuzz_spell_char(char *uri, size_t len, char c, unsigned int op)
{
	size_t	 o = strlen(uri);

	switch (op & 3) {
	case 0:
		snprintf(uri + o, len - o, "%c", c);
		break;
	case 1:
		snprintf(uri + o, len - o, "%c", toupper((unsigned char)c));
		break;
	case 2:
		snprintf(uri + o, len - o, "%%%02X", (unsigned char)c);
		break;
	default:
		snprintf(uri + o, len - o, "%%%02x", (unsigned char)c);
		break;
	}
}

/* Something harmless between segments. */
static void
fuzz_spell_gap(char *uri, size_t len, unsigned int op)
{
	static const char *const gaps[] = {
		"/", "/", "/", "/", "//", "/./", "/x/../", "/%2e/", ";p=1/",
		";/", "/.%2E/..%2f", "/%2E%2e/", "///./",
	};
	size_t	 o = strlen(uri);

	snprintf(uri + o, len - o, "%s", gaps[op % (sizeof gaps /
	    sizeof gaps[0])]);
}

static void
fuzz_check_spelling(const uint8_t *data, size_t size)
{
	static const char *const tails[] = {
		"", "/", "?x=1", "#f", "/more", ";v=2", "%3Bv", "?a/../b",
		"/.", "//", ";", "/..",
	};
	const char	*prefix, *name, *seg, *c;
	char		 uri[FUZZ_URI_MAX];
	size_t		 at = 0;
	unsigned int	 op;

	op = fuzz_op(data, size, &at);
	prefix = fuzz_prefixes[op % FUZZ_NPREFIXES];
	name = fuzz_blocked[(op >> 2) % FUZZ_NBLOCKED];
	uri[0] = '\0';
	/* The prefix's segments, each spelled, then the name. */
	for (seg = prefix + 1; *seg != '\0'; seg += strcspn(seg, "/") + 1) {
		fuzz_spell_gap(uri, sizeof uri, fuzz_op(data, size, &at));
		for (c = seg; *c != '/'; c++)
			fuzz_spell_char(uri, sizeof uri, *c,
			    fuzz_op(data, size, &at));
	}
	fuzz_spell_gap(uri, sizeof uri, fuzz_op(data, size, &at));
	for (c = name; *c != '\0'; c++)
		fuzz_spell_char(uri, sizeof uri, *c, fuzz_op(data, size, &at));
	op = fuzz_op(data, size, &at);
	hyp_strlcpy(uri + strlen(uri), tails[op % (sizeof tails /
	    sizeof tails[0])], sizeof uri - strlen(uri));
	fuzz_check_request(prefix, uri);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*uri;

	if (size == 0)
		return 0;
	if (data[0] & 0x80) {
		fuzz_check_spelling(data + 1, size - 1);
		return 0;
	}
	uri = fuzz_string(data + 1, size - 1);
	fuzz_check_request(fuzz_prefixes[data[0] % FUZZ_NPREFIXES], uri);
	free(uri);
	return 0;
}
