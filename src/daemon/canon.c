/*
 * canon.c: what a request names, in one spelling.
 *
 * The function a request calls is taken from its canonical path, so that
 * every spelling of a blocked name maps onto that name: the query is cut
 * first (an encoded '?' stays part of the path), the rest is
 * percent-decoded exactly once, ";params" are dropped from every segment
 * and empty segments vanish.
 *
 * nginx hands over the raw URI, and the Web-App behind it may read dot
 * segments, backslashes or a '#' otherwise than this file would: so
 * whatever could make two layers disagree on the path is refused rather
 * than guessed. That is a ".." segment anywhere (raw, encoded or before
 * ";params"), a "." segment after the API prefix, a backslash, a '#'
 * (raw or encoded), an encoded '/' or NUL, an escape of '.', '/', '\'
 * or '%' left over after one decoding (a second decoding layer would
 * read it as structure), a control byte and a bad escape. "." segments
 * before the prefix are dropped. Pure functions, no locks, no
 * allocation.
 */
#include "hyptokensd.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "hyp-token.h"

#define CANON_PATH_MAX	4096

static int
canon_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode src[0..len) once into dst (at least len + 1 bytes). */
static int
canon_decode(const char *src, size_t len, char *dst, const char **why)
{
	size_t		 i, o = 0;
	int		 hi, lo;
	unsigned char	 c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)src[i];
		if (c == '%') {
			if (i + 2 >= len) {
				*why = "truncated percent-escape in path";
				return -1;
			}
			hi = canon_hex((unsigned char)src[i + 1]);
			lo = canon_hex((unsigned char)src[i + 2]);
			if (hi < 0 || lo < 0) {
				*why = "bad percent-escape in path";
				return -1;
			}
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
			if (c == '/') {
				*why = "encoded slash in path";
				return -1;
			}
			if (c == '\0') {
				*why = "encoded NUL in path";
				return -1;
			}
		}
		if (c < 0x20 || c == 0x7f) {
			*why = "control character in path";
			return -1;
		}
		dst[o++] = (char)c;
	}
	dst[o] = '\0';
	return 0;
}

/*
 * Characters of a decoded path that another layer may read as structure:
 * a backslash (a separator to some servers), a '#' (a fragment), and an
 * escape of '.', '/', '\' or '%' that a second decoding would turn into
 * one.
 */
static int
canon_check_decoded(const char *dec, const char **why)
{
	const char	*p;
	int		 v;

	if (strchr(dec, '\\') != NULL) {
		*why = "backslash in path";
		return -1;
	}
	if (strchr(dec, '#') != NULL) {
		*why = "'#' in path";
		return -1;
	}
	for (p = strchr(dec, '%'); p != NULL; p = strchr(p + 1, '%')) {
		if (canon_hex((unsigned char)p[1]) < 0 ||
		    canon_hex((unsigned char)p[2]) < 0)
			continue;
		v = canon_hex((unsigned char)p[1]) << 4 |
		    canon_hex((unsigned char)p[2]);
		if (v == '.' || v == '/' || v == '\\' || v == '%') {
			*why = "doubly encoded '.', '/', '%' or backslash";
			return -1;
		}
	}
	return 0;
}

/*
 * The canonical path of uri into out. A "." segment is dropped while
 * fewer than dot_from segments are out, and refused after that.
 */
static int
canon_build(const char *uri, char *out, size_t outlen, size_t dot_from,
    const char **why)
{
	char		 dec[CANON_PATH_MAX];
	const char	*seg, *next;
	size_t		 len, slen, o = 0, nseg = 0;

	if (uri == NULL || uri[0] != '/') {
		*why = "path does not start with '/'";
		return -1;
	}
	if (strchr(uri, '#') != NULL) {
		*why = "'#' in the request";
		return -1;
	}
	len = strcspn(uri, "?");
	if (len >= sizeof dec) {
		*why = "path too long";
		return -1;
	}
	if (canon_decode(uri, len, dec, why) == -1 ||
	    canon_check_decoded(dec, why) == -1)
		return -1;

	out[0] = '\0';
	for (seg = dec; *seg != '\0'; seg = next) {
		while (*seg == '/')
			seg++;
		next = seg + strcspn(seg, "/");
		slen = strcspn(seg, ";/");
		if (slen == 2 && seg[0] == '.' && seg[1] == '.') {
			*why = "'..' segment in path";
			return -1;
		}
		if (slen == 1 && seg[0] == '.' && nseg >= dot_from) {
			*why = "'.' segment in the path of a function";
			return -1;
		}
		if (slen == 0 || (slen == 1 && seg[0] == '.'))
			continue;
		if (o + 1 + slen + 1 > outlen) {
			*why = "path too long";
			return -1;
		}
		out[o++] = '/';
		memcpy(out + o, seg, slen);
		o += slen;
		out[o] = '\0';
		nseg++;
	}
	if (o == 0) {
		if (outlen < 2) {
			*why = "path too long";
			return -1;
		}
		out[0] = '/';
		out[1] = '\0';
	}
	return 0;
}

int
canon_path(const char *uri, char *out, size_t outlen, const char **why)
{
	return canon_build(uri, out, outlen, SIZE_MAX, why);
}

/* Next segment of a canonical path or prefix: its start and length. */
static const char *
canon_segment(const char *p, size_t *len)
{
	while (*p == '/')
		p++;
	*len = strcspn(p, "/");
	return *len == 0 ? NULL : p;
}

int
canon_function(const char *uri, const char *prefix, char *fn, size_t fnlen,
    const char **why)
{
	char		 path[CANON_PATH_MAX];
	const char	*ps, *qs, *pp, *qp;
	size_t		 plen, qlen, i, nprefix = 0;

	for (qp = prefix; (qs = canon_segment(qp, &qlen)) != NULL;
	    qp = qs + qlen)
		nprefix++;
	if (canon_build(uri, path, sizeof path, nprefix, why) == -1)
		return -1;
	pp = path;
	qp = prefix;
	while ((qs = canon_segment(qp, &qlen)) != NULL) {
		ps = canon_segment(pp, &plen);
		if (ps == NULL || plen != qlen ||
		    strncasecmp(ps, qs, qlen) != 0) {
			*why = "path outside the API prefix";
			return -1;
		}
		pp = ps + plen;
		qp = qs + qlen;
	}
	if ((ps = canon_segment(pp, &plen)) == NULL) {
		*why = "path names no function";
		return -1;
	}
	if (plen >= fnlen) {
		*why = "function name too long";
		return -1;
	}
	for (i = 0; i < plen; i++)
		fn[i] = (char)tolower((unsigned char)ps[i]);
	fn[plen] = '\0';
	return 0;
}

/* RFC 6750 b64token characters, without locale or string scans. */
static int
canon_is_token68(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~' || c == '+' || c == '/';
}

int
canon_bearer(const char *hdr, const char **tok, size_t *len)
{
	const char	*p, *start;

	if (hdr == NULL || strncasecmp(hdr, "Bearer", 6) != 0 ||
	    (hdr[6] != ' ' && hdr[6] != '\t'))
		return -1;
	p = hdr + 6;
	while (*p == ' ' || *p == '\t')
		p++;
	start = p;
	while (*p != '\0' && canon_is_token68((unsigned char)*p))
		p++;
	while (*p == '=')
		p++;
	if (p == start)
		return -1;
	*tok = start;
	*len = (size_t)(p - start);
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == '\0' ? 0 : -1;
}

int
canon_tenant_is_valid(const char *id)
{
	size_t	 i;

	for (i = 0; id[i] != '\0'; i++) {
		if (i >= DAEMON_TENANT_ID_MAX ||
		    (unsigned char)id[i] <= 0x20 ||
		    (unsigned char)id[i] >= 0x7f)
			return 0;
	}
	return i > 0;
}

const char *
canon_loggable(const char *s, char *buf, size_t len)
{
	size_t	 n = strlen(s);

	if (strcasestr(s, TOKEN_ACCESS_PREFIX) != NULL ||
	    strcasestr(s, TOKEN_REFRESH_PREFIX) != NULL)
		snprintf(buf, len, "(token-like name, %zu bytes)", n);
	else if (n > CANON_LOG_NAME_MAX)
		snprintf(buf, len, "%.*s... (%zu bytes)", CANON_LOG_NAME_MAX,
		    s, n);
	else
		hyp_strlcpy(buf, s, len);
	return buf;
}

/* The methods of RFC 9110 and PATCH, as sent: anything else is "other". */
const char *
canon_method_name(const char *m)
{
	static const char *const known[] = {
		"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
		"TRACE", "PATCH",
	};
	size_t	 i;

	if (m == NULL)
		return "-";
	for (i = 0; i < sizeof known / sizeof known[0]; i++) {
		if (strcmp(m, known[i]) == 0)
			return known[i];
	}
	return "other";
}
