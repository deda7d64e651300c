/*
 * hyp-log.h: the daemon's log, after OpenBSD's log.c. To stderr in the
 * foreground, to syslog when asked. Never pass a token or key: log ids
 * and fingerprints. Lines are escaped so a hostile value cannot forge
 * another line.
 */
#ifndef HYP_LOG_H
#define HYP_LOG_H

#include <stdarg.h>

#include "hyp-config.h"

void	 log_init(const char *ident, int to_stderr, enum log_level);
void	 log_set_level(enum log_level);
enum log_level log_get_level(void);

void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	 fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
