/*
 * screen-list.c: the first screen, one row per Web-App record: domain,
 * purpose, user, Access Until with what is left, keep-alive state and
 * last transaction. Rows that need attention say so in a word (INVALID,
 * expired, expires in, stale, never, the unsecured purpose) as well as
 * colour.
 *
 * Invariants: the records shown are those of the last load, without
 * tokens, and a load is at most LIST_POLL seconds (or one keep-alive
 * interval) old while the list is on screen; the screen holds no
 * database transaction between keys (it only calls the store, which ends
 * its reads); a reload keeps the filter and the selected domain; the
 * filter matches domain, user and purpose as typed, ignoring case; the
 * domain, the key column, takes what the other columns leave and is cut
 * (with a mark) when that is less than the longest one needs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "hyp-proto.h"
#include "hyp-time.h"
#include "tui.h"

#define LIST_POLL	5	/* seconds between reloads while shown */
#define LIST_DOMAIN_MIN	30	/* the domain's width before others go */

struct list_screen {
	struct hyp_record *recs;
	size_t		 n;
	struct panel	 panel;
	struct entry	 filter;
	int		 filtering;
	char		*ftext;
	struct list_cols cols;
	struct list_need need;
	int64_t		 loaded;
	char		*asked;		/* domain of the open question */
};

/*
 * Ctrl keys work in any terminal, also one without F5 or F8 (vt100).
 * The most useful first: a narrow screen shows as many as fit.
 */
static const struct keyhint list_keys[] = {
	{ "Enter", "Open" },
	{ "/", "Filter" },
	{ "?", "Help" },
	{ "F5/^G", "Regenerate" },
	{ "F8/^X", "Delete" },
	{ "r", "Reload" },
	{ "q", "Quit" },
};

static const struct keyhint list_help[] = {
	{ "Up Down", "move; PgUp PgDn Home End jump" },
	{ "Enter", "open the record's form" },
	{ "/", "filter by domain, user or purpose as you type" },
	{ "Esc", "clear the filter" },
	{ "r", "reload every record from the database now (the list "
	    "also reloads itself every few seconds)" },
	{ "F5 ^G", "regenerate the selected record's tokens (asks)" },
	{ "F8 ^X", "delete the selected record (asks for its name)" },
	{ "? F1", "this help; Up Down PgUp PgDn scroll it" },
	{ "^L", "draw the screen again" },
	{ "F10 q", "quit" },
	{ "", "" },
	{ "ALIVE", "up: a keep-alive within two intervals; stale: older; "
	    "never: the daemon never ran" },
	{ "ACCESS", "\"expiring\" within 15 minutes, with what is left; "
	    "\"expired\" once passed; \"INVALID\": its daemon refuses every "
	    "request (a stored value is wrong or the purpose unknown): open "
	    "it to see why" },
};

static int
list_clamp(int v, int lo, int hi)
{
	return (v < lo ? lo : v > hi ? hi : v);
}

/* Widen the needs to fit one more record. */
void
list_need_add(struct list_need *need, const struct hyp_record *r)
{
	int	 w;

	if ((w = (int)text_width(r->domain)) > need->domain)
		need->domain = w;
	if ((w = (int)text_width(r->purpose)) > need->purpose)
		need->purpose = w;
	if ((w = (int)text_width(r->user_name)) > need->user)
		need->user = w;
}

static int
list_room(const struct list_cols *lc, int cols)
{
	return (cols - lc->mark - (lc->purpose + 1) - (lc->access + 1) -
	    (lc->alive + 1) - (lc->user > 0 ? lc->user + 1 : 0) -
	    (lc->last > 0 ? lc->last + 1 : 0));
}

/*
 * Column widths for a screen cols wide and records as wide as need (NULL:
 * typical ones); 0 hides a column. The domain takes the room the other
 * columns leave, cut with a mark when the longest is wider: one long
 * name must not push the rest off a wide screen. Only when that room is
 * under LIST_DOMAIN_MIN do the others give way, least useful first: the
 * last transaction, then the user, then the purpose's width beyond 10.
 * Room left over widens the user and the purpose up to their needs, and
 * the rest stays blank at the end.
 */
void
list_columns(int cols, const struct list_need *need, struct list_cols *lc)
{
	struct list_need n = { 16, 10, 8 };
	int	 want, least, spare, grow;

	if (need != NULL)
		n = *need;
	want = n.domain > 6 ? n.domain : 6;
	least = want < LIST_DOMAIN_MIN ? want : LIST_DOMAIN_MIN;
	lc->mark = 1;		/* right before the domain: 80 holds it all */
	lc->access = 21;
	lc->alive = 5;
	lc->last = 11;
	lc->purpose = list_clamp(n.purpose, 7, 13);
	lc->user = list_clamp(n.user, 4, 16);
	if (list_room(lc, cols) < least)
		lc->last = 0;
	if (list_room(lc, cols) < least)
		lc->user = 0;
	if (list_room(lc, cols) < least && lc->purpose > 10)
		lc->purpose = 10;
	lc->domain = list_room(lc, cols);
	if (lc->domain > want) {
		spare = lc->domain - want;
		lc->domain = want;
		if (lc->user > 0 && n.user > lc->user) {
			grow = list_clamp(n.user - lc->user, 0, spare);
			lc->user += grow;
			spare -= grow;
		}
		if (n.purpose > lc->purpose)
			lc->purpose += list_clamp(n.purpose - lc->purpose, 0,
			    spare);
	}
	if (lc->domain < 1)
		lc->domain = 1;
}

/* 1 when the record's daemon would refuse every request for it. */
int
list_is_refused(const struct hyp_record *r, const struct policy_catalog *cat)
{
	char	 why[256];

	if (cat == NULL)	/* nothing to check the purpose against */
		return (r->invalid[0] != '\0');
	return (policy_record_problem(r, cat, why, sizeof why));
}

static int
list_put(struct canvas *c, int y, int x, int w, enum tui_role role,
    const char *s)
{
	if (w <= 0)
		return (x);
	canvas_put(c, y, x, w, role, s);
	return (x + w + 1);
}

/* The column titles. */
static void
list_draw_header(struct canvas *c, int y, const struct list_cols *lc)
{
	int	 x = lc->mark;

	canvas_fill(c, y, 0, c->w, L' ', ROLE_HEADER);
	x = list_put(c, y, x, lc->domain, ROLE_HEADER, "DOMAIN");
	x = list_put(c, y, x, lc->purpose, ROLE_HEADER, "PURPOSE");
	x = list_put(c, y, x, lc->user, ROLE_HEADER, "USER");
	x = list_put(c, y, x, lc->access, ROLE_HEADER, "ACCESS UNTIL (UTC)");
	x = list_put(c, y, x, lc->alive, ROLE_HEADER, "ALIVE");
	list_put(c, y, x, lc->last, ROLE_HEADER, "LAST TRANS");
}

/* One record's row; the selected row is drawn in reverse. */
void
list_draw_row(struct canvas *c, int y, const struct list_cols *lc,
    const struct hyp_record *r, const struct policy_catalog *cat,
    int64_t now, int interval, int selected)
{
	char	 buf[64];
	int	 x = lc->mark;
	enum alive_state as;
	enum expiry_state es;
	enum tui_role role;

	canvas_fill(c, y, 0, c->w, L' ', selected ? ROLE_SELECTED :
	    ROLE_NORMAL);
	if (selected)
		canvas_fill(c, y, 0, 1, glyphs.mark, ROLE_SELECTED);
	x = list_put(c, y, x, lc->domain, selected ? ROLE_SELECTED :
	    ROLE_NORMAL, r->domain);
	role = words_is_unsecured(cat, r->purpose) ? ROLE_DANGER : ROLE_NORMAL;
	x = list_put(c, y, x, lc->purpose, selected ? ROLE_SELECTED : role,
	    r->purpose);
	x = list_put(c, y, x, lc->user, selected ? ROLE_SELECTED : ROLE_NORMAL,
	    r->user_name);
	es = status_expiry(r->access_until, now);
	role = es == EXPIRY_EXPIRED ? ROLE_DANGER : es == EXPIRY_SOON ?
	    ROLE_WARN : ROLE_NORMAL;
	words_access(r->access_until, now, buf, sizeof buf);
	if (list_is_refused(r, cat)) {
		/* no time matters: every request is refused; stands out */
		x = list_put(c, y, x, lc->access, ROLE_DANGER,
		    "INVALID: all refused");
	} else
		x = list_put(c, y, x, lc->access, selected ? ROLE_SELECTED :
		    role, buf);
	as = status_alive(r->keep_alive, now, interval);
	role = as == ALIVE_UP ? ROLE_GOOD : as == ALIVE_STALE ? ROLE_WARN :
	    ROLE_NORMAL;
	x = list_put(c, y, x, lc->alive, selected ? ROLE_SELECTED : role,
	    status_alive_name(as));
	words_last(r->last_trans, now, buf, sizeof buf);
	list_put(c, y, x, lc->last, selected ? ROLE_SELECTED : ROLE_NORMAL,
	    buf);
}

/* Lower-case wide copy of multibyte text; caller frees. */
static wchar_t *
list_fold(const char *s)
{
	size_t	 n = strlen(s), i;
	wchar_t	*ws;

	ws = xcalloc(n + 1, sizeof *ws);
	if (mbstowcs(ws, s, n + 1) == (size_t)-1) {
		for (i = 0; i < n; i++)
			ws[i] = (unsigned char)s[i];
		ws[n] = L'\0';
	}
	for (i = 0; ws[i] != L'\0'; i++)
		ws[i] = (wchar_t)towlower((wint_t)ws[i]);
	return (ws);
}

static int
list_contains(const char *hay, const wchar_t *needle)
{
	wchar_t	*h;
	int	 found;

	h = list_fold(hay);
	found = wcsstr(h, needle) != NULL;
	free(h);
	return (found);
}

/* 1 if the record's domain, user or purpose contains the filter text. */
int
list_match(const struct hyp_record *r, const char *filter)
{
	wchar_t	*f;
	int	 found;

	if (filter == NULL || *filter == '\0')
		return (1);
	f = list_fold(filter);
	found = list_contains(r->domain, f) || list_contains(r->user_name, f) ||
	    list_contains(r->purpose, f);
	free(f);
	return (found);
}

static int
list_match_cb(size_t i, void *arg)
{
	struct list_screen *ls = arg;

	return (list_match(&ls->recs[i], ls->ftext));
}

static void
list_refilter(struct list_screen *ls)
{
	free(ls->ftext);
	ls->ftext = entry_text(&ls->filter);
	panel_set_rows(&ls->panel, ls->n, list_match_cb, ls);
}

/* Load every record again, keeping the selection on its domain. */
static int
list_reload(struct list_screen *ls, struct tui *t)
{
	struct hyp_error err;
	struct hyp_record *recs = NULL;
	char	 keep[254];
	size_t	 sel, i;
	ssize_t	 n;

	keep[0] = '\0';
	if ((sel = panel_selected(&ls->panel)) != SIZE_MAX)
		hyp_strlcpy(keep, ls->recs[sel].domain, sizeof keep);
	ls->loaded = time_now();
	hyp_error_clear(&err);
	n = store_load_all(tui_store(t), &recs, &err);
	if (n < 0) {
		tui_status(t, ROLE_ERROR, "Could not read the records: %s",
		    err.msg);
		return (-1);
	}
	store_records_free(ls->recs, ls->n);
	ls->recs = recs;
	ls->n = (size_t)n;
	memset(&ls->need, 0, sizeof ls->need);
	for (i = 0; i < ls->n; i++)
		list_need_add(&ls->need, &ls->recs[i]);
	list_refilter(ls);
	for (i = 0; i < ls->n; i++) {
		if (strcmp(ls->recs[i].domain, keep) == 0)
			panel_select(&ls->panel, i);
	}
	return (0);
}

static void
list_layout(struct layer *l, struct tui *t, int lines, int cols)
{
	struct list_screen *ls = l->data;

	l->y = l->x = 0;
	l->h = lines;
	l->w = cols;
	panel_set_height(&ls->panel, lines - CHROME_TOP - chrome_bottom(t) - 1);
}

static void
list_draw(struct layer *l, struct tui *t)
{
	struct list_screen *ls = l->data;
	struct canvas *c = &l->canvas;
	char	 right[160], left[64];
	size_t	 i;
	int	 rows, y, fx;

	l->cury = l->curx = -1;
	list_columns(c->w, &ls->need, &ls->cols);
	snprintf(left, sizeof left, "hyptokens  Web-API tokens");
	if (ls->filtering || ls->filter.len > 0)
		snprintf(right, sizeof right, "%zu of %zu shown",
		    ls->panel.nshown, ls->n);
	else
		snprintf(right, sizeof right, "%zu instance%s  %s", ls->n,
		    ls->n == 1 ? "" : "s", tui_db_label(t));
	rows = chrome_draw(t, c, left, right, list_keys,
	    sizeof list_keys / sizeof list_keys[0]);
	list_draw_header(c, CHROME_TOP, &ls->cols);
	for (i = 0; i + 1 < (size_t)rows &&
	    ls->panel.top + i < ls->panel.nshown; i++) {
		y = CHROME_TOP + 1 + (int)i;
		list_draw_row(c, y, &ls->cols,
		    &ls->recs[ls->panel.shown[ls->panel.top + i]],
		    tui_catalog(t), time_now(),
		    tui_config(t)->keepalive_seconds,
		    ls->panel.top + i == ls->panel.sel);
	}
	if (ls->n == 0)
		canvas_put(c, CHROME_TOP + 2, 2, c->w - 4, ROLE_HINT,
		    "No records yet: the daemon makes one when it starts, or "
		    "`hyptokens register` does.");
	else if (ls->panel.nshown == 0)
		canvas_put(c, CHROME_TOP + 2, 2, c->w - 4, ROLE_HINT,
		    "Nothing matches the filter; Esc clears it.");
	if (ls->filtering || ls->filter.len > 0) {
		y = c->h - chrome_bottom(t);
		canvas_fill(c, y, 0, c->w, L' ', ROLE_NORMAL);
		canvas_put(c, y, 1, 8, ROLE_LABEL, "Filter:");
		fx = entry_draw(&ls->filter, c, y, 9, c->w - 35, ROLE_FIELD);
		canvas_put(c, y, c->w - 24, 23, ROLE_HINT, ls->filtering ?
		    "Enter keeps, Esc clears" : "/ edits, Esc clears");
		if (ls->filtering) {
			l->cury = y;
			l->curx = fx;
		}
	}
}

static int
list_regenerate_done(struct tui *t, void *arg, int answer, const char *text)
{
	struct list_screen *ls = arg;

	if (answer == 0)
		actions_regenerate(t, ls->asked, NULL);
	else
		tui_status(t, ROLE_NORMAL, "Regenerate cancelled.");
	return (0);
}

static int
list_delete_done(struct tui *t, void *arg, int answer, const char *text)
{
	struct list_screen *ls = arg;

	if (answer == 0 && text != NULL && strcmp(text, ls->asked) == 0)
		actions_delete(t, ls->asked);
	else
		tui_status(t, ROLE_NORMAL, "Delete cancelled; nothing "
		    "changed.");
	return (0);
}

/* Ask before regenerating the tokens of domain; answer in done. */
void
ask_regenerate(struct tui *t, const char *domain, dialog_done_cb done,
    void *arg)
{
	struct dialog *d;
	char	 title[300];

	snprintf(title, sizeof title, "Regenerate tokens for %s", domain);
	d = xcalloc(1, sizeof *d);
	dialog_init(d, title, "New access and refresh tokens are made now. "
	    "The current access token keeps working for 3 minutes; the "
	    "current refresh token stops at once. Clients need the new "
	    "tokens.");
	dialog_add_button(d, "Regenerate", 0);
	dialog_add_button(d, "Cancel", 1);
	dialog_set_cancel(d, 1);
	tui_push(t, dialog_layer_new(d, done, arg));
}

/* Ask before deleting domain: its name must be typed; answer in done. */
void
ask_delete(struct tui *t, const char *domain, dialog_done_cb done, void *arg)
{
	struct dialog *d;
	char	 title[300], *body;

	snprintf(title, sizeof title, "Delete %s", domain);
	xasprintf(&body, "The record and its tokens are removed and the "
	    "instance is told to drop them: every request with its tokens "
	    "is refused from now on. This cannot be undone. Type %s to "
	    "enable Delete.", domain);
	d = xcalloc(1, sizeof *d);
	dialog_init(d, title, body);
	free(body);
	dialog_add_button(d, "Delete", 0);
	dialog_add_button(d, "Cancel", 1);
	dialog_set_cancel(d, 1);
	dialog_require(d, 0, domain);
	tui_push(t, dialog_layer_new(d, done, arg));
}

static int
list_key_filter(struct list_screen *ls, struct tui *t,
    const struct tui_key *k)
{
	char	 what[32];
	int	 r;

	switch (k->code) {
	case TK_ESC:
		entry_set(&ls->filter, "");
		ls->filtering = 0;
		list_refilter(ls);
		return (TUI_DRAW);
	case TK_ENTER:
		ls->filtering = 0;
		return (TUI_DRAW);
	default:
		break;
	}
	if ((r = panel_key(&ls->panel, k)) != 0)
		return (r);
	if ((r = entry_key(&ls->filter, k)) != 0) {
		if (ls->filter.refused && k->code == TK_CHAR)
			tui_status(t, ROLE_WARN, "The filter does not take "
			    "%s; it was left out.", bind_describe(k->ch, what,
			    sizeof what));
		list_refilter(ls);
		return (r);
	}
	return (TUI_HANDLED);
}

/*
 * F5 or F8 (or their Ctrl keys) on the selected row: ask first. The
 * domain is kept by the list, which outlives the question even when the
 * console ends with it open.
 */
static int
list_ask(struct list_screen *ls, struct tui *t, int fkey)
{
	size_t	 sel = panel_selected(&ls->panel);

	if (sel == SIZE_MAX)
		return (TUI_HANDLED);
	free(ls->asked);
	ls->asked = xstrdup(ls->recs[sel].domain);
	if (fkey == 5)
		ask_regenerate(t, ls->asked, list_regenerate_done, ls);
	else
		ask_delete(t, ls->asked, list_delete_done, ls);
	return (TUI_DRAW);
}

static int
list_key(struct layer *l, struct tui *t, const struct tui_key *k)
{
	struct list_screen *ls = l->data;
	struct layer *next;
	size_t	 sel;
	int	 r;

	if (ls->filtering)
		return (list_key_filter(ls, t, k));
	if ((r = panel_key(&ls->panel, k)) != 0)
		return (r);
	sel = panel_selected(&ls->panel);
	switch (k->code) {
	case TK_CHAR:
		switch (k->ch) {
		case L'/':
			ls->filtering = 1;
			return (TUI_DRAW);
		case L'r':
			if (list_reload(ls, t) == 0)
				tui_status(t, ROLE_NORMAL, "Reloaded: %zu "
				    "record%s.", ls->n, ls->n == 1 ? "" : "s");
			return (TUI_DRAW);
		case L'?':
			tui_push(t, dialog_help_new("Keys: list", list_help,
			    sizeof list_help / sizeof list_help[0]));
			return (TUI_DRAW);
		case L'q':
			return (TUI_QUIT);
		}
		return (TUI_HANDLED);
	case TK_ESC:
		if (ls->filter.len > 0) {
			entry_set(&ls->filter, "");
			list_refilter(ls);
		}
		return (TUI_DRAW);
	case TK_ENTER:
		if (sel == SIZE_MAX)
			return (TUI_HANDLED);
		next = screen_record_new(t, ls->recs[sel].domain);
		if (next != NULL)
			tui_push(t, next);
		return (TUI_DRAW);
	case TK_CTRL:
		if (k->ch == 'g')
			return (list_ask(ls, t, 5));
		if (k->ch == 'x')
			return (list_ask(ls, t, 8));
		return (TUI_HANDLED);
	case TK_FKEY:
		switch (k->ch) {
		case 1:
			tui_push(t, dialog_help_new("Keys: list", list_help,
			    sizeof list_help / sizeof list_help[0]));
			return (TUI_DRAW);
		case 5:
		case 8:
			return (list_ask(ls, t, k->ch));
		case 10:
			return (TUI_QUIT);
		}
		return (TUI_HANDLED);
	default:
		return (TUI_HANDLED);
	}
}

static void
list_resume(struct layer *l, struct tui *t)
{
	list_reload(l->data, t);
}

/*
 * While the list is on screen, load it again every LIST_POLL seconds, or
 * every keep-alive interval when that is shorter, so that up and stale
 * follow the daemons; the selection and the filter stay.
 */
static void
list_tick(struct layer *l, struct tui *t)
{
	struct list_screen *ls = l->data;
	int	 every = LIST_POLL, ka = tui_config(t)->keepalive_seconds;

	if (ka > 0 && ka < every)
		every = ka;
	if (!tui_is_shown(t, l) || time_now() - ls->loaded < every)
		return;
	list_reload(ls, t);
}

static void
list_free(struct layer *l)
{
	struct list_screen *ls = l->data;

	store_records_free(ls->recs, ls->n);
	panel_clear(&ls->panel);
	free(ls->ftext);
	free(ls->asked);
	free(ls);
}

static const struct layer_ops list_ops = {
	.layout = list_layout,
	.draw = list_draw,
	.key = list_key,
	.resume = list_resume,
	.tick = list_tick,
	.free = list_free,
};

/* The list screen, loaded. */
struct layer *
screen_list_new(struct tui *t)
{
	struct list_screen *ls;

	ls = xcalloc(1, sizeof *ls);
	panel_init(&ls->panel);
	entry_init(&ls->filter, 64, 0);
	list_reload(ls, t);
	return (layer_new(&list_ops, ls, 1));
}
