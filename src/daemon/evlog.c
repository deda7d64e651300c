/*
 * evlog.c: libevent's own messages, through the daemon's log.
 *
 * libevent prints its warnings to stderr by itself unless told
 * otherwise, past the log module, its escaping and its levels. Here they
 * become log lines of ours, prefixed "libevent:", and are rate-limited:
 * a message identical to the last one logged is counted, not logged,
 * for EVLOG_REPEAT_SECONDS, and at most EVLOG_PER_SECOND lines a second
 * get through at all. What was held back is said in one line before the
 * next message that gets through. The callback may run on any thread:
 * one lock guards the limiter. It must not call libevent.
 */
#include "hyptokensd.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "hyp-log.h"
#include "hyp-time.h"

static pthread_mutex_t	 evlog_lock = PTHREAD_MUTEX_INITIALIZER;
static struct evlog_limit evlog_state;

/* Whether msg at now is logged; *note (may be "") goes first. */
int
evlog_filter(struct evlog_limit *l, const char *msg, int64_t now,
    char *note, size_t len)
{
	note[0] = '\0';
	if (l->last_at != 0 && strcmp(msg, l->last) == 0 &&
	    now - l->last_at < EVLOG_REPEAT_SECONDS) {
		l->repeats++;
		return 0;
	}
	if (now != l->second) {
		l->second = now;
		l->count = 0;
	}
	if (l->count >= EVLOG_PER_SECOND) {
		l->dropped++;
		return 0;
	}
	if (l->repeats > 0 || l->dropped > 0)
		snprintf(note, len, "libevent: %u repeats of the last message "
		    "and %u other messages not logged", l->repeats,
		    l->dropped);
	l->repeats = 0;
	l->dropped = 0;
	hyp_strlcpy(l->last, msg, sizeof l->last);
	l->last_at = now;
	l->count++;
	return 1;
}

static void
evlog_callback(int severity, const char *msg)
{
	char	 note[128];
	int	 pass;

	pthread_mutex_lock(&evlog_lock);
	pass = evlog_filter(&evlog_state, msg, time_now(), note,
	    sizeof note);
	pthread_mutex_unlock(&evlog_lock);
	if (!pass)
		return;
	if (note[0] != '\0')
		log_warnx("%s", note);
	switch (severity) {
	case EVENT_LOG_DEBUG:
		log_debug("libevent: %s", msg);
		break;
	case EVENT_LOG_MSG:
		log_info("libevent: %s", msg);
		break;
	default:
		log_warnx("libevent: %s", msg);
		break;
	}
}

/* Send libevent's messages to the log; before any other libevent call. */
void
evlog_init(void)
{
	event_set_log_callback(evlog_callback);
}
