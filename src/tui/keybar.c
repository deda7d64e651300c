/*
 * keybar.c: the function-key bar, after htop's FunctionBar: each key in
 * its own attribute followed by what it does. A hint that does not fit
 * whole is tried with its key's first name alone (F5 for F5/^G), so that
 * a narrow screen keeps its function keys; one that still does not fit
 * is left out whole rather than cut; `?` (help) lists them all.
 */
#include <string.h>

#include "widget.h"

/* The key's first name: "F5" of "F5/^G"; a key that is "/" stays. */
static void
keybar_first_name(const char *key, char *buf, size_t len)
{
	size_t	 n = 0;

	if (key[0] != '\0')
		n = 1 + strcspn(key + 1, "/");
	if (n >= len)
		n = len - 1;
	memcpy(buf, key, n);
	buf[n] = '\0';
}

/* Draw the hints on row y, left to right, as many as fit. */
void
keybar_draw(struct canvas *c, int y, const struct keyhint *h, size_t n)
{
	size_t	 i;
	int	 x = 1, lw;
	char	 key[32];

	canvas_fill(c, y, 0, c->w, L' ', ROLE_NORMAL);
	for (i = 0; i < n; i++) {
		lw = (int)text_width(h[i].label);
		hyp_strlcpy(key, h[i].key, sizeof key);
		if (x + (int)text_width(key) + 1 + lw > c->w)
			keybar_first_name(h[i].key, key, sizeof key);
		if (x + (int)text_width(key) + 1 + lw > c->w)
			continue;
		x += canvas_put(c, y, x, -1, ROLE_KEY, key);
		x += 1;
		x += canvas_put(c, y, x, -1, ROLE_NORMAL, h[i].label);
		x += 2;
	}
}
