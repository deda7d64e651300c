/*
 * test-daemon-auth.c: the authorization decision of SPEC section 8 on a
 * policy built by hand, with an injected clock: the order of the checks,
 * the allow-list with IPv4-mapped addresses (case 14), forged headers
 * from untrusted peers (cases 12, 18), blocked spellings (case 17), the
 * bearer token with its 180-second grace and the Access Until second
 * (cases 10, 11), tenant sessions, and failing closed.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/daemon/hyptokensd.h"
#include "hyp-time.h"
#include "hyp-token.h"

#define T0	1800000000	/* the regeneration, in the grace tests */
#define UNTIL	(T0 + 3600)

static int64_t	 clock_now = T0;
static char	*tok_current, *tok_prev, *tok_older;

static int64_t
test_clock(void)
{
	return clock_now;
}

static void
config_base(void)
{
	struct hyp_config	*c = &daemon_config;

	memset(c, 0, sizeof *c);
	hyp_strlcpy(c->domain, "t.example.com", sizeof c->domain);
	hyp_strlcpy(c->api_prefix, "/api/", sizeof c->api_prefix);
	hyp_strlcpy(c->tenant_header, "X-Tenant-Id", sizeof c->tenant_header);
	c->ntrusted_proxies = 1;
	ipv4_parse("127.0.0.1", &c->trusted_proxies[0].addr);
	c->trusted_proxies[0].prefix = 32;
	c->block_seconds = 300;
	c->max_tenants = 2;
	c->max_threads = 2;
}

/* A record of purpose `purpose` with tokens; lists as given. */
static void
record_base(struct hyp_record *r, const char *purpose, const char *wl,
    const char *blocked)
{
	memset(r, 0, sizeof *r);
	r->id = 1;
	hyp_strlcpy(r->user_name, "t", sizeof r->user_name);
	hyp_strlcpy(r->domain, "t.example.com", sizeof r->domain);
	hyp_strlcpy(r->purpose, purpose, sizeof r->purpose);
	r->max_tenants = 2;
	r->max_threads = 2;
	r->token_life_hours = 1;
	r->access_until = UNTIL;
	r->last_refresh = T0;
	r->whitelist = xstrdup(wl);
	r->modules = xstrdup("");
	r->blocked = xstrdup(blocked);
	r->refresh_mode = REFRESH_ROTATE;
	r->version = 7;
	r->access_token = token_dup(tok_current);
	r->prev_access_token = token_dup(tok_prev);
	r->prev_access_until = T0 + 180;
	r->refresh_token = token_new(TOKEN_REFRESH);
}

static void
setup(void)
{
	struct hyp_error	 err;
	struct policy_catalog	*cat;

	cr_assert_eq(token_init(&err), 0);
	config_base();
	cat = policy_catalog_load("share", &err);
	cr_assert_not_null(cat, "catalogue: %s", err.msg);
	state_init(cat);
	auth_init();
	time_set_clock(test_clock);
	clock_now = T0;
	tok_current = token_new(TOKEN_ACCESS);
	tok_prev = token_new(TOKEN_ACCESS);
	tok_older = token_new(TOKEN_ACCESS);
}

static void
teardown(void)
{
	auth_free();
	state_free();
	time_set_clock(NULL);
	token_free(tok_current);
	token_free(tok_prev);
	token_free(tok_older);
}

static void
install(const char *purpose, const char *wl, const char *blocked)
{
	struct hyp_record	 r;

	record_base(&r, purpose, wl, blocked);
	state_install(STATE_SERVING, &r, NULL);
}

/* Run the check of a request for uri from client via the local proxy. */
static void
check(const char *client, const char *uri, const char *token,
    struct auth_result *res)
{
	struct state_policy	*p;
	struct auth_input	 in;
	char			 hdr[TOKEN_MAX_LEN + 16];

	memset(&in, 0, sizeof in);
	in.peer_is_ipv4 = 1;
	ipv4_parse("127.0.0.1", &in.peer);
	in.real_ip = client;
	in.uri = uri;
	if (token != NULL) {
		snprintf(hdr, sizeof hdr, "Bearer %s", token);
		in.authorization = hdr;
	}
	p = state_acquire();
	auth_check(&daemon_config, p, &in, time_now(), res);
	state_release(p);
}

TestSuite(auth, .init = setup, .fini = teardown);

Test(auth, a_request_passing_every_check_is_allowed)
{
	struct auth_result	 res;

	install("api", "", "name");
	check("10.1.2.3", "/api/getUser", tok_current, &res);
	cr_assert_eq(res.outcome, AUTH_ALLOWED);
	cr_assert_eq(res.status, 204);
	cr_assert_eq(state_last_trans(), T0, "Last Trans not noted");
}

Test(auth, ipv4_mapped_clients_are_matched_as_ipv4)
{
	struct auth_result	 res;

	install("api", "10.0.0.0/8", "");
	check("::ffff:10.1.2.3", "/api/x", tok_current, &res);
	cr_assert_eq(res.outcome, AUTH_ALLOWED, "::ffff:10.1.2.3 refused");
	check("::ffff:a01:203", "/api/x", tok_current, &res);
	cr_assert_eq(res.outcome, AUTH_ALLOWED, "::ffff:a01:203 refused");
	check("0:0:0:0:0:ffff:10.1.2.3", "/api/x", tok_current, &res);
	cr_assert_eq(res.outcome, AUTH_ALLOWED, "long form refused");
	check("::ffff:8.8.8.8", "/api/x", tok_current, &res);
	cr_assert_eq(res.status, 403);
	cr_assert_eq(res.metric, M_REFUSED_WHITELIST);
}

Test(auth, an_address_that_does_not_parse_is_refused)
{
	struct auth_result	 res;

	install("api", "10.0.0.0/8", "");
	check("010.0.0.1", "/api/x", tok_current, &res);
	cr_assert_eq(res.status, 403);
	cr_assert_eq(res.metric, M_REFUSED_ADDRESS);
	check("10.1", "/api/x", tok_current, &res);
	cr_assert_eq(res.metric, M_REFUSED_ADDRESS);
}

Test(auth, an_empty_whitelist_allows_every_address)
{
	struct auth_result	 res;

	install("api", "", "");
	check("8.8.8.8", "/api/x", tok_current, &res);
	cr_assert_eq(res.outcome, AUTH_ALLOWED);
}

Test(auth, checks_run_in_the_spec_order)
{
	struct auth_result	 res;

	install("api", "10.0.0.0/8", "name");
	/* Off the list, blocked function, no token: the list decides. */
	check("8.8.8.8", "/api/name", NULL, &res);
	cr_assert_eq(res.metric, M_REFUSED_WHITELIST);
	/* Blocked function and no token: the function decides. */
	check("10.0.0.1", "/api/name", NULL, &res);
	cr_assert_eq(res.metric, M_REFUSED_FUNCTION);
	/* Module not enabled and no token: the module decides. */
	check("10.0.0.1", "/api/Page_Get", NULL, &res);
	cr_assert_eq(res.metric, M_REFUSED_MODULE);
	cr_assert_eq(res.status, 403);
	/* Only the token is missing. */
	check("10.0.0.1", "/api/other", NULL, &res);
	cr_assert_eq(res.metric, M_REFUSED_BEARER_MISSING);
	cr_assert_eq(res.status, 401);
	cr_assert_not_null(res.bearer_error);
}

Test(auth, the_flood_check_comes_before_the_function_and_the_token)
{
	struct auth_result	 res;
	int			 i;

	install("api", "", "name");
	/* api: 20 a minute. Refused requests count too. */
	for (i = 0; i < 20; i++) {
		check("10.0.0.1", "/api/name", NULL, &res);
		cr_assert_eq(res.metric, M_REFUSED_FUNCTION);
	}
	check("10.0.0.1", "/api/other", tok_current, &res);
	cr_assert_eq(res.status, 429);
	cr_assert_eq(res.metric, M_REFUSED_FLOOD);
	cr_assert_eq(res.retry_after, 300);
	cr_assert(res.block_started);
	check("10.0.0.2", "/api/other", tok_current, &res);
	cr_assert_eq(res.outcome, AUTH_ALLOWED, "another client was blocked");
}

Test(auth, every_spelling_of_a_blocked_function_is_refused)
{
	static const char	*uris[] = {
		"/API/Name", "//api//name/", "/api/%4eame", "/api/./name",
		"/api/name;v=1", "/api/name?x=1", "/api/Name/more",
	};
	/* "/api/./name" is refused for its "." segment already. */
	static const enum metric want[] = {
		M_REFUSED_FUNCTION, M_REFUSED_FUNCTION, M_REFUSED_FUNCTION,
		M_REFUSED_PATH, M_REFUSED_FUNCTION, M_REFUSED_FUNCTION,
		M_REFUSED_FUNCTION,
	};
	struct auth_result	 res;
	size_t			 i;

	install("api", "", "Name");
	for (i = 0; i < sizeof uris / sizeof uris[0]; i++) {
		clock_now = T0 + (int64_t)i * 61;	/* under the flood */
		check("10.0.0.1", uris[i], tok_current, &res);
		cr_assert_eq(res.metric, want[i], "%s got %d",
		    uris[i], (int)res.metric);
		cr_assert_eq(res.status, 403);
	}
}

/*
 * nginx forwards the raw URI; where the Web-App could resolve it to
 * SecretFn (blocked) while a resolving daemon saw Allowed, the request
 * is refused for its path, whatever it names.
 */
Test(auth, paths_the_web_app_may_read_otherwise_are_refused)
{
	static const char	*uris[] = {
		"/api/SecretFn/../Allowed", "/api/SecretFn/%2e%2e/Allowed",
		"/api/SecretFn/.%2e/x", "/api/SecretFn/..;/x",
		"/api/Allowed#/../SecretFn", "/api/x\\..\\SecretFn",
		"/api/x%5c..%5cSecretFn", "/api/Allowed/./x",
		"/api/Allowed/%252e%252e/SecretFn",
	};
	struct auth_result	 res;
	size_t			 i;

	install("api", "", "SecretFn");
	check("10.0.0.1", "/api/Allowed/more", tok_current, &res);
	cr_assert_eq(res.outcome, AUTH_ALLOWED, "a further segment refused");
	for (i = 0; i < sizeof uris / sizeof uris[0]; i++) {
		clock_now = T0 + (int64_t)(i + 1) * 61;	/* under the flood */
		check("10.0.0.1", uris[i], tok_current, &res);
		cr_assert_eq(res.status, 403, "%s got %d", uris[i],
		    res.status);
		cr_assert_eq(res.metric, M_REFUSED_PATH, "%s got %d",
		    uris[i], (int)res.metric);
	}
}

Test(auth, a_name_that_would_decode_again_to_a_blocked_one_is_refused)
{
	static const char	*uris[] = {
		"/api/%254eame", "/api/%2564eleteclient", "/api/na%25me",
		"/api/name%3F", "/api/name%23x", "/api/na%20me",
	};
	struct auth_result	 res;
	size_t			 i;

	install("api", "", "Name\nDeleteClient");
	for (i = 0; i < sizeof uris / sizeof uris[0]; i++) {
		clock_now = T0 + (int64_t)i * 61;	/* under the flood */
		check("10.0.0.1", uris[i], tok_current, &res);
		cr_assert_eq(res.status, 403, "%s got %d", uris[i],
		    res.status);
		cr_assert_eq(res.metric, M_REFUSED_PATH, "%s got %d",
		    uris[i], (int)res.metric);
	}
}

Test(auth, a_missing_original_uri_is_refused)
{
	struct auth_result	 res;

	install("api", "", "");
	check("10.0.0.1", NULL, tok_current, &res);
	cr_assert_eq(res.status, 403);
	cr_assert_eq(res.metric, M_REFUSED_URI);
}

Test(auth, headers_from_an_untrusted_peer_are_ignored)
{
	struct state_policy	*p;
	struct auth_input	 in;
	struct auth_result	 res;
	char			 hdr[TOKEN_MAX_LEN + 16];
	unsigned int		 peer;

	install("api", "", "");
	snprintf(hdr, sizeof hdr, "Bearer %s", tok_current);
	memset(&in, 0, sizeof in);
	in.peer_is_ipv4 = 1;
	ipv4_parse("127.0.0.9", &in.peer);
	peer = in.peer;
	in.real_ip = "10.6.6.6";
	in.uri = "/api/getUser";
	in.authorization = hdr;
	p = state_acquire();
	auth_check(&daemon_config, p, &in, time_now(), &res);
	state_release(p);
	/* Counted on the real peer, and its URI is not believed. */
	cr_assert_eq(res.client, peer);
	cr_assert_eq(res.metric, M_REFUSED_URI);
}

Test(auth, forged_addresses_from_an_untrusted_peer_charge_that_peer)
{
	struct state_policy	*p;
	struct auth_input	 in;
	struct auth_result	 res;
	char			 forged[32];
	int			 i;

	install("api", "", "");
	memset(&in, 0, sizeof in);
	in.peer_is_ipv4 = 1;
	ipv4_parse("127.0.0.9", &in.peer);
	in.uri = "/api/getUser";
	p = state_acquire();
	for (i = 0; i < 20; i++) {
		snprintf(forged, sizeof forged, "10.9.%d.1", i);
		in.real_ip = forged;
		auth_check(&daemon_config, p, &in, time_now(), &res);
		cr_assert_neq(res.metric, M_REFUSED_FLOOD);
	}
	in.real_ip = "10.0.0.5";		/* the victim */
	auth_check(&daemon_config, p, &in, time_now(), &res);
	state_release(p);
	cr_assert_eq(res.metric, M_REFUSED_FLOOD, "the limit did not hold");

	/* The victim, through the real proxy, is not blocked. */
	check("10.0.0.5", "/api/getUser", tok_current, &res);
	cr_assert_eq(res.outcome, AUTH_ALLOWED);
}

Test(auth, previous_token_is_accepted_at_179_and_refused_at_180_seconds)
{
	struct state_policy	*p;
	char			 hdr[TOKEN_MAX_LEN + 16], fp[16];

	install("api", "", "");
	snprintf(hdr, sizeof hdr, "Bearer %s", tok_prev);
	p = state_acquire();
	clock_now = T0 + 179;
	cr_assert_eq(auth_bearer(p, hdr, time_now(), fp, sizeof fp),
	    M_ALLOWED);
	clock_now = T0 + 180;
	cr_assert_eq(auth_bearer(p, hdr, time_now(), fp, sizeof fp),
	    M_REFUSED_BEARER_EXPIRED);
	state_release(p);
}

Test(auth, the_grace_boundary_holds_through_the_whole_check)
{
	struct auth_result	 res;

	install("api", "", "");
	clock_now = T0 + 179;
	check("10.0.0.1", "/api/x", tok_prev, &res);
	cr_assert_eq(res.outcome, AUTH_ALLOWED);
	clock_now = T0 + 180;
	check("10.0.0.1", "/api/x", tok_prev, &res);
	cr_assert_eq(res.status, 401);
	cr_assert_eq(res.metric, M_REFUSED_BEARER_EXPIRED);
	check("10.0.0.1", "/api/x", tok_current, &res);
	cr_assert_eq(res.outcome, AUTH_ALLOWED);
}

Test(auth, the_access_token_is_refused_from_the_access_until_second)
{
	struct state_policy	*p;
	char			 hdr[TOKEN_MAX_LEN + 16], fp[16];

	install("api", "", "");
	snprintf(hdr, sizeof hdr, "Bearer %s", tok_current);
	p = state_acquire();
	clock_now = UNTIL - 1;
	cr_assert_eq(auth_bearer(p, hdr, time_now(), fp, sizeof fp),
	    M_ALLOWED);
	clock_now = UNTIL;
	cr_assert_eq(auth_bearer(p, hdr, time_now(), fp, sizeof fp),
	    M_REFUSED_BEARER_EXPIRED);
	clock_now = UNTIL + 1;
	cr_assert_eq(auth_bearer(p, hdr, time_now(), fp, sizeof fp),
	    M_REFUSED_BEARER_EXPIRED);
	state_release(p);
}

Test(auth, only_the_immediately_previous_token_has_a_grace)
{
	struct state_policy	*p;
	char			 hdr[TOKEN_MAX_LEN + 16], fp[16];

	/* A then B then C within three minutes: prev is B, A is gone. */
	install("api", "", "");
	snprintf(hdr, sizeof hdr, "Bearer %s", tok_older);
	p = state_acquire();
	clock_now = T0 + 1;
	cr_assert_eq(auth_bearer(p, hdr, time_now(), fp, sizeof fp),
	    M_REFUSED_BEARER_UNKNOWN);
	cr_assert_neq(fp[0], '\0', "no fingerprint for the log");
	state_release(p);
}

Test(auth, malformed_and_wrong_kind_tokens_are_refused_before_lookup)
{
	struct state_policy	*p;
	char			 hdr[TOKEN_MAX_LEN + 16], fp[16], *bad, *ref;

	install("api", "", "");
	p = state_acquire();
	bad = token_dup(tok_current);
	bad[TOKEN_ACCESS_LEN - 1] = bad[TOKEN_ACCESS_LEN - 1] == 'a' ?
	    'b' : 'a';
	snprintf(hdr, sizeof hdr, "Bearer %s", bad);
	cr_assert_eq(auth_bearer(p, hdr, time_now(), fp, sizeof fp),
	    M_REFUSED_BEARER_MALFORMED);
	bad[0] = 'X';
	snprintf(hdr, sizeof hdr, "Bearer %s", bad);
	cr_assert_eq(auth_bearer(p, hdr, time_now(), fp, sizeof fp),
	    M_REFUSED_BEARER_MALFORMED);
	snprintf(hdr, sizeof hdr, "Bearer %.*s", TOKEN_ACCESS_LEN - 1,
	    tok_current);
	cr_assert_eq(auth_bearer(p, hdr, time_now(), fp, sizeof fp),
	    M_REFUSED_BEARER_MALFORMED);
	ref = token_new(TOKEN_REFRESH);
	snprintf(hdr, sizeof hdr, "Bearer %s", ref);
	cr_assert_eq(auth_bearer(p, hdr, time_now(), fp, sizeof fp),
	    M_REFUSED_BEARER_MALFORMED);
	cr_assert_eq(auth_bearer(p, "Basic dXNlcjpwYXNz", time_now(), fp,
	    sizeof fp), M_REFUSED_BEARER_MALFORMED);
	cr_assert_eq(auth_bearer(p, NULL, time_now(), fp, sizeof fp),
	    M_REFUSED_BEARER_MISSING);
	token_free(bad);
	token_free(ref);
	state_release(p);
}

Test(auth, an_unsecured_purpose_checks_no_token)
{
	struct auth_result	 res;

	install("unsecured-api", "", "name");
	check("10.0.0.1", "/api/other", NULL, &res);
	cr_assert_eq(res.outcome, AUTH_ALLOWED);
	check("10.0.0.1", "/api/name", NULL, &res);
	cr_assert_eq(res.metric, M_REFUSED_FUNCTION);
}

Test(auth, a_portal_serves_its_module)
{
	struct auth_result	 res;

	install("portal", "", "");
	check("10.0.0.1", "/api/Page_Get", tok_current, &res);
	cr_assert_eq(res.outcome, AUTH_ALLOWED);
}

Test(auth, a_new_tenant_beyond_max_tenants_gets_503_with_retry_after)
{
	struct state_policy	*p;
	struct auth_input	 in;
	struct auth_result	 res;
	char			 hdr[TOKEN_MAX_LEN + 16];
	static const char	*tenants[] = { "t1", "t2", "t1", "t3" };
	size_t			 i;

	install("api", "", "");
	snprintf(hdr, sizeof hdr, "Bearer %s", tok_current);
	memset(&in, 0, sizeof in);
	in.peer_is_ipv4 = 1;
	ipv4_parse("127.0.0.1", &in.peer);
	in.real_ip = "10.0.0.1";
	in.uri = "/api/x";
	in.authorization = hdr;
	p = state_acquire();
	for (i = 0; i < 4; i++) {
		in.tenant = tenants[i];
		auth_check(&daemon_config, p, &in, time_now(), &res);
		if (i < 3)
			cr_assert_eq(res.outcome, AUTH_ALLOWED, "%s",
			    tenants[i]);
	}
	cr_assert_eq(res.status, 503);
	cr_assert_eq(res.metric, M_REFUSED_TENANTS);
	cr_assert_gt(res.retry_after, 0);
	/* api: sessions idle 20 minutes are dropped. */
	clock_now = T0 + 20 * 60 + 1;
	auth_check(&daemon_config, p, &in, time_now(), &res);
	cr_assert_eq(res.outcome, AUTH_ALLOWED);
	in.tenant = "bad tenant";
	auth_check(&daemon_config, p, &in, time_now(), &res);
	cr_assert_eq(res.metric, M_REFUSED_TENANT_ID);
	state_release(p);
}

Test(auth, a_record_whose_policy_does_not_parse_refuses_everything)
{
	struct hyp_record	 r;
	struct auth_result	 res;
	struct state_policy	*p;

	record_base(&r, "api", "10.1.0.0/8", "");
	state_install(STATE_SERVING, &r, NULL);
	p = state_acquire();
	cr_assert_eq(p->kind, STATE_CLOSED);
	cr_assert_neq(p->why[0], '\0', "no reason given");
	state_release(p);
	check("10.1.2.3", "/api/x", tok_current, &res);
	cr_assert_eq(res.status, 403);
	cr_assert_eq(res.metric, M_REFUSED_CLOSED);
}

Test(auth, an_unknown_purpose_fails_closed)
{
	struct auth_result	 res;

	install("no-such-purpose", "", "");
	check("10.1.2.3", "/api/x", tok_current, &res);
	cr_assert_eq(res.metric, M_REFUSED_CLOSED);
}

Test(auth, a_purged_record_refuses_everything)
{
	struct auth_result	 res;

	install("api", "", "");
	state_purge("test", -1);
	check("10.1.2.3", "/api/x", tok_current, &res);
	cr_assert_eq(res.status, 403);
	cr_assert_eq(res.metric, M_REFUSED_CLOSED);
}
