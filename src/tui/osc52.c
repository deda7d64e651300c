/*
 * osc52.c: copying to the clipboard of the admin's own terminal with the
 * OSC 52 escape, through tmux or GNU screen when the console runs inside
 * one. The console writes the sequence straight to the terminal after
 * curses has refreshed the screen, so curses never sees it.
 *
 * Framings:
 *   plain   ESC ] 52 ; c ; BASE64 BEL
 *   tmux    the plain form (taken by tmux itself with set-clipboard on),
 *           then the same inside tmux's pass-through DCS, every ESC of
 *           the inner sequence doubled (for allow-passthrough on):
 *           ESC P tmux ; ESC ESC ] 52 ; c ; BASE64 BEL ESC \
 *   screen  the plain form cut into pieces of at most 76 bytes, each in
 *           its own DCS (ESC P ... ESC \), which screen passes on; its
 *           string buffer is too small for a whole token.
 *
 * Invariants: a buffer holding the token's base64 is wiped before it is
 * released; delivery can never be confirmed, so the description always
 * says what the terminal must allow.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hyp-token.h"
#include "tui.h"

/* Which terminal multiplexer the console runs in, from TMUX and STY. */
enum osc52_mux
osc52_mux_detect(const char *tmux, const char *sty)
{
	if (tmux != NULL && *tmux != '\0')
		return (OSC52_TMUX);
	if (sty != NULL && *sty != '\0')
		return (OSC52_SCREEN);
	return (OSC52_PLAIN);
}

struct osc52_out {
	char		*p;
	size_t		 len;
	size_t		 cap;
	int		 full;
};

static void
out_add(struct osc52_out *o, const char *s, size_t n)
{
	if (o->full || o->len + n >= o->cap) {
		o->full = 1;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

static void
out_str(struct osc52_out *o, const char *s)
{
	out_add(o, s, strlen(s));
}

static void
frame_plain(struct osc52_out *o, const char *b64, size_t n)
{
	out_str(o, "\033]52;c;");
	out_add(o, b64, n);
	out_str(o, "\007");
}

static void
frame_tmux(struct osc52_out *o, const char *b64, size_t n)
{
	frame_plain(o, b64, n);
	out_str(o, "\033Ptmux;");
	out_str(o, "\033\033]52;c;");
	out_add(o, b64, n);
	out_str(o, "\007");
	out_str(o, "\033\\");
}

static void
frame_screen(struct osc52_out *o, const char *b64, size_t n)
{
	char	 inner[OSC52_MAX];
	struct osc52_out in = { inner, 0, sizeof inner, 0 };
	size_t	 off, k;

	frame_plain(&in, b64, n);
	if (in.full) {
		o->full = 1;
		goto out;
	}
	for (off = 0; off < in.len; off += k) {
		k = in.len - off;
		if (k > OSC52_SCREEN_CHUNK)
			k = OSC52_SCREEN_CHUNK;
		out_str(o, "\033P");
		out_add(o, inner + off, k);
		out_str(o, "\033\\");
	}
out:
	token_wipe(inner, sizeof inner);
}

/*
 * Frame base64 text for the multiplexer into out. Returns the bytes
 * written, or -1 when out is too small (out is then wiped).
 */
ssize_t
osc52_frame(enum osc52_mux mux, const char *b64, size_t n, char *out,
    size_t outlen)
{
	struct osc52_out o = { out, 0, outlen, 0 };

	switch (mux) {
	case OSC52_TMUX:
		frame_tmux(&o, b64, n);
		break;
	case OSC52_SCREEN:
		frame_screen(&o, b64, n);
		break;
	default:
		frame_plain(&o, b64, n);
		break;
	}
	if (o.full) {
		token_wipe(out, outlen);
		return (-1);
	}
	out[o.len] = '\0';
	return ((ssize_t)o.len);
}

/* Encode data in base64 and frame it; see osc52_frame. */
ssize_t
osc52_build(enum osc52_mux mux, const char *data, size_t len, char *out,
    size_t outlen)
{
	char	 b64[OSC52_MAX];
	ssize_t	 n = -1;

	if (token_base64(data, len, b64, sizeof b64) != 0)
		goto out;
	n = osc52_frame(mux, b64, strlen(b64), out, outlen);
out:
	token_wipe(b64, sizeof b64);
	return (n);
}

/* Write all of buf to fd. 0, or -1 with errno. */
int
osc52_write(int fd, const char *buf, size_t n)
{
	ssize_t	 k;

	while (n > 0) {
		k = write(fd, buf, n);
		if (k < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (k <= 0)
			return (-1);
		buf += k;
		n -= (size_t)k;
	}
	return (0);
}

/* Say what was sent through what, and what the terminal must allow. */
void
osc52_describe(enum osc52_mux mux, size_t sent, char *buf, size_t len)
{
	switch (mux) {
	case OSC52_TMUX:
		snprintf(buf, len, "sent %zu bytes, OSC 52 direct and via tmux "
		    "pass-through. Arrives only with tmux set-clipboard on or "
		    "allow-passthrough on.", sent);
		break;
	case OSC52_SCREEN:
		snprintf(buf, len, "sent %zu bytes, OSC 52 via GNU screen "
		    "pass-through. Arrives only if the terminal outside screen "
		    "allows OSC 52.", sent);
		break;
	default:
		snprintf(buf, len, "sent %zu bytes as OSC 52. Arrives only if "
		    "the terminal allows OSC 52 clipboard writes.", sent);
		break;
	}
}
