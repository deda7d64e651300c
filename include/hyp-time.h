/* hyp-time.h: UTC time parsing and formatting (SPEC section 9). */
#ifndef HYP_TIME_H
#define HYP_TIME_H

#include <stdint.h>
#include <stddef.h>

#include "hyp-util.h"

/* "YYYY-MM-DD HH:MM:SS" plus the terminating NUL. */
#define HYP_TIME_TEXT 20

/*
 * Parse a UTC time. Accepted: "YYYY-MM-DD HH:MM:SS", ISO 8601
 * "YYYY-MM-DDTHH:MM:SSZ", and relative "+N" followed by s, m, h or d
 * (seconds, minutes, hours, days from now). Years 1970..9999. Never
 * depends on TZ. Returns 0 and stores seconds since the epoch, or -1
 * with HYP_E_INVALID and a message naming the accepted forms.
 */
int	 time_parse(const char *, int64_t now, int64_t *, struct hyp_error *);

/* Format as "YYYY-MM-DD HH:MM:SS" into buf (HYP_TIME_TEXT bytes). */
char	*time_format(int64_t, char *);

/*
 * Short human distance, e.g. "in 23 h 59 min", "2 h ago", "19 s ago",
 * written into buf of len bytes. Returns buf.
 */
char	*time_format_relative(int64_t when, int64_t now, char *, size_t);

/* Current time: the real clock, or the one set by time_set_clock(). */
int64_t	 time_now(void);
/* Tests inject a clock; NULL restores the real one. */
void	 time_set_clock(int64_t (*)(void));

#endif
