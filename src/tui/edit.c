/*
 * edit.c: the record being edited in the form, apart from any widget.
 * It holds, per editable field, the canonical text at load (the `old`
 * of store_save), the text as typed, and the verdict of the shared
 * validation (field_parse: the same as the CLI's).
 *
 * Invariants: a save carries exactly the fields whose typed text parses
 * to something else than their canonical text at load, and the fields
 * whose stored value could not be read once a value is typed into them;
 * a changed field that does not parse blocks the save, and so does a
 * field into which a refused character was typed, until it is cleared
 * (in a list, until the line it was typed into is);
 * a value that storage could not read is never shown as the stand-in the
 * record holds for it; a change of the hours makes Access Until now +
 * hours (shown at once, and computed again at the moment of the save)
 * until Access Until itself is typed into, and while the hours do not
 * parse it shows what was loaded and says why, never a time made from
 * half-typed hours.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyp-time.h"
#include "tui.h"

/*
 * The field whose stored value storage could not read, from the reason
 * it gives ("column holds 'x', not a number"), with the words after the
 * column name in why. FIELD_COUNT when none of the editable fields is.
 */
static enum hyp_field
edit_unread_field(const struct hyp_record *rec, char *why, size_t len)
{
	const struct field_info *fi;
	char	 name[64];
	size_t	 n;

	n = strcspn(rec->invalid, " ");
	if (n == 0 || n >= sizeof name)
		return (FIELD_COUNT);
	memcpy(name, rec->invalid, n);
	name[n] = '\0';
	if ((fi = field_find(name)) == NULL)
		return (FIELD_COUNT);
	hyp_strlcpy(why, rec->invalid + n + (rec->invalid[n] == ' '), len);
	return (fi->field);
}

/*
 * A number in Access Until that is no time field_get can write (past the
 * year 9999, or before 1970): not a value the form can show either.
 */
static void
edit_unread_until(struct edit *e)
{
	enum hyp_field f = FIELD_ACCESS_UNTIL;

	if (e->unread[f][0] != '\0' || e->base[f][0] != '\0')
		return;
	snprintf(e->unread[f], sizeof e->unread[f], "holds %lld, which is "
	    "no time from 1970 to 9999", (long long)e->rec.access_until);
}

/* The text a field showed when loaded: "" for a value not read. */
static const char *
edit_loaded(const struct edit *e, enum hyp_field f)
{
	return (e->unread[f][0] != '\0' ? "" : e->base[f]);
}

/* Start editing a copy of rec. */
void
edit_init(struct edit *e, const struct hyp_record *rec)
{
	char	 why[sizeof e->unread[0]];
	int	 f, u;

	memset(e, 0, sizeof *e);
	record_copy(&e->rec, rec);
	if ((u = edit_unread_field(rec, why, sizeof why)) != FIELD_COUNT)
		hyp_strlcpy(e->unread[u], why, sizeof e->unread[u]);
	for (f = 0; f < FIELD_COUNT; f++) {
		e->base[f] = field_get(rec, f);
		if (e->base[f] == NULL)
			e->base[f] = xstrdup("");
	}
	edit_unread_until(e);
	for (f = 0; f < FIELD_COUNT; f++)
		e->text[f] = xstrdup(edit_loaded(e, f));
}

/* Note the admin's own address (SSH_CLIENT) for the whitelist warning. */
void
edit_set_client(struct edit *e)
{
	const char *ssh = getenv("SSH_CLIENT");
	size_t	 n;

	e->client[0] = '\0';
	if (ssh == NULL)
		return;
	n = strcspn(ssh, " ");
	if (n >= sizeof e->client)
		n = sizeof e->client - 1;
	memcpy(e->client, ssh, n);
	e->client[n] = '\0';
}

/* Release everything, tokens wiped. */
void
edit_clear(struct edit *e)
{
	int	 f;

	for (f = 0; f < FIELD_COUNT; f++) {
		free(e->base[f]);
		free(e->text[f]);
		e->base[f] = e->text[f] = NULL;
	}
	record_clear(&e->rec);
}

static void
edit_replace(struct edit *e, enum hyp_field f, const char *s)
{
	free(e->text[f]);
	e->text[f] = xstrdup(s);
}

/* The hours a text parses to, or 0. */
static int
edit_hours(const char *text, int64_t now)
{
	struct hyp_error err;
	char	*canon = NULL;
	long long v = 0;

	if (field_parse(FIELD_TOKEN_LIFE_HOURS, text, now, NULL, &canon,
	    NULL, 0, &err) != 0)
		return (0);
	if (hyp_parse_int(canon, POLICY_HOURS_MIN, POLICY_HOURS_MAX, &v) != 0)
		v = 0;
	free(canon);
	return ((int)v);
}

/*
 * The refusal of a field that lost a character, in note[f]: in a list,
 * with the line to clear.
 */
static void
edit_note_refused(struct edit *e, enum hyp_field f)
{
	char	 what[sizeof e->refused[0]];
	int	 line = e->refused_line[f];

	hyp_strlcpy(what, e->refused[f], sizeof what);
	e->bad[f] = 1;
	if (line < 0)
		snprintf(e->note[f], sizeof e->note[f], "%s; ^U clears the "
		    "field, then type the value again", what);
	else
		snprintf(e->note[f], sizeof e->note[f], "%s, line %d: %s; ^A "
		    "then ^K clears that line", field_info(f)->label,
		    line + 1, what);
}

/* The lines of s, at least min of them (empty ones added). Caller frees. */
static char **
edit_lines(const char *s, int min, int *n)
{
	char	**v = NULL;
	size_t	 k;

	for (*n = 0; s != NULL || *n < min; (*n)++) {
		v = xrealloc(v, ((size_t)*n + 1) * sizeof *v);
		if (s == NULL) {
			v[*n] = xstrdup("");
			continue;
		}
		k = strcspn(s, "\n");
		v[*n] = xstrndup(s, k);
		s = s[k] == '\n' ? s + k + 1 : NULL;
	}
	return (v);
}

static void
edit_lines_free(char **v, int n)
{
	while (n-- > 0)
		free(v[n]);
	free(v);
}

/*
 * Where line k of text old is in text new, one edit later: the same
 * line above what changed, moved by the lines added or removed above it
 * when below, and within it the nearest line that changed. -1 when it
 * was removed. A line past the end of both is where it was (empty).
 */
static int
edit_follow_line(const char *old, const char *new, int k)
{
	char	**o, **n;
	int	 no, nn, p = 0, s = 0, at;

	if (k >= bind_count_lines(old) && k >= bind_count_lines(new))
		return (k);
	o = edit_lines(old, k + 1, &no);
	n = edit_lines(new, 0, &nn);
	while (p < no && p < nn && strcmp(o[p], n[p]) == 0)
		p++;
	while (s < no - p && s < nn - p &&
	    strcmp(o[no - 1 - s], n[nn - 1 - s]) == 0)
		s++;
	if (k < p)
		at = k;
	else if (k >= no - s)
		at = k + nn - no;
	else if (nn - s > p)
		at = k < nn - s - 1 ? k : nn - s - 1;
	else
		at = -1;
	edit_lines_free(o, no);
	edit_lines_free(n, nn);
	return (at);
}

/* 1 if line k of text holds nothing but blanks (or is not there). */
static int
edit_line_is_blank(const char *text, int k)
{
	char	**v;
	int	 n, blank;

	v = edit_lines(text, k + 1, &n);
	blank = v[k][strspn(v[k], " \t")] == '\0';
	edit_lines_free(v, n);
	return (blank);
}

/*
 * A refused character's mark as the text of f becomes text: it stays on
 * its line, and goes once that line (for a mark on the whole field, the
 * field) holds nothing: what lost the character is gone.
 */
static void
edit_follow_refusal(struct edit *e, enum hyp_field f, const char *text)
{
	int	 line = e->refused_line[f];

	if (line >= 0) {
		line = edit_follow_line(e->text[f], text, line);
		if (line >= 0 && !edit_line_is_blank(text, line)) {
			e->refused_line[f] = line;
			edit_note_refused(e, f);
			return;
		}
	} else if (*text != '\0')
		return;
	e->refused[f][0] = '\0';
	e->bad[f] = 0;
	e->note[f][0] = '\0';
}

/*
 * The admin typed into field f. Returns a mask (1 << field) of other
 * fields whose text changed as a consequence, for the widget to show.
 * What is cleared has lost nothing: a refused character's mark goes.
 */
int
edit_set_text(struct edit *e, enum hyp_field f, const char *text,
    int64_t now)
{
	char	 t[HYP_TIME_TEXT];
	int	 h;

	if (e->refused[f][0] != '\0')
		edit_follow_refusal(e, f, text);
	if (strcmp(e->text[f], text) == 0)
		return (0);
	edit_replace(e, f, text);
	e->touched[f] = 1;
	if (f == FIELD_ACCESS_UNTIL) {
		e->au_auto = e->au_wait = 0;
		return (0);
	}
	if (f != FIELD_TOKEN_LIFE_HOURS)
		return (0);
	if ((h = edit_hours(text, now)) == 0) {
		/* no time from hours that do not parse: what was loaded */
		if (!e->au_auto) {
			if (!edit_field_is_dirty(e, FIELD_ACCESS_UNTIL))
				e->au_wait = 1;
			return (0);
		}
		edit_replace(e, FIELD_ACCESS_UNTIL,
		    edit_loaded(e, FIELD_ACCESS_UNTIL));
		e->au_auto = 0;
		e->au_wait = 1;
		return (1 << FIELD_ACCESS_UNTIL);
	}
	e->au_wait = 0;
	if (h != edit_hours(e->base[f], now)) {
		time_format(now + (int64_t)h * 3600, t);
		edit_replace(e, FIELD_ACCESS_UNTIL, t);
		e->au_auto = 1;
	} else if (e->au_auto) {
		edit_replace(e, FIELD_ACCESS_UNTIL,
		    edit_loaded(e, FIELD_ACCESS_UNTIL));
		e->au_auto = 0;
	} else
		return (0);
	return (1 << FIELD_ACCESS_UNTIL);
}

/* Note that a character typed into f was refused; see struct edit. */
void
edit_refuse(struct edit *e, enum hyp_field f, const char *what)
{
	edit_refuse_line(e, f, -1, what);
}

/*
 * Note that a character typed into line `line` (0 the first) of list f
 * was refused, or into f when line is -1. The first refusal's words
 * stay; one on another line marks the whole field.
 */
void
edit_refuse_line(struct edit *e, enum hyp_field f, int line,
    const char *what)
{
	if (e->refused[f][0] == '\0') {
		hyp_strlcpy(e->refused[f], what, sizeof e->refused[f]);
		e->refused_line[f] = line;
	} else if (e->refused_line[f] != line)
		e->refused_line[f] = -1;
	edit_note_refused(e, f);
}

/*
 * 1 if field f differs from what was loaded; a field whose stored value
 * was not read differs once something was typed into it.
 */
int
edit_field_is_dirty(const struct edit *e, enum hyp_field f)
{
	if (e->unread[f][0] != '\0')
		return (e->touched[f] || e->text[f][0] != '\0');
	return (strcmp(e->text[f], e->base[f]) != 0);
}

/* 1 if any field differs from what was loaded. */
int
edit_is_dirty(const struct edit *e)
{
	int	 f;

	for (f = 0; f < FIELD_COUNT; f++) {
		if (edit_field_is_dirty(e, f))
			return (1);
	}
	return (0);
}

/* A warning when the whitelist would shut out the admin's own address. */
static void
edit_check_client(struct edit *e, const char *canon)
{
	struct ipv4_list list;
	struct hyp_error err;
	unsigned int addr;

	if (e->client[0] == '\0' || *canon == '\0')
		return;
	if (ipv4_parse_client(e->client, &addr) != 0)
		return;
	memset(&list, 0, sizeof list);
	if (ipv4_list_parse(canon, &list, &err) != 0)
		return;
	if (!ipv4_list_allows(&list, addr)) {
		snprintf(e->note[FIELD_WHITELIST],
		    sizeof e->note[FIELD_WHITELIST], "warning: does not "
		    "include %s, the address you are connected from",
		    e->client);
	}
	ipv4_list_clear(&list);
}

/* Say what the database holds now under an edit that kept its text. */
static void
edit_note_moved(struct edit *e, enum hyp_field f)
{
	char	 now[64];
	size_t	 i;

	snprintf(now, sizeof now, "%s", *e->base[f] != '\0' ? e->base[f] :
	    "(empty)");
	for (i = 0; now[i] != '\0'; i++) {
		if (now[i] == '\n')
			now[i] = ',';
	}
	snprintf(e->note[f], sizeof e->note[f], "the database holds %s now; "
	    "F2 writes yours over it", now);
}

/*
 * A warning of the core without the field's label in front: the label
 * is beside it on screen, and the status line puts it there once.
 */
static const char *
edit_unlabel(enum hyp_field f, const char *warn)
{
	const struct field_info *fi = field_info(f);
	size_t	 n = fi != NULL ? strlen(fi->label) : 0;

	if (n == 0 || strncmp(warn, fi->label, n) != 0)
		return (warn);
	return (warn + n + strspn(warn + n, ":, "));
}

/*
 * Validate field f as the CLI does. 0, or -1 with the reason in
 * note[f] and bad[f] set; a warning also goes into note[f].
 */
int
edit_check(struct edit *e, enum hyp_field f, int64_t now,
    const struct policy_catalog *cat)
{
	struct hyp_error err;
	char	*canon = NULL, warn[256], why[sizeof e->unread[0]];

	if (e->refused[f][0] != '\0') {
		edit_note_refused(e, f);
		return (-1);
	}
	if (e->unread[f][0] != '\0' && !edit_field_is_dirty(e, f)) {
		hyp_strlcpy(why, e->unread[f], sizeof why);
		e->bad[f] = 1;
		snprintf(e->note[f], sizeof e->note[f], "cannot be read: %s; "
		    "type the value to store", why);
		return (-1);
	}
	warn[0] = '\0';
	hyp_error_clear(&err);
	if (field_parse(f, e->text[f], now, cat, &canon, warn, sizeof warn,
	    &err) != 0) {
		e->bad[f] = 1;
		hyp_strlcpy(e->note[f], err.msg[0] != '\0' ? err.msg :
		    "not a valid value", sizeof e->note[f]);
		return (-1);
	}
	e->bad[f] = 0;
	if (warn[0] != '\0')
		snprintf(e->note[f], sizeof e->note[f], "warning: %s",
		    edit_unlabel(f, warn));
	else if (e->moved[f] && edit_field_is_dirty(e, f))
		edit_note_moved(e, f);
	else
		e->note[f][0] = '\0';
	if (f == FIELD_WHITELIST)
		edit_check_client(e, canon);
	free(canon);
	return (0);
}

/*
 * Validate the changed fields and make the edits for store_save: each
 * edit's old is the canonical text at load, its new the canonical text
 * of what was typed (canon[] holds those; the caller frees them). When
 * the hours changed and Access Until follows them, Access Until is
 * computed again from now. Returns 0 with *n edits, or -1 with *bad the
 * first refused field.
 */
int
edit_collect(struct edit *e, int64_t now, const struct policy_catalog *cat,
    struct store_edit *edits, char **canon, size_t *n, enum hyp_field *bad)
{
	struct hyp_error err;
	char	 t[HYP_TIME_TEXT], rel[32];
	int	 f, h;

	*n = 0;
	for (f = 0; f < FIELD_COUNT; f++)
		canon[f] = NULL;
	for (f = 0; f < FIELD_COUNT; f++) {
		if (e->refused[f][0] != '\0') {
			edit_check(e, f, now, cat);
			*bad = f;
			return (-1);
		}
	}
	if (e->au_auto && (h = edit_hours(e->text[FIELD_TOKEN_LIFE_HOURS],
	    now)) != 0) {
		snprintf(rel, sizeof rel, "+%dh", h);
		if (field_parse(FIELD_ACCESS_UNTIL, rel, now, cat,
		    &canon[FIELD_ACCESS_UNTIL], NULL, 0, &err) == 0) {
			time_format(now + (int64_t)h * 3600, t);
			edit_replace(e, FIELD_ACCESS_UNTIL, t);
		}
	}
	for (f = 0; f < FIELD_COUNT; f++) {
		if (!edit_field_is_dirty(e, f)) {
			free(canon[f]);
			canon[f] = NULL;
			continue;
		}
		if (edit_check(e, f, now, cat) != 0) {
			*bad = f;
			goto fail;
		}
		if (canon[f] == NULL && field_parse(f, e->text[f], now, cat,
		    &canon[f], NULL, 0, &err) != 0) {
			*bad = f;
			goto fail;
		}
		/* an unread column is written even with the stand-in */
		if (strcmp(canon[f], e->base[f]) == 0 &&
		    e->unread[f][0] == '\0')
			continue;
		edits[*n].field = f;
		edits[*n].old = e->base[f];
		edits[*n].new = canon[f];
		(*n)++;
	}
	return (0);
fail:
	for (f = 0; f < FIELD_COUNT; f++) {
		free(canon[f]);
		canon[f] = NULL;
	}
	*n = 0;
	return (-1);
}

/*
 * Take a newer copy of the record as the base, keeping what the admin
 * typed: a changed field keeps its text (and now differs from the new
 * base, so a save writes it over the newer value knowingly); an
 * unchanged one shows the newer value.
 */
void
edit_rebase(struct edit *e, const struct hyp_record *rec)
{
	char	*nb, why[sizeof e->unread[0]];
	int	 f, u, dirty[FIELD_COUNT];

	/* typed into or not, as against the record typed over */
	for (f = 0; f < FIELD_COUNT; f++)
		dirty[f] = edit_field_is_dirty(e, f);
	u = edit_unread_field(rec, why, sizeof why);
	record_clear(&e->rec);
	record_copy(&e->rec, rec);
	for (f = 0; f < FIELD_COUNT; f++) {
		nb = field_get(rec, f);
		if (nb == NULL)
			nb = xstrdup("");
		if (dirty[f] && strcmp(nb, e->base[f]) != 0)
			e->moved[f] = 1;
		free(e->base[f]);
		e->base[f] = nb;
		if (f == u)
			hyp_strlcpy(e->unread[f], why, sizeof e->unread[f]);
		else
			e->unread[f][0] = '\0';
	}
	edit_unread_until(e);
	for (f = 0; f < FIELD_COUNT; f++) {
		if (dirty[f])
			continue;
		edit_replace(e, f, edit_loaded(e, f));
		e->touched[f] = 0;
	}
}

/*
 * Why no Access Until follows from the hours typed, in the words of the
 * hours' own refusal (hyp_check_int, as field_parse), trimmed as there.
 */
static void
edit_hours_words(const char *hours, char *buf, size_t len)
{
	char	 t[64];
	size_t	 n;
	long long v;

	hyp_strlcpy(t, hours + strspn(hours, " \t\r"), sizeof t);
	for (n = strlen(t); n > 0 && strchr(" \t\r", t[n - 1]) != NULL; n--)
		t[n - 1] = '\0';
	if (n == 0)
		snprintf(buf, len, "no hours typed");
	else if (hyp_check_int(t, POLICY_HOURS_MIN, POLICY_HOURS_MAX, &v) ==
	    HYP_INT_SYNTAX)
		snprintf(buf, len, "hours not in plain decimal");
	else
		snprintf(buf, len, "hours out of range");
}

static void
edit_default_hint(const struct edit *e, enum hyp_field f,
    const struct policy_catalog *cat, int64_t now, char *buf, size_t len)
{
	const struct policy_purpose *p = NULL;
	const struct field_info *fi = field_info(f);
	const char *purpose = e->rec.purpose;
	struct hyp_error err;
	int64_t	 t;
	char	 rel[64];

	if (cat != NULL)
		p = policy_purpose_find(cat, purpose);
	if (p == NULL && (f == FIELD_MAX_POSTS ||
	    f == FIELD_SESSION_TIMEOUT || f == FIELD_MODULES)) {
		snprintf(buf, len, "empty: the default of %s%s", purpose,
		    cat != NULL ? " (not in the catalogue)" : "");
		return;
	}
	switch (f) {
	case FIELD_ACCESS_UNTIL:
		if (e->au_wait) {
			edit_hours_words(e->text[FIELD_TOKEN_LIFE_HOURS], buf,
			    len);
			break;
		}
		if (time_parse(e->text[f], now, &t, &err) != 0) {
			snprintf(buf, len, "UTC, or +90m, +12h, +30d");
			break;
		}
		time_format_relative(t, now, rel, sizeof rel);
		snprintf(buf, len, "%s%s", rel, e->au_auto ?
		    " (now + hours)" : "");
		break;
	case FIELD_MAX_POSTS:
		snprintf(buf, len, "empty: %d (%s)",
		    policy_default_posts(cat, purpose), purpose);
		break;
	case FIELD_SESSION_TIMEOUT:
		snprintf(buf, len, "empty: %d min (%s)",
		    policy_default_session(cat, purpose), purpose);
		break;
	case FIELD_WHITELIST:
		snprintf(buf, len, "empty: every address allowed");
		break;
	case FIELD_MODULES:
		snprintf(buf, len, "empty: %s (%s); applies live",
		    p != NULL && p->modules[0] != '\0' ? p->modules : "core",
		    purpose);
		for (; *buf != '\0'; buf++) {
			if (*buf == '\n')
				*buf = ',';
		}
		break;
	case FIELD_BLOCKED:
		snprintf(buf, len, "one function name a line");
		break;
	case FIELD_REFRESH_MODE:
		snprintf(buf, len, "rotate | fixed");
		break;
	default:
		snprintf(buf, len, "%s", fi != NULL && fi->allowed != NULL ?
		    fi->allowed : "");
		break;
	}
}

/* The words beside field f: its refusal or warning, else its range. */
void
edit_hint(const struct edit *e, enum hyp_field f,
    const struct policy_catalog *cat, int64_t now, char *buf, size_t len)
{
	const struct field_info *fi = field_info(f);
	const char *note = e->note[f];
	size_t	 n;

	if (*note != '\0') {
		/* the label is beside it already */
		n = fi != NULL ? strlen(fi->label) : 0;
		if (n > 0 && strncmp(note, fi->label, n) == 0 &&
		    (note[n] == ',' || note[n] == ':') && note[n + 1] == ' ')
			note += n + 2;
		snprintf(buf, len, "%s%s", e->bad[f] && e->refused[f][0] ==
		    '\0' && (e->unread[f][0] == '\0' ||
		    edit_field_is_dirty(e, f)) ? "refused: " : "", note);
		return;
	}
	edit_default_hint(e, f, cat, now, buf, len);
}
