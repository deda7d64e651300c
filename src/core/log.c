/*
 * log.c: the daemon's log. One line per event, to stderr in the
 * foreground or to syslog. Bytes outside printable ASCII are escaped
 * (\xNN) so that a value taken from a request cannot start a forged line
 * or drive the operator's terminal. Callers never pass secrets.
 */
#include "hyp-log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

static const char	*log_ident = "hyptokensd";
static int		 log_stderr = 1;
static enum log_level	 log_level = LOG_LEVEL_INFO;

void
log_init(const char *ident, int to_stderr, enum log_level level)
{
	log_ident = ident;
	log_stderr = to_stderr;
	log_level = level;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_set_level(enum log_level level)
{
	log_level = level;
}

enum log_level
log_get_level(void)
{
	return log_level;
}

/* Copy src into dst escaping everything that is not printable ASCII. */
static void
log_escape(char *dst, size_t size, const char *src)
{
	size_t		 o = 0;
	unsigned char	 c;

	for (; *src != '\0' && o + 5 < size; src++) {
		c = (unsigned char)*src;
		if (c >= 0x20 && c < 0x7f && c != '\\')
			dst[o++] = (char)c;
		else if (c == '\\') {
			dst[o++] = '\\';
			dst[o++] = '\\';
		} else
			o += (size_t)snprintf(dst + o, size - o, "\\x%02x", c);
	}
	dst[o] = '\0';
}

static void
log_vemit(int prio, const char *tag, const char *suffix, const char *fmt,
    va_list ap)
{
	char		 raw[1024], line[2048];
	char		 stamp[32];
	struct tm	 tm;
	time_t		 now;

	vsnprintf(raw, sizeof raw, fmt, ap);
	log_escape(line, sizeof line, raw);
	if (!log_stderr) {
		syslog(prio, "%s%s%s", line, suffix ? ": " : "",
		    suffix ? suffix : "");
		return;
	}
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s %s %s: %s%s%s\n", stamp, log_ident, tag, line,
	    suffix ? ": " : "", suffix ? suffix : "");
	fflush(stderr);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	if (log_level < LOG_LEVEL_WARN)
		return;
	va_start(ap, fmt);
	log_vemit(LOG_WARNING, "warning", strerror(saved), fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	if (log_level < LOG_LEVEL_WARN)
		return;
	va_start(ap, fmt);
	log_vemit(LOG_WARNING, "warning", NULL, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	if (log_level < LOG_LEVEL_INFO)
		return;
	va_start(ap, fmt);
	log_vemit(LOG_INFO, "info", NULL, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (log_level < LOG_LEVEL_DEBUG)
		return;
	va_start(ap, fmt);
	log_vemit(LOG_DEBUG, "debug", NULL, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_vemit(LOG_CRIT, "fatal", strerror(saved), fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vemit(LOG_CRIT, "fatal", NULL, fmt, ap);
	va_end(ap);
	exit(1);
}
