/*
 * edit.c: the record being edited in the form, apart from any widget.
 * It holds, per editable field, the canonical text at load (the `old`
 * of store_save), the text as typed, and the verdict of the shared
 * validation (field_parse: the same as the CLI's).
 *
 * Invariants: a save carries exactly the fields whose typed text parses
 * to something else than their canonical text at load; a field that
 * does not parse blocks the save; a change of the hours makes Access
 * Until now + hours (shown at once, and computed again at the moment of
 * the save) until Access Until itself is typed into.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyp-time.h"
#include "tui.h"

/* Start editing a copy of rec. */
void
edit_init(struct edit *e, const struct hyp_record *rec)
{
	int	 f;

	memset(e, 0, sizeof *e);
	record_copy(&e->rec, rec);
	for (f = 0; f < FIELD_COUNT; f++) {
		e->base[f] = field_get(rec, f);
		if (e->base[f] == NULL)
			e->base[f] = xstrdup("");
		e->text[f] = xstrdup(e->base[f]);
	}
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
 * The admin typed into field f. Returns a mask (1 << field) of other
 * fields whose text changed as a consequence, for the widget to show.
 */
int
edit_set_text(struct edit *e, enum hyp_field f, const char *text,
    int64_t now)
{
	char	 t[HYP_TIME_TEXT];
	int	 h;

	if (strcmp(e->text[f], text) == 0)
		return (0);
	edit_replace(e, f, text);
	if (f == FIELD_ACCESS_UNTIL) {
		e->au_auto = 0;
		return (0);
	}
	if (f != FIELD_TOKEN_LIFE_HOURS)
		return (0);
	if ((h = edit_hours(text, now)) == 0)
		return (0);
	if (h != edit_hours(e->base[f], now)) {
		time_format(now + (int64_t)h * 3600, t);
		edit_replace(e, FIELD_ACCESS_UNTIL, t);
		e->au_auto = 1;
	} else if (e->au_auto) {
		edit_replace(e, FIELD_ACCESS_UNTIL,
		    e->base[FIELD_ACCESS_UNTIL]);
		e->au_auto = 0;
	} else
		return (0);
	return (1 << FIELD_ACCESS_UNTIL);
}

/* 1 if field f differs from what was loaded. */
int
edit_field_is_dirty(const struct edit *e, enum hyp_field f)
{
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
 * Validate field f as the CLI does. 0, or -1 with the reason in
 * note[f] and bad[f] set; a warning also goes into note[f].
 */
int
edit_check(struct edit *e, enum hyp_field f, int64_t now,
    const struct policy_catalog *cat)
{
	struct hyp_error err;
	char	*canon = NULL, warn[256];

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
		snprintf(e->note[f], sizeof e->note[f], "warning: %s", warn);
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
		if (strcmp(canon[f], e->base[f]) == 0)
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
	char	*nb;
	int	 f;

	for (f = 0; f < FIELD_COUNT; f++) {
		nb = field_get(rec, f);
		if (nb == NULL)
			nb = xstrdup("");
		if (!edit_field_is_dirty(e, f))
			edit_replace(e, f, nb);
		else if (strcmp(nb, e->base[f]) != 0)
			e->moved[f] = 1;
		free(e->base[f]);
		e->base[f] = nb;
	}
	record_clear(&e->rec);
	record_copy(&e->rec, rec);
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
	if (cat == NULL && (f == FIELD_MAX_POSTS ||
	    f == FIELD_SESSION_TIMEOUT)) {
		snprintf(buf, len, "empty: the default of %s", purpose);
		return;
	}
	switch (f) {
	case FIELD_ACCESS_UNTIL:
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
		snprintf(buf, len, "%s%s", e->bad[f] ? "refused: " : "", note);
		return;
	}
	edit_default_hint(e, f, cat, now, buf, len);
}
