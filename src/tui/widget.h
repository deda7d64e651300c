/*
 * widget.h: the console's generic parts, one section per source file:
 * key codes and effects, the canvas, the widgets (entry, key bar,
 * dialog, list panel, form layout and form view), buffer bindings and
 * the layers the screen manager stacks. Nothing here knows of records,
 * tokens or the store, and nothing needs curses: widgets draw on a
 * canvas and take keys in the console's own codes, so they are tested
 * without a terminal. (formview.c, which drives libform, includes this
 * header and not tui.h: libform's field_info() would clash with the
 * core's.)
 */
#ifndef WIDGET_H
#define WIDGET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <wchar.h>

#include "hyp-util.h"

/* Smallest terminal the screens are laid out for; below it a notice. */
#define TUI_MIN_LINES	16
#define TUI_MIN_COLS	60

/* What a key handler asks the screen manager to do (STYLE B.11). */
#define TUI_DRAW	0x01	/* paint again */
#define TUI_LAYOUT	0x02	/* sizes changed: lay out, then paint */
#define TUI_CLOSE	0x04	/* close this layer (screen or dialog) */
#define TUI_QUIT	0x08	/* leave the console */
#define TUI_HANDLED	0x10	/* key used, nothing to show */
#define TUI_CLOSE_BELOW	0x20	/* and close the screen below */

enum tui_keycode {
	TK_NONE,
	TK_CHAR,		/* ch holds the character */
	TK_ENTER,
	TK_TAB,
	TK_BTAB,
	TK_ESC,
	TK_BACKSPACE,
	TK_DELETE,
	TK_UP,
	TK_DOWN,
	TK_LEFT,
	TK_RIGHT,
	TK_PGUP,
	TK_PGDN,
	TK_HOME,
	TK_END,
	TK_CTRL,		/* ch holds 'a'..'z' */
	TK_FKEY,		/* ch holds 1..12 */
	TK_PASTE,		/* text holds what the terminal pasted */
	TK_RESIZE,		/* handled by the manager, never passed on */
};

/*
 * A paste that the terminal brackets (mode 2004) comes whole as one
 * TK_PASTE, its bytes in text (borrowed until the next key), so that
 * nothing in it acts as a key: not a tab, a line break or a control
 * character. At most TK_PASTE_MAX bytes; a longer paste is not passed on.
 */
#define TK_PASTE_MAX	65536

struct tui_key {
	enum tui_keycode code;
	wchar_t		 ch;
	const char	*text;
};

/*
 * A byte from the terminal that is not (the start of) a character in the
 * locale comes as TK_CHAR with ch in U+DC80..U+DCFF (a lone surrogate,
 * never a character of its own), so that it is refused like any other
 * character a field does not take instead of vanishing.
 */
#define TK_RAW_BYTE(b)		((wchar_t)(0xdc00 | ((b) & 0xff)))
#define TK_IS_RAW_BYTE(wc)	((wc) >= 0xdc80 && (wc) <= 0xdcff)

/* tui.c: the screen manager, as the widgets see it */
struct tui;
struct layer;

void	 tui_status(struct tui *, int role, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	 tui_push(struct tui *, struct layer *);
const char *tui_status_get(struct tui *, int *role);
int	 tui_status_rows(struct tui *);
int	 tui_is_shown(struct tui *, const struct layer *);
/* canvas.c */

enum tui_role {
	ROLE_NORMAL,
	ROLE_TITLE,
	ROLE_RULE,
	ROLE_HEADER,
	ROLE_SELECTED,
	ROLE_LABEL,
	ROLE_VALUE,		/* read-only value */
	ROLE_FIELD,		/* editable field and its brackets */
	ROLE_FOCUS,		/* the focused label or action row */
	ROLE_HINT,
	ROLE_ERROR,
	ROLE_WARN,
	ROLE_DANGER,
	ROLE_GOOD,
	ROLE_KEY,
	ROLE_BUTTON,
	ROLE_BUTTON_FOCUS,
	ROLE_BUTTON_OFF,
	ROLE_DIALOG,
	ROLE_COUNT
};

#define CELL_WIDE_TAIL	0x01	/* right half of a wide character */
#define CELL_HOLE	0x02	/* not painted: another window's */

struct cell {
	wchar_t		 ch;
	unsigned char	 role;
	unsigned char	 flags;
};

struct canvas {
	int		 h;
	int		 w;
	struct cell	*cells;
};

/* Glyphs for rules and marks: box drawing in UTF-8, ASCII otherwise. */
struct glyphs {
	int		 utf8;
	wchar_t		 hline;
	wchar_t		 vline;
	wchar_t		 tl, tr, bl, br;
	wchar_t		 mark;		/* selected row */
	wchar_t		 dot;		/* masked token character */
	wchar_t		 more;		/* text cut here */
};
extern struct glyphs glyphs;

void	 glyphs_init(int utf8);
void	 canvas_init(struct canvas *, int h, int w);
void	 canvas_clear(struct canvas *);
void	 canvas_erase(struct canvas *, enum tui_role);
int	 canvas_put(struct canvas *, int y, int x, int maxw, enum tui_role,
	    const char *);
int	 canvas_putw(struct canvas *, int y, int x, int maxw, enum tui_role,
	    const wchar_t *, size_t);
void	 canvas_fill(struct canvas *, int y, int x, int w, wchar_t,
	    enum tui_role);
void	 canvas_hole(struct canvas *, int y, int x, int h, int w);
void	 canvas_box(struct canvas *, int y, int x, int h, int w,
	    enum tui_role);
char	*canvas_row(const struct canvas *, int y);
int	 canvas_find(const struct canvas *, const char *, int *y, int *x);
size_t	 text_width(const char *);
int	 text_wrap(const char *, int width, char ***lines);
void	 text_lines_free(char **, int);

/* entry.c */

#define ENTRY_MAX	255

/* A one-line text editor on wide characters: never half a character. */
struct entry {
	wchar_t		 buf[ENTRY_MAX + 1];
	size_t		 len;
	size_t		 cur;
	size_t		 max;		/* <= ENTRY_MAX characters */
	int		 ascii_only;
	int		 refused;	/* the last key was refused */
};

void	 entry_init(struct entry *, size_t max, int ascii_only);
void	 entry_set(struct entry *, const char *);
char	*entry_text(const struct entry *);
int	 entry_key(struct entry *, const struct tui_key *);
int	 entry_draw(const struct entry *, struct canvas *, int y, int x,
	    int w, enum tui_role);

/* keybar.c */

struct keyhint {
	const char	*key;
	const char	*label;
};

void	 keybar_draw(struct canvas *, int y, const struct keyhint *,
	    size_t);

/* dialog.c */

#define DIALOG_BUTTONS	3

/*
 * A modal question: a title, a body, up to three buttons and an optional
 * text entry. Enter on a button answers; Esc answers the cancel button.
 * A guarded button stays off until the entry holds the required text.
 */
struct dialog {
	char		 title[160];
	char		*body;
	const char	*buttons[DIALOG_BUTTONS];
	int		 nbuttons;
	int		 cancel;	/* index answered by Esc */
	int		 focus;		/* button, or -1 (entry) */
	int		 has_entry;
	struct entry	 entry;
	char		*require;	/* text the entry must hold */
	int		 guarded;	/* button needing it, or -1 */
	char		 note[160];
	int		 answer;	/* -1 until answered */
	const struct keyhint *keys;	/* a help box: keys and uses */
	size_t		 nkeys;
	int		 top;		/* first body line shown */
	int		 room;		/* body lines shown at the last draw */
	int		 nlines;	/* body lines at the last draw */
};

void	 dialog_init(struct dialog *, const char *title, const char *body);
void	 dialog_add_button(struct dialog *, const char *, int is_default);
void	 dialog_set_cancel(struct dialog *, int);
void	 dialog_require(struct dialog *, int button, const char *text);
void	 dialog_clear(struct dialog *);
int	 dialog_is_enabled(const struct dialog *, int button);
int	 dialog_key(struct dialog *, const struct tui_key *);
void	 dialog_size(const struct dialog *, int lines, int cols, int *h,
	    int *w);
void	 dialog_draw(struct dialog *, struct canvas *, int *cury,
	    int *curx);

/* panel.c */

/*
 * A scrolling list of rows with one selected, filtered by a caller's
 * predicate. Rows are numbered 0..n-1 by the caller; the panel keeps
 * the shown subset and the selection.
 */
struct panel {
	size_t		 n;
	size_t		*shown;
	size_t		 nshown;
	size_t		 sel;		/* index into shown */
	size_t		 top;
	int		 h;
};

void	 panel_init(struct panel *);
void	 panel_clear(struct panel *);
void	 panel_set_rows(struct panel *, size_t n,
	    int (*match)(size_t, void *), void *);
void	 panel_set_height(struct panel *, int);
int	 panel_key(struct panel *, const struct tui_key *);
size_t	 panel_selected(const struct panel *);
void	 panel_select(struct panel *, size_t row);

/* layout.c */

enum litem_kind {
	LI_SECTION,		/* a rule with a title */
	LI_TEXT,		/* read-only label and value */
	LI_FIELD,		/* editable field */
	LI_ACTION,		/* read-only row that takes keys (a token) */
	LI_BUTTONS,		/* the row of buttons */
};

/*
 * One row group of a form. The caller fills kind, rows, want_w and
 * min_w; layout_form fills the rest: the first row y and height h, the
 * label, value and hint boxes. A hint that does not fit beside the value
 * goes on the row below it. narrow is set when the value cannot get
 * min_w columns at this width.
 */
struct litem {
	enum litem_kind	 kind;
	int		 rows;
	int		 want_w;
	int		 min_w;

	int		 y, h;
	int		 lx, lw;
	int		 vx, vw;
	int		 hy, hx, hw;
	int		 narrow;
};

int	 layout_label_width(int cols);
int	 layout_value_max(const struct litem *, int cols);
int	 layout_form(struct litem *, size_t, int cols);

/* bind.c */

char	*bind_buffer_text(const char *buf, int cols, int is_list);
char	*bind_text_buffer(const char *text, int cols, int is_list,
	    int *rows);
size_t	 bind_longest_line(const char *);
int	 bind_count_lines(const char *);
int	 bind_line_width(const char *, int line);
wchar_t	*bind_paste(const char *, int is_list, int ascii_only, size_t *n,
	    wchar_t *bad, int *line);
int	 bind_paste_widest(const wchar_t *, size_t, int before, int after,
	    int *line);
int	 bind_accepts(int ascii_only, wchar_t);
int	 bind_decode(const char *, size_t, wchar_t *, size_t *used);
char	*bind_describe(wchar_t, char *, size_t);
char	*bind_more_words(int above, int below, int width, char *, size_t);

/* formview.c: a scrolling form on libform (the curses side hidden) */

/* One row group of a form, as the screen describes it. */
struct fv_item {
	enum litem_kind	 kind;
	char		 label[48];
	int		 id;		/* the screen's own number */
	int		 rows;		/* lines of a list or value */
	int		 want_w;
	int		 min_w;
	int		 is_list;
	int		 ascii_only;
	int		 max_len;	/* characters of a one-line field */
};

/*
 * Why a typed key or a paste did not go into a field. A refused key
 * leaves the field without what was typed (FV_REFUSED_*); a refused paste
 * leaves it as it was (FV_PASTE_*).
 */
enum fv_refusal {
	FV_REFUSED_CHAR,	/* a character the field does not take */
	FV_REFUSED_FULL,	/* the field is full */
	FV_REFUSED_LINE,	/* a list field has no room for a line */
	FV_REFUSED_WIDE,	/* a list line is as wide as it can be here */
	FV_PASTE_CHAR,		/* a character the field does not take */
	FV_PASTE_LINES,		/* lines, for a one-line field */
	FV_PASTE_WIDE,		/* a list line wider than can be */
	FV_PASTE_FULL,		/* more than the field holds */
};

/*
 * What formview_ops.refused is told: the character; its line (0 the
 * first) in a list field for a key, -1 in a one-line field, or in the
 * paste for a paste; for _WIDE the characters a line holds at this
 * width, for _FULL those the field holds.
 */
struct fv_refused {
	enum fv_refusal	 kind;
	wchar_t		 ch;		/* or 0 */
	int		 line;
	int		 max;
};

/* How the form asks the screen for values and tells it of edits. */
struct formview_ops {
	char	*(*get_text)(void *, int item);
	void	 (*set_text)(void *, int item, const char *);
	void	 (*leave)(void *, int item);
	void	 (*value)(void *, int item, int width, char *, size_t,
		    int *role);
	void	 (*hint)(void *, int item, char *, size_t, int *role);
	void	 (*refused)(void *, int item, const struct fv_refused *);
	int	 (*action_key)(void *, int item, const struct tui_key *);
	int	 (*button)(void *, int index);
};

struct formview;

struct formview *formview_new(struct fv_item *, size_t, const char **buttons,
	    int nbuttons, const struct formview_ops *, void *);
void	 formview_free(struct formview *);
void	 formview_layout(struct formview *, int cols, int view_h);
void	 formview_draw(struct formview *);
int	 formview_paint(struct formview *, int y, int x);
int	 formview_key(struct formview *, const struct tui_key *);
void	 formview_sync(struct formview *);
void	 formview_set_text(struct formview *, int item, const char *);
int	 formview_focus_is_field(const struct formview *);
int	 formview_focus(const struct formview *);
void	 formview_set_focus(struct formview *, int item);

/* Layers: a screen or dialog in the manager's stack (tui.c). */
struct layer_ops {
	void	(*layout)(struct layer *, struct tui *, int, int);
	void	(*draw)(struct layer *, struct tui *);
	void	(*paint)(struct layer *, struct tui *);
	int	(*key)(struct layer *, struct tui *, const struct tui_key *);
	void	(*resume)(struct layer *, struct tui *);
	void	(*tick)(struct layer *, struct tui *);
	void	(*free)(struct layer *);
};

struct layer {
	const struct layer_ops *ops;
	void		*data;
	int		 y, x, h, w;	/* where on the screen */
	struct canvas	 canvas;
	void		*win;		/* the manager's window */
	int		 cury, curx;	/* cursor wish; -1 hides it */
	int		 full;		/* a screen, not a dialog */
};

struct layer *layer_new(const struct layer_ops *, void *, int full);

/* dialog layers (dialog.c): done gets the answer, returns effects */
typedef int (*dialog_done_cb)(struct tui *, void *, int answer,
	    const char *text);
struct layer *dialog_layer_new(struct dialog *, dialog_done_cb, void *);
struct layer *dialog_help_new(const char *title, const struct keyhint *,
	    size_t);

/* chrome.c: title, rules, key bar and status lines of a screen */
int	 chrome_draw(struct tui *, struct canvas *, const char *left,
	    const char *right, const struct keyhint *, size_t);
int	 chrome_bottom(struct tui *);
#define CHROME_TOP	2	/* title and rule */
#define CHROME_STATUS_MIN 2	/* status rows kept even when one would do */
#define CHROME_STATUS_MAX 3

#endif
