/*
 * hyp-status.h: states of a record derived for display, shared by the
 * console and the CLI so that both say the same word for the same thing.
 */
#ifndef HYP_STATUS_H
#define HYP_STATUS_H

#include <stdint.h>

enum alive_state {
	ALIVE_NEVER,		/* no keep-alive ever written */
	ALIVE_UP,		/* written within two intervals */
	ALIVE_STALE,		/* older than that */
};

enum expiry_state {
	EXPIRY_OK,
	EXPIRY_SOON,		/* within STATUS_SOON_SECONDS */
	EXPIRY_EXPIRED,		/* now >= Access Until */
};

#define STATUS_SOON_SECONDS	(15 * 60)

/* interval: the keep-alive interval in seconds (the INI's). */
enum alive_state status_alive(int64_t keep_alive, int64_t now, int interval);
const char	*status_alive_name(enum alive_state);

enum expiry_state status_expiry(int64_t access_until, int64_t now);
const char	*status_expiry_name(enum expiry_state);

#endif
