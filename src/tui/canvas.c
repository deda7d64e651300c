/*
 * canvas.c: a grid of cells that screens draw into before it is painted
 * on the terminal (paint.c), so that layout can be checked without one.
 *
 * Invariants: text is decoded from the locale's multibyte form one whole
 * character at a time; a character that does not decode or print becomes
 * '?'; a double-width character is written only when both of its columns
 * fit, its right half marked CELL_WIDE_TAIL; nothing is written outside
 * the grid.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "widget.h"

struct glyphs glyphs;

/* Choose rules and marks for the terminal's character set. */
void
glyphs_init(int utf8)
{
	glyphs.utf8 = utf8;
	if (utf8) {
		glyphs.hline = L'\x2500';
		glyphs.vline = L'\x2502';
		glyphs.tl = L'\x250c';
		glyphs.tr = L'\x2510';
		glyphs.bl = L'\x2514';
		glyphs.br = L'\x2518';
		glyphs.mark = L'\x25b8';
		glyphs.dot = L'\x2022';
		glyphs.more = L'\x2026';
	} else {
		glyphs.hline = L'-';
		glyphs.vline = L'|';
		glyphs.tl = glyphs.tr = glyphs.bl = glyphs.br = L'+';
		glyphs.mark = L'>';
		glyphs.dot = L'*';
		glyphs.more = L'~';
	}
}

/* Make an h by w canvas, blank. */
void
canvas_init(struct canvas *c, int h, int w)
{
	if (h < 0)
		h = 0;
	if (w < 0)
		w = 0;
	c->h = h;
	c->w = w;
	c->cells = xcalloc((size_t)h * (size_t)w + 1, sizeof *c->cells);
	canvas_erase(c, ROLE_NORMAL);
}

/*
 * Release the cells, wiped first: a canvas may have shown a token. The
 * struct can be initialised again.
 */
void
canvas_clear(struct canvas *c)
{
	if (c->cells != NULL)
		explicit_bzero(c->cells,
		    (size_t)c->h * (size_t)c->w * sizeof *c->cells);
	free(c->cells);
	c->cells = NULL;
	c->h = c->w = 0;
}

/* Blank every cell in a role. */
void
canvas_erase(struct canvas *c, enum tui_role role)
{
	size_t	 i, n = (size_t)c->h * (size_t)c->w;

	for (i = 0; i < n; i++) {
		c->cells[i].ch = L' ';
		c->cells[i].role = role;
		c->cells[i].flags = 0;
	}
}

static struct cell *
canvas_at(struct canvas *c, int y, int x)
{
	if (y < 0 || y >= c->h || x < 0 || x >= c->w)
		return (NULL);
	return (&c->cells[(size_t)y * (size_t)c->w + (size_t)x]);
}

/* Columns a character takes: 0 for none, and 1 or 2. */
static int
char_width(wchar_t wc)
{
	int	 n;

	n = wcwidth(wc);
	if (n < 0)
		return (-1);
	return (n > 2 ? 2 : n);
}

/*
 * Write n wide characters at y,x in at most maxw columns (maxw < 0: to
 * the end of the row). When the text is cut, its last column shows the
 * `more` glyph. Returns the columns used.
 */
int
canvas_putw(struct canvas *c, int y, int x, int maxw, enum tui_role role,
    const wchar_t *ws, size_t n)
{
	size_t	 i;
	int	 used = 0, cw, total = 0;
	wchar_t	 wc;
	struct cell *cell;

	if (y < 0 || y >= c->h || x >= c->w)
		return (0);
	if (maxw < 0 || x + maxw > c->w)
		maxw = c->w - x;
	for (i = 0; i < n; i++) {
		cw = char_width(ws[i]);
		total += cw < 0 ? 1 : cw;
	}
	for (i = 0; i < n && used < maxw; i++) {
		wc = ws[i];
		cw = char_width(wc);
		if (cw < 0) {
			wc = L'?';
			cw = 1;
		}
		if (cw == 0)
			continue;
		if (total > maxw && used + cw >= maxw) {
			wc = glyphs.more != 0 ? glyphs.more : L'~';
			cw = 1;
			while (used < maxw - 1) {
				cell = canvas_at(c, y, x + used++);
				if (cell != NULL) {
					cell->ch = L' ';
					cell->role = role;
					cell->flags = 0;
				}
			}
		}
		if (used + cw > maxw)
			break;
		if ((cell = canvas_at(c, y, x + used)) != NULL) {
			cell->ch = wc;
			cell->role = role;
			cell->flags = 0;
		}
		if (cw == 2 && (cell = canvas_at(c, y, x + used + 1)) != NULL) {
			cell->ch = L' ';
			cell->role = role;
			cell->flags = CELL_WIDE_TAIL;
		}
		used += cw;
		if (total > maxw && used >= maxw)
			break;
	}
	return (used);
}

/* Decode multibyte text into a new wide string; bad bytes become '?'. */
static wchar_t *
text_decode(const char *s, size_t *np)
{
	size_t	 len = strlen(s), n = 0, k;
	wchar_t	*ws, wc;
	mbstate_t ps;

	ws = xcalloc(len + 1, sizeof *ws);
	memset(&ps, 0, sizeof ps);
	while (*s != '\0') {
		k = mbrtowc(&wc, s, MB_CUR_MAX, &ps);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&ps, 0, sizeof ps);
			wc = L'?';
			k = 1;
		}
		if (wc < 0x20 || wc == 0x7f)
			wc = L'?';
		ws[n++] = wc;
		s += k;
	}
	*np = n;
	return (ws);
}

/* Write multibyte text; see canvas_putw. Returns the columns used. */
int
canvas_put(struct canvas *c, int y, int x, int maxw, enum tui_role role,
    const char *s)
{
	wchar_t	*ws;
	size_t	 n;
	int	 used;

	if (s == NULL)
		return (0);
	ws = text_decode(s, &n);
	used = canvas_putw(c, y, x, maxw, role, ws, n);
	free(ws);
	return (used);
}

/* Fill w columns with one character. */
void
canvas_fill(struct canvas *c, int y, int x, int w, wchar_t wc,
    enum tui_role role)
{
	struct cell *cell;
	int	 i;

	for (i = 0; i < w; i++) {
		if ((cell = canvas_at(c, y, x + i)) == NULL)
			continue;
		cell->ch = wc;
		cell->role = role;
		cell->flags = 0;
	}
}

/* Mark a rectangle that another window paints. */
void
canvas_hole(struct canvas *c, int y, int x, int h, int w)
{
	struct cell *cell;
	int	 i, j;

	for (i = 0; i < h; i++) {
		for (j = 0; j < w; j++) {
			if ((cell = canvas_at(c, y + i, x + j)) != NULL)
				cell->flags |= CELL_HOLE;
		}
	}
}

/* A frame around a rectangle, its inside blanked. */
void
canvas_box(struct canvas *c, int y, int x, int h, int w, enum tui_role role)
{
	int	 i;

	if (h < 2 || w < 2)
		return;
	for (i = 0; i < h; i++)
		canvas_fill(c, y + i, x, w, L' ', role);
	canvas_fill(c, y, x + 1, w - 2, glyphs.hline, role);
	canvas_fill(c, y + h - 1, x + 1, w - 2, glyphs.hline, role);
	for (i = 1; i < h - 1; i++) {
		canvas_fill(c, y + i, x, 1, glyphs.vline, role);
		canvas_fill(c, y + i, x + w - 1, 1, glyphs.vline, role);
	}
	canvas_fill(c, y, x, 1, glyphs.tl, role);
	canvas_fill(c, y, x + w - 1, 1, glyphs.tr, role);
	canvas_fill(c, y + h - 1, x, 1, glyphs.bl, role);
	canvas_fill(c, y + h - 1, x + w - 1, 1, glyphs.br, role);
}

/* The text of row y, trailing blanks dropped; caller frees. */
char *
canvas_row(const struct canvas *c, int y)
{
	char	*out, *p;
	char	 mb[MB_LEN_MAX];
	size_t	 k, cap;
	int	 x;
	const struct cell *cell;
	mbstate_t ps;

	cap = (size_t)(c->w > 0 ? c->w : 1) * MB_LEN_MAX + 1;
	out = p = xcalloc(1, cap);
	if (y < 0 || y >= c->h)
		return (out);
	memset(&ps, 0, sizeof ps);
	for (x = 0; x < c->w; x++) {
		cell = &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
		if (cell->flags & CELL_WIDE_TAIL)
			continue;
		k = wcrtomb(mb, cell->ch, &ps);
		if (k == (size_t)-1) {
			memset(&ps, 0, sizeof ps);
			mb[0] = '?';
			k = 1;
		}
		memcpy(p, mb, k);
		p += k;
	}
	*p = '\0';
	while (p > out && p[-1] == ' ')
		*--p = '\0';
	return (out);
}

/* Find text on the canvas: 0 and its row and byte offset, or -1. */
int
canvas_find(const struct canvas *c, const char *s, int *yp, int *xp)
{
	char	*row, *hit;
	int	 y;

	for (y = 0; y < c->h; y++) {
		row = canvas_row(c, y);
		hit = strstr(row, s);
		if (hit != NULL) {
			if (yp != NULL)
				*yp = y;
			if (xp != NULL)
				*xp = (int)(hit - row);
			free(row);
			return (0);
		}
		free(row);
	}
	return (-1);
}

/* Display columns of multibyte text. */
size_t
text_width(const char *s)
{
	wchar_t	*ws;
	size_t	 n, i, w = 0;
	int	 cw;

	ws = text_decode(s, &n);
	for (i = 0; i < n; i++) {
		cw = char_width(ws[i]);
		w += cw < 0 ? 1 : (size_t)cw;
	}
	free(ws);
	return (w);
}

static void
wrap_add(char ***lines, int *n, const char *s, size_t len)
{
	*lines = xrealloc(*lines, (size_t)(*n + 1) * sizeof **lines);
	(*lines)[(*n)++] = xstrndup(s, len);
}

/* Length in bytes and width in columns of the character at s. */
static size_t
text_char(const char *s, int *cw)
{
	wchar_t	 wc;
	mbstate_t ps;
	size_t	 k;

	memset(&ps, 0, sizeof ps);
	k = mbrtowc(&wc, s, MB_CUR_MAX, &ps);
	if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
		*cw = 1;
		return (1);
	}
	*cw = char_width(wc);
	if (*cw < 0)
		*cw = 1;
	return (k);
}

/*
 * Break text into lines of at most width columns, at spaces where
 * possible, at '\n' always, and never inside a character. Returns the
 * count; free with text_lines_free.
 */
int
text_wrap(const char *s, int width, char ***lines)
{
	const char *p, *line, *brk;
	int	 n = 0, w, cw;
	size_t	 k;

	*lines = NULL;
	if (width < 1)
		width = 1;
	line = s;
	for (;;) {
		p = line;
		brk = NULL;
		w = 0;
		while (*p != '\0' && *p != '\n') {
			k = text_char(p, &cw);
			if (w + cw > width)
				break;
			if (*p == ' ')
				brk = p;
			w += cw;
			p += k;
		}
		if (*p == '\0' || *p == '\n') {
			wrap_add(lines, &n, line, (size_t)(p - line));
			if (*p == '\0')
				break;
			line = p + 1;
		} else if (brk != NULL && brk > line) {
			wrap_add(lines, &n, line, (size_t)(brk - line));
			line = brk + 1;
		} else {
			if (p == line)
				p += text_char(p, &cw);
			wrap_add(lines, &n, line, (size_t)(p - line));
			line = p;
		}
	}
	return (n);
}

/* Free what text_wrap made. */
void
text_lines_free(char **lines, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}
