/* hyp-util.h: allocation wrappers and the error carrier of the core. */
#ifndef HYP_UTIL_H
#define HYP_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Error categories. Core functions return 0 or -1 (or a count) and fill a
 * caller-supplied struct hyp_error; they never print and never exit.
 * The messages are written for the admin: they name what was wrong and
 * what is allowed, and never contain a token or key.
 */
enum hyp_errcode {
	HYP_OK = 0,
	HYP_E_INVALID,		/* a value was refused by validation */
	HYP_E_CONFIG,		/* configuration file unreadable or wrong */
	HYP_E_NOTFOUND,		/* no such record */
	HYP_E_EXISTS,		/* unique constraint: domain held by another */
	HYP_E_CONFLICT,		/* field changed by someone else since load */
	HYP_E_BUSY,		/* database locked past the busy timeout */
	HYP_E_KEY,		/* key file missing, wrong or unusable */
	HYP_E_FULL,		/* disk full */
	HYP_E_IO,		/* any other storage or system failure */
	HYP_E_UNREACHABLE,	/* control socket: nobody answered */
	HYP_E_REFUSED,		/* token refused (unknown, expired, replayed) */
};

#define HYP_ERROR_MAX 512

struct hyp_error {
	enum hyp_errcode code;
	char		 msg[HYP_ERROR_MAX];
};

/* Set code and message (printf format); returns -1 for tail calls. */
int	 hyp_error_set(struct hyp_error *, enum hyp_errcode, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* Reset to HYP_OK and an empty message. NULL is accepted. */
void	 hyp_error_clear(struct hyp_error *);

/* Allocation: these never return NULL; they abort on exhaustion. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* strlcpy semantics: returns strlen(src); dst always terminated. */
size_t	 hyp_strlcpy(char *, const char *, size_t);

/*
 * Strict base-10 integer: optional '-', digits only, no leading zeros
 * (except "0" itself), no spaces, no '+', no trailing junk, within
 * [min, max]. Returns 0 and stores the value, or -1.
 */
int	 hyp_parse_int(const char *, long long min, long long max,
	    long long *);

/*
 * hyp_parse_int, saying what is wrong, so that every message names the
 * same problem: HYP_INT_SYNTAX when the text is no whole number in that
 * form, HYP_INT_RANGE when it is one outside [min, max], however many
 * digits it has. *out is stored only with HYP_INT_OK.
 */
enum hyp_int_problem {
	HYP_INT_OK,
	HYP_INT_SYNTAX,
	HYP_INT_RANGE,
};
enum hyp_int_problem hyp_check_int(const char *, long long min,
	    long long max, long long *);

/* Resolve path relative to the folder of base (a file path). Caller frees. */
char	*hyp_path_relative(const char *base, const char *path);

#endif
