/*
 * fuzz-header.c: what the daemon takes from request headers, through
 * its pure functions: the bearer credential (canon_bearer), the client
 * address behind a trusted proxy (auth_client, auth_is_trusted), the
 * tenant id check and the log form of a name (canon_loggable).
 *
 * Input: a flags byte, four bytes of TCP peer address, then the header
 * value. Models written here predict each outcome. Properties besides:
 * an accepted credential lies inside the header, holds only token68
 * characters and reads back alike from "Bearer <credential>"; a peer
 * that is not a trusted proxy is the client whatever X-Real-IP says
 * (cases 12, 18); a token-like or long name is logged as its length,
 * never as its text.
 *
 * Not covered: which header value reaches these functions (a header
 * sent twice, header names) is decided in http_headers(), a static
 * function of http.c that works on libevent's header list.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "../../src/daemon/hyptokensd.h"
#include "hyp-token.h"

static struct hyp_config fuzz_cfg;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_cfg.ntrusted_proxies = 2;
	ipv4_parse("127.0.0.1", &fuzz_cfg.trusted_proxies[0].addr);
	fuzz_cfg.trusted_proxies[0].prefix = 32;
	ipv4_parse("10.0.0.0", &fuzz_cfg.trusted_proxies[1].addr);
	fuzz_cfg.trusted_proxies[1].prefix = 8;
	return 0;
}

static int
model_is_token68(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("-._~+/", c) !=
	    NULL);
}

/*
 * "Bearer" in any case, blanks, token68 characters then '=' padding,
 * blanks. As in the daemon, padding alone counts as a credential
 * (RFC 7235 wants one character before it; either way it is refused
 * later as malformed).
 */
static int
model_bearer(const char *h, size_t *off, size_t *len)
{
	const char	*p, *start;

	if (strncasecmp(h, "bearer", 6) != 0 || (h[6] != ' ' && h[6] != '\t'))
		return -1;
	for (p = h + 7; *p == ' ' || *p == '\t'; p++)
		;
	start = p;
	while (model_is_token68((unsigned char)*p))
		p++;
	while (*p == '=')
		p++;
	if (p == start)
		return -1;
	*off = (size_t)(start - h);
	*len = (size_t)(p - start);
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == '\0' ? 0 : -1;
}

static void
fuzz_check_bearer(const char *h)
{
	const char	*tok = NULL, *tok2 = NULL;
	char		*again, show[128];
	size_t		 len = 0, len2 = 0, off = 0, mlen = 0, i;
	int		 rc, want;

	fuzz_show(h, show, sizeof show);
	rc = canon_bearer(h, &tok, &len);
	want = model_bearer(h, &off, &mlen);
	FUZZ_ASSERT(rc == want, "canon_bearer('%s') = %d, model %d", show,
	    rc, want);
	if (rc == -1)
		return;
	FUZZ_ASSERT(tok == h + off && len == mlen, "credential of '%s' at "
	    "another place", show);
	for (i = 0; i < len; i++)
		FUZZ_ASSERT(model_is_token68((unsigned char)tok[i]) ||
		    tok[i] == '=', "credential byte 0x%02x", tok[i]);
	xasprintf(&again, "Bearer %.*s", (int)len, tok);
	FUZZ_ASSERT(canon_bearer(again, &tok2, &len2) == 0 && len2 == len &&
	    memcmp(tok2, tok, len) == 0, "credential does not read back");
	free(again);
}

static void
fuzz_check_client(unsigned int flags, unsigned int peer, const char *h)
{
	struct auth_input in;
	unsigned int	 client = 0, want = 0;
	int		 trusted, rc, expect;
	char		 show[128];

	fuzz_show(h, show, sizeof show);
	trusted = peer == 0x7f000001U || peer >> 24 == 10;
	FUZZ_ASSERT(auth_is_trusted(&fuzz_cfg, peer) == trusted,
	    "auth_is_trusted(%08x) = %d", peer, !trusted);
	memset(&in, 0, sizeof in);
	in.peer = peer;
	in.peer_is_ipv4 = flags & 1;
	in.real_ip = flags & 2 ? h : NULL;
	rc = auth_client(&fuzz_cfg, &in, &client);

	if (!in.peer_is_ipv4)
		expect = -1;
	else if (in.real_ip != NULL && trusted)
		expect = ipv4_parse_client(h, &want);
	else {
		expect = 0;
		want = peer;
	}
	FUZZ_ASSERT(rc == expect, "auth_client(peer %08x%s, '%s') = %d, "
	    "model %d", peer, trusted ? " trusted" : "", show, rc, expect);
	FUZZ_ASSERT(rc == -1 || client == want, "client %08x, model %08x",
	    client, want);
	FUZZ_ASSERT(trusted || !in.peer_is_ipv4 || client == peer,
	    "an untrusted peer's X-Real-IP was believed");
}

static void
fuzz_check_tenant(const char *h)
{
	size_t	 len = strlen(h), i;
	int	 want = len >= 1 && len <= DAEMON_TENANT_ID_MAX;

	for (i = 0; i < len; i++) {
		if ((unsigned char)h[i] <= 0x20 || (unsigned char)h[i] >= 0x7f)
			want = 0;
	}
	FUZZ_ASSERT(canon_tenant_is_valid(h) == want, "tenant id of %zu "
	    "bytes: %d, model %d", len, !want, want);
}

/*
 * A name holding a token prefix anywhere, in any case, is logged as its
 * length alone; a longer one than CANON_LOG_NAME_MAX by that many bytes
 * and its length. Either way no token prefix reaches the line.
 */
static void
fuzz_check_loggable(const char *h)
{
	char		 buf[96], small[8], want[96];
	size_t		 len = strlen(h);

	if (strcasestr(h, TOKEN_ACCESS_PREFIX) != NULL ||
	    strcasestr(h, TOKEN_REFRESH_PREFIX) != NULL)
		snprintf(want, sizeof want, "(token-like name, %zu bytes)",
		    len);
	else if (len > CANON_LOG_NAME_MAX)
		snprintf(want, sizeof want, "%.*s... (%zu bytes)",
		    CANON_LOG_NAME_MAX, h, len);
	else
		hyp_strlcpy(want, h, sizeof want);
	canon_loggable(h, buf, sizeof buf);
	FUZZ_ASSERT(strcmp(buf, want) == 0, "log form of a name of %zu bytes "
	    "is not the model's", len);
	FUZZ_ASSERT(strcasestr(buf, TOKEN_ACCESS_PREFIX) == NULL &&
	    strcasestr(buf, TOKEN_REFRESH_PREFIX) == NULL, "log form of a "
	    "name of %zu bytes holds a token prefix", len);
	canon_loggable(h, small, sizeof small);
	FUZZ_ASSERT(strlen(small) < sizeof small, "log form overflows a "
	    "small buffer");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		 head[5] = { 0, 0, 0, 0, 0 };
	unsigned int	 peer;
	char		*h;

	memcpy(head, data, size < sizeof head ? size : sizeof head);
	peer = (unsigned int)head[1] << 24 | (unsigned int)head[2] << 16 |
	    (unsigned int)head[3] << 8 | head[4];
	h = size > sizeof head ? fuzz_string(data + sizeof head,
	    size - sizeof head) : xstrdup("");
	fuzz_check_bearer(h);
	fuzz_check_client(head[0], peer, h);
	fuzz_check_tenant(h);
	fuzz_check_loggable(h);
	free(h);
	return 0;
}
