/*
 * entry.c: a one-line text editor on wide characters, for the list
 * filter and the typed confirmation of Delete. It knows nothing of what
 * is typed into it.
 *
 * Invariants: the buffer holds whole characters only (keys deliver
 * whole characters, and text set from outside is decoded character by
 * character, undecodable bytes dropped); len <= max <= ENTRY_MAX; an
 * ASCII-only entry never holds anything outside printable ASCII.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "widget.h"

/* Empty entry of at most max characters. */
void
entry_init(struct entry *e, size_t max, int ascii_only)
{
	memset(e, 0, sizeof *e);
	e->max = max > ENTRY_MAX ? ENTRY_MAX : max;
	e->ascii_only = ascii_only;
}

/* Replace the text; characters the entry refuses are dropped. */
void
entry_set(struct entry *e, const char *s)
{
	mbstate_t ps;
	wchar_t	 wc;
	size_t	 k;

	e->len = e->cur = 0;
	memset(&ps, 0, sizeof ps);
	while (s != NULL && *s != '\0' && e->len < e->max) {
		k = mbrtowc(&wc, s, MB_CUR_MAX, &ps);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&ps, 0, sizeof ps);
			s++;
			continue;
		}
		s += k;
		if (bind_accepts(e->ascii_only, wc))
			e->buf[e->len++] = wc;
	}
	e->buf[e->len] = L'\0';
	e->cur = e->len;
}

/* The text in the locale's multibyte form; caller frees. */
char *
entry_text(const struct entry *e)
{
	char	*out, *p;
	size_t	 i, k;
	mbstate_t ps;

	out = p = xcalloc(e->len + 1, MB_LEN_MAX);
	memset(&ps, 0, sizeof ps);
	for (i = 0; i < e->len; i++) {
		k = wcrtomb(p, e->buf[i], &ps);
		if (k == (size_t)-1) {
			memset(&ps, 0, sizeof ps);
			continue;
		}
		p += k;
	}
	*p = '\0';
	return (out);
}

static void
entry_insert(struct entry *e, wchar_t wc)
{
	memmove(&e->buf[e->cur + 1], &e->buf[e->cur],
	    (e->len - e->cur) * sizeof *e->buf);
	e->buf[e->cur++] = wc;
	e->buf[++e->len] = L'\0';
}

static void
entry_delete(struct entry *e, size_t at)
{
	memmove(&e->buf[at], &e->buf[at + 1],
	    (e->len - at - 1) * sizeof *e->buf);
	e->buf[--e->len] = L'\0';
}

/*
 * A paste: all of it when the entry takes each of its characters and
 * has room for them, else none of it (refused set). Line breaks at its
 * end are dropped; any other is refused, as a tab is made a blank.
 */
static int
entry_paste(struct entry *e, const char *text)
{
	wchar_t	*p, bad;
	size_t	 n = 0, i;
	int	 line;

	p = bind_paste(text, 0, e->ascii_only, &n, &bad, &line);
	if (p == NULL || e->len + n > e->max)
		e->refused = 1;
	else {
		for (i = 0; i < n; i++)
			entry_insert(e, p[i]);
	}
	free(p);
	return (TUI_DRAW);
}

/*
 * Editing keys: characters, Backspace, Delete, arrows, Home, End,
 * ^A ^E ^K ^U, and a paste. Returns TUI_DRAW when the key was taken
 * (refused set when it was a character the entry does not take), 0 when
 * it is not an editing key.
 */
int
entry_key(struct entry *e, const struct tui_key *k)
{
	e->refused = 0;
	switch (k->code) {
	case TK_CHAR:
		if (k->ch < 0x20 || k->ch == 0x7f)
			return (0);
		if (!bind_accepts(e->ascii_only, k->ch) || e->len >= e->max) {
			e->refused = 1;
			return (TUI_DRAW);
		}
		entry_insert(e, k->ch);
		return (TUI_DRAW);
	case TK_PASTE:
		return (entry_paste(e, k->text));
	case TK_BACKSPACE:
		if (e->cur > 0)
			entry_delete(e, --e->cur);
		return (TUI_DRAW);
	case TK_DELETE:
		if (e->cur < e->len)
			entry_delete(e, e->cur);
		return (TUI_DRAW);
	case TK_LEFT:
		if (e->cur > 0)
			e->cur--;
		return (TUI_DRAW);
	case TK_RIGHT:
		if (e->cur < e->len)
			e->cur++;
		return (TUI_DRAW);
	case TK_HOME:
		e->cur = 0;
		return (TUI_DRAW);
	case TK_END:
		e->cur = e->len;
		return (TUI_DRAW);
	case TK_CTRL:
		switch (k->ch) {
		case 'a':
			e->cur = 0;
			return (TUI_DRAW);
		case 'e':
			e->cur = e->len;
			return (TUI_DRAW);
		case 'k':
			e->len = e->cur;
			e->buf[e->len] = L'\0';
			return (TUI_DRAW);
		case 'u':
			e->len = e->cur = 0;
			e->buf[0] = L'\0';
			return (TUI_DRAW);
		}
		return (0);
	default:
		return (0);
	}
}

static int
entry_width(const wchar_t *ws, size_t n)
{
	size_t	 i;
	int	 w = 0, cw;

	for (i = 0; i < n; i++) {
		cw = wcwidth(ws[i]);
		w += cw < 0 ? 1 : cw;
	}
	return (w);
}

/*
 * Draw in w columns at y,x, scrolled so the cursor shows. Returns the
 * cursor's column on the canvas.
 */
int
entry_draw(const struct entry *e, struct canvas *c, int y, int x, int w,
    enum tui_role role)
{
	size_t	 start = 0, end;

	if (w < 1)
		return (x);
	while (start < e->cur && entry_width(&e->buf[start],
	    e->cur - start) > w - 1)
		start++;
	end = start;
	while (end < e->len && entry_width(&e->buf[start],
	    end + 1 - start) <= w)
		end++;
	canvas_fill(c, y, x, w, L' ', role);
	canvas_putw(c, y, x, w, role, &e->buf[start], end - start);
	return (x + entry_width(&e->buf[start], e->cur - start));
}
