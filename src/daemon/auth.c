/*
 * auth.c: the authorization decision for one sub-request, in the order
 * of SPEC section 8: the policy must be in force, then the IPv4
 * allow-list, flood protection, blocked functions, modules, the bearer
 * token and tenant sessions. The first check that fails decides; a
 * request is allowed only when every check passed.
 *
 * Headers that name the client or the original request (X-Real-IP,
 * X-Original-URI) are believed only from a trusted proxy; from anyone
 * else the TCP peer is the client and there is no original URI, which
 * is refused. Knows nothing of HTTP: the caller extracts the headers and
 * turns the result into a reply.
 */
#include "hyptokensd.h"

#include <string.h>

#include "hyp-token.h"

static struct flood_table	*auth_flood;
static struct tenant_table	*auth_tenants;

void
auth_init(void)
{
	auth_flood = flood_new(DAEMON_FLOOD_CAP);
	auth_tenants = tenant_new();
}

void
auth_free(void)
{
	flood_free(auth_flood);
	tenant_free(auth_tenants);
	auth_flood = NULL;
	auth_tenants = NULL;
}

size_t
auth_flood_entries(void)
{
	return auth_flood != NULL ? flood_count(auth_flood) : 0;
}

size_t
auth_tenant_sessions(void)
{
	return auth_tenants != NULL ? tenant_count(auth_tenants) : 0;
}

int
auth_is_trusted(const struct hyp_config *cfg, unsigned int addr)
{
	unsigned int	 mask;
	int		 i;

	for (i = 0; i < cfg->ntrusted_proxies; i++) {
		mask = cfg->trusted_proxies[i].prefix == 0 ? 0 :
		    0xffffffffU << (32 - cfg->trusted_proxies[i].prefix);
		if ((addr & mask) == cfg->trusted_proxies[i].addr)
			return 1;
	}
	return 0;
}

int
auth_client(const struct hyp_config *cfg, const struct auth_input *in,
    unsigned int *client)
{
	if (!in->peer_is_ipv4)
		return -1;
	if (in->real_ip != NULL && auth_is_trusted(cfg, in->peer))
		return ipv4_parse_client(in->real_ip, client);
	*client = in->peer;
	return 0;
}

/* The bearer verdict for one presented token. */
static enum metric
auth_bearer_verdict(const struct state_policy *p, const char *tok, size_t len,
    int64_t now)
{
	const struct hyp_record	*rec = &p->rec;

	if (!token_is_wellformed(tok, len, TOKEN_ACCESS))
		return M_REFUSED_BEARER_MALFORMED;
	if (rec->access_token != NULL && token_equal(tok, len,
	    rec->access_token, strlen(rec->access_token)))
		return now < p->eff.access_until ? M_ALLOWED :
		    M_REFUSED_BEARER_EXPIRED;
	if (rec->prev_access_token != NULL && token_equal(tok, len,
	    rec->prev_access_token, strlen(rec->prev_access_token)))
		return now < rec->prev_access_until ? M_ALLOWED :
		    M_REFUSED_BEARER_EXPIRED;
	return M_REFUSED_BEARER_UNKNOWN;
}

enum metric
auth_bearer(const struct state_policy *p, const char *hdr, int64_t now,
    char *fp, size_t fplen)
{
	const char	*tok;
	char		 fpbuf[TOKEN_FP_TEXT];
	size_t		 len;
	enum metric	 m;

	if (fplen > 0)
		fp[0] = '\0';
	if (hdr == NULL)
		return M_REFUSED_BEARER_MISSING;
	if (canon_bearer(hdr, &tok, &len) == -1)
		return M_REFUSED_BEARER_MALFORMED;
	m = auth_bearer_verdict(p, tok, len, now);
	if (m != M_ALLOWED) {
		token_fingerprint(tok, len, fpbuf);
		hyp_strlcpy(fp, fpbuf, fplen);
	}
	return m;
}

static void
auth_refuse(struct auth_result *res, int status, enum metric m,
    const char *reason, const char *message)
{
	res->outcome = AUTH_REFUSED;
	res->status = status;
	res->metric = m;
	res->reason = reason;
	res->message = message;
}

static const char *
auth_bearer_text(enum metric m)
{
	switch (m) {
	case M_REFUSED_BEARER_MISSING:
		return "no bearer token was sent";
	case M_REFUSED_BEARER_MALFORMED:
		return "the bearer token is malformed";
	case M_REFUSED_BEARER_EXPIRED:
		return "the bearer token has expired";
	default:
		return "the bearer token is not valid here";
	}
}

/*
 * Steps common to /auth and RefreshToken: policy, client, allow-list;
 * then, for /auth, the flood count.
 */
static int
auth_check_client(const struct hyp_config *cfg, const struct state_policy *p,
    const struct auth_input *in, int64_t now, int count,
    struct auth_result *res)
{
	memset(res, 0, sizeof *res);
	if (p->kind != STATE_SERVING) {
		auth_refuse(res, 403, M_REFUSED_CLOSED, "closed",
		    "This instance refuses every request for now");
		return -1;
	}
	if (in->twice != NULL) {
		auth_refuse(res, 403, M_REFUSED_HEADER, "header", in->twice);
		return -1;
	}
	if (auth_client(cfg, in, &res->client) == -1) {
		auth_refuse(res, 403, M_REFUSED_ADDRESS, "address",
		    "The client address is not a canonical IPv4 address");
		return -1;
	}
	res->client_known = 1;
	if (!ipv4_list_allows(&p->eff.whitelist, res->client)) {
		auth_refuse(res, 403, M_REFUSED_WHITELIST, "whitelist",
		    "The client address is not on the allow-list");
		return -1;
	}
	if (!count)
		return 0;
	switch (flood_check(auth_flood, res->client, p->eff.posts_per_minute,
	    cfg->block_seconds, now, &res->retry_after)) {
	case 0:
		break;
	case 2:
		res->block_started = 1;
		/* FALLTHROUGH */
	default:
		auth_refuse(res, 429, M_REFUSED_FLOOD, "flood",
		    "Too many requests from this address");
		return -1;
	}
	return 0;
}

void
auth_check_caller(const struct hyp_config *cfg, const struct state_policy *p,
    const struct auth_input *in, int64_t now, struct auth_result *res)
{
	if (auth_check_client(cfg, p, in, now, 1, res) == 0) {
		res->outcome = AUTH_ALLOWED;
		res->status = 200;
		res->metric = M_ALLOWED;
	}
}

void
auth_check(const struct hyp_config *cfg, const struct state_policy *p,
    const struct auth_input *in, int64_t now, struct auth_result *res)
{
	const char	*why, *uri;
	enum metric	 m;
	int		 max;

	if (auth_check_client(cfg, p, in, now, 1, res) == -1)
		return;

	uri = NULL;
	if (auth_is_trusted(cfg, in->peer)) {
		uri = in->uri;
		res->method = in->method;
	}
	if (uri == NULL) {
		auth_refuse(res, 403, M_REFUSED_URI, "uri",
		    "The original URI was not given by a trusted proxy");
		return;
	}
	if (canon_function(uri, cfg->api_prefix, res->function,
	    sizeof res->function, &why) == -1) {
		auth_refuse(res, 403, M_REFUSED_PATH, "path", why);
		return;
	}
	/*
	 * Decoded once, a name may still hold '%' ("%2564elete" becomes
	 * "%64elete"): a server behind that decodes again would see a
	 * blocked name. No API function has such characters: refuse it.
	 */
	if (!policy_is_function_name(res->function, 0)) {
		auth_refuse(res, 403, M_REFUSED_PATH, "path",
		    "The path does not name an API function");
		return;
	}
	if (policy_is_blocked(&p->eff, res->function)) {
		auth_refuse(res, 403, M_REFUSED_FUNCTION, "function",
		    "This function is blocked on this instance");
		return;
	}
	if (!policy_function_enabled(&p->eff, p->cat->cat, res->function)) {
		auth_refuse(res, 403, M_REFUSED_MODULE, "module",
		    "This function's module is not enabled on this instance");
		return;
	}

	if (p->eff.bearer_required) {
		m = auth_bearer(p, in->authorization, now, res->fingerprint,
		    sizeof res->fingerprint);
		if (m != M_ALLOWED) {
			auth_refuse(res, 401, m, "bearer", auth_bearer_text(m));
			res->bearer_error = auth_bearer_text(m);
			return;
		}
	}

	if (in->tenant != NULL) {
		if (!canon_tenant_is_valid(in->tenant)) {
			auth_refuse(res, 403, M_REFUSED_TENANT_ID, "tenant",
			    "The tenant id is not valid");
			return;
		}
		max = p->rec.max_tenants > 0 ? p->rec.max_tenants :
		    cfg->max_tenants;
		if (tenant_enter(auth_tenants, in->tenant, max,
		    p->eff.session_minutes * 60, now, &res->retry_after)) {
			auth_refuse(res, 503, M_REFUSED_TENANTS, "tenants",
			    "Every tenant session is in use");
			return;
		}
	}

	res->outcome = AUTH_ALLOWED;
	res->status = 204;
	res->metric = M_ALLOWED;
	state_note_trans(now);
}
