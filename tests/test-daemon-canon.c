/*
 * test-daemon-canon.c: the daemon's pure parsing: canonical paths and
 * function names (every spelling of issue 4 and case 17), the bearer
 * credential, tenant ids, the client address behind a trusted proxy
 * (cases 12, 14, 15, 18) and what may appear in a log line.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <string.h>

#include "../src/daemon/hyptokensd.h"
#include "hyp-token.h"

struct fn_case {
	char	 prefix[32];
	char	 uri[96];
	char	 want[64];	/* "" when refused */
};

/* Every spelling of the blocked function "Name" under /api/ maps to it. */
static struct fn_case blocked_spellings[] = {
	{ "/api/", "/api/name", "name" },
	{ "/api/", "/API/Name", "name" },
	{ "/api/", "//api//name/", "name" },
	{ "/api/", "/api/%4eame", "name" },
	{ "/api/", "/api/%4Eame", "name" },
	{ "/api/", "/api/name;v=1", "name" },
	{ "/api/", "/api/name?x=1", "name" },
	{ "/api/", "/api/Name/more", "name" },
	{ "/api/", "/api/NAME%3Bv=1", "name" },
	{ "/api/", "/api;x=1/name", "name" },
	{ "/api/", "/./api/name", "name" },	/* "." before the prefix */
	{ "/api/", "/%2e/API//nAmE//", "name" },
	{ "/api/", "/api/name?a=/../x\\", "name" },	/* the query: unread */
	{ "/", "/Name", "name" },
	{ "/", "//name/x?y", "name" },
	{ "/v1/api/", "/V1/api/Name", "name" },
};

ParameterizedTestParameters(canon, every_spelling_names_the_function)
{
	return cr_make_param_array(struct fn_case, blocked_spellings,
	    sizeof blocked_spellings / sizeof blocked_spellings[0]);
}

ParameterizedTest(struct fn_case *c, canon, every_spelling_names_the_function)
{
	char		 fn[DAEMON_FUNCTION_MAX];
	const char	*why = NULL;

	cr_assert_eq(canon_function(c->uri, c->prefix, fn, sizeof fn, &why),
	    0, "%s under %s refused: %s", c->uri, c->prefix,
	    why != NULL ? why : "");
	cr_assert_str_eq(fn, c->want, "%s", c->uri);
}

/*
 * Spellings that another layer (nginx hands over the raw URI, the
 * Web-App may resolve it its own way) could read as another function:
 * refused for their path, blocked name or not (issue 4, case 17).
 */
static struct fn_case ambiguous_paths[] = {
	{ "/api/", "/api/./name", "" },
	{ "/api/", "/api/%2e/name", "" },
	{ "/api/", "/api/name/./more", "" },
	{ "/api/", "/api/name/.;x/more", "" },
	{ "/api/", "/api/SecretFn/../Allowed", "" },
	{ "/api/", "/api/SecretFn/%2e%2e/Allowed", "" },
	{ "/api/", "/api/SecretFn/%2E%2E/Allowed", "" },
	{ "/api/", "/api/SecretFn/.%2e/x", "" },
	{ "/api/", "/api/SecretFn/%2e./x", "" },
	{ "/api/", "/api/SecretFn/..;/x", "" },
	{ "/api/", "/api/SecretFn/..;a=b/x", "" },
	{ "/api/", "/api/other/../name", "" },
	{ "/api/", "/Api/./../api/nAmE//", "" },
	{ "/api/", "/x/../api/name", "" },	/* ".." before the prefix */
	{ "/api/", "/api/name/..", "" },
	{ "/api/", "/api/Allowed#/../SecretFn", "" },
	{ "/api/", "/api/name#frag", "" },
	{ "/api/", "/api/name?x=1#f", "" },
	{ "/api/", "/api/Allowed%23/../x", "" },
	{ "/api/", "/api/Allowed%23", "" },
	{ "/api/", "/api/x\\..\\SecretFn", "" },
	{ "/api/", "/api/x\\SecretFn", "" },
	{ "/api/", "/api/x%5c..%5cSecretFn", "" },
	{ "/api/", "/api/x%5CSecretFn", "" },
	{ "/api/", "/api\\SecretFn", "" },
	{ "/api/", "/api/Allowed/%252e%252e/SecretFn", "" },
	{ "/api/", "/api/Allowed%252fSecretFn", "" },
	{ "/api/", "/api/Allowed%255cSecretFn", "" },
	{ "/api/", "/api/Allowed/%25252e", "" },
	{ "/", "/./name", "" },
	{ "/v1/api/", "/v1/API/./Name", "" },
};

ParameterizedTestParameters(canon,
    paths_another_layer_may_read_otherwise_are_refused)
{
	return cr_make_param_array(struct fn_case, ambiguous_paths,
	    sizeof ambiguous_paths / sizeof ambiguous_paths[0]);
}

ParameterizedTest(struct fn_case *c, canon,
    paths_another_layer_may_read_otherwise_are_refused)
{
	char		 fn[DAEMON_FUNCTION_MAX];
	const char	*why = NULL;

	cr_assert_eq(canon_function(c->uri, c->prefix, fn, sizeof fn, &why),
	    -1, "%s under %s was taken as %s", c->uri, c->prefix, fn);
	cr_assert_not_null(why);
	/* nginx puts the reason into a JSON string as it is. */
	cr_assert_null(strpbrk(why, "\"\\"), "reason '%s' breaks JSON", why);
}

/* Paths that must be refused rather than guessed at. */
static struct fn_case refused_paths[] = {
	{ "/api/", "/api/na%2Fme", "" },	/* encoded slash */
	{ "/api/", "/api/na%2fme", "" },
	{ "/api/", "/api/na%00me", "" },	/* encoded NUL */
	{ "/api/", "/api/%zzname", "" },	/* bad escape */
	{ "/api/", "/api/name%4", "" },		/* truncated escape */
	{ "/api/", "/api/name%", "" },
	{ "/api/", "/api/na%0ame", "" },	/* control byte */
	{ "/api/", "/other/name", "" },		/* outside the prefix */
	{ "/api/", "/apiname", "" },
	{ "/api/", "/ap/name", "" },
	{ "/api/", "/api/", "" },		/* no function */
	{ "/api/", "/api", "" },
	{ "/api/", "/api/..", "" },
	{ "/api/", "/../api/name", "" },	/* above the root */
	{ "/api/", "/api/../../name", "" },
	{ "/api/", "api/name", "" },		/* not a path */
	{ "/api/", "http://host/api/name", "" },
	{ "/api/", "", "" },
	{ "/", "/", "" },
	{ "/", "/?name", "" },
};

ParameterizedTestParameters(canon, bad_or_outside_paths_are_refused)
{
	return cr_make_param_array(struct fn_case, refused_paths,
	    sizeof refused_paths / sizeof refused_paths[0]);
}

ParameterizedTest(struct fn_case *c, canon, bad_or_outside_paths_are_refused)
{
	char		 fn[DAEMON_FUNCTION_MAX];
	const char	*why = NULL;

	cr_assert_eq(canon_function(c->uri, c->prefix, fn, sizeof fn, &why),
	    -1, "%s under %s was taken as %s", c->uri, c->prefix, fn);
	cr_assert_not_null(why);
	/* nginx puts the reason into a JSON string as it is. */
	cr_assert_null(strpbrk(why, "\"\\"), "reason '%s' breaks JSON", why);
}

Test(canon, a_missing_uri_is_refused)
{
	char		 fn[DAEMON_FUNCTION_MAX];
	const char	*why = NULL;

	cr_assert_eq(canon_function(NULL, "/", fn, sizeof fn, &why), -1);
	cr_assert_not_null(why);
}

Test(canon, a_function_name_longer_than_the_buffer_is_refused)
{
	char		 uri[600], fn[16];
	const char	*why = NULL;

	memset(uri, 'a', sizeof uri - 1);
	uri[0] = '/';
	uri[sizeof uri - 1] = '\0';
	cr_assert_eq(canon_function(uri, "/", fn, sizeof fn, &why), -1);
}

struct path_case {
	char	 uri[64];
	char	 want[64];
};

static struct path_case paths[] = {
	{ "/", "/" },
	{ "//", "/" },
	{ "//a//b/", "/a/b" },
	{ "/a/./b/./c", "/a/b/c" },
	{ "/a;x/b;y=2", "/a/b" },
	{ "/%41b", "/Ab" },
	{ "/%2541", "/%41" },		/* decoded once, not twice */
	{ "/a%3fb", "/a?b" },		/* an encoded '?' stays in the path */
	{ "/a?b/../c", "/a" },
	{ "/./.", "/" },
	{ "/a/./b/../c", "" },		/* ".." is refused, never resolved */
	{ "/a/b/..", "" },
	{ "/a/..", "" },
	{ "/a/..;x/b", "" },
	{ "/%2e%2e/x", "" },
	{ "/a/%2E%2E/b", "" },
	{ "/a#b", "" },			/* '#' raw or decoded */
	{ "/a%23b", "" },
	{ "/a\\b", "" },			/* backslash raw or decoded */
	{ "/a%5Cb", "" },
	{ "/a%252Eb", "" },		/* escapes a second decoding reads */
	{ "/a%252fb", "" },
	{ "/a%255Cb", "" },
	{ "/a%2525", "" },
};

ParameterizedTestParameters(canon, paths_have_one_canonical_form)
{
	return cr_make_param_array(struct path_case, paths,
	    sizeof paths / sizeof paths[0]);
}

ParameterizedTest(struct path_case *c, canon, paths_have_one_canonical_form)
{
	char		 out[128];
	const char	*why = NULL;
	int		 rc;

	rc = canon_path(c->uri, out, sizeof out, &why);
	if (c->want[0] == '\0') {
		cr_assert_eq(rc, -1, "%s taken as %s", c->uri, out);
		return;
	}
	cr_assert_eq(rc, 0, "%s refused: %s", c->uri, why ? why : "");
	cr_assert_str_eq(out, c->want, "%s", c->uri);
}

struct bearer_case {
	char	 hdr[64];
	char	 want[32];	/* "" when refused */
};

static struct bearer_case bearers[] = {
	{ "Bearer abc", "abc" },
	{ "bearer abc", "abc" },
	{ "BEARER abc", "abc" },
	{ "Bearer   abc  ", "abc" },
	{ "Bearer\tabc", "abc" },
	{ "Bearer ab-c.d_e~f+g/h==", "ab-c.d_e~f+g/h==" },
	{ "Bearer", "" },
	{ "Bearer ", "" },
	{ "Bearerabc", "" },
	{ "Basic abc", "" },
	{ "Bearer a b", "" },
	{ "Bearer abc,def", "" },
	{ "Bearer a=b", "" },
	{ " Bearer abc", "" },
	{ "", "" },
};

ParameterizedTestParameters(canon, bearer_header_holds_one_credential)
{
	return cr_make_param_array(struct bearer_case, bearers,
	    sizeof bearers / sizeof bearers[0]);
}

ParameterizedTest(struct bearer_case *c, canon,
    bearer_header_holds_one_credential)
{
	const char	*tok = NULL;
	size_t		 len = 0;
	int		 rc;

	rc = canon_bearer(c->hdr, &tok, &len);
	if (c->want[0] == '\0') {
		cr_assert_eq(rc, -1, "'%s' accepted", c->hdr);
		return;
	}
	cr_assert_eq(rc, 0, "'%s' refused", c->hdr);
	cr_assert_eq(len, strlen(c->want));
	cr_assert_eq(memcmp(tok, c->want, len), 0);
}

Test(canon, no_authorization_header_is_no_credential)
{
	const char	*tok;
	size_t		 len;

	cr_assert_eq(canon_bearer(NULL, &tok, &len), -1);
}

Test(canon, tenant_ids_are_visible_ascii_of_bounded_length)
{
	char	 id[DAEMON_TENANT_ID_MAX + 2];

	cr_assert(canon_tenant_is_valid("acme-42"));
	cr_assert(!canon_tenant_is_valid(""));
	cr_assert(!canon_tenant_is_valid("a b"));
	cr_assert(!canon_tenant_is_valid("a\x01"));
	cr_assert(!canon_tenant_is_valid("caf\xc3\xa9"));
	memset(id, 'x', DAEMON_TENANT_ID_MAX);
	id[DAEMON_TENANT_ID_MAX] = '\0';
	cr_assert(canon_tenant_is_valid(id));
	id[DAEMON_TENANT_ID_MAX] = 'x';
	id[DAEMON_TENANT_ID_MAX + 1] = '\0';
	cr_assert(!canon_tenant_is_valid(id));
}

Test(canon, token_like_or_long_names_never_reach_a_log_line)
{
	char	 buf[80], *tok, name[200];

	cr_assert_eq(token_init(NULL), 0);
	tok = token_new(TOKEN_ACCESS);
	canon_loggable(tok, buf, sizeof buf);
	cr_assert_null(strstr(buf, tok + TOKEN_PREFIX_LEN));
	cr_assert_null(strstr(buf, "hypa_"));
	token_free(tok);

	memset(name, 'q', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	canon_loggable(name, buf, sizeof buf);
	cr_assert_eq(strspn(buf, "q"), CANON_LOG_NAME_MAX);

	cr_assert_str_eq(canon_loggable("getuser", buf, sizeof buf),
	    "getuser");
}

/* A name is shown in a log line by a short prefix at most (24 bytes). */
Test(canon, long_names_are_logged_by_a_short_prefix)
{
	char	 buf[96];

	cr_assert_str_eq(canon_loggable("abcdefghijklmnopqrstuvwx", buf,
	    sizeof buf), "abcdefghijklmnopqrstuvwx");
	cr_assert_str_eq(canon_loggable("abcdefghijklmnopqrstuvwxy", buf,
	    sizeof buf), "abcdefghijklmnopqrstuvwx... (25 bytes)");
	cr_assert_str_eq(canon_loggable("", buf, sizeof buf), "");
}

/* Nothing holding a token prefix, in any case, anywhere in the name. */
Test(canon, names_holding_a_token_prefix_are_never_shown)
{
	static const char *const names[] = {
		"hypa_", "HYPA_abc", "Hypr_x", "hypR_", "x.hypa_abc",
		"getuser-hypr_0123",
	};
	char	 buf[96], want[64];
	size_t	 i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(want, sizeof want, "(token-like name, %zu bytes)",
		    strlen(names[i]));
		cr_assert_str_eq(canon_loggable(names[i], buf, sizeof buf),
		    want, "name %zu", i);
	}
	cr_assert_str_eq(canon_loggable("hyp_a", buf, sizeof buf), "hyp_a");
}

Test(canon, a_log_form_never_overflows_its_buffer)
{
	char	 small[8];

	canon_loggable("abcdefghijklmnopqrstuvwxyz0123", small, sizeof small);
	cr_assert_eq(strlen(small), sizeof small - 1);
	canon_loggable("HYPA_0123456789", small, sizeof small);
	cr_assert_eq(strlen(small), sizeof small - 1);
}

struct method_case {
	char	 sent[40];	/* "-" for no header */
	char	 want[16];
};

static struct method_case methods[] = {
	{ "GET", "GET" },
	{ "POST", "POST" },
	{ "DELETE", "DELETE" },
	{ "PATCH", "PATCH" },
	{ "OPTIONS", "OPTIONS" },
	{ "-", "-" },
	{ "get", "other" },
	{ "GETX", "other" },
	{ "", "other" },
	{ "GET hypa_0123456789", "other" },
	{ "hypa_0123456789abcdef", "other" },
	{ "GET\r\nX: y", "other" },
};

ParameterizedTestParameters(canon, only_known_methods_reach_a_log_line)
{
	return cr_make_param_array(struct method_case, methods,
	    sizeof methods / sizeof methods[0]);
}

ParameterizedTest(struct method_case *c, canon,
    only_known_methods_reach_a_log_line)
{
	const char	*sent = strcmp(c->sent, "-") == 0 ? NULL : c->sent;

	cr_assert_str_eq(canon_method_name(sent), c->want, "%s", c->sent);
}

/* The client address: X-Real-IP only from a trusted proxy (case 12). */
struct client_case {
	char		 peer[16];
	char		 real_ip[40];	/* "-" for no header */
	char		 want[16];	/* "" when refused */
};

static struct client_case clients[] = {
	{ "127.0.0.1", "10.1.2.3", "10.1.2.3" },
	{ "127.0.0.1", "-", "127.0.0.1" },
	{ "127.0.0.1", "::ffff:10.1.2.3", "10.1.2.3" },
	{ "127.0.0.1", "::ffff:a01:203", "10.1.2.3" },
	{ "127.0.0.1", "0:0:0:0:0:ffff:10.1.2.3", "10.1.2.3" },
	{ "127.0.0.1", "010.0.0.1", "" },
	{ "127.0.0.1", "10.0.0.01", "" },
	{ "127.0.0.1", "0x0a.0.0.1", "" },
	{ "127.0.0.1", "10.1", "" },
	{ "127.0.0.1", "167772161", "" },
	{ "127.0.0.1", "10.1.2.3, 8.8.8.8", "" },
	{ "127.0.0.1", "", "" },
	{ "127.0.0.9", "10.1.2.3", "127.0.0.9" },	/* untrusted: ignored */
	{ "192.0.2.7", "010.0.0.1", "192.0.2.7" },
	{ "10.9.8.7", "10.1.2.3", "10.1.2.3" },		/* in 10.9.0.0/16 */
};

ParameterizedTestParameters(canon,
    real_ip_is_believed_from_trusted_proxies_only)
{
	return cr_make_param_array(struct client_case, clients,
	    sizeof clients / sizeof clients[0]);
}

ParameterizedTest(struct client_case *c, canon,
    real_ip_is_believed_from_trusted_proxies_only)
{
	struct hyp_config	 cfg;
	struct auth_input	 in;
	unsigned int		 got = 0, want = 0;
	int			 rc;

	memset(&cfg, 0, sizeof cfg);
	cfg.ntrusted_proxies = 2;
	cr_assert_eq(ipv4_parse("127.0.0.1", &cfg.trusted_proxies[0].addr),
	    0);
	cfg.trusted_proxies[0].prefix = 32;
	cr_assert_eq(ipv4_parse("10.9.0.0", &cfg.trusted_proxies[1].addr), 0);
	cfg.trusted_proxies[1].prefix = 16;

	memset(&in, 0, sizeof in);
	in.peer_is_ipv4 = 1;
	cr_assert_eq(ipv4_parse(c->peer, &in.peer), 0);
	in.real_ip = strcmp(c->real_ip, "-") == 0 ? NULL : c->real_ip;
	rc = auth_client(&cfg, &in, &got);
	if (c->want[0] == '\0') {
		cr_assert_eq(rc, -1, "%s via %s accepted", c->real_ip,
		    c->peer);
		return;
	}
	cr_assert_eq(rc, 0, "%s via %s refused", c->real_ip, c->peer);
	cr_assert_eq(ipv4_parse(c->want, &want), 0);
	cr_assert_eq(got, want, "%s via %s", c->real_ip, c->peer);
}
