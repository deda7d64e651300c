/*
 * metrics.c: a counter for every decision the daemon makes, and their
 * exposition in the Prometheus text format for /metrics. Counters are
 * relaxed atomics: each is exact, a reading of several is not a single
 * instant, which monitoring does not need.
 */
#include "hyptokensd.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Atomic uint64_t	 metrics[M_COUNT];

/* Name of each counter: which family and which label value. */
static const struct {
	enum metric	 metric;
	const char	*family;
	const char	*label;
} metrics_names[] = {
	{ M_ALLOWED,			"auth", "allowed" },
	{ M_REFUSED_WHITELIST,		"auth", "whitelist" },
	{ M_REFUSED_ADDRESS,		"auth", "bad_address" },
	{ M_REFUSED_FLOOD,		"auth", "flood" },
	{ M_REFUSED_URI,		"auth", "no_original_uri" },
	{ M_REFUSED_HEADER,		"auth", "header_twice" },
	{ M_REFUSED_PATH,		"auth", "bad_path" },
	{ M_REFUSED_FUNCTION,		"auth", "blocked_function" },
	{ M_REFUSED_MODULE,		"auth", "module" },
	{ M_REFUSED_BEARER_MISSING,	"auth", "bearer_missing" },
	{ M_REFUSED_BEARER_MALFORMED,	"auth", "bearer_malformed" },
	{ M_REFUSED_BEARER_UNKNOWN,	"auth", "bearer_unknown" },
	{ M_REFUSED_BEARER_EXPIRED,	"auth", "bearer_expired" },
	{ M_REFUSED_TENANT_ID,		"auth", "bad_tenant" },
	{ M_REFUSED_TENANTS,		"auth", "tenants" },
	{ M_REFUSED_CLOSED,		"auth", "policy_closed" },
	{ M_REFUSED_BUSY,		"auth", "busy" },
	{ M_REFRESH_ROTATED,		"refresh", "rotated" },
	{ M_REFRESH_CURRENT,		"refresh", "current" },
	{ M_REFRESH_REFUSED,		"refresh", "refused" },
	{ M_REFRESH_REPLAYED,		"refresh", "replayed" },
	{ M_REFRESH_ERROR,		"refresh", "error" },
	{ M_ALIVE,			"other", "alive_check" },
	{ M_NOT_FOUND,			"other", "not_found" },
};
#define NNAMES (sizeof metrics_names / sizeof metrics_names[0])

void
metrics_add(enum metric m)
{
	atomic_fetch_add_explicit(&metrics[m], 1, memory_order_relaxed);
}

uint64_t
metrics_get(enum metric m)
{
	return atomic_load_explicit(&metrics[m], memory_order_relaxed);
}

uint64_t
metrics_allowed(void)
{
	return metrics_get(M_ALLOWED);
}

uint64_t
metrics_refused(void)
{
	uint64_t	 n = 0;
	int		 m;

	for (m = M_REFUSED_WHITELIST; m <= M_REFUSED_BUSY; m++)
		n += metrics_get((enum metric)m);
	return n;
}

static void
metrics_family(FILE *f, const char *family, const char *help)
{
	size_t	 i;

	fprintf(f, "# HELP hyptokensd_%s_total %s\n", family, help);
	fprintf(f, "# TYPE hyptokensd_%s_total counter\n", family);
	for (i = 0; i < NNAMES; i++) {
		if (strcmp(metrics_names[i].family, family) != 0)
			continue;
		fprintf(f, "hyptokensd_%s_total{%s=\"%s\"} %llu\n", family,
		    strcmp(family, "other") == 0 ? "endpoint" : "decision",
		    metrics_names[i].label,
		    (unsigned long long)metrics_get(metrics_names[i].metric));
	}
}

static void
metrics_gauge(FILE *f, const char *name, const char *help, long long v)
{
	fprintf(f, "# HELP hyptokensd_%s %s\n", name, help);
	fprintf(f, "# TYPE hyptokensd_%s gauge\n", name);
	fprintf(f, "hyptokensd_%s %lld\n", name, v);
}

char *
metrics_format(void)
{
	struct state_policy	*p;
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return xstrdup("");
	metrics_family(f, "auth", "Authorization checks by decision.");
	metrics_family(f, "refresh", "RefreshToken calls by outcome.");
	metrics_family(f, "other", "Other requests by endpoint.");
	p = state_acquire();
	metrics_gauge(f, "policy_version", "Version of the policy in force.",
	    (long long)p->version);
	metrics_gauge(f, "policy_serving",
	    "1 while the record's policy serves, 0 while it fails closed.",
	    p->kind == STATE_SERVING);
	state_release(p);
	metrics_gauge(f, "flood_addresses", "Client addresses tracked.",
	    (long long)auth_flood_entries());
	metrics_gauge(f, "tenant_sessions", "Tenant sessions live.",
	    (long long)auth_tenant_sessions());
	metrics_gauge(f, "requests_in_progress", "HTTP requests in progress.",
	    http_inflight());
	fclose(f);
	return buf;
}
