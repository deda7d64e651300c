/*
 * status.c: display states of a record. A daemon counts as up while its
 * last keep-alive is at most two intervals old, so that one late write
 * does not flap the state; an access token is "expiring" within a day.
 */
#include "hyp-status.h"

enum alive_state
status_alive(int64_t keep_alive, int64_t now, int interval)
{
	if (keep_alive <= 0)
		return ALIVE_NEVER;
	if (now - keep_alive <= 2 * (int64_t)interval)
		return ALIVE_UP;
	return ALIVE_STALE;
}

const char *
status_alive_name(enum alive_state s)
{
	switch (s) {
	case ALIVE_UP:
		return "up";
	case ALIVE_STALE:
		return "stale";
	case ALIVE_NEVER:
		break;
	}
	return "never";
}

enum expiry_state
status_expiry(int64_t access_until, int64_t now)
{
	if (now >= access_until)
		return EXPIRY_EXPIRED;
	if (access_until - now <= STATUS_SOON_SECONDS)
		return EXPIRY_SOON;
	return EXPIRY_OK;
}

const char *
status_expiry_name(enum expiry_state s)
{
	switch (s) {
	case EXPIRY_SOON:
		return "expiring";
	case EXPIRY_EXPIRED:
		return "expired";
	case EXPIRY_OK:
		break;
	}
	return "ok";
}
