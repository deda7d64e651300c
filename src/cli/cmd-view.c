/*
 * cmd-view.c: list, show and history, as aligned text for people or as
 * JSON (jansson) for scripts. JSON names are the snake_case forms of the
 * page's labels; times are "YYYY-MM-DD HH:MM:SS" UTC or null when never
 * set; lists are arrays. Tokens appear only with --reveal; otherwise a
 * short fingerprint stands for each.
 */
#include "cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyp-status.h"
#include "hyp-time.h"
#include "hyp-token.h"

static json_t *
json_time(int64_t t)
{
	char	 buf[HYP_TIME_TEXT];

	return t > 0 ? json_string(time_format(t, buf)) : json_null();
}

static json_t *
json_optint(int v)
{
	return v > 0 ? json_integer(v) : json_null();
}

/* A canonical list ("a\nb") as a JSON array. */
static json_t *
json_list(const char *text)
{
	json_t		*a = json_array();
	const char	*p = text, *nl;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		json_array_append_new(a, json_stringn(p, nl != NULL ?
		    (size_t)(nl - p) : strlen(p)));
		p = nl != NULL ? nl + 1 : NULL;
	}
	return a;
}

static void
json_token(json_t *o, const char *name, const char *tok, int reveal)
{
	char	 key[64], fp[TOKEN_FP_TEXT];

	if (reveal)
		json_object_set_new(o, name, tok != NULL ? json_string(tok) :
		    json_null());
	snprintf(key, sizeof key, "%s_fingerprint", name);
	json_object_set_new(o, key, tok != NULL ? json_string(
	    token_fingerprint(tok, strlen(tok), fp)) : json_null());
}

static json_t *
record_json(const struct cli *c, const struct hyp_record *r, int64_t now)
{
	json_t	*o = json_object();
	char	 why[256];

	json_object_set_new(o, "hyper_user_name", json_string(r->user_name));
	json_object_set_new(o, "created_on_utc", json_time(r->created_on));
	json_object_set_new(o, "domain_address", json_string(r->domain));
	json_object_set_new(o, "domain_purpose", json_string(r->purpose));
	json_object_set_new(o, "max_tenants", json_integer(r->max_tenants));
	json_object_set_new(o, "max_threads", json_integer(r->max_threads));
	json_object_set_new(o, "token_life_hours",
	    json_integer(r->token_life_hours));
	json_object_set_new(o, "access_until_utc", json_time(r->access_until));
	json_object_set_new(o, "last_token_refresh_utc",
	    json_time(r->last_refresh));
	json_object_set_new(o, "max_posts_per_ip_per_minute",
	    json_optint(r->max_posts));
	json_object_set_new(o, "session_timeout_minutes",
	    json_optint(r->session_timeout));
	json_object_set_new(o, "ipv4_whitelist", json_list(r->whitelist));
	json_object_set_new(o, "enabled_modules", json_list(r->modules));
	json_object_set_new(o, "blocked_functions", json_list(r->blocked));
	json_object_set_new(o, "refresh_token_mode", json_string(
	    r->refresh_mode == REFRESH_FIXED ? "fixed" : "rotate"));
	json_object_set_new(o, "keep_alive_utc", json_time(r->keep_alive));
	json_object_set_new(o, "last_trans_utc", json_time(r->last_trans));
	if (r->access_token != NULL || c->reveal) {
		json_token(o, "access_token", r->access_token, c->reveal);
		json_token(o, "prev_access_token", r->prev_access_token,
		    c->reveal);
		json_token(o, "refresh_token", r->refresh_token, c->reveal);
	}
	json_object_set_new(o, "prev_access_until_utc",
	    json_time(r->prev_access_until));
	json_object_set_new(o, "alive", json_string(status_alive_name(
	    status_alive(r->keep_alive, now, c->cfg.keepalive_seconds))));
	json_object_set_new(o, "expiry", json_string(status_expiry_name(
	    status_expiry(r->access_until, now))));
	json_object_set_new(o, "policy_version", json_integer(r->version));
	json_object_set_new(o, "control_socket",
	    json_string(r->control_socket));
	if (policy_record_problem(r, c->cat, why, sizeof why))
		json_object_set_new(o, "invalid", json_string(why));
	else
		json_object_set_new(o, "invalid", json_null());
	return o;
}

/* Print j for scripts and release it; the exit status. */
int
cli_json_print(json_t *j)
{
	char	*s;

	s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (s == NULL)
		return EXIT_REFUSED;
	printf("%s\n", s);
	free(s);
	return 0;
}

/* "2026-12-04 18:07" or "-", and how far from now. */
static void
until_text(char *buf, size_t len, int64_t t, int64_t now)
{
	char	 ts[HYP_TIME_TEXT], rel[32];

	if (t <= 0) {
		snprintf(buf, len, "-");
		return;
	}
	time_format(t, ts);
	ts[16] = '\0';
	if (now >= t)
		snprintf(buf, len, "expired %s", time_format_relative(t, now,
		    rel, sizeof rel));
	else
		snprintf(buf, len, "%s %s", ts, time_format_relative(t, now,
		    rel, sizeof rel));
}

/* hyptokens list */
int
cmd_list(struct cli *c, int argc, char **argv)
{
	struct hyp_record	*recs;
	struct hyp_error	 err;
	ssize_t			 n, i;
	int64_t			 now = time_now();
	json_t			*a;
	char			 until[64], last[HYP_TIME_TEXT], why[256];

	if ((n = store_load_all(c->st, &recs, &err)) == -1)
		return cli_fail(&err);
	if (c->json) {
		a = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(a, record_json(c, &recs[i], now));
		store_records_free(recs, (size_t)n);
		return cli_json_print(a);
	}
	printf("%-28s %-14s %-12s %-34s %-6s %s\n", "DOMAIN", "PURPOSE",
	    "USER", "ACCESS UNTIL (UTC)", "ALIVE", "LAST TRANS (UTC)");
	for (i = 0; i < n; i++) {
		until_text(until, sizeof until, recs[i].access_until, now);
		if (recs[i].last_trans > 0)
			time_format(recs[i].last_trans, last);
		else
			snprintf(last, sizeof last, "-");
		printf("%-28s %-14s %-12s %-34s %-6s %s%s\n",
		    cli_clean(recs[i].domain), cli_clean(recs[i].purpose),
		    cli_clean(recs[i].user_name), until,
		    status_alive_name(status_alive(recs[i].keep_alive, now,
		    c->cfg.keepalive_seconds)), last,
		    policy_record_problem(&recs[i], c->cat, why, sizeof why) ?
		    "  INVALID" : "");
	}
	store_records_free(recs, (size_t)n);
	return 0;
}

static void
show_line(const char *label, const char *value)
{
	printf("  %-30s %s\n", label, cli_clean(value));
}

static void
show_time(const char *label, int64_t t, int64_t now)
{
	char	 ts[HYP_TIME_TEXT], rel[32], buf[64];

	if (t <= 0) {
		show_line(label, "-");
		return;
	}
	snprintf(buf, sizeof buf, "%s  (%s)", time_format(t, ts),
	    time_format_relative(t, now, rel, sizeof rel));
	show_line(label, buf);
}

/* Print a list field one entry a line, or what empty means. */
static void
show_list(const char *label, const char *text, const char *empty)
{
	const char	*p = text, *nl;
	char		 buf[256];

	if (text == NULL || *text == '\0') {
		show_line(label, empty);
		return;
	}
	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		snprintf(buf, sizeof buf, "%.*s", nl != NULL ? (int)(nl - p) :
		    (int)strlen(p), p);
		show_line(label, buf);
		label = "";
		p = nl != NULL ? nl + 1 : NULL;
	}
}

static void
show_token(const struct cli *c, const char *label, const char *tok)
{
	char	 fp[TOKEN_FP_TEXT], buf[TOKEN_MAX_LEN + 64];

	if (tok == NULL)
		show_line(label, "-");
	else if (c->reveal)
		show_line(label, tok);
	else {
		snprintf(buf, sizeof buf, "%.5s... (%zu characters, "
		    "fingerprint %s)", tok, strlen(tok),
		    token_fingerprint(tok, strlen(tok), fp));
		show_line(label, buf);
	}
}

static void
show_text(const struct cli *c, const struct hyp_record *r, int64_t now)
{
	const struct policy_purpose	*p;
	char				 buf[256];

	p = policy_purpose_find(c->cat, r->purpose);
	printf("%s\n", cli_clean(r->domain));
	if (policy_record_problem(r, c->cat, buf, sizeof buf))
		printf("  INVALID: %s (its daemon refuses every request)\n",
		    cli_clean(buf));
	printf(" Instance (from the INI)\n");
	show_line("Hyper User Name", r->user_name);
	show_time("Created On UTC", r->created_on, now);
	show_line("Domain Address", r->domain);
	snprintf(buf, sizeof buf, "%s%s%s", r->purpose, p != NULL ? ": " : "",
	    p != NULL ? p->description : " (unknown purpose)");
	show_line("Domain Purpose", buf);
	snprintf(buf, sizeof buf, "%d", r->max_tenants);
	show_line("Max Tenants", buf);
	snprintf(buf, sizeof buf, "%d", r->max_threads);
	show_line("Max Threads", buf);
	printf(" Token policy\n");
	snprintf(buf, sizeof buf, "%d", r->token_life_hours);
	show_line("Generated Token Life in Hours", buf);
	show_time("Access Until UTC", r->access_until, now);
	show_line("Refresh Token Mode", r->refresh_mode == REFRESH_FIXED ?
	    "fixed" : "rotate");
	printf(" Protection\n");
	if (r->max_posts > 0)
		snprintf(buf, sizeof buf, "%d", r->max_posts);
	else
		snprintf(buf, sizeof buf, "(empty: %d for %s)",
		    p != NULL ? p->posts_per_minute : 0, r->purpose);
	show_line("Max Posts per IP per Minute", buf);
	if (r->session_timeout > 0)
		snprintf(buf, sizeof buf, "%d", r->session_timeout);
	else
		snprintf(buf, sizeof buf, "(empty: %d for %s)",
		    p != NULL ? p->session_minutes : 0, r->purpose);
	show_line("Session Timeout # Minutes", buf);
	show_list("IP v4 Whitelist", r->whitelist, "(empty: every address)");
	show_list("Domain Enabled Modules", r->modules,
	    "(empty: the purpose's standard modules)");
	show_list("Block These Functions", r->blocked, "(none)");
	printf(" Activity\n");
	show_time("Last Access Token Refresh UTC", r->last_refresh, now);
	show_time("Keep Alive UTC", r->keep_alive, now);
	show_time("Last Trans UTC", r->last_trans, now);
	printf(" Tokens\n");
	show_token(c, "Access Token", r->access_token);
	show_token(c, "Prev Access Token", r->prev_access_token);
	if (r->prev_access_token != NULL)
		show_time("  accepted until", r->prev_access_until, now);
	show_token(c, "Refresh Token", r->refresh_token);
}

/* Revealing tokens is an admin action like any other: audit it. */
void
cli_audit_reveal(struct cli *c, const struct hyp_record *r)
{
	struct hyp_error	 err;
	char			 fa[TOKEN_FP_TEXT], fr[TOKEN_FP_TEXT];
	char			 detail[128];

	if (r->access_token == NULL || r->refresh_token == NULL)
		return;
	snprintf(detail, sizeof detail, "access token %s and refresh token "
	    "%s shown", token_fingerprint(r->access_token,
	    strlen(r->access_token), fa), token_fingerprint(r->refresh_token,
	    strlen(r->refresh_token), fr));
	if (store_audit(c->st, r->domain, "reveal", detail, time_now(),
	    &err) == -1)
		fprintf(stderr, "hyptokens: audit: %s\n", err.msg);
}

/* hyptokens show DOMAIN */
int
cmd_show(struct cli *c, int argc, char **argv)
{
	struct hyp_record	 r;
	struct hyp_error	 err;
	int			 rc;

	memset(&r, 0, sizeof r);
	if (store_load(c->st, argv[0], 1, &r, &err) == -1)
		return cli_fail(&err);
	if (c->reveal)
		cli_audit_reveal(c, &r);
	if (c->json)
		rc = cli_json_print(record_json(c, &r, time_now()));
	else {
		show_text(c, &r, time_now());
		rc = 0;
	}
	record_clear(&r);
	return rc;
}

/* hyptokens history [DOMAIN] */
int
cmd_history(struct cli *c, int argc, char **argv)
{
	struct store_audit	*rows;
	struct hyp_error	 err;
	ssize_t			 n, i;
	json_t			*a, *o;
	char			 ts[HYP_TIME_TEXT];

	n = store_audit_list(c->st, argc > 0 ? argv[0] : NULL,
	    (size_t)c->limit, &rows, &err);
	if (n == -1)
		return cli_fail(&err);
	a = c->json ? json_array() : NULL;
	if (a == NULL)
		printf("%-19s  %-10s %-12s %-15s %s  %s\n", "WHEN (UTC)",
		    "ACTION", "WHO", "FROM", "DOMAIN", "WHAT");
	for (i = 0; i < n; i++) {
		time_format(rows[i].at, ts);
		if (a == NULL) {
			printf("%-19s  %-10s %-12s %-15s %s  %s\n", ts,
			    cli_clean(rows[i].action), cli_clean(rows[i].actor),
			    rows[i].client[0] != '\0' ?
			    cli_clean(rows[i].client) : "-",
			    cli_clean(rows[i].domain),
			    cli_clean(rows[i].detail));
			continue;
		}
		o = json_object();
		json_object_set_new(o, "at_utc", json_string(ts));
		json_object_set_new(o, "actor", json_string(rows[i].actor));
		json_object_set_new(o, "client", json_string(rows[i].client));
		json_object_set_new(o, "domain_address",
		    json_string(rows[i].domain));
		json_object_set_new(o, "action", json_string(rows[i].action));
		json_object_set_new(o, "detail", json_string(rows[i].detail));
		json_array_append_new(a, o);
	}
	store_audit_free(rows, (size_t)n);
	return a != NULL ? cli_json_print(a) : 0;
}
