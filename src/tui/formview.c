/*
 * formview.c: a form taller than the screen, on ncurses' form library.
 * The whole form lives in a pad that scrolls under the screen's frame;
 * editable fields are libform fields edited with wide-character input
 * (form_driver_w); sections, read-only values, action rows (tokens) and
 * buttons are drawn around them from a canvas. Generic: it knows items
 * and asks its screen, through formview_ops, for texts and verdicts.
 *
 * Invariants: only editable fields are libform fields, so the cursor can
 * never land on a read-only value; a character a field does not take
 * never reaches libform, and the screen is told of it (and of a key that
 * did not fit) after the field's text was synced, so that it can mark
 * the field; the screen holds the text of every field (libform's
 * buffers are a view of it), so a relayout (resize, a list growing)
 * rebuilds the form from the screen's texts and nothing typed is lost;
 * before a field's text is read, REQ_VALIDATION copies what is on screen
 * into its buffer; a list field longer than its rows says how many of
 * its lines it hides; a list line never runs on into the next row (which
 * would make it two entries): the field is laid out wider for it, up to
 * what the screen has room for, and past that the key is refused; a
 * paste goes into the focused field whole or not at all, and never
 * moves the focus.
 */
#include <stdlib.h>
#include <string.h>

#include <form.h>

#include "hyp-token.h"
#include "tui-curses.h"

struct formview {
	struct fv_item	*items;
	size_t		 n;
	struct litem	*lay;
	const char	**buttons;
	int		 nbuttons;
	const struct formview_ops *ops;
	void		*arg;

	WINDOW		*pad;
	FORM		*form;
	FIELD		**fields;
	int		*field_item;
	int		*item_field;
	int		 nfields;
	struct canvas	 canvas;

	int		 cols;
	int		 total;
	int		 view_h;
	int		 top;
	int		 focus;
	int		 button;
	int		 grow;		/* width the focused list was given */
};

/* A form over items (borrowed: the screen keeps them while it lives). */
struct formview *
formview_new(struct fv_item *items, size_t n, const char **buttons,
    int nbuttons, const struct formview_ops *ops, void *arg)
{
	struct formview *fv;
	size_t	 i;

	fv = xcalloc(1, sizeof *fv);
	fv->items = items;
	fv->n = n;
	fv->lay = xcalloc(n, sizeof *fv->lay);
	fv->buttons = buttons;
	fv->nbuttons = nbuttons;
	fv->ops = ops;
	fv->arg = arg;
	fv->item_field = xcalloc(n, sizeof *fv->item_field);
	for (i = 0; i < n; i++)
		fv->item_field[i] = -1;
	fv->focus = -1;
	return (fv);
}

static void
fv_destroy(struct formview *fv)
{
	int	 i;
	size_t	 j;

	if (fv->form != NULL) {
		unpost_form(fv->form);
		free_form(fv->form);
		fv->form = NULL;
	}
	for (i = 0; i < fv->nfields; i++)
		free_field(fv->fields[i]);
	free(fv->fields);
	free(fv->field_item);
	fv->fields = NULL;
	fv->field_item = NULL;
	fv->nfields = 0;
	for (j = 0; j < fv->n; j++)
		fv->item_field[j] = -1;
	if (fv->pad != NULL) {
		delwin(fv->pad);
		fv->pad = NULL;
	}
	canvas_clear(&fv->canvas);
}

/* Release the form; the items stay the screen's. */
void
formview_free(struct formview *fv)
{
	if (fv == NULL)
		return;
	fv_destroy(fv);
	free(fv->lay);
	free(fv->item_field);
	free(fv);
}

static FIELD *
fv_field(const struct formview *fv, int item)
{
	if (item < 0 || (size_t)item >= fv->n || fv->item_field[item] < 0)
		return (NULL);
	return (fv->fields[fv->item_field[item]]);
}

static int
fv_focusable(const struct formview *fv, int i)
{
	switch (fv->items[i].kind) {
	case LI_FIELD:
		return (fv_field(fv, i) != NULL);
	case LI_ACTION:
		return (1);
	case LI_BUTTONS:
		return (fv->nbuttons > 0);
	default:
		return (0);
	}
}

/* Copy what is on screen of the focused field to the screen's text. */
void
formview_sync(struct formview *fv)
{
	FIELD	*f;
	char	*text;

	if ((f = fv_field(fv, fv->focus)) == NULL || fv->form == NULL)
		return;
	form_driver(fv->form, REQ_VALIDATION);
	text = bind_buffer_text(field_buffer(f, 0), fv->lay[fv->focus].vw,
	    fv->items[fv->focus].is_list);
	fv->ops->set_text(fv->arg, fv->focus, text);
	free(text);
}

static void
fv_show(struct formview *fv, int i)
{
	int	 ytop, ybot, max;

	if (i < 0)
		return;
	ytop = fv->lay[i].y;
	ybot = fv->lay[i].y + fv->lay[i].h;
	if (i > 0 && fv->items[i - 1].kind == LI_SECTION)
		ytop = fv->lay[i - 1].y;
	if (fv->items[i].kind == LI_BUTTONS)
		ybot = fv->total;
	if (ybot > fv->top + fv->view_h)
		fv->top = ybot - fv->view_h;
	if (ytop < fv->top)
		fv->top = ytop;
	max = fv->total - fv->view_h;
	if (fv->top > max)
		fv->top = max;
	if (fv->top < 0)
		fv->top = 0;
}

static int
fv_first(const struct formview *fv, int dir)
{
	int	 i, n = (int)fv->n;

	for (i = dir > 0 ? 0 : n - 1; i >= 0 && i < n; i += dir) {
		if (fv_focusable(fv, i))
			return (i);
	}
	return (-1);
}

static void
fv_set_back(struct formview *fv, int item, enum tui_role role)
{
	FIELD	*f;

	if ((f = fv_field(fv, item)) != NULL)
		set_field_back(f, paint_field_attr(role) | A_UNDERLINE);
}

/* Give item the focus, entering a field at its start or (from below) end. */
static void
fv_enter(struct formview *fv, int i, int from_below)
{
	FIELD	*f;

	if (i < 0)
		return;
	fv_set_back(fv, fv->focus, ROLE_FIELD);
	fv->focus = i;
	if ((f = fv_field(fv, i)) != NULL && fv->form != NULL) {
		set_current_field(fv->form, f);
		fv_set_back(fv, i, ROLE_FOCUS);
		if (fv->items[i].is_list) {
			form_driver(fv->form, from_below ? REQ_END_FIELD :
			    REQ_BEG_FIELD);
			form_driver(fv->form, REQ_BEG_LINE);
		} else
			form_driver(fv->form, REQ_END_LINE);
	}
	if (fv->items[i].kind == LI_BUTTONS)
		fv->button = from_below ? fv->nbuttons - 1 : 0;
	fv_show(fv, i);
	if (i == fv_first(fv, 1))
		fv->top = 0;
}

static void
fv_leave(struct formview *fv)
{
	fv->grow = 0;
	if (fv_field(fv, fv->focus) == NULL)
		return;
	formview_sync(fv);
	if (fv->ops->leave != NULL)
		fv->ops->leave(fv->arg, fv->focus);
}

/* Move the focus to the next (dir 1) or previous (-1) stop. */
static int
fv_move(struct formview *fv, int dir, int wrap)
{
	int	 i, n = (int)fv->n;

	if (fv->focus >= 0 && fv->items[fv->focus].kind == LI_BUTTONS &&
	    wrap) {
		if (dir > 0 && fv->button + 1 < fv->nbuttons) {
			fv->button++;
			return (TUI_DRAW);
		}
		if (dir < 0 && fv->button > 0) {
			fv->button--;
			return (TUI_DRAW);
		}
	}
	for (i = fv->focus + dir; i >= 0 && i < n; i += dir) {
		if (fv_focusable(fv, i))
			break;
	}
	if (i < 0 || i >= n) {
		if (!wrap)
			return (TUI_HANDLED);
		i = fv_first(fv, dir);
	}
	if (i < 0)
		return (TUI_HANDLED);
	fv_leave(fv);
	fv_enter(fv, i, dir < 0);
	return (TUI_DRAW);
}

/* Page keys: the focus jumps to the first stop past the shown rows. */
static int
fv_page(struct formview *fv, int dir)
{
	int	 i, n = (int)fv->n, target = -1;

	if (dir > 0) {
		for (i = 0; i < n; i++) {
			if (fv_focusable(fv, i) &&
			    fv->lay[i].y >= fv->top + fv->view_h) {
				target = i;
				break;
			}
		}
		if (target < 0)
			target = fv_first(fv, -1);
	} else {
		for (i = n - 1; i >= 0; i--) {
			if (fv_focusable(fv, i) && fv->lay[i].y < fv->top) {
				target = i;
				break;
			}
		}
		if (target < 0)
			target = fv_first(fv, 1);
	}
	if (target < 0 || target == fv->focus)
		return (TUI_HANDLED);
	fv_leave(fv);
	fv->top += dir * (fv->view_h - 1);
	fv_enter(fv, target, 0);
	return (TUI_DRAW);
}

/* Put the cursor back where it was in the focused field. */
static void
fv_cursor(struct formview *fv, int row, int col)
{
	int	 i;

	form_driver(fv->form, REQ_BEG_FIELD);
	for (i = 0; i < row; i++)
		form_driver(fv->form, REQ_NEXT_LINE);
	/* col counts cells, and a wide character takes two at a step */
	for (i = 0; i < col && fv->form->curcol < col; i++) {
		if (form_driver(fv->form, REQ_RIGHT_CHAR) != E_OK)
			break;
	}
	fv_show(fv, fv->focus);
}

/*
 * Lay the form out for a width and a visible height, building the pad
 * and the libform fields from the screen's texts.
 */
void
formview_layout(struct formview *fv, int cols, int view_h)
{
	struct fv_item *it;
	FIELD	*f;
	char	*text, *buf;
	size_t	 i;
	int	 rows, keep, button, row = -1, col = 0;

	/* no sync here: every edit already gave its text to the screen */
	keep = fv->focus;
	button = fv->button;
	if (fv_field(fv, keep) != NULL && fv->form != NULL) {
		row = fv->form->currow;
		col = fv->form->curcol;
	}
	fv_destroy(fv);
	fv->cols = cols;
	fv->view_h = view_h > 1 ? view_h : 1;
	for (i = 0; i < fv->n; i++) {
		fv->lay[i].kind = fv->items[i].kind;
		fv->lay[i].rows = fv->items[i].rows;
		fv->lay[i].want_w = fv->items[i].want_w;
		fv->lay[i].min_w = fv->items[i].min_w;
		/* not narrower under the cursor, after a blank it typed */
		if ((int)i == keep && fv->grow > fv->lay[i].min_w)
			fv->lay[i].min_w = fv->grow;
	}
	fv->total = layout_form(fv->lay, fv->n, cols);
	fv->pad = newpad(fv->total > fv->view_h ? fv->total : fv->view_h,
	    cols);
	canvas_init(&fv->canvas, fv->total, cols);
	fv->fields = xcalloc(fv->n + 1, sizeof *fv->fields);
	fv->field_item = xcalloc(fv->n + 1, sizeof *fv->field_item);
	for (i = 0; i < fv->n; i++) {
		it = &fv->items[i];
		if (it->kind != LI_FIELD || fv->lay[i].narrow)
			continue;
		text = fv->ops->get_text(fv->arg, (int)i);
		buf = bind_text_buffer(text, fv->lay[i].vw, it->is_list, &rows);
		free(text);
		if (buf == NULL) {
			fv->lay[i].narrow = 1;
			continue;
		}
		rows = it->is_list ? (it->rows > 0 ? it->rows : 1) : 1;
		f = new_field(rows, fv->lay[i].vw, fv->lay[i].y,
		    fv->lay[i].vx, 0, 0);
		if (f == NULL) {
			free(buf);
			fv->lay[i].narrow = 1;
			continue;
		}
		field_opts_off(f, O_AUTOSKIP | O_BLANK | O_STATIC | O_WRAP);
		field_opts_on(f, O_NULLOK | O_PASSOK);
		if (!it->is_list && it->max_len > 0)
			set_max_field(f, it->max_len);
		set_field_back(f, paint_field_attr(ROLE_FIELD) | A_UNDERLINE);
		set_field_buffer(f, 0, buf);
		free(buf);
		fv->item_field[i] = fv->nfields;
		fv->field_item[fv->nfields] = (int)i;
		fv->fields[fv->nfields++] = f;
	}
	fv->fields[fv->nfields] = NULL;
	if (fv->nfields > 0) {
		fv->form = new_form(fv->fields);
		/* libform must never move between fields on its own */
		form_opts_off(fv->form, O_BS_OVERLOAD | O_NL_OVERLOAD);
		set_form_win(fv->form, fv->pad);
		set_form_sub(fv->form, fv->pad);
		post_form(fv->form);
	}
	fv->focus = -1;
	if (keep < 0 || (size_t)keep >= fv->n || !fv_focusable(fv, keep))
		keep = fv_first(fv, 1);
	if (keep >= 0) {
		fv_enter(fv, keep, 0);
		fv->button = button;
		if (fv_field(fv, keep) != NULL && row >= 0)
			fv_cursor(fv, row, col);

	}
}

static void
fv_draw_value(struct formview *fv, int i, enum tui_role force)
{
	struct litem *l = &fv->lay[i];
	char	 buf[1024], **lines;
	int	 role = ROLE_VALUE, n, k;

	buf[0] = '\0';
	fv->ops->value(fv->arg, i, l->vw, buf, sizeof buf, &role);
	if (force != ROLE_NORMAL)
		role = force;
	if (fv->items[i].rows <= 1) {
		canvas_put(&fv->canvas, l->y, l->vx, l->vw, role, buf);
		token_wipe(buf, sizeof buf);
		return;
	}
	n = text_wrap(buf, l->vw, &lines);
	for (k = 0; k < n && k < fv->items[i].rows; k++) {
		canvas_put(&fv->canvas, l->y + k, l->vx, l->vw, role, lines[k]);
		token_wipe(lines[k], strlen(lines[k]));
	}
	text_lines_free(lines, n);
	token_wipe(buf, sizeof buf);
}

static void
fv_draw_hint(struct formview *fv, int i)
{
	struct litem *l = &fv->lay[i];
	char	 buf[512];
	int	 role = ROLE_HINT;

	if (l->hw <= 0 || fv->ops->hint == NULL)
		return;
	buf[0] = '\0';
	fv->ops->hint(fv->arg, i, buf, sizeof buf, &role);
	canvas_put(&fv->canvas, l->hy, l->hx, l->hw, role, buf);
}

/*
 * Beside the last row of a list field, how many of its lines the rows
 * do not show: libform scrolls the focused field (toprow), the others
 * show from their first line.
 */
static void
fv_draw_more(struct formview *fv, int i)
{
	struct litem *l = &fv->lay[i];
	char	*text, words[64];
	int	 lines, rows = fv->items[i].rows, above = 0, below, x;

	text = fv->ops->get_text(fv->arg, i);
	lines = *text != '\0' ? bind_count_lines(text) : 0;
	free(text);
	if (i == fv->focus && fv->form != NULL)
		above = fv->form->toprow;
	below = lines - above - rows;
	if (above < 0)
		above = 0;
	x = l->vx + l->vw + 2;
	bind_more_words(above, below, fv->cols - x - 1, words, sizeof words);
	if (words[0] != '\0')
		canvas_put(&fv->canvas, l->y + rows - 1, x, fv->cols - x - 1,
		    ROLE_WARN, words);
}

static void
fv_draw_buttons(struct formview *fv, int i)
{
	char	 label[80];
	int	 b, x, w = 0;
	enum tui_role role;

	for (b = 0; b < fv->nbuttons; b++)
		w += (int)text_width(fv->buttons[b]) + 4 + 5;
	x = (fv->cols - w + 5) / 2;
	if (x < 1)
		x = 1;
	for (b = 0; b < fv->nbuttons; b++) {
		if (fv->focus == i && fv->button == b) {
			role = ROLE_BUTTON_FOCUS;
			snprintf(label, sizeof label, "[>%s<]", fv->buttons[b]);
		} else {
			role = ROLE_BUTTON;
			snprintf(label, sizeof label, "[ %s ]", fv->buttons[b]);
		}
		x += canvas_put(&fv->canvas, fv->lay[i].y, x, fv->cols - x,
		    role, label) + 5;
	}
}

static void
fv_draw_item(struct formview *fv, int i)
{
	struct litem *l = &fv->lay[i];
	struct canvas *c = &fv->canvas;
	int	 focused = i == fv->focus, r;
	char	 title[80];

	if (focused && fv->items[i].kind != LI_BUTTONS)
		canvas_fill(c, l->y, 0, 1, glyphs.mark, ROLE_FOCUS);
	switch (fv->items[i].kind) {
	case LI_SECTION:
		canvas_fill(c, l->y, 0, fv->cols, glyphs.hline, ROLE_RULE);
		snprintf(title, sizeof title, " %s ", fv->items[i].label);
		canvas_put(c, l->y, 2, fv->cols - 4, ROLE_HEADER, title);
		return;
	case LI_BUTTONS:
		fv_draw_buttons(fv, i);
		return;
	default:
		break;
	}
	canvas_put(c, l->y, l->lx, l->lw, focused ? ROLE_FOCUS : ROLE_LABEL,
	    fv->items[i].label);
	if (fv->items[i].kind == LI_FIELD && fv_field(fv, i) != NULL) {
		for (r = 0; r < (fv->items[i].is_list ?
		    fv->items[i].rows : 1); r++) {
			canvas_put(c, l->y + r, l->vx - 1, 1, ROLE_FIELD, "[");
			canvas_put(c, l->y + r, l->vx + l->vw, 1, ROLE_FIELD,
			    "]");
			canvas_hole(c, l->y + r, l->vx, 1, l->vw);
		}
		if (fv->items[i].is_list)
			fv_draw_more(fv, i);
	} else
		fv_draw_value(fv, i, focused && fv->items[i].kind ==
		    LI_ACTION ? ROLE_FOCUS : ROLE_NORMAL);
	fv_draw_hint(fv, i);
}

/* Draw everything but the fields into the pad. */
void
formview_draw(struct formview *fv)
{
	size_t	 i;

	if (fv->pad == NULL)
		return;
	canvas_erase(&fv->canvas, ROLE_NORMAL);
	for (i = 0; i < fv->n; i++)
		fv_draw_item(fv, (int)i);
	paint_canvas(fv->pad, &fv->canvas);
	if (fv->form != NULL)
		pos_form_cursor(fv->form);
}

/*
 * Show the visible part of the pad at y,x of the screen. Returns 1 when
 * the terminal cursor is left in the focused field.
 */
int
formview_paint(struct formview *fv, int y, int x)
{
	if (fv->pad == NULL)
		return (0);
	pnoutrefresh(fv->pad, fv->top, 0, y, x, y + fv->view_h - 1,
	    x + fv->cols - 1);
	return (formview_focus_is_field(fv));
}

static int
fv_edit(struct formview *fv, int req)
{
	int	 rc;

	rc = form_driver(fv->form, req);
	formview_sync(fv);
	return (rc == E_OK ? TUI_DRAW : TUI_DRAW | TUI_HANDLED);
}

/* Tell the screen what did not go into the focused field. */
static void
fv_refuse(struct formview *fv, enum fv_refusal kind, wchar_t wc, int line,
    int max)
{
	struct fv_refused why;

	why.kind = kind;
	why.ch = wc;
	why.line = line;
	why.max = max;
	if (fv->ops->refused != NULL)
		fv->ops->refused(fv->arg, fv->focus, &why);
}

/* The line of the focused field the cursor is on: a list's, else -1. */
static int
fv_line(const struct formview *fv)
{
	return (fv->items[fv->focus].is_list ? fv->form->currow : -1);
}

/* Cells of the line the cursor is on in the focused list field. */
static int
fv_line_width(struct formview *fv)
{
	char	*text;
	int	 w;

	form_driver(fv->form, REQ_VALIDATION);
	text = bind_buffer_text(field_buffer(fv_field(fv, fv->focus), 0),
	    fv->lay[fv->focus].vw, 1);
	w = bind_line_width(text, fv->form->currow);
	free(text);
	return (w);
}

/*
 * Room in the focused list field for a line `cells` wide and a cell for
 * the cursor after it: at the last cell of a row libform moves on to the
 * next row, and what is typed next goes into the next entry. The field
 * is laid out wider when the screen has room. TUI_DRAW when it fits as
 * it is, TUI_LAYOUT when widened; 0 when no line that wide fits here,
 * with the widest that does in *max.
 */
static int
fv_list_room(struct formview *fv, int cells, int *max)
{
	struct litem *l = &fv->lay[fv->focus];

	*max = layout_value_max(l, fv->cols) - 1;
	if (cells + 1 <= l->vw)
		return (TUI_DRAW);
	if (cells > *max)
		return (0);
	fv->grow = cells + 1;
	formview_layout(fv, fv->cols, fv->view_h);
	return (TUI_LAYOUT);
}

static int
fv_char(struct formview *fv, const struct tui_key *k)
{
	struct fv_item *it = &fv->items[fv->focus];
	int	 rc, r = TUI_DRAW, max, w;

	if (!bind_accepts(it->ascii_only, k->ch)) {
		fv_refuse(fv, FV_REFUSED_CHAR, k->ch, fv_line(fv), 0);
		return (TUI_DRAW);
	}
	if (it->is_list) {
		/* the cursor may be past the text, after blanks typed */
		w = fv_line_width(fv);
		if (w < fv->form->curcol)
			w = fv->form->curcol;
		w += wcwidth(k->ch) == 2 ? 2 : 1;
		if ((r = fv_list_room(fv, w, &max)) == 0) {
			fv_refuse(fv, FV_REFUSED_WIDE, k->ch, fv_line(fv),
			    max);
			return (TUI_DRAW);
		}
	}
	rc = form_driver_w(fv->form, OK, k->ch);
	formview_sync(fv);
	if (rc == E_REQUEST_DENIED)
		fv_refuse(fv, FV_REFUSED_FULL, k->ch, fv_line(fv),
		    it->max_len);
	return (r);
}

/*
 * Room for a paste of n characters at the cursor: in a list, for the
 * widest line it makes (fv_list_room); in a one-line field, for all of
 * it. TUI_DRAW or TUI_LAYOUT, or 0 once the screen was told why not.
 */
static int
fv_paste_room(struct formview *fv, const wchar_t *p, size_t n)
{
	struct fv_item *it = &fv->items[fv->focus];
	char	*text;
	size_t	 have;
	int	 line, w, before, after, r, max;

	if (!it->is_list) {
		form_driver(fv->form, REQ_VALIDATION);
		text = bind_buffer_text(field_buffer(fv_field(fv,
		    fv->focus), 0), fv->lay[fv->focus].vw, 0);
		have = mbstowcs(NULL, text, 0);
		free(text);
		if (it->max_len <= 0 || (have != (size_t)-1 &&
		    have + n <= (size_t)it->max_len))
			return (TUI_DRAW);
		fv_refuse(fv, FV_PASTE_FULL, 0, 0, it->max_len);
		return (0);
	}
	w = fv_line_width(fv);
	before = fv->form->curcol;
	after = w > before ? w - before : 0;
	w = bind_paste_widest(p, n, before, after, &line);
	if ((r = fv_list_room(fv, w, &max)) == 0)
		fv_refuse(fv, FV_PASTE_WIDE, 0, line, max);
	return (r);
}

/*
 * A paste, into the focused field and nowhere else: whole when each of
 * its characters would be taken if typed and it fits, else none of it
 * (the screen is told why). A line break in it starts a new line of a
 * list; it never moves the focus.
 */
static int
fv_paste(struct formview *fv, const char *text)
{
	struct fv_item *it = &fv->items[fv->focus];
	wchar_t	*p, bad = 0;
	size_t	 n = 0, i;
	int	 line, r, rc = E_OK;

	p = bind_paste(text, it->is_list, it->ascii_only, &n, &bad, &line);
	if (p == NULL) {
		fv_refuse(fv, bad == L'\n' ? FV_PASTE_LINES : FV_PASTE_CHAR,
		    bad, line, 0);
		return (TUI_DRAW);
	}
	if ((r = fv_paste_room(fv, p, n)) != 0) {
		for (i = 0; i < n && rc == E_OK; i++)
			rc = p[i] == L'\n' ?
			    form_driver(fv->form, REQ_NEW_LINE) :
			    form_driver_w(fv->form, OK, p[i]);
		formview_sync(fv);
		/* checked before, so not expected: what went in is marked */
		if (rc != E_OK)
			fv_refuse(fv, FV_REFUSED_FULL, p[i - 1], fv_line(fv),
			    it->max_len);
		r = TUI_LAYOUT;
	}
	token_wipe(p, (n + 1) * sizeof *p);
	free(p);
	return (r != 0 ? r : TUI_DRAW);
}

static int
fv_key_field(struct formview *fv, const struct tui_key *k)
{
	struct fv_item *it = &fv->items[fv->focus];
	FIELD	*f = fv_field(fv, fv->focus);
	int	 rows, cols, max, rc;

	dynamic_field_info(f, &rows, &cols, &max);
	switch (k->code) {
	case TK_CHAR:
		return (fv_char(fv, k));
	case TK_PASTE:
		return (fv_paste(fv, k->text));
	case TK_UP:
		if (it->is_list && fv->form->currow > 0)
			return (fv_edit(fv, REQ_UP_CHAR));
		return (fv_move(fv, -1, 0));
	case TK_DOWN:
		if (it->is_list && fv->form->currow < rows - 1)
			return (fv_edit(fv, REQ_DOWN_CHAR));
		return (fv_move(fv, 1, 0));
	case TK_ENTER:
		if (!it->is_list)
			return (fv_move(fv, 1, 0));
		rc = form_driver(fv->form, REQ_NEW_LINE);
		formview_sync(fv);
		if (rc != E_OK)
			fv_refuse(fv, FV_REFUSED_LINE, 0, fv_line(fv), 0);
		return (TUI_LAYOUT);
	case TK_BACKSPACE:
		return (fv_edit(fv, REQ_DEL_PREV));
	case TK_DELETE:
		return (fv_edit(fv, REQ_DEL_CHAR));
	case TK_LEFT:
		return (fv_edit(fv, REQ_PREV_CHAR));
	case TK_RIGHT:
		return (fv_edit(fv, REQ_NEXT_CHAR));
	case TK_HOME:
		return (fv_edit(fv, REQ_BEG_LINE));
	case TK_END:
		return (fv_edit(fv, REQ_END_LINE));
	case TK_CTRL:
		switch (k->ch) {
		case 'a':
			return (fv_edit(fv, REQ_BEG_LINE));
		case 'e':
			return (fv_edit(fv, REQ_END_LINE));
		case 'k':
			return (fv_edit(fv, REQ_CLR_EOL));
		case 'u':
			return (fv_edit(fv, REQ_CLR_FIELD));
		}
		return (0);
	default:
		return (0);
	}
}

/*
 * A key for the form: moving between stops, editing the focused field,
 * an action row's keys, a button. 0 when the key means nothing here.
 */
int
formview_key(struct formview *fv, const struct tui_key *k)
{
	enum litem_kind kind;

	if (fv->focus < 0)
		return (0);
	switch (k->code) {
	case TK_TAB:
		return (fv_move(fv, 1, 1));
	case TK_BTAB:
		return (fv_move(fv, -1, 1));
	case TK_PGDN:
		return (fv_page(fv, 1));
	case TK_PGUP:
		return (fv_page(fv, -1));
	default:
		break;
	}
	kind = fv->items[fv->focus].kind;
	if (kind == LI_FIELD)
		return (fv_key_field(fv, k));
	switch (k->code) {
	case TK_UP:
		return (fv_move(fv, -1, 0));
	case TK_DOWN:
		return (fv_move(fv, 1, 0));
	case TK_HOME:
		fv_leave(fv);
		fv_enter(fv, fv_first(fv, 1), 0);
		return (TUI_DRAW);
	case TK_END:
		fv_leave(fv);
		fv_enter(fv, fv_first(fv, -1), 0);
		return (TUI_DRAW);
	default:
		break;
	}
	if (kind == LI_ACTION)
		return (fv->ops->action_key(fv->arg, fv->focus, k));
	switch (k->code) {
	case TK_LEFT:
		if (fv->button > 0)
			fv->button--;
		return (TUI_DRAW);
	case TK_RIGHT:
		if (fv->button + 1 < fv->nbuttons)
			fv->button++;
		return (TUI_DRAW);
	case TK_ENTER:
		return (fv->ops->button(fv->arg, fv->button));
	default:
		return (0);
	}
}

/* Show new text in a field (a consequence of another field's edit). */
void
formview_set_text(struct formview *fv, int item, const char *text)
{
	FIELD	*f;
	char	*buf;
	int	 rows;

	if ((f = fv_field(fv, item)) == NULL)
		return;
	buf = bind_text_buffer(text, fv->lay[item].vw,
	    fv->items[item].is_list, &rows);
	if (buf == NULL)
		return;
	set_field_buffer(f, 0, buf);
	free(buf);
}

/* 1 when typing goes into a field. */
int
formview_focus_is_field(const struct formview *fv)
{
	return (fv_field(fv, fv->focus) != NULL);
}

/* The focused item, or -1. */
int
formview_focus(const struct formview *fv)
{
	return (fv->focus);
}

/* Move the focus to an item (a refused field on Save). */
void
formview_set_focus(struct formview *fv, int item)
{
	if (item < 0 || (size_t)item >= fv->n || !fv_focusable(fv, item))
		return;
	if (item == fv->focus)
		return;
	fv_leave(fv);
	fv_enter(fv, item, 0);
}
