/*
 * test-tui-osc52.c: the console's clipboard write: OSC 52 framing plain,
 * through tmux (pass-through with doubled escapes) and through GNU screen
 * (pieces that fit its string limit), and what the status line says.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include "hyp-token.h"
#include "tui.h"

#define ESC "\033"

Test(osc52, plain_framing_is_esc_bracket_52_c_base64_bel)
{
	char	 out[128];
	ssize_t	 n;

	n = osc52_frame(OSC52_PLAIN, "Zm9vYmFy", 8, out, sizeof out);
	cr_assert_eq(n, (ssize_t)strlen(ESC "]52;c;Zm9vYmFy\a"));
	cr_assert_str_eq(out, ESC "]52;c;Zm9vYmFy\a");
}

Test(osc52, tmux_sends_the_plain_form_then_the_dcs_with_escapes_doubled)
{
	char	 out[256];
	ssize_t	 n;

	n = osc52_frame(OSC52_TMUX, "Zm9v", 4, out, sizeof out);
	cr_assert_str_eq(out, ESC "]52;c;Zm9v\a"
	    ESC "Ptmux;" ESC ESC "]52;c;Zm9v\a" ESC "\\");
	cr_assert_eq(n, (ssize_t)strlen(out));
}

Test(osc52, every_escape_inside_the_tmux_dcs_is_doubled)
{
	char	 out[OSC52_MAX], b64[OSC52_MAX];
	const char *body, *end;
	size_t	 i;

	memset(b64, 'A', 268);
	b64[268] = '\0';
	cr_assert_gt(osc52_frame(OSC52_TMUX, b64, 268, out, sizeof out), 0);
	body = strstr(out, ESC "Ptmux;");
	cr_assert_not_null(body);
	body += strlen(ESC "Ptmux;");
	end = out + strlen(out) - 2;
	cr_assert_str_eq(end, ESC "\\", "the DCS ends with ST");
	for (i = 0; body + i < end; i++) {
		if (body[i] != '\033')
			continue;
		cr_assert_eq(body[i + 1], '\033', "lone ESC at %zu", i);
		i++;
	}
}

Test(osc52, screen_cuts_the_sequence_into_dcs_pieces_of_76_bytes_at_most)
{
	char	 out[OSC52_MAX], b64[300], joined[OSC52_MAX], want[400];
	const char *p, *stop;
	size_t	 jl = 0, k;
	int	 pieces = 0;

	memset(b64, 'Q', 268);
	b64[268] = '\0';
	cr_assert_gt(osc52_frame(OSC52_SCREEN, b64, 268, out, sizeof out), 0);
	for (p = out; *p != '\0'; p = stop + 2) {
		cr_assert_eq(strncmp(p, ESC "P", 2), 0, "piece %d opens",
		    pieces);
		p += 2;
		stop = strstr(p, ESC "\\");
		cr_assert_not_null(stop, "piece %d is closed", pieces);
		k = (size_t)(stop - p);
		cr_assert_leq(k, OSC52_SCREEN_CHUNK);
		memcpy(joined + jl, p, k);
		jl += k;
		pieces++;
	}
	joined[jl] = '\0';
	snprintf(want, sizeof want, ESC "]52;c;%s\a", b64);
	cr_assert_str_eq(joined, want, "the pieces make the plain sequence");
	/* 7 + 268 + 1 = 276 bytes need 4 pieces of 76 */
	cr_assert_eq(pieces, 4);
}

struct b64_case {
	char		 in[16];
	char		 want[32];
};

ParameterizedTestParameters(osc52, base64_follows_rfc_4648)
{
	static struct b64_case cases[] = {
		{ "", "" },
		{ "f", "Zg==" },
		{ "fo", "Zm8=" },
		{ "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy" },
	};

	return cr_make_param_array(struct b64_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct b64_case *c, osc52, base64_follows_rfc_4648)
{
	char	 out[64], want[64];

	snprintf(want, sizeof want, ESC "]52;c;%s\a", c->want);
	cr_assert_gt(osc52_build(OSC52_PLAIN, c->in, strlen(c->in), out,
	    sizeof out), 0);
	cr_assert_str_eq(out, want);
}

Test(osc52, a_refresh_token_through_tmux_is_562_bytes)
{
	char	*tok, out[OSC52_MAX];
	ssize_t	 n;

	cr_assert_eq(token_init(NULL), 0);
	tok = token_new(TOKEN_REFRESH);
	/* base64 of 200 bytes: 268; plain 7 + 268 + 1; DCS 7 + 8 + 268 + 3 */
	n = osc52_build(OSC52_TMUX, tok, strlen(tok), out, sizeof out);
	token_free(tok);
	cr_assert_eq(n, 562);
}

Test(osc52, a_buffer_too_small_is_refused_and_left_wiped)
{
	char	 out[16];

	memset(out, 'x', sizeof out);
	cr_assert_eq(osc52_frame(OSC52_PLAIN, "Zm9vYmFyZm9vYmFy", 16, out,
	    sizeof out), -1);
	for (size_t i = 0; i < sizeof out; i++)
		cr_assert_eq(out[i], 0);
}

struct mux_case {
	char		 tmux[32];
	char		 sty[32];
	int		 tmux_set, sty_set;
	enum osc52_mux	 want;
};

ParameterizedTestParameters(osc52, tmux_and_screen_are_told_by_their_variables)
{
	static struct mux_case cases[] = {
		{ "", "", 0, 0, OSC52_PLAIN },
		{ "", "", 1, 1, OSC52_PLAIN },
		{ "/tmp/tmux-0/default,1,0", "", 1, 0, OSC52_TMUX },
		{ "", "1234.pts-0.host", 0, 1, OSC52_SCREEN },
		{ "/tmp/tmux-0/default,1,0", "1.x", 1, 1, OSC52_TMUX },
	};

	return cr_make_param_array(struct mux_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct mux_case *c, osc52,
    tmux_and_screen_are_told_by_their_variables)
{
	cr_assert_eq(osc52_mux_detect(c->tmux_set ? c->tmux : NULL,
	    c->sty_set ? c->sty : NULL), c->want);
}

Test(osc52, the_status_says_bytes_and_what_tmux_must_allow)
{
	char	 buf[256];

	osc52_describe(OSC52_TMUX, 562, buf, sizeof buf);
	cr_assert_not_null(strstr(buf, "562 bytes"));
	cr_assert_not_null(strstr(buf, "set-clipboard on"));
	cr_assert_not_null(strstr(buf, "allow-passthrough on"));
	osc52_describe(OSC52_SCREEN, 300, buf, sizeof buf);
	cr_assert_not_null(strstr(buf, "300 bytes"));
	cr_assert_not_null(strstr(buf, "screen"));
	osc52_describe(OSC52_PLAIN, 276, buf, sizeof buf);
	cr_assert_not_null(strstr(buf, "276 bytes"));
	cr_assert_not_null(strstr(buf, "only if"), "delivery is never "
	    "claimed");
}
