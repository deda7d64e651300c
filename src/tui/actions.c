/*
 * actions.c: what the list and the form both do to a record besides
 * editing it (regenerate, delete), the signal to its instance after
 * every change, and who the audit names. Changes go through the core
 * store only; the database is the truth, so an instance that does not
 * answer is reported, not treated as a failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hyp-proto.h"
#include "hyp-time.h"
#include "tui.h"

static double
actions_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6);
}

/*
 * Send REFRESH or PURGE for domain to the instance's socket and say in
 * words what came of it. Returns 0 when the instance answered OK, 1 when
 * nobody answered, 2 when it answered ERR.
 */
int
actions_signal(const char *socket, int cmd, const char *domain, char *buf,
    size_t len)
{
	struct hyp_error err;
	char	 reply[PROTO_LINE_MAX];
	const char *v;
	double	 t0, ms;
	int	 rc;

	if (socket == NULL || *socket == '\0') {
		snprintf(buf, len, "%s has no control socket on record; its "
		    "daemon sees the change at its next keep-alive.", domain);
		return (1);
	}
	hyp_error_clear(&err);
	t0 = actions_clock_ms();
	rc = proto_signal(socket, cmd, domain, reply, sizeof reply, &err);
	ms = actions_clock_ms() - t0;
	if (rc != 0) {
		/* down, or up but hung: either way it reads the record */
		snprintf(buf, len, "Instance not reached: %s; %s when it "
		    "starts or at its next keep-alive.",
		    err.msg[0] != '\0' ? err.msg : "no answer",
		    cmd == PROTO_PURGE ? "it finds no record" :
		    "it reads the change");
		return (1);
	}
	if (strncmp(reply, "OK", 2) != 0) {
		snprintf(buf, len, "%s answered: %.200s.", domain, reply);
		return (2);
	}
	if (cmd == PROTO_PURGE)
		snprintf(buf, len, "The instance dropped it from memory in "
		    "%.1f ms.", ms);
	else if ((v = strstr(reply, "version=")) != NULL)
		snprintf(buf, len, "%s applied policy version %lld in %.1f ms.",
		    domain, strtoll(v + 8, NULL, 10), ms);
	else
		snprintf(buf, len, "%s applied it in %.1f ms.", domain, ms);
	return (0);
}

/* The status words for a store failure, by kind. */
static void
actions_failed(struct tui *t, const char *what, const struct hyp_error *err)
{
	if (err->code == HYP_E_BUSY)
		tui_status(t, ROLE_WARN, "Busy: the database stayed locked by "
		    "another writer; nothing %s. Try again.", what);
	else
		tui_status(t, ROLE_ERROR, "Not %s: %s", what, err->msg);
}

/*
 * Regenerate the record's tokens and signal its instance. rec (may be
 * NULL) receives the record as written. 0, or -1 with the status set.
 */
int
actions_regenerate(struct tui *t, const char *domain, struct hyp_record *rec)
{
	struct hyp_record r;
	struct hyp_error err;
	char	 words[512], until[HYP_TIME_TEXT];

	memset(&r, 0, sizeof r);
	hyp_error_clear(&err);
	if (store_regenerate(tui_store(t), domain, time_now(), &r, &err) != 0) {
		actions_failed(t, "regenerated", &err);
		return (-1);
	}
	actions_signal(r.control_socket, PROTO_REFRESH, domain, words,
	    sizeof words);
	time_format(r.prev_access_until, until);
	tui_status(t, ROLE_GOOD, "Regenerated; the old access token works "
	    "until %s UTC. %s", until + 11, words);
	if (rec != NULL)
		record_copy(rec, &r);
	record_clear(&r);
	return (0);
}

/* Delete the record and tell its instance to purge it. 0 or -1. */
int
actions_delete(struct tui *t, const char *domain)
{
	struct hyp_record r;
	struct hyp_error err;
	char	 words[512], sock[POLICY_SOCKET_MAX + 1];

	memset(&r, 0, sizeof r);
	hyp_error_clear(&err);
	sock[0] = '\0';
	if (store_load(tui_store(t), domain, 0, &r, &err) == 0)
		hyp_strlcpy(sock, r.control_socket, sizeof sock);
	record_clear(&r);
	if (store_delete(tui_store(t), domain, &err) != 0) {
		actions_failed(t, "deleted", &err);
		return (-1);
	}
	actions_signal(sock, PROTO_PURGE, domain, words, sizeof words);
	tui_status(t, ROLE_GOOD, "Deleted %s. %s", domain, words);
	return (0);
}
