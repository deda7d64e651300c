/*
 * util.c: allocation wrappers that never return NULL, the error carrier,
 * strict integer parsing and path helpers shared by every module.
 */
#include "hyp-util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyp-token.h"

int
hyp_error_set(struct hyp_error *err, enum hyp_errcode code,
    const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	/* A token given where a name or a value was expected: not shown. */
	token_hide(err->msg, sizeof err->msg);
	return -1;
}

void
hyp_error_clear(struct hyp_error *err)
{
	if (err == NULL)
		return;
	err->code = HYP_OK;
	err->msg[0] = '\0';
}

static void
xfail(size_t n)
{
	fprintf(stderr, "hyptokens: out of memory (%zu bytes)\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		xfail(n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if ((p = calloc(nmemb == 0 ? 1 : nmemb, size == 0 ? 1 : size)) == NULL)
		xfail(nmemb * size);
	return p;
}

void *
xrealloc(void *old, size_t n)
{
	void	*p;

	if ((p = realloc(old, n == 0 ? 1 : n)) == NULL)
		xfail(n);
	return p;
}

char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		xfail(strlen(s));
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	if ((p = strndup(s, n)) == NULL)
		xfail(n);
	return p;
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(ret, fmt, ap);
	va_end(ap);
	if (n < 0)
		xfail(0);
	return n;
}

size_t
hyp_strlcpy(char *dst, const char *src, size_t size)
{
	size_t	 len = strlen(src);

	if (size > 0) {
		size_t	 n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

int
hyp_parse_int(const char *s, long long min, long long max, long long *out)
{
	return hyp_check_int(s, min, max, out) == HYP_INT_OK ? 0 : -1;
}

enum hyp_int_problem
hyp_check_int(const char *s, long long min, long long max, long long *out)
{
	const char	*p = s;
	long long	 v;

	if (s == NULL || *s == '\0')
		return HYP_INT_SYNTAX;
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return HYP_INT_SYNTAX;	/* no '+', no spaces, no empty digits */
	if (p[0] == '0' && p[1] != '\0')
		return HYP_INT_SYNTAX;	/* 010: octal to some readers */
	if (s[0] == '-' && p[0] == '0')
		return HYP_INT_SYNTAX;	/* "-0" */
	if (p[strspn(p, "0123456789")] != '\0')
		return HYP_INT_SYNTAX;
	/* Too many digits for a long long is a number out of range too. */
	errno = 0;
	v = strtoll(s, NULL, 10);
	if (errno != 0 || v < min || v > max)
		return HYP_INT_RANGE;
	*out = v;
	return HYP_INT_OK;
}

char *
hyp_path_relative(const char *base, const char *path)
{
	const char	*slash;
	char		*out;

	if (path[0] == '/' || (slash = strrchr(base, '/')) == NULL)
		return xstrdup(path);
	xasprintf(&out, "%.*s/%s", (int)(slash - base), base, path);
	return out;
}
