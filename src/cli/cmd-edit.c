/*
 * cmd-edit.c: set, regenerate, delete and copy. Each validates with the
 * same core rules as the console, changes the database through the store
 * (the database is the truth), then signals the instance's daemon; a
 * daemon that is down is reported, not treated as a failure.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hyp-proto.h"
#include "hyp-time.h"
#include "hyp-token.h"
#include "../tui/tui.h"

/* What became of a REFRESH or PURGE. */
struct outcome {
	int	 answered;
	double	 ms;
	char	 text[PROTO_LINE_MAX];	/* the reply, or why there was none */
};

static void
signal_send(const struct hyp_record *r, enum proto_cmd cmd,
    struct outcome *o)
{
	struct hyp_error	 err;
	struct timespec		 a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	o->answered = proto_signal(r->control_socket, cmd, r->domain,
	    o->text, sizeof o->text, &err) == 0;
	clock_gettime(CLOCK_MONOTONIC, &b);
	o->ms = (double)(b.tv_sec - a.tv_sec) * 1e3 +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	if (!o->answered)
		hyp_strlcpy(o->text, err.msg, sizeof o->text);
}

/*
 * Signal the instance and report: a line of text, or, with --json, the
 * "instance" member of the command's JSON object.
 */
static void
signal_report(const struct cli *c, const struct hyp_record *r,
    enum proto_cmd cmd, json_t *j)
{
	struct outcome	 o;
	json_t		*ji;

	signal_send(r, cmd, &o);
	if (j != NULL) {
		ji = json_object();
		json_object_set_new(ji, "signal",
		    json_string(proto_cmd_name(cmd)));
		json_object_set_new(ji, "answered", json_boolean(o.answered));
		json_object_set_new(ji, o.answered ? "reply" : "error",
		    json_string(o.text));
		if (o.answered)
			json_object_set_new(ji, "ms", json_real(o.ms));
		json_object_set_new(j, "instance", ji);
		return;
	}
	if (!o.answered)
		printf("instance %s did not answer (%s); it loads the change "
		    "when it starts or at its next keep-alive\n",
		    cli_clean(r->domain), o.text);
	else if (strncmp(o.text, "OK", 2) == 0)
		printf("instance %s applied it in %.1f ms (%s)\n",
		    cli_clean(r->domain), o.ms, cli_clean(o.text));
	else
		printf("instance %s answered: %s\n", cli_clean(r->domain),
		    cli_clean(o.text));
}

struct edit_set {
	struct store_edit	 edits[FIELD_COUNT];
	char			*olds[FIELD_COUNT];
	char			*news[FIELD_COUNT];
	int			 given[FIELD_COUNT];
	size_t			 n;
};

static void
edit_set_clear(struct edit_set *es)
{
	size_t	 i;

	for (i = 0; i < FIELD_COUNT; i++) {
		free(es->olds[i]);
		free(es->news[i]);
	}
}

/* Is name a field of the record that no admin edits? */
static int
field_is_readonly(const char *name)
{
	static const char *const ro[] = {
		"hyper_user_name", "created_on_utc", "domain_address",
		"domain_purpose", "max_tenants", "max_threads",
		"last_token_refresh_utc", "keep_alive_utc", "last_trans_utc",
		"access_token", "prev_access_token", "refresh_token",
	};
	size_t	 i;

	for (i = 0; i < sizeof ro / sizeof ro[0]; i++)
		if (strcmp(ro[i], name) == 0)
			return 1;
	return 0;
}

/* Parse one FIELD=VALUE into es; exit status on failure, else 0. */
static int
edit_parse(struct cli *c, const struct hyp_record *r, const char *arg,
    int64_t now, struct edit_set *es)
{
	const struct field_info	*fi;
	struct hyp_error	 err;
	const char		*eq = strchr(arg, '=');
	char			 name[64], warning[256];
	char			*canon;

	if (eq == NULL || eq == arg || (size_t)(eq - arg) >= sizeof name) {
		cli_warnx("'%s' is not FIELD=VALUE", arg);
		return EXIT_USAGE;
	}
	snprintf(name, sizeof name, "%.*s", (int)(eq - arg), arg);
	if ((fi = field_find(name)) == NULL) {
		if (field_is_readonly(name)) {
			cli_warnx("%s is read-only", name);
			return EXIT_REFUSED;
		}
		fprintf(stderr, "hyptokens: unknown field '%s'; settable: ",
		    cli_clean(token_hide(name, sizeof name)));
		for (int f = 0; f < FIELD_COUNT; f++)
			fprintf(stderr, "%s%s", f ? ", " : "",
			    field_info((enum hyp_field)f)->name);
		fprintf(stderr, "\n");
		return EXIT_USAGE;
	}
	if (es->given[fi->field]) {
		cli_warnx("%s is given twice", name);
		return EXIT_USAGE;
	}
	warning[0] = '\0';
	if (field_parse(fi->field, eq + 1, now, c->cat, &canon, warning,
	    sizeof warning, &err) == -1)
		return cli_fail(&err);
	if (warning[0] != '\0')
		cli_warnx("warning: %s", warning);
	es->given[fi->field] = 1;
	es->news[fi->field] = canon;
	es->olds[fi->field] = field_get(r, fi->field);
	return 0;
}

/*
 * A new token life recomputes Access Until as now + hours, as the page
 * does, unless the same command sets Access Until itself.
 */
static int
edit_hours(struct cli *c, const struct hyp_record *r, int64_t now,
    struct edit_set *es)
{
	struct hyp_error	 err;
	char			*canon, ts[HYP_TIME_TEXT], warning[256];
	long long		 h;

	if (!es->given[FIELD_TOKEN_LIFE_HOURS] ||
	    es->given[FIELD_ACCESS_UNTIL] ||
	    strcmp(es->olds[FIELD_TOKEN_LIFE_HOURS],
	    es->news[FIELD_TOKEN_LIFE_HOURS]) == 0)
		return 0;
	if (hyp_parse_int(es->news[FIELD_TOKEN_LIFE_HOURS], POLICY_HOURS_MIN,
	    POLICY_HOURS_MAX, &h) == -1)
		return EXIT_REFUSED;
	time_format(now + h * 3600, ts);
	if (field_parse(FIELD_ACCESS_UNTIL, ts, now, c->cat, &canon, warning,
	    sizeof warning, &err) == -1)
		return cli_fail(&err);
	es->given[FIELD_ACCESS_UNTIL] = 1;
	es->news[FIELD_ACCESS_UNTIL] = canon;
	es->olds[FIELD_ACCESS_UNTIL] = field_get(r, FIELD_ACCESS_UNTIL);
	return 0;
}

/* hyptokens set DOMAIN FIELD=VALUE... */
int
cmd_set(struct cli *c, int argc, char **argv)
{
	struct hyp_record	 r;
	struct edit_set		 es;
	struct hyp_error	 err;
	enum hyp_field		 conflict;
	int64_t			 now = time_now(), version;
	json_t			*j, *jc;
	int			 i, f, rc = 0;

	memset(&r, 0, sizeof r);
	memset(&es, 0, sizeof es);
	if (store_load(c->st, argv[0], 0, &r, &err) == -1)
		return cli_fail(&err);
	for (i = 1; i < argc && rc == 0; i++)
		rc = edit_parse(c, &r, argv[i], now, &es);
	if (rc == 0)
		rc = edit_hours(c, &r, now, &es);
	if (rc != 0)
		goto out;

	/*
	 * A stored value of the wrong type reads as the field's default, so
	 * on an invalid record a given value equal to what was read may
	 * still be the repair: write it anyway.
	 */
	for (f = 0; f < FIELD_COUNT; f++) {
		if (!es.given[f] || (r.invalid[0] == '\0' &&
		    strcmp(es.olds[f], es.news[f]) == 0))
			continue;
		es.edits[es.n].field = (enum hyp_field)f;
		es.edits[es.n].old = es.olds[f];
		es.edits[es.n].new = es.news[f];
		es.n++;
	}
	if (es.n == 0) {
		if (c->json) {
			j = json_object();
			json_object_set_new(j, "domain_address",
			    json_string(r.domain));
			json_object_set_new(j, "changed", json_object());
			rc = cli_json_print(j);
		} else
			printf("%s: nothing changed\n", cli_clean(r.domain));
		goto out;
	}
	if (store_save(c->st, r.domain, es.edits, es.n, &conflict, &version,
	    &err) == -1) {
		rc = cli_fail(&err);
		goto out;
	}
	if (c->json) {
		j = json_object();
		jc = json_object();
		json_object_set_new(j, "domain_address", json_string(r.domain));
		json_object_set_new(j, "policy_version", json_integer(version));
		for (i = 0; i < (int)es.n; i++)
			json_object_set_new(jc,
			    field_info(es.edits[i].field)->name,
			    json_pack("{s:s, s:s}", "from", es.edits[i].old,
			    "to", es.edits[i].new));
		json_object_set_new(j, "changed", jc);
		signal_report(c, &r, PROTO_REFRESH, j);
		rc = cli_json_print(j);
		goto out;
	}
	printf("saved %zu field%s of %s (policy version %lld)\n", es.n,
	    es.n == 1 ? "" : "s", cli_clean(r.domain), (long long)version);
	signal_report(c, &r, PROTO_REFRESH, NULL);
out:
	edit_set_clear(&es);
	record_clear(&r);
	return rc;
}

/* hyptokens regenerate DOMAIN */
int
cmd_regenerate(struct cli *c, int argc, char **argv)
{
	struct hyp_record	 r;
	struct hyp_error	 err;
	char			 fa[TOKEN_FP_TEXT], fr[TOKEN_FP_TEXT];
	char			 ts[HYP_TIME_TEXT];
	json_t			*j;
	int			 rc = 0;

	memset(&r, 0, sizeof r);
	if (store_regenerate(c->st, argv[0], time_now(), &r, &err) == -1)
		return cli_fail(&err);
	token_fingerprint(r.access_token, strlen(r.access_token), fa);
	token_fingerprint(r.refresh_token, strlen(r.refresh_token), fr);
	time_format(r.prev_access_until, ts);
	if (c->reveal)
		cli_audit_reveal(c, &r);
	if (c->json) {
		j = json_object();
		json_object_set_new(j, "domain_address", json_string(r.domain));
		json_object_set_new(j, "access_token_fingerprint",
		    json_string(fa));
		json_object_set_new(j, "refresh_token_fingerprint",
		    json_string(fr));
		json_object_set_new(j, "prev_access_until_utc",
		    json_string(ts));
		if (c->reveal) {
			json_object_set_new(j, "access_token",
			    json_string(r.access_token));
			json_object_set_new(j, "refresh_token",
			    json_string(r.refresh_token));
		}
		signal_report(c, &r, PROTO_REFRESH, j);
		rc = cli_json_print(j);
	} else {
		printf("regenerated tokens of %s: access %s, refresh %s; the "
		    "old access token is accepted until %s UTC, the old "
		    "refresh token no more\n", cli_clean(r.domain), fa, fr, ts);
		if (c->reveal)
			printf("access_token %s\nrefresh_token %s\n",
			    r.access_token, r.refresh_token);
		signal_report(c, &r, PROTO_REFRESH, NULL);
	}
	record_clear(&r);
	return rc;
}

/* hyptokens delete DOMAIN --yes */
int
cmd_delete(struct cli *c, int argc, char **argv)
{
	struct hyp_record	 r;
	struct hyp_error	 err;

	if (!c->yes) {
		cli_warnx("delete removes %s for good; add --yes to confirm",
		    argv[0]);
		return EXIT_USAGE;
	}
	memset(&r, 0, sizeof r);
	if (store_load(c->st, argv[0], 0, &r, &err) == -1 ||
	    store_delete(c->st, argv[0], &err) == -1) {
		record_clear(&r);
		return cli_fail(&err);
	}
	printf("deleted %s\n", cli_clean(r.domain));
	signal_report(c, &r, PROTO_PURGE, NULL);
	record_clear(&r);
	return 0;
}

/*
 * hyptokens copy DOMAIN [access|refresh]: the token goes to the clipboard
 * of the admin's own terminal as OSC 52, written to /dev/tty so that it
 * never passes through stdout, a pipe or a log.
 */
int
cmd_copy(struct cli *c, int argc, char **argv)
{
	struct hyp_record	 r;
	struct hyp_error	 err;
	enum osc52_mux		 mux;
	const char		*which = argc > 1 ? argv[1] : "access";
	const char		*tok;
	char			 buf[OSC52_MAX], fp[TOKEN_FP_TEXT];
	char			 detail[128], said[256];
	ssize_t			 n;
	int			 fd, rc = EXIT_REFUSED;

	if (strcmp(which, "access") != 0 && strcmp(which, "refresh") != 0) {
		cli_warnx("copy: '%s' is not a token; say access or refresh",
		    which);
		return cli_usage("copy");
	}
	memset(&r, 0, sizeof r);
	if (store_load(c->st, argv[0], 1, &r, &err) == -1)
		return cli_fail(&err);
	tok = which[0] == 'a' ? r.access_token : r.refresh_token;
	if (tok == NULL) {
		fprintf(stderr, "hyptokens: %s has no %s token\n", r.domain,
		    which);
		goto out;
	}
	if ((fd = open("/dev/tty", O_WRONLY | O_NOCTTY | O_CLOEXEC)) == -1) {
		fprintf(stderr, "hyptokens: no terminal to copy to (%s)\n",
		    strerror(errno));
		goto out;
	}
	mux = osc52_mux_detect(getenv("TMUX"), getenv("STY"));
	n = osc52_build(mux, tok, strlen(tok), buf, sizeof buf);
	if (n < 0 || osc52_write(fd, buf, (size_t)n) == -1) {
		fprintf(stderr, "hyptokens: writing to the terminal failed\n");
		close(fd);
		goto out;
	}
	close(fd);
	snprintf(detail, sizeof detail, "%s token %s sent to the terminal "
	    "clipboard", which, token_fingerprint(tok, strlen(tok), fp));
	if (store_audit(c->st, r.domain, "copy", detail, time_now(),
	    &err) == -1)
		fprintf(stderr, "hyptokens: audit: %s\n", err.msg);
	osc52_describe(mux, (size_t)n, said, sizeof said);
	printf("%s token of %s: %s\n", which, r.domain, said);
	rc = 0;
out:
	token_wipe(buf, sizeof buf);
	record_clear(&r);
	return rc;
}
