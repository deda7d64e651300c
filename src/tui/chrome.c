/*
 * chrome.c: the frame every screen shares: a title row, rules, the key
 * bar and the status rows at the bottom: two, or three when the answer
 * to an action needs them (the manager lays the screens out again then),
 * so that every answer has room for its words at 80 columns.
 */
#include <stdlib.h>

#include "widget.h"

/*
 * Draw the frame on a screen-sized canvas: left and right in the title
 * row, the hints in the key bar, the status below. Returns the number
 * of rows left between the rules.
 */
int
chrome_draw(struct tui *t, struct canvas *c, const char *left,
    const char *right, const struct keyhint *keys, size_t nkeys)
{
	char	**lines;
	const char *status;
	int	 n, i, role, rw, rows;

	canvas_erase(c, ROLE_NORMAL);
	canvas_fill(c, 0, 0, c->w, L' ', ROLE_TITLE);
	rw = right != NULL ? (int)text_width(right) : 0;
	if (rw > c->w / 2)
		rw = c->w / 2;
	canvas_put(c, 0, 1, c->w - rw - 3, ROLE_TITLE, left);
	if (rw > 0)
		canvas_put(c, 0, c->w - rw - 1, rw, ROLE_TITLE, right);
	rows = tui_status_rows(t);
	canvas_fill(c, 1, 0, c->w, glyphs.hline, ROLE_RULE);
	canvas_fill(c, c->h - rows - 2, 0, c->w, glyphs.hline, ROLE_RULE);
	keybar_draw(c, c->h - rows - 1, keys, nkeys);
	status = tui_status_get(t, &role);
	n = text_wrap(status, c->w - 2, &lines);
	for (i = 0; i < n && i < rows; i++)
		canvas_put(c, c->h - rows + i, 1, c->w - 2, role, lines[i]);
	if (n > rows)	/* cut: the last column says so */
		canvas_fill(c, c->h - 1, c->w - 2, 1, glyphs.more, role);
	text_lines_free(lines, n);
	return (c->h - CHROME_TOP - chrome_bottom(t));
}

/* Rows under the content: a rule, the key bar and the status rows. */
int
chrome_bottom(struct tui *t)
{
	return (2 + tui_status_rows(t));
}
