/*
 * panel.c: a scrolling list with one selected row, after htop's Panel.
 * Rows are the caller's, numbered 0..n-1; the panel keeps which of them
 * pass the filter, which is selected and which is at the top.
 *
 * Invariants: sel < nshown unless nshown is 0; top <= sel < top + h when
 * h > 0; the selection follows its row across a filter change when the
 * row still shows.
 */
#include <stdint.h>
#include <stdlib.h>

#include "widget.h"

/* An empty panel. */
void
panel_init(struct panel *p)
{
	p->n = 0;
	p->shown = NULL;
	p->nshown = 0;
	p->sel = 0;
	p->top = 0;
	p->h = 1;
}

/* Release the shown list. */
void
panel_clear(struct panel *p)
{
	free(p->shown);
	panel_init(p);
}

static void
panel_fix(struct panel *p)
{
	size_t	 h = p->h > 0 ? (size_t)p->h : 1;

	if (p->nshown == 0) {
		p->sel = p->top = 0;
		return;
	}
	if (p->sel >= p->nshown)
		p->sel = p->nshown - 1;
	if (p->top > p->sel)
		p->top = p->sel;
	if (p->sel >= p->top + h)
		p->top = p->sel - h + 1;
	if (p->top + h > p->nshown)
		p->top = p->nshown > h ? p->nshown - h : 0;
}

/*
 * Set the number of rows and show those that match (match NULL: all).
 * The selected row stays selected when it still shows.
 */
void
panel_set_rows(struct panel *p, size_t n, int (*match)(size_t, void *),
    void *arg)
{
	size_t	 was, i;

	was = panel_selected(p);
	free(p->shown);
	p->n = n;
	p->shown = xcalloc(n + 1, sizeof *p->shown);
	p->nshown = 0;
	for (i = 0; i < n; i++) {
		if (match == NULL || match(i, arg))
			p->shown[p->nshown++] = i;
	}
	p->sel = 0;
	if (was != SIZE_MAX)
		panel_select(p, was);
	panel_fix(p);
}

/* Rows that fit on screen. */
void
panel_set_height(struct panel *p, int h)
{
	p->h = h > 0 ? h : 1;
	panel_fix(p);
}

/* Movement keys; 0 for any other key. */
int
panel_key(struct panel *p, const struct tui_key *k)
{
	size_t	 page = p->h > 1 ? (size_t)p->h - 1 : 1;

	if (p->nshown == 0)
		return (0);
	switch (k->code) {
	case TK_UP:
		if (p->sel > 0)
			p->sel--;
		break;
	case TK_DOWN:
		if (p->sel + 1 < p->nshown)
			p->sel++;
		break;
	case TK_PGUP:
		p->sel = p->sel > page ? p->sel - page : 0;
		p->top = p->top > page ? p->top - page : 0;
		break;
	case TK_PGDN:
		p->sel += page;
		p->top += page;
		break;
	case TK_HOME:
		p->sel = 0;
		break;
	case TK_END:
		p->sel = p->nshown - 1;
		break;
	default:
		return (0);
	}
	panel_fix(p);
	return (TUI_DRAW);
}

/* The selected row, or SIZE_MAX when nothing shows. */
size_t
panel_selected(const struct panel *p)
{
	if (p->nshown == 0 || p->shown == NULL)
		return (SIZE_MAX);
	return (p->shown[p->sel]);
}

/* Select a row if it shows. */
void
panel_select(struct panel *p, size_t row)
{
	size_t	 i;

	for (i = 0; i < p->nshown; i++) {
		if (p->shown[i] == row) {
			p->sel = i;
			break;
		}
	}
	panel_fix(p);
}
