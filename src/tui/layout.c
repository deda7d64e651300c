/*
 * layout.c: where each row group of a form goes at a given width. Pure
 * arithmetic, so the 80-column and narrow layouts are tested directly.
 *
 * Invariants: every box lies within [0, cols); labels, values and hints
 * of one item never overlap; a field gets at least its min_w columns or
 * is marked narrow; items follow each other without gaps, except one
 * blank row before the buttons.
 */
#include "widget.h"

#define LAYOUT_LEFT	2	/* focus mark and a space */
#define LAYOUT_HINT_MIN	18	/* narrower hints go below the value */

/* The label column's width for a screen cols wide. */
int
layout_label_width(int cols)
{
	int	 w;

	if (cols >= 80)
		return (24);
	w = cols * 3 / 10;
	if (w < 16)
		w = 16;
	return (w);
}

/* The widest value box an item placed at vx can get, cols wide. */
int
layout_value_max(const struct litem *it, int cols)
{
	int	 max = cols - it->vx - 2;

	return (max < 1 ? 1 : max);
}

static void
layout_value(struct litem *it, int cols, int lw)
{
	int	 max;

	it->lx = LAYOUT_LEFT;
	it->lw = lw;
	it->vx = LAYOUT_LEFT + lw + 2;
	max = layout_value_max(it, cols);
	if (it->want_w <= 0 || it->kind == LI_ACTION)
		it->vw = cols - it->vx - 1;
	else
		it->vw = it->want_w;
	if (it->vw < it->min_w)
		it->vw = it->min_w;
	it->narrow = it->min_w > max;
	if (it->vw > max)
		it->vw = max;
	if (it->vw < 1)
		it->vw = 1;
}

static void
layout_hint(struct litem *it, int cols)
{
	it->hy = it->y;
	it->hx = it->vx + it->vw + 2;
	it->hw = cols - it->hx - 1;
	if (it->hw >= LAYOUT_HINT_MIN)
		return;
	if (it->kind == LI_ACTION ||
	    (it->want_w <= 0 && it->kind == LI_TEXT)) {
		it->hw = 0;
		return;
	}
	it->hy = it->y + it->h;
	it->hx = it->vx;
	it->hw = cols - it->vx - 1;
	it->h++;
}

/*
 * Place the items for a screen cols wide. Returns the total number of
 * rows, the form's scrolling height.
 */
int
layout_form(struct litem *items, size_t n, int cols)
{
	size_t	 i;
	int	 y = 0, lw;
	struct litem *it;

	lw = layout_label_width(cols);
	for (i = 0; i < n; i++) {
		it = &items[i];
		it->h = it->rows > 0 ? it->rows : 1;
		it->narrow = 0;
		switch (it->kind) {
		case LI_SECTION:
			it->y = y;
			it->h = 1;
			it->lx = 1;
			it->lw = cols - 2;
			it->vx = it->vw = it->hx = it->hw = 0;
			it->hy = y;
			break;
		case LI_BUTTONS:
			y++;
			it->y = y;
			it->h = 1;
			it->lx = it->vx = 1;
			it->lw = 0;
			it->vw = cols - 2;
			it->hx = it->hw = 0;
			it->hy = y;
			break;
		default:
			it->y = y;
			layout_value(it, cols, lw);
			layout_hint(it, cols);
			break;
		}
		y += it->h;
	}
	return (y);
}
