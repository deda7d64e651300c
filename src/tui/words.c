/*
 * words.c: how the console says things (the states themselves come from
 * hyp-status.h, shared with the CLI): short spans of time, Access Until,
 * last transaction, masked tokens, a purpose in one line. Pure functions
 * of their arguments and the time given, so the words are tested as
 * such.
 *
 * Invariants: a masked token shows its 5-character type prefix and its
 * length, never a character of its random body; every state that needs
 * attention has a word, not only a colour.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "hyp-status.h"
#include "hyp-time.h"
#include "hyp-token.h"
#include "tui.h"

/* A span in its largest whole unit: "45s", "9m", "23h", "6d". */
char *
words_span(int64_t s, char *buf, size_t len)
{
	if (s < 0)
		s = -s;
	if (s < 60)
		snprintf(buf, len, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm", (long long)(s / 60));
	else if (s < 2 * 86400)
		snprintf(buf, len, "%lldh", (long long)(s / 3600));
	else
		snprintf(buf, len, "%lldd", (long long)(s / 86400));
	return (buf);
}

/* The list's Access Until: the time and what is left, or a warning. */
char *
words_access(int64_t until, int64_t now, char *buf, size_t len)
{
	char	 t[HYP_TIME_TEXT], span[32];

	words_span(until - now, span, sizeof span);
	switch (status_expiry(until, now)) {
	case EXPIRY_EXPIRED:
		if (until <= 0)
			snprintf(buf, len, "expired (never set)");
		else
			snprintf(buf, len, "expired %s ago", span);
		break;
	case EXPIRY_SOON:
		time_format(until, t);
		snprintf(buf, len, "expiring %.5s in %s", t + 11, span);
		break;
	default:
		time_format(until, t);
		snprintf(buf, len, "%.16s %s", t, span);
		break;
	}
	return (buf);
}

/* A past time, short: the clock today, the day this year, else the date. */
char *
words_last(int64_t when, int64_t now, char *buf, size_t len)
{
	char	 t[HYP_TIME_TEXT], n[HYP_TIME_TEXT];

	if (when <= 0) {
		snprintf(buf, len, "-");
		return (buf);
	}
	time_format(when, t);
	time_format(now, n);
	if (strncmp(t, n, 10) == 0)
		snprintf(buf, len, "%s", t + 11);
	else if (strncmp(t, n, 4) == 0)
		snprintf(buf, len, "%.11s", t + 5);
	else
		snprintf(buf, len, "%.10s", t);
	return (buf);
}

/* A token as its prefix, dots and length: "hypa_*********** (120)". */
char *
words_mask(const char *token, char *buf, size_t len)
{
	char	 dot[MB_LEN_MAX + 1];
	size_t	 k, off, i;
	mbstate_t ps;

	if (token == NULL || *token == '\0') {
		snprintf(buf, len, "(none)");
		return (buf);
	}
	memset(&ps, 0, sizeof ps);
	k = wcrtomb(dot, glyphs.dot != 0 ? glyphs.dot : L'*', &ps);
	if (k == (size_t)-1) {
		dot[0] = '*';
		k = 1;
	}
	off = (size_t)snprintf(buf, len, "%.*s", TOKEN_PREFIX_LEN, token);
	for (i = 0; i < 16 && off + k < len; i++) {
		memcpy(buf + off, dot, k);
		off += k;
	}
	buf[off < len ? off : len - 1] = '\0';
	if (off < len)
		snprintf(buf + off, len - off, " (%zu)", strlen(token));
	return (buf);
}

/* 1 when the purpose checks no bearer token (or is not catalogued). */
int
words_is_unsecured(const struct policy_catalog *cat, const char *purpose)
{
	const struct policy_purpose *p;

	if (cat != NULL && (p = policy_purpose_find(cat, purpose)) != NULL)
		return (!p->bearer_required);
	return (strstr(purpose, "unsecured") != NULL);
}

/* The purpose and what it means, in one line. */
char *
words_purpose(const struct policy_catalog *cat, const char *purpose,
    char *buf, size_t len)
{
	const struct policy_purpose *p = NULL;

	if (cat != NULL)
		p = policy_purpose_find(cat, purpose);
	if (p == NULL) {
		snprintf(buf, len, "%s: not in the purposes catalogue",
		    purpose);
		return (buf);
	}
	snprintf(buf, len, "%s: %s, %d posts/min, %d min sessions", purpose,
	    p->bearer_required ? "bearer required" :
	    "UNSECURED, no bearer token checked", p->posts_per_minute,
	    p->session_minutes);
	return (buf);
}
