/*
 * keybar.c: the function-key bar, after htop's FunctionBar: each key in
 * its own attribute followed by what it does. Hints that do not fit are
 * left out whole rather than cut; `?` (help) lists them all.
 */
#include "widget.h"

/* Draw the hints on row y, left to right, as many as fit. */
void
keybar_draw(struct canvas *c, int y, const struct keyhint *h, size_t n)
{
	size_t	 i;
	int	 x = 1, need;

	canvas_fill(c, y, 0, c->w, L' ', ROLE_NORMAL);
	for (i = 0; i < n; i++) {
		need = (int)(text_width(h[i].key) + 1 + text_width(h[i].label));
		if (x + need > c->w)
			continue;
		x += canvas_put(c, y, x, -1, ROLE_KEY, h[i].key);
		x += 1;
		x += canvas_put(c, y, x, -1, ROLE_NORMAL, h[i].label);
		x += 2;
	}
}
