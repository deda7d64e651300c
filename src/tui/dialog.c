/*
 * dialog.c: modal questions (confirmations, the unsaved-edits question,
 * help). Generic: a title, a body, buttons, an optional entry. The layer
 * wrapper hands the answer to a callback of the screen that asked.
 *
 * Invariants: the default button is the one given as default (Cancel in
 * every confirmation), so Enter alone never confirms; Esc answers the
 * cancel button; a guarded button cannot be focused nor answered until
 * the entry holds the required text exactly; only keys answer, and the
 * manager never passes a resize as a key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "widget.h"

/* Start a dialog; the body is copied. */
void
dialog_init(struct dialog *d, const char *title, const char *body)
{
	memset(d, 0, sizeof *d);
	hyp_strlcpy(d->title, title, sizeof d->title);
	d->body = xstrdup(body != NULL ? body : "");
	d->cancel = -1;
	d->guarded = -1;
	d->answer = -1;
	d->focus = 0;
}

/* Add a button; the default one gets the focus. */
void
dialog_add_button(struct dialog *d, const char *label, int is_default)
{
	if (d->nbuttons >= DIALOG_BUTTONS)
		return;
	if (is_default)
		d->focus = d->nbuttons;
	d->buttons[d->nbuttons++] = label;
}

/* The button that Esc answers. */
void
dialog_set_cancel(struct dialog *d, int button)
{
	d->cancel = button;
}

/* Guard a button behind an entry that must hold text; focus the entry. */
void
dialog_require(struct dialog *d, int button, const char *text)
{
	d->has_entry = 1;
	entry_init(&d->entry, ENTRY_MAX, 0);
	free(d->require);
	d->require = xstrdup(text);
	d->guarded = button;
	d->focus = -1;
}

/* Release what the dialog holds. */
void
dialog_clear(struct dialog *d)
{
	free(d->body);
	free(d->require);
	d->body = d->require = NULL;
}

/* 1 if the button can be answered now. */
int
dialog_is_enabled(const struct dialog *d, int button)
{
	char	*text;
	int	 ok;

	if (button < 0 || button >= d->nbuttons)
		return (0);
	if (button != d->guarded)
		return (1);
	text = entry_text(&d->entry);
	ok = strcmp(text, d->require) == 0;
	free(text);
	return (ok);
}

/* Move the focus; Tab wraps around, arrows stop at the ends. */
static void
dialog_move(struct dialog *d, int dir, int wrap)
{
	int	 first = d->has_entry ? -1 : 0;
	int	 i, f = d->focus;

	for (i = 0; i <= d->nbuttons; i++) {
		f += dir;
		if (f >= d->nbuttons || f < first) {
			if (!wrap)
				return;
			f = f < first ? d->nbuttons - 1 : first;
		}
		if (f == -1 || dialog_is_enabled(d, f))
			break;
	}
	if (f != -1 && !dialog_is_enabled(d, f))
		return;
	d->focus = f;
	d->note[0] = '\0';
}

static int
dialog_enter(struct dialog *d)
{
	if (d->focus >= 0) {
		if (!dialog_is_enabled(d, d->focus))
			return (TUI_DRAW);
		d->answer = d->focus;
		return (TUI_DRAW | TUI_CLOSE);
	}
	if (d->guarded >= 0 && dialog_is_enabled(d, d->guarded)) {
		d->focus = d->guarded;
		d->note[0] = '\0';
	} else {
		snprintf(d->note, sizeof d->note, "Type %s exactly to go on.",
		    d->require);
	}
	return (TUI_DRAW);
}

/*
 * Scroll the body of a box that only informs (help): arrows by a line,
 * page keys by what shows less one line, Home and End. 0 for any other
 * key, which closes the box.
 */
static int
dialog_scroll(struct dialog *d, const struct tui_key *k)
{
	int	 page = d->room > 1 ? d->room - 1 : 1, max;

	max = d->nlines - d->room;
	if (max < 0)
		max = 0;
	switch (k->code) {
	case TK_UP:
		d->top--;
		break;
	case TK_DOWN:
		d->top++;
		break;
	case TK_PGUP:
		d->top -= page;
		break;
	case TK_PGDN:
		d->top += page;
		break;
	case TK_HOME:
		d->top = 0;
		break;
	case TK_END:
		d->top = max;
		break;
	default:
		return (0);
	}
	if (d->top > max)
		d->top = max;
	if (d->top < 0)
		d->top = 0;
	return (TUI_DRAW);
}

/*
 * A key for the dialog. Returns TUI_DRAW, with TUI_CLOSE once answered
 * (d->answer holds the button).
 */
int
dialog_key(struct dialog *d, const struct tui_key *k)
{
	int	 r;

	if (!d->has_entry && d->nbuttons == 1 && k->code != TK_NONE) {
		if ((r = dialog_scroll(d, k)) != 0)
			return (r);
		d->answer = 0;
		return (TUI_DRAW | TUI_CLOSE);
	}
	switch (k->code) {
	case TK_ESC:
		if (d->cancel < 0)
			return (TUI_HANDLED);
		d->answer = d->cancel;
		return (TUI_DRAW | TUI_CLOSE);
	case TK_TAB:
		dialog_move(d, 1, 1);
		return (TUI_DRAW);
	case TK_BTAB:
		dialog_move(d, -1, 1);
		return (TUI_DRAW);
	case TK_DOWN:
	case TK_UP:
		dialog_move(d, k->code == TK_DOWN ? 1 : -1, 0);
		return (TUI_DRAW);
	case TK_RIGHT:
	case TK_LEFT:
		if (d->focus < 0)
			break;
		dialog_move(d, k->code == TK_RIGHT ? 1 : -1, 0);
		if (d->focus < 0)	/* arrows stay on the buttons */
			dialog_move(d, 1, 0);
		return (TUI_DRAW);
	case TK_ENTER:
		return (dialog_enter(d));
	default:
		break;
	}
	if (d->focus >= 0 || !d->has_entry)
		return (TUI_HANDLED);
	r = entry_key(&d->entry, k);
	if (d->entry.refused)
		snprintf(d->note, sizeof d->note, "That character is not "
		    "taken here.");
	else if (r != 0)
		d->note[0] = '\0';
	return (r != 0 ? r : TUI_HANDLED);
}

#define DIALOG_KEY_W	10	/* the key column of a help box */

/*
 * The body as lines for a box w columns wide: wrapped text, or for a help
 * box the keys in a column and their uses wrapped beside them.
 */
static int
dialog_lines(const struct dialog *d, int w, char ***out)
{
	char	**l, **all = NULL;
	size_t	 i;
	int	 n, k, total = 0;

	if (d->keys == NULL)
		return (text_wrap(d->body, w, out));
	for (i = 0; i < d->nkeys; i++) {
		n = text_wrap(d->keys[i].label, w - DIALOG_KEY_W - 1, &l);
		all = xrealloc(all, (size_t)(total + n) * sizeof *all);
		for (k = 0; k < n; k++) {
			xasprintf(&all[total++], "%-*s %s", DIALOG_KEY_W,
			    k == 0 ? d->keys[i].key : "", l[k]);
		}
		text_lines_free(l, n);
	}
	*out = all;
	return (total);
}

static int
dialog_buttons_width(const struct dialog *d)
{
	int	 i, w = 0;

	for (i = 0; i < d->nbuttons; i++)
		w += (int)text_width(d->buttons[i]) + 4 + (i > 0 ? 3 : 0);
	return (w);
}

/* The box size for a screen of lines x cols. */
void
dialog_size(const struct dialog *d, int lines, int cols, int *hp, int *wp)
{
	char	**l;
	int	 n, w, h;

	w = (int)text_width(d->title) + 8;
	if (w < 56)
		w = 56;
	if (d->keys != NULL)
		w = 76;
	if (w < dialog_buttons_width(d) + 6)
		w = dialog_buttons_width(d) + 6;
	if (w > cols - 2)
		w = cols - 2;
	n = dialog_lines(d, w - 4, &l);
	text_lines_free(l, n);
	h = 2 + 1 + n + (d->has_entry ? 2 : 0) + 1 + 1 + 1;
	if (h > lines - 2)
		h = lines - 2;
	*hp = h;
	*wp = w;
}

static void
dialog_draw_buttons(const struct dialog *d, struct canvas *c, int y)
{
	int	 i, x;
	enum tui_role role;
	char	 label[80];

	x = (c->w - dialog_buttons_width(d)) / 2;
	if (x < 1)
		x = 1;
	for (i = 0; i < d->nbuttons; i++) {
		if (!dialog_is_enabled(d, i))
			role = ROLE_BUTTON_OFF;
		else if (i == d->focus)
			role = ROLE_BUTTON_FOCUS;
		else
			role = ROLE_BUTTON;
		if (role == ROLE_BUTTON_OFF)	/* off: no brackets */
			snprintf(label, sizeof label, "( %s )", d->buttons[i]);
		else if (i == d->focus)
			snprintf(label, sizeof label, "[>%s<]", d->buttons[i]);
		else
			snprintf(label, sizeof label, "[ %s ]", d->buttons[i]);
		x += canvas_put(c, y, x, c->w - x - 1, role, label) + 3;
	}
}

/*
 * Draw on a canvas the size dialog_size gave. The cursor goes
 * to the entry's, or -1 when the focus is on a button. A body longer
 * than the box shows from d->top, and the row above the buttons says
 * which lines show and how to scroll.
 */
void
dialog_draw(struct dialog *d, struct canvas *c, int *cury, int *curx)
{
	char	**l, title[200], where[96];
	int	 n, i, y, room;

	*cury = *curx = -1;
	canvas_box(c, 0, 0, c->h, c->w, ROLE_DIALOG);
	snprintf(title, sizeof title, " %s ", d->title);
	canvas_put(c, 0, 2, c->w - 4, ROLE_TITLE, title);
	n = dialog_lines(d, c->w - 4, &l);
	room = c->h - 5 - (d->has_entry ? 2 : 0);
	if (room < 1)
		room = 1;
	d->room = room;
	d->nlines = n;
	if (d->top > n - room)
		d->top = n - room;
	if (d->top < 0)
		d->top = 0;
	y = 2;
	for (i = d->top; i < n && i < d->top + room; i++)
		canvas_put(c, y++, 2, c->w - 4, ROLE_DIALOG, l[i]);
	text_lines_free(l, n);
	if (n > room && d->note[0] == '\0') {
		snprintf(where, sizeof where, "lines %d-%d of %d; Up Down "
		    "PgUp PgDn scroll", d->top + 1, d->top + room, n);
		canvas_put(c, c->h - 3, 2, c->w - 4, ROLE_HINT, where);
	}
	if (d->has_entry) {
		y++;
		canvas_put(c, y, 2, 1, ROLE_FIELD, "[");
		i = entry_draw(&d->entry, c, y, 3, c->w - 6, ROLE_FIELD);
		canvas_put(c, y, c->w - 3, 1, ROLE_FIELD, "]");
		if (d->focus < 0) {
			*cury = y;
			*curx = i;
		}
		y++;
	}
	if (d->note[0] != '\0')
		canvas_put(c, c->h - 3, 2, c->w - 4, ROLE_WARN, d->note);
	dialog_draw_buttons(d, c, c->h - 2);
}

/* The dialog as a layer of the screen manager. */
struct dialog_layer {
	struct dialog	*d;
	dialog_done_cb	 done;
	void		*arg;
};

static void
dialog_layer_layout(struct layer *l, struct tui *t, int lines, int cols)
{
	struct dialog_layer *dl = l->data;

	dialog_size(dl->d, lines, cols, &l->h, &l->w);
	l->y = (lines - l->h) / 2;
	l->x = (cols - l->w) / 2;
}

static void
dialog_layer_draw(struct layer *l, struct tui *t)
{
	struct dialog_layer *dl = l->data;

	dialog_draw(dl->d, &l->canvas, &l->cury, &l->curx);
}

static int
dialog_layer_key(struct layer *l, struct tui *t, const struct tui_key *k)
{
	struct dialog_layer *dl = l->data;
	char	*text;
	int	 r, more = 0;

	r = dialog_key(dl->d, k);
	if ((r & TUI_CLOSE) && dl->done != NULL) {
		text = dl->d->has_entry ? entry_text(&dl->d->entry) : NULL;
		more = dl->done(t, dl->arg, dl->d->answer, text);
		free(text);
		dl->done = NULL;
	}
	return (r | more);
}

static void
dialog_layer_free(struct layer *l)
{
	struct dialog_layer *dl = l->data;

	dialog_clear(dl->d);
	free(dl->d);
	free(dl);
}

static const struct layer_ops dialog_layer_ops = {
	.layout = dialog_layer_layout,
	.draw = dialog_layer_draw,
	.key = dialog_layer_key,
	.free = dialog_layer_free,
};

/*
 * A layer for a dialog (taken over: freed with the layer). done is
 * called once with the answer and the entry's text (NULL without one);
 * what it returns is added to the dialog's effects, TUI_CLOSE_BELOW
 * closing the screen under the dialog.
 */
struct layer *
dialog_layer_new(struct dialog *d, dialog_done_cb done, void *arg)
{
	struct dialog_layer *dl;

	dl = xcalloc(1, sizeof *dl);
	dl->d = d;
	dl->done = done;
	dl->arg = arg;
	return (layer_new(&dialog_layer_ops, dl, 0));
}

/*
 * A help box listing keys (borrowed: static tables); the arrow and page
 * keys scroll it when it does not fit, any other key closes it.
 */
struct layer *
dialog_help_new(const char *title, const struct keyhint *h, size_t n)
{
	struct dialog *d;

	d = xcalloc(1, sizeof *d);
	dialog_init(d, title, "");
	d->keys = h;
	d->nkeys = n;
	dialog_add_button(d, "Close", 1);
	dialog_set_cancel(d, 0);
	return (dialog_layer_new(d, NULL, NULL));
}
