/*
 * fuzz.c: helpers shared by the fuzz targets: failing loudly, turning
 * bytes into a string, a private temporary folder and escaping values
 * for a failure line.
 */
#include "fuzz.h"

#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyp-util.h"

static char	*fuzz_dir;

/* Print the violated property on one line and abort. */
void
fuzz_fail(const char *fmt, ...)
{
	va_list	 ap;

	fputs("fuzz: property violated: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* The input up to its first NUL, terminated. */
char *
fuzz_string(const uint8_t *data, size_t size)
{
	const uint8_t	*nul = memchr(data, '\0', size);

	if (nul != NULL)
		size = (size_t)(nul - data);
	return xstrndup((const char *)data, size);
}

static int
fuzz_rm_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	remove(path);
	return 0;
}

static void
fuzz_rm_dir(void)
{
	if (fuzz_dir == NULL)
		return;
	nftw(fuzz_dir, fuzz_rm_one, 8, FTW_DEPTH | FTW_PHYS);
	free(fuzz_dir);
	fuzz_dir = NULL;
}

/* Make the process's private folder once. */
const char *
fuzz_tmpdir(void)
{
	const char	*base;

	if (fuzz_dir != NULL)
		return fuzz_dir;
	if ((base = getenv("FUZZ_TMPDIR")) == NULL || *base == '\0')
		base = getenv("TMPDIR");
	if (base == NULL || *base == '\0')
		base = "/tmp";
	xasprintf(&fuzz_dir, "%s/hyp-fuzz.XXXXXX", base);
	if (mkdtemp(fuzz_dir) == NULL)
		fuzz_fail("cannot make a folder under %s: %s", base,
		    strerror(errno));
	atexit(fuzz_rm_dir);
	return fuzz_dir;
}

/* Escape what a terminal should not see. */
const char *
fuzz_show(const char *s, char *buf, size_t len)
{
	size_t		 o = 0;
	unsigned char	 c;

	if (len == 0)
		return buf;
	for (; *s != '\0' && o + 5 < len; s++) {
		c = (unsigned char)*s;
		if (c < 0x20 || c > 0x7e)
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

int
fuzz_has_control(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	}
	return 0;
}

const char *
fuzz_share_dir(void)
{
	const char	*dir = getenv("FUZZ_SHARE");

	return dir != NULL && *dir != '\0' ? dir : "share";
}
