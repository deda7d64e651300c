/*
 * screen-record.c: the form for one record, mirroring the admin page in
 * sections: the instance (read-only, from its INI), token policy,
 * protection, activity (read-only) and tokens, then the buttons. It binds
 * the generic form view to the record through the edit model and says
 * the outcome of every action in the status line.
 *
 * Invariants: a save writes only the fields whose value differs from
 * what was loaded, with what was loaded as the expected old value, so a
 * change made meanwhile by the daemon or another admin is never
 * overwritten (a change to the same field is shown as a conflict); the
 * field under the cursor is read (REQ_VALIDATION) before any save or
 * question; a record its daemon would refuse (a hand-edited value, an
 * unknown purpose) has a banner above the form saying why, as long as
 * the database holds it so; a field that lost a typed character says so
 * in the status line while the cursor is in it, and blocks the save;
 * tokens are shown masked unless revealed, and a copy or a reveal
 * writes an audit row naming the column and the token's fingerprint
 * only; a reveal holds for that token alone, so one that changed
 * meanwhile (regenerated, reloaded) is masked again until v shows it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "hyp-proto.h"
#include "hyp-time.h"
#include "hyp-token.h"
#include "tui.h"

enum rform_item {
	RI_SECTION,
	RI_USER,
	RI_CREATED,
	RI_DOMAIN,
	RI_PURPOSE,
	RI_SIZES,
	RI_SOCKET,
	RI_LAST_REFRESH,
	RI_KEEP_ALIVE,
	RI_LAST_TRANS,
	RI_ACCESS,
	RI_PREV,
	RI_REFRESH,
	RI_BUTTONS,
	RI_FIELD = 100,		/* + enum hyp_field */
};

#define RECORD_ITEMS	40
#define RECORD_POLL	5	/* seconds between activity reloads */
#define RECORD_BANNER	3	/* rows at most for why it is refused */

enum rform_button {
	RB_SAVE,
	RB_REGENERATE,
	RB_DELETE,
	RB_BACK,
};

static const char *rform_buttons[] = {
	"Save", "Regenerate Tokens", "Delete", "Back",
};

/* The token rows (RI_ACCESS on): their columns, for the audit, and names. */
static const char *rform_column[] = {
	"access_token", "prev_access_token", "refresh_token",
};
static const char *rform_token_name[] = {
	"Access token", "Previous access token", "Refresh token",
};

struct rform {
	struct tui	*t;
	char		 domain[254];
	struct edit	 e;
	struct fv_item	 items[RECORD_ITEMS];
	size_t		 nitems;
	int		 field_item[FIELD_COUNT];
	struct formview	*fv;
	char		 shown[3][TOKEN_FP_TEXT]; /* what v showed */
	int		 cols;
	int64_t		 polled;
	int		 elsewhere;	/* version on disk differs */
	char		 problem[640];	/* why its daemon refuses it, or "" */
	int		 banner;	/* rows the problem takes on screen */
	char		 said[1024];	/* the last refusal in the status */
	int		 said_field;	/* and its field, or -1 */
};

/* Ctrl keys work in any terminal, also one without F5 or F8 (vt100). */
static const struct keyhint rform_keys[] = {
	{ "F2/^O", "Save" },
	{ "Esc", "Back" },
	{ "F1", "Help" },
	{ "F5/^G", "Regenerate" },
	{ "F8/^X", "Delete" },
	{ "c", "Copy" },
	{ "v", "Show" },
	{ "Tab", "Next" },
};

static const struct keyhint rform_help[] = {
	{ "F2 ^O", "save the changed fields, then signal the instance" },
	{ "F5 ^G", "regenerate the tokens (asks first)" },
	{ "F8 ^X", "delete the record (asks for its name)" },
	{ "F10 Esc", "back to the list (asks if there are edits)" },
	{ "Tab S-Tab", "next or previous field, token or button" },
	{ "Up Down", "move; inside a list field, between its lines" },
	{ "Enter", "list field: new line; button: press it" },
	{ "PgUp PgDn", "scroll the form a screen" },
	{ "^U ^K", "clear the field, clear to the end of line" },
	{ "^R", "reload from the database, keeping your edits" },
	{ "c Enter", "on a token: copy it to your terminal (OSC 52)" },
	{ "v", "on a token: show or hide it" },
	{ "F1 ?", "this help (? only outside a field); Up Down PgUp "
	    "PgDn scroll it" },
	{ "^L", "draw the screen again" },
	{ "[ ]", "brackets mark what you can edit; the rest is "
	    "read-only" },
	{ "+3 more", "a list field holds more lines than it shows; Up "
	    "and Down in it scroll" },
	{ "INVALID", "the top line: its daemon refuses every request for "
	    "this record while the database holds the value named there; "
	    "fix it and save" },
	{ "not taken", "a character the field does not take was typed: "
	    "the field lost it and cannot be saved until ^U clears it (in "
	    "a list, ^A ^K the line named) and the value is typed again" },
};

static int	rform_save(struct rform *);
static int	rform_is_shown(const struct rform *, int);
static void	rform_say(struct rform *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static int
rform_field_of(const struct rform *rs, int item)
{
	int	 id = rs->items[item].id;

	return (id >= RI_FIELD ? id - RI_FIELD : -1);
}

static void
rform_add(struct rform *rs, enum litem_kind kind, int id,
    const char *label, int want_w)
{
	struct fv_item *it = &rs->items[rs->nitems++];

	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->id = id;
	hyp_strlcpy(it->label, label, sizeof it->label);
	it->want_w = want_w;
	it->rows = 1;
	if (kind == LI_FIELD) {
		it->ascii_only = 1;
		it->max_len = 40;
		rs->field_item[id - RI_FIELD] = (int)rs->nitems - 1;
	}
}

static void
rform_add_list(struct rform *rs, enum hyp_field f,
    const char *label, int want_w)
{
	rform_add(rs, LI_FIELD, RI_FIELD + f, label, want_w);
	rs->items[rs->nitems - 1].is_list = 1;
}

static void
rform_build(struct rform *rs)
{
	rs->nitems = 0;
	rform_add(rs, LI_SECTION, RI_SECTION, "Instance (from its INI)", 0);
	rform_add(rs, LI_TEXT, RI_USER, "Hyper User Name", 0);
	rform_add(rs, LI_TEXT, RI_CREATED, "Created On UTC", 0);
	rform_add(rs, LI_TEXT, RI_DOMAIN, "Domain Address", 0);
	rform_add(rs, LI_TEXT, RI_PURPOSE, "Domain Purpose", 0);
	rform_add(rs, LI_TEXT, RI_SIZES, "Max Tenants / Threads", 0);
	rform_add(rs, LI_TEXT, RI_SOCKET, "Control Socket", 0);
	rform_add(rs, LI_SECTION, RI_SECTION, "Token policy", 0);
	rform_add(rs, LI_FIELD, RI_FIELD + FIELD_TOKEN_LIFE_HOURS,
	    "Generated Token Life (h)", 10);
	rform_add(rs, LI_FIELD, RI_FIELD + FIELD_ACCESS_UNTIL,
	    "Access Until UTC", 20);
	rform_add(rs, LI_FIELD, RI_FIELD + FIELD_REFRESH_MODE,
	    "Refresh Token Mode", 10);
	rform_add(rs, LI_SECTION, RI_SECTION, "Protection", 0);
	rform_add(rs, LI_FIELD, RI_FIELD + FIELD_MAX_POSTS,
	    "Max Posts per IP/min", 10);
	rform_add(rs, LI_FIELD, RI_FIELD + FIELD_SESSION_TIMEOUT,
	    "Session Timeout (min)", 10);
	rform_add_list(rs, FIELD_WHITELIST, "IP v4 Whitelist", 20);
	rform_add_list(rs, FIELD_MODULES, "Enabled Modules", 20);
	rform_add_list(rs, FIELD_BLOCKED, "Block These Functions", 26);
	rform_add(rs, LI_SECTION, RI_SECTION, "Activity", 0);
	rform_add(rs, LI_TEXT, RI_LAST_REFRESH, "Last Token Refresh UTC",
	    HYP_TIME_TEXT - 1);
	rform_add(rs, LI_TEXT, RI_KEEP_ALIVE, "Keep Alive UTC",
	    HYP_TIME_TEXT - 1);
	rform_add(rs, LI_TEXT, RI_LAST_TRANS, "Last Trans UTC",
	    HYP_TIME_TEXT - 1);
	rform_add(rs, LI_SECTION, RI_SECTION, "Tokens", 0);
	rform_add(rs, LI_ACTION, RI_ACCESS, "Access Token", 0);
	rform_add(rs, LI_ACTION, RI_PREV, "Prev Access Token", 0);
	rform_add(rs, LI_ACTION, RI_REFRESH, "Refresh Token", 0);
	rform_add(rs, LI_BUTTONS, RI_BUTTONS, "", 0);
}

static const char *
rform_token(const struct rform *rs, int id)
{
	switch (id) {
	case RI_ACCESS:
		return (rs->e.rec.access_token);
	case RI_PREV:
		return (rs->e.rec.prev_access_token);
	default:
		return (rs->e.rec.refresh_token);
	}
}

/* Rows each item needs now: list fields by their lines, shown tokens. */
static void
rform_size_items(struct rform *rs, int lines, int cols)
{
	struct fv_item *it;
	const char *tok;
	size_t	 i;
	int	 f, n, maxrows, vw;

	maxrows = lines >= 30 ? 8 : 4;
	vw = cols - (2 + layout_label_width(cols) + 2) - 1;
	for (i = 0; i < rs->nitems; i++) {
		it = &rs->items[i];
		if (it->is_list) {
			f = rform_field_of(rs, (int)i);
			n = bind_count_lines(rs->e.text[f]) + 1;
			it->rows = n < 3 ? 3 : n > maxrows ? maxrows : n;
			it->min_w = (int)bind_longest_line(rs->e.text[f]) + 1;
		} else if (it->kind == LI_ACTION) {
			tok = rform_token(rs, it->id);
			n = (int)(tok != NULL ? strlen(tok) : 0);
			it->rows = rform_is_shown(rs, it->id) && vw > 0 ?
			    (n + vw - 1) / vw : 1;
		}
	}
}

/*
 * What the daemon makes of the record as stored (policy_record_problem),
 * without the record's name, which the title shows; a value that could
 * not be read is named by its field's label.
 */
static void
rform_check_record(struct rform *rs)
{
	char	 why[512], *q;
	const char *p = why;
	size_t	 n = strlen(rs->domain);
	int	 f;

	rs->problem[0] = '\0';
	if (policy_record_problem(&rs->e.rec, tui_catalog(rs->t), why,
	    sizeof why) == 0)
		return;
	for (f = 0; f < FIELD_COUNT; f++) {
		if (rs->e.unread[f][0] == '\0')
			continue;
		snprintf(rs->problem, sizeof rs->problem, "INVALID: its "
		    "daemon refuses every request for this record: %s %s",
		    field_info(f)->label, rs->e.unread[f]);
		return;
	}
	if (strncmp(p, "record ", 7) == 0 &&
	    strncmp(p + 7, rs->domain, n) == 0) {
		p += 7 + n;
		if (strncmp(p, " fails closed", 13) == 0)
			p += 13;
		while (*p == ':' || *p == ' ')
			p++;
	}
	snprintf(rs->problem, sizeof rs->problem, "INVALID: its daemon "
	    "refuses every request for this record: %s", p);
	for (q = rs->problem; *q != '\0'; q++) {
		if (*q == '\n' || *q == '\t')
			*q = ' ';	/* one paragraph */
	}
}

static void
rform_layout(struct layer *l, struct tui *t, int lines, int cols)
{
	struct rform *rs = l->data;
	char	**wrapped;
	int	 n;

	l->y = l->x = 0;
	l->h = lines;
	l->w = cols;
	rs->cols = cols;
	rs->banner = 0;
	if (rs->problem[0] != '\0') {
		n = text_wrap(rs->problem, cols - 2, &wrapped);
		text_lines_free(wrapped, n);
		rs->banner = n < RECORD_BANNER ? n : RECORD_BANNER;
		if (lines < 24 && rs->banner > 2)
			rs->banner = 2;
	}
	rform_size_items(rs, lines, cols);
	formview_layout(rs->fv, cols, lines - CHROME_TOP - rs->banner -
	    chrome_bottom(t));
}

/* The banner of a record its daemon refuses, cut with a mark to fit. */
static void
rform_draw_banner(struct rform *rs, struct canvas *c)
{
	char	**wrapped;
	int	 n, i;

	n = text_wrap(rs->problem, c->w - 2, &wrapped);
	for (i = 0; i < rs->banner; i++) {
		canvas_fill(c, CHROME_TOP + i, 0, c->w, L' ', ROLE_DANGER);
		if (i < n)
			canvas_put(c, CHROME_TOP + i, 1, c->w - 2, ROLE_DANGER,
			    wrapped[i]);
	}
	if (n > rs->banner)
		canvas_fill(c, CHROME_TOP + rs->banner - 1, c->w - 2, 1,
		    glyphs.more, ROLE_DANGER);
	text_lines_free(wrapped, n);
}

static void
rform_draw(struct layer *l, struct tui *t)
{
	struct rform *rs = l->data;
	char	 right[128];
	int	 rows;

	snprintf(right, sizeof right, "%s%sversion %lld",
	    edit_is_dirty(&rs->e) ? "modified  " : "",
	    rs->elsewhere ? "changed elsewhere (^R)  " : "",
	    (long long)rs->e.rec.version);
	rows = chrome_draw(t, &l->canvas, rs->domain, right, rform_keys,
	    sizeof rform_keys / sizeof rform_keys[0]);
	if (rs->banner > 0)
		rform_draw_banner(rs, &l->canvas);
	canvas_hole(&l->canvas, CHROME_TOP + rs->banner, 0,
	    rows - rs->banner, l->w);
	formview_draw(rs->fv);
}

static void
rform_paint(struct layer *l, struct tui *t)
{
	struct rform *rs = l->data;

	l->cury = formview_paint(rs->fv, CHROME_TOP + rs->banner, 0) ?
	    -2 : -1;
}

/*
 * A refusal about field f in the status line, remembered so that it can
 * be taken back once the field is right (rform_unsay).
 */
static void
rform_say(struct rform *rs, int f, const char *fmt, ...)
{
	va_list	 ap;
	char	 buf[1024];
	int	 role;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	tui_status(rs->t, ROLE_ERROR, "%s", buf);
	hyp_strlcpy(rs->said, tui_status_get(rs->t, &role), sizeof rs->said);
	rs->said_field = f;
}

/* Take back what f was told if the status line still shows it. */
static void
rform_unsay(struct rform *rs, int f, const char *words)
{
	int	 role;

	if (rs->said_field != f ||
	    strcmp(tui_status_get(rs->t, &role), rs->said) != 0)
		return;
	rs->said_field = -1;
	tui_status(rs->t, ROLE_NORMAL, "%s %s.", field_info(f)->label, words);
}

/* The reason field f is refused, with its label in front. */
static void
rform_reason(struct rform *rs, int f, char *buf, size_t len)
{
	const char *label = field_info(f)->label, *note = rs->e.note[f];

	if (strncmp(note, label, strlen(label)) == 0)
		snprintf(buf, len, "%s", note);
	else
		snprintf(buf, len, "%s: %s", label, note);
}

/* A warning about field f, taken back like a refusal once it is right. */
static void
rform_warn(struct rform *rs, int f)
{
	char	 why[512];
	int	 role;

	rform_reason(rs, f, why, sizeof why);
	tui_status(rs->t, ROLE_WARN, "%s", why);
	hyp_strlcpy(rs->said, tui_status_get(rs->t, &role), sizeof rs->said);
	rs->said_field = f;
}

/* The record again from the database, keeping what was typed. */
static int
rform_reload(struct rform *rs, int keep_edits)
{
	struct hyp_record rec;
	struct hyp_error err;
	int	 f;

	memset(&rec, 0, sizeof rec);
	hyp_error_clear(&err);
	if (store_load(tui_store(rs->t), rs->domain, 1, &rec, &err) != 0) {
		tui_status(rs->t, ROLE_ERROR, "Could not read %s: %s",
		    rs->domain, err.msg);
		return (-1);
	}
	if (keep_edits)
		edit_rebase(&rs->e, &rec);
	else {
		edit_clear(&rs->e);
		edit_init(&rs->e, &rec);
		edit_set_client(&rs->e);
	}
	for (f = 0; f < FIELD_COUNT; f++)
		edit_check(&rs->e, f, time_now(), tui_catalog(rs->t));
	record_clear(&rec);
	rs->elsewhere = 0;
	rform_check_record(rs);
	return (0);
}

static void
rform_conflict(struct rform *rs, enum hyp_field f,
    const struct hyp_error *err)
{
	const struct field_info *fi = field_info(f);

	snprintf(rs->e.note[f], sizeof rs->e.note[f], "changed by someone "
	    "else meanwhile; ^R shows it, F2 then writes yours");
	rs->e.bad[f] = 1;
	tui_status(rs->t, ROLE_ERROR, "Not saved, conflict on %s: %s. Your "
	    "edits are kept; ^R reloads around them, then F2 writes yours "
	    "over it.", fi != NULL ? fi->label : "a field", err->msg);
	formview_set_focus(rs->fv, rs->field_item[f]);
}

static void
rform_save_failed(struct rform *rs, enum hyp_field conflict,
    const struct hyp_error *err)
{
	switch (err->code) {
	case HYP_E_CONFLICT:
		rform_conflict(rs, conflict, err);
		break;
	case HYP_E_BUSY:
		tui_status(rs->t, ROLE_WARN, "Busy: the database stayed "
		    "locked by another writer; nothing saved, your edits are "
		    "kept on screen. F2 tries again.");
		break;
	case HYP_E_INVALID:
		tui_status(rs->t, ROLE_ERROR, "Refused: %s", err->msg);
		break;
	case HYP_E_NOTFOUND:
		tui_status(rs->t, ROLE_ERROR, "Not saved: %s was deleted "
		    "meanwhile.", rs->domain);
		break;
	default:
		tui_status(rs->t, ROLE_ERROR, "Not saved: %s", err->msg);
		break;
	}
}

/*
 * Save: read the field under the cursor, validate what changed, write
 * those fields against the values loaded, reload, signal. 0 when saved
 * (or nothing to save), -1 when not.
 */
static int
rform_save(struct rform *rs)
{
	struct store_edit edits[FIELD_COUNT];
	char	*canon[FIELD_COUNT], words[512], why[512];
	struct hyp_error err;
	enum hyp_field bad = FIELD_COUNT, conflict = FIELD_COUNT;
	int64_t	 version = 0;
	size_t	 n, i;
	int	 rc;

	formview_sync(rs->fv);
	if (edit_collect(&rs->e, time_now(), tui_catalog(rs->t), edits, canon,
	    &n, &bad) != 0) {
		formview_set_focus(rs->fv, rs->field_item[bad]);
		rform_reason(rs, bad, why, sizeof why);
		rform_say(rs, bad, "Not saved: %s", why);
		return (-1);
	}
	if (n == 0) {
		tui_status(rs->t, ROLE_NORMAL, "Nothing to save: every field "
		    "holds what the database holds.");
		return (0);
	}
	hyp_error_clear(&err);
	rc = store_save(tui_store(rs->t), rs->domain, edits, n, &conflict,
	    &version, &err);
	for (i = 0; i < FIELD_COUNT; i++)
		free(canon[i]);
	if (rc != 0) {
		rform_save_failed(rs, conflict, &err);
		return (-1);
	}
	rform_reload(rs, 0);
	actions_signal(rs->e.rec.control_socket, PROTO_REFRESH, rs->domain,
	    words, sizeof words);
	if (rs->problem[0] != '\0')
		tui_status(rs->t, ROLE_WARN, "Saved %zu field%s, version %lld; "
		    "its daemon still refuses the record (top line). %s", n,
		    n == 1 ? "" : "s", (long long)version, words);
	else
		tui_status(rs->t, ROLE_GOOD, "Saved %zu field%s, version "
		    "%lld. %s", n, n == 1 ? "" : "s", (long long)version,
		    words);
	return (0);
}

static int
rform_regenerate_done(struct tui *t, void *arg, int answer,
    const char *text)
{
	struct rform *rs = arg;
	struct hyp_record rec;

	if (answer != 0) {
		tui_status(t, ROLE_NORMAL, "Regenerate cancelled.");
		return (0);
	}
	memset(&rec, 0, sizeof rec);
	if (actions_regenerate(t, rs->domain, &rec) != 0)
		return (0);
	edit_rebase(&rs->e, &rec);
	record_clear(&rec);
	return (TUI_LAYOUT);
}

static int
rform_delete_done(struct tui *t, void *arg, int answer, const char *text)
{
	struct rform *rs = arg;

	if (answer != 0 || text == NULL || strcmp(text, rs->domain) != 0) {
		tui_status(t, ROLE_NORMAL, "Delete cancelled; nothing "
		    "changed.");
		return (0);
	}
	if (actions_delete(t, rs->domain) != 0)
		return (0);
	return (TUI_CLOSE_BELOW);
}

static int
rform_leave_done(struct tui *t, void *arg, int answer, const char *text)
{
	struct rform *rs = arg;

	switch (answer) {
	case 0:
		if (rform_save(rs) != 0)
			return (TUI_LAYOUT);
		return (TUI_CLOSE_BELOW);
	case 1:
		tui_status(t, ROLE_NORMAL, "Edits to %s discarded.",
		    rs->domain);
		return (TUI_CLOSE_BELOW);
	default:
		return (0);
	}
}

static int
rform_back(struct rform *rs)
{
	struct dialog *d;
	char	 title[300], *body, *next;
	int	 f, n = 0;

	formview_sync(rs->fv);
	if (!edit_is_dirty(&rs->e))
		return (TUI_CLOSE);
	body = xstrdup("Changed and not saved:");
	for (f = 0; f < FIELD_COUNT; f++) {
		if (!edit_field_is_dirty(&rs->e, f))
			continue;
		xasprintf(&next, "%s%s %s", body, n++ > 0 ? "," : "",
		    field_info(f)->label);
		free(body);
		body = next;
	}
	xasprintf(&next, "%s. Save them, discard them, or stay?", body);
	free(body);
	body = next;
	snprintf(title, sizeof title, "Unsaved changes to %s", rs->domain);
	d = xcalloc(1, sizeof *d);
	dialog_init(d, title, body);
	free(body);
	dialog_add_button(d, "Save", 0);
	dialog_add_button(d, "Discard", 0);
	dialog_add_button(d, "Stay", 1);
	dialog_set_cancel(d, 2);
	tui_push(rs->t, dialog_layer_new(d, rform_leave_done, rs));
	return (TUI_DRAW);
}

static int
rform_button(void *arg, int b)
{
	struct rform *rs = arg;

	switch (b) {
	case RB_SAVE:
		rform_save(rs);
		return (TUI_LAYOUT);
	case RB_REGENERATE:
		formview_sync(rs->fv);
		ask_regenerate(rs->t, rs->domain, rform_regenerate_done, rs);
		return (TUI_DRAW);
	case RB_DELETE:
		formview_sync(rs->fv);
		ask_delete(rs->t, rs->domain, rform_delete_done, rs);
		return (TUI_DRAW);
	default:
		return (rform_back(rs));
	}
}

/* Copy a token with OSC 52 and note it in the audit. */
static int
rform_copy(struct rform *rs, int id)
{
	const char *tok = rform_token(rs, id);
	const char *name = rform_token_name[id - RI_ACCESS];
	struct hyp_error err;
	char	 fp[TOKEN_FP_TEXT], detail[128], how[256];
	ssize_t	 sent;
	size_t	 len;

	if (tok == NULL || *tok == '\0') {
		tui_status(rs->t, ROLE_WARN, "%s: there is none to copy.",
		    name);
		return (TUI_DRAW);
	}
	len = strlen(tok);
	if ((sent = tui_clip(rs->t, tok, len)) < 0) {
		tui_status(rs->t, ROLE_ERROR, "%s: not copied (could not "
		    "encode it for the terminal).", name);
		return (TUI_DRAW);
	}
	token_fingerprint(tok, len, fp);
	snprintf(detail, sizeof detail, "%s fingerprint %s",
	    rform_column[id - RI_ACCESS], fp);
	hyp_error_clear(&err);
	if (store_audit(tui_store(rs->t), rs->domain, "copy", detail,
	    time_now(), &err) != 0) {
		tui_status(rs->t, ROLE_ERROR, "%s: not copied; the audit row "
		    "could not be written: %s", name, err.msg);
		tui_clip(rs->t, NULL, 0);
		return (TUI_DRAW);
	}
	osc52_describe(tui_osc52_mux(rs->t), (size_t)sent, how, sizeof how);
	tui_status(rs->t, ROLE_NORMAL, "%s (%zu chars): %s",
	    name, len, how);
	return (TUI_DRAW);
}

/* 1 when the token of row id is shown: the very token v revealed. */
static int
rform_is_shown(const struct rform *rs, int id)
{
	const char *tok = rform_token(rs, id), *shown;
	char	 fp[TOKEN_FP_TEXT];

	shown = rs->shown[id - RI_ACCESS];
	if (tok == NULL || *tok == '\0' || *shown == '\0')
		return (0);
	token_fingerprint(tok, strlen(tok), fp);
	return (strcmp(fp, shown) == 0);
}

/*
 * Show a token, or mask it again. Showing it is recorded in the audit
 * first, as the CLI's show --reveal is; without the row, nothing shows.
 */
static int
rform_reveal(struct rform *rs, int id)
{
	const char *tok = rform_token(rs, id);
	const char *name = rform_token_name[id - RI_ACCESS];
	char	*shown = rs->shown[id - RI_ACCESS], fp[TOKEN_FP_TEXT];
	char	 detail[128];
	struct hyp_error err;

	if (rform_is_shown(rs, id)) {
		shown[0] = '\0';
		return (TUI_LAYOUT);
	}
	if (tok == NULL || *tok == '\0') {
		tui_status(rs->t, ROLE_WARN, "%s: there is none to show.",
		    name);
		return (TUI_DRAW);
	}
	token_fingerprint(tok, strlen(tok), fp);
	snprintf(detail, sizeof detail, "%s fingerprint %s shown",
	    rform_column[id - RI_ACCESS], fp);
	hyp_error_clear(&err);
	if (store_audit(tui_store(rs->t), rs->domain, "reveal", detail,
	    time_now(), &err) != 0) {
		tui_status(rs->t, ROLE_ERROR, "%s: not shown; the audit row "
		    "could not be written: %s", name, err.msg);
		return (TUI_DRAW);
	}
	hyp_strlcpy(shown, fp, TOKEN_FP_TEXT);
	tui_status(rs->t, ROLE_NORMAL, "%s shown, and noted in the audit by "
	    "its fingerprint %s; v hides it.", name, fp);
	return (TUI_LAYOUT);
}

static int
rform_action_key(void *arg, int item, const struct tui_key *k)
{
	struct rform *rs = arg;
	int	 id = rs->items[item].id;

	if (k->code == TK_ENTER || (k->code == TK_CHAR && k->ch == L'c'))
		return (rform_copy(rs, id));
	if (k->code == TK_CHAR && k->ch == L'v')
		return (rform_reveal(rs, id));
	return (0);
}

static char *
rform_get_text(void *arg, int item)
{
	struct rform *rs = arg;

	return (xstrdup(rs->e.text[rform_field_of(rs, item)]));
}

static void
rform_set_text(void *arg, int item, const char *text)
{
	struct rform *rs = arg;
	int	 f = rform_field_of(rs, item), mask, g;

	mask = edit_set_text(&rs->e, f, text, time_now());
	for (g = 0; g < FIELD_COUNT; g++) {
		if (mask & (1 << g))
			formview_set_text(rs->fv, rs->field_item[g],
			    rs->e.text[g]);
	}
}

static void
rform_leave(void *arg, int item)
{
	struct rform *rs = arg;
	int	 f = rform_field_of(rs, item);
	char	 why[512];

	if (edit_check(&rs->e, f, time_now(), tui_catalog(rs->t)) != 0) {
		rform_reason(rs, f, why, sizeof why);
		rform_say(rs, f, "Refused: %s", why);
	} else if (rs->e.note[f][0] != '\0')
		rform_warn(rs, f);
	else
		rform_unsay(rs, f, "is accepted now");
}

/* A paste that did not go into field f: the field is as it was. */
static void
rform_paste_refused(struct rform *rs, int f, const struct fv_refused *why,
    const char *c)
{
	const char *label = field_info(f)->label;

	switch (why->kind) {
	case FV_PASTE_CHAR:
		tui_status(rs->t, ROLE_ERROR, "Not pasted: %s does not take "
		    "%s%s, on line %d of the paste; nothing of it went in.",
		    label, c, rs->items[rs->field_item[f]].ascii_only ?
		    " (ASCII only)" : "", why->line + 1);
		break;
	case FV_PASTE_LINES:
		tui_status(rs->t, ROLE_ERROR, "Not pasted: %s takes one line, "
		    "and the paste holds more; nothing of it went in.", label);
		break;
	case FV_PASTE_WIDE:
		tui_status(rs->t, ROLE_ERROR, "Not pasted: line %d of the "
		    "paste makes a line of more than %d characters, the most "
		    "%s holds at this width (widen it, or use hyptokens set); "
		    "nothing of it went in.", why->line + 1, why->max, label);
		break;
	default:
		tui_status(rs->t, ROLE_ERROR, "Not pasted: %s holds at most %d "
		    "characters, and the paste makes more; nothing of it went "
		    "in.", label, why->max);
		break;
	}
}

/* A key that did not go into a field: the field is marked, and says so. */
static void
rform_refused(void *arg, int item, const struct fv_refused *why)
{
	struct rform *rs = arg;
	int	 f = rform_field_of(rs, item);
	char	 what[128], c[16], out[512];

	bind_describe(why->ch, c, sizeof c);
	switch (why->kind) {
	case FV_REFUSED_CHAR:
		snprintf(what, sizeof what, "a character this field does not "
		    "take was typed here: %s%s", c, rs->items[item].ascii_only ?
		    " (ASCII only)" : "");
		break;
	case FV_REFUSED_FULL:
		snprintf(what, sizeof what, "more was typed than the field "
		    "holds: %s and what followed were not taken", c);
		break;
	case FV_REFUSED_WIDE:
		snprintf(what, sizeof what, "a line holds at most %d "
		    "characters at this width (widen it, or use hyptokens "
		    "set): %s was not taken", why->max, c);
		break;
	case FV_REFUSED_LINE:
		snprintf(what, sizeof what, "a new line was typed where the "
		    "field has no room for one");
		break;
	default:
		rform_paste_refused(rs, f, why, c);
		return;
	}
	edit_refuse_line(&rs->e, f, why->line, what);
	rform_reason(rs, f, out, sizeof out);
	rform_say(rs, f, "%s", out);
}

/* A field too narrow to edit at this width: its entries, read-only. */
static void
rform_narrow_value(struct rform *rs, int f, char *buf, size_t len)
{
	char	*text = xstrdup(rs->e.text[f]), *p;

	for (p = text; *p != '\0'; p++) {
		if (*p == '\n')
			*p = ' ';
	}
	snprintf(buf, len, "%s  (too narrow to edit here: widen the "
	    "terminal)", text);
	free(text);
}

static void
rform_time_value(int64_t when, char *buf, size_t len)
{
	if (when <= 0)
		snprintf(buf, len, "never");
	else
		time_format(when, buf);
}

static void
rform_token_value(struct rform *rs, int id, char *buf, size_t len,
    int *role)
{
	const char *tok = rform_token(rs, id);
	char	 mask[128], left[64];
	int64_t	 now = time_now();

	if (rform_is_shown(rs, id)) {
		snprintf(buf, len, "%s", tok);
		return;
	}
	words_mask(tok, mask, sizeof mask);
	if (tok == NULL || *tok == '\0')
		snprintf(buf, len, "%s", mask);
	else if (id != RI_PREV)
		snprintf(buf, len, "%s   c copy  v show", mask);
	else if (rs->e.rec.prev_access_until > now) {
		time_format_relative(rs->e.rec.prev_access_until, now, left,
		    sizeof left);
		snprintf(buf, len, "%s  grace ends %s", mask, left);
	} else {
		snprintf(buf, len, "%s  grace over: refused", mask);
		*role = ROLE_HINT;
	}
}

static void
rform_value(void *arg, int item, int width, char *buf, size_t len,
    int *role)
{
	struct rform *rs = arg;
	const struct hyp_record *r = &rs->e.rec;

	*role = ROLE_VALUE;
	switch (rs->items[item].id) {
	case RI_USER:
		snprintf(buf, len, "%s", r->user_name);
		break;
	case RI_CREATED:
		rform_time_value(r->created_on, buf, len);
		break;
	case RI_DOMAIN:
		snprintf(buf, len, "%s", r->domain);
		break;
	case RI_PURPOSE:
		words_purpose(tui_catalog(rs->t), r->purpose, buf, len);
		if (words_is_unsecured(tui_catalog(rs->t), r->purpose))
			*role = ROLE_DANGER;
		break;
	case RI_SIZES:
		snprintf(buf, len, "%d tenants, %d threads", r->max_tenants,
		    r->max_threads);
		break;
	case RI_SOCKET:
		snprintf(buf, len, "%s", r->control_socket[0] != '\0' ?
		    r->control_socket : "(none)");
		break;
	case RI_LAST_REFRESH:
		rform_time_value(r->last_refresh, buf, len);
		break;
	case RI_KEEP_ALIVE:
		rform_time_value(r->keep_alive, buf, len);
		break;
	case RI_LAST_TRANS:
		rform_time_value(r->last_trans, buf, len);
		break;
	case RI_ACCESS:
	case RI_PREV:
	case RI_REFRESH:
		rform_token_value(rs, rs->items[item].id, buf, len, role);
		break;
	default:
		buf[0] = '\0';
		if (rform_field_of(rs, item) >= 0)
			rform_narrow_value(rs, rform_field_of(rs, item), buf,
			    len);
		break;
	}
}

static void
rform_hint(void *arg, int item, char *buf, size_t len, int *role)
{
	struct rform *rs = arg;
	const struct hyp_record *r = &rs->e.rec;
	int	 f = rform_field_of(rs, item);
	int64_t	 now = time_now(), when = 0;
	enum alive_state as;
	char	 rel[64];

	*role = ROLE_HINT;
	if (f >= 0) {
		edit_hint(&rs->e, f, tui_catalog(rs->t), now, buf, len);
		if (rs->e.bad[f])
			*role = ROLE_ERROR;
		else if (rs->e.note[f][0] != '\0')
			*role = ROLE_WARN;
		return;
	}
	switch (rs->items[item].id) {
	case RI_KEEP_ALIVE:
		as = status_alive(r->keep_alive, now,
		    tui_config(rs->t)->keepalive_seconds);
		if (as == ALIVE_NEVER) {
			snprintf(buf, len, "never: no daemon has run");
			return;
		}
		time_format_relative(r->keep_alive, now, rel, sizeof rel);
		snprintf(buf, len, "%s, %s", status_alive_name(as), rel);
		*role = as == ALIVE_UP ? ROLE_GOOD : ROLE_WARN;
		return;
	case RI_LAST_REFRESH:
		when = r->last_refresh;
		break;
	case RI_LAST_TRANS:
		when = r->last_trans;
		break;
	default:
		return;
	}
	if (when > 0)
		time_format_relative(when, now, buf, len);
}

/*
 * While the cursor is in a field that lost a typed character, the status
 * line says so; once the field was cleared, it says that instead.
 */
static void
rform_keep_saying(struct rform *rs, int was)
{
	int	 item = formview_focus(rs->fv), f;
	char	 why[512];

	f = item >= 0 ? rform_field_of(rs, item) : -1;
	if (f >= 0 && rs->e.refused[f][0] != '\0') {
		rform_reason(rs, f, why, sizeof why);
		rform_say(rs, f, "%s", why);
	} else if (was >= 0 && rs->e.refused[was][0] == '\0')
		rform_unsay(rs, was, rs->e.text[was][0] == '\0' ?
		    "was cleared: type its value again" : "is clear of the "
		    "line that lost a character: type that line again");
}

static int
rform_key(struct layer *l, struct tui *t, const struct tui_key *k)
{
	struct rform *rs = l->data;
	int	 r, item, was = -1;

	item = formview_focus(rs->fv);
	if (item >= 0 && rform_field_of(rs, item) >= 0 &&
	    rs->e.refused[rform_field_of(rs, item)][0] != '\0')
		was = rform_field_of(rs, item);
	switch (k->code) {
	case TK_FKEY:
		switch (k->ch) {
		case 1:
			break;
		case 2:
			return (rform_button(rs, RB_SAVE));
		case 5:
			return (rform_button(rs, RB_REGENERATE));
		case 8:
			return (rform_button(rs, RB_DELETE));
		case 10:
			return (rform_back(rs));
		default:
			return (TUI_HANDLED);
		}
		goto help;
	case TK_ESC:
		return (rform_back(rs));
	case TK_CTRL:
		switch (k->ch) {
		case 'o':
			return (rform_button(rs, RB_SAVE));
		case 'g':
			return (rform_button(rs, RB_REGENERATE));
		case 'x':
			return (rform_button(rs, RB_DELETE));
		case 'r':
			break;
		default:
			goto field;
		}
		formview_sync(rs->fv);
		if (rform_reload(rs, 1) == 0)
			tui_status(t, ROLE_NORMAL, "Reloaded %s; %s.",
			    rs->domain, edit_is_dirty(&rs->e) ?
			    "your unsaved edits are kept" : "no edits pending");
		return (TUI_LAYOUT);
	case TK_CHAR:
		if (k->ch == L'?' && !formview_focus_is_field(rs->fv))
			goto help;
		break;
	default:
		break;
	}
field:
	r = formview_key(rs->fv, k);
	rform_keep_saying(rs, was);
	return (r != 0 ? r : TUI_HANDLED);
help:
	tui_push(t, dialog_help_new("Keys: record form", rform_help,
	    sizeof rform_help / sizeof rform_help[0]));
	return (TUI_DRAW);
}

/* Every few seconds: the activity columns (and whether it changed). */
static void
rform_tick(struct layer *l, struct tui *t)
{
	struct rform *rs = l->data;
	struct hyp_record rec;
	struct hyp_error err;
	int64_t	 now = time_now();

	if (now - rs->polled < RECORD_POLL)
		return;
	rs->polled = now;
	memset(&rec, 0, sizeof rec);
	if (store_load(tui_store(t), rs->domain, 0, &rec, &err) != 0)
		return;
	rs->e.rec.keep_alive = rec.keep_alive;
	rs->e.rec.last_trans = rec.last_trans;
	rs->elsewhere = rec.version != rs->e.rec.version;
	record_clear(&rec);
}

static void
rform_free(struct layer *l)
{
	struct rform *rs = l->data;

	formview_free(rs->fv);
	edit_clear(&rs->e);
	free(rs);
}

static const struct layer_ops rform_ops = {
	.layout = rform_layout,
	.draw = rform_draw,
	.paint = rform_paint,
	.key = rform_key,
	.tick = rform_tick,
	.free = rform_free,
};

static const struct formview_ops rform_fv_ops = {
	.get_text = rform_get_text,
	.set_text = rform_set_text,
	.leave = rform_leave,
	.value = rform_value,
	.hint = rform_hint,
	.refused = rform_refused,
	.action_key = rform_action_key,
	.button = rform_button,
};

/* The form for domain, loaded with its tokens; NULL (status set) if not. */
struct layer *
screen_record_new(struct tui *t, const char *domain)
{
	struct rform *rs;
	struct hyp_record rec;
	struct hyp_error err;
	int	 f;

	memset(&rec, 0, sizeof rec);
	hyp_error_clear(&err);
	if (store_load(tui_store(t), domain, 1, &rec, &err) != 0) {
		tui_status(t, ROLE_ERROR, "Could not open %s: %s", domain,
		    err.msg);
		return (NULL);
	}
	rs = xcalloc(1, sizeof *rs);
	rs->t = t;
	rs->said_field = -1;
	hyp_strlcpy(rs->domain, domain, sizeof rs->domain);
	edit_init(&rs->e, &rec);
	edit_set_client(&rs->e);
	record_clear(&rec);
	for (f = 0; f < FIELD_COUNT; f++)
		edit_check(&rs->e, f, time_now(), tui_catalog(t));
	rs->polled = time_now();
	rform_build(rs);
	rs->fv = formview_new(rs->items, rs->nitems, rform_buttons,
	    4, &rform_fv_ops, rs);
	rform_check_record(rs);
	if (rs->problem[0] != '\0')
		tui_status(t, ROLE_ERROR, "Its daemon refuses %s: the top "
		    "line says why.", domain);
	else
		tui_status(t, ROLE_NORMAL, "%s: F2 or ^O saves, Esc goes back, "
		    "F1 lists the keys.", domain);
	return (layer_new(&rform_ops, rs, 1));
}
