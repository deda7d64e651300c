/*
 * policy.c: the rules of a record's editable fields, the purposes and
 * modules catalogues, and the effective policy a daemon enforces.
 *
 * Every program validates through field_parse(), which turns what an
 * admin typed into one canonical text per field: integers in plain
 * decimal, times as "YYYY-MM-DD HH:MM:SS", lists as entries joined by
 * '\n'. field_set() and policy_check_record() accept only that text, so
 * a value that a hand edit of the database spoiled makes the record fail
 * closed in policy_effective_init() instead of being read some other way.
 * An empty list is the only way to say "no restriction"; an empty entry
 * never is.
 */
#include "hyp-policy.h"

#include <ctype.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <iniparser.h>

#include "hyp-config.h"
#include "hyp-time.h"
#include "hyp-token.h"

#define POLICY_SHOW		72	/* room for a value in a message */
#define POLICY_TIME_MAX		INT64_C(253402300799)	/* 9999-12-31 */
#define POLICY_DESC_MAX		127

static const struct field_info policy_fields[FIELD_COUNT] = {
	{ FIELD_TOKEN_LIFE_HOURS, "token_life_hours",
	    "Generated Token Life in Hours", 0, 0, "1 to 8760" },
	{ FIELD_ACCESS_UNTIL, "access_until_utc",
	    "Access Until UTC", 0, 0,
	    "YYYY-MM-DD HH:MM:SS, ISO 8601 or +N s/m/h/d" },
	{ FIELD_REFRESH_MODE, "refresh_token_mode",
	    "Refresh Token Mode", 0, 0, "rotate or fixed" },
	{ FIELD_MAX_POSTS, "max_posts_per_ip_per_minute",
	    "Max Posts per IP per Minute", 0, 1, "empty or 1 to 100000" },
	{ FIELD_SESSION_TIMEOUT, "session_timeout_minutes",
	    "Session Timeout # Minutes", 0, 1, "empty or 1 to 10080" },
	{ FIELD_WHITELIST, "ipv4_whitelist",
	    "IP v4 Whitelist", 1, 1, "IPv4 address or CIDR block, one a line" },
	{ FIELD_MODULES, "enabled_modules",
	    "Domain Enabled Modules", 1, 1, "module names, one a line" },
	{ FIELD_BLOCKED, "blocked_functions",
	    "Block These Functions", 1, 1, "function names, one a line" },
};

/* Quote a value for a message, safe for a terminal. */
char *
policy_show_value(const char *s, char *buf, size_t len)
{
	size_t	 n, i;

	if (len == 0)
		return buf;
	if (s == NULL)
		s = "";
	n = strlen(s);
	if (n > len - 1 && len > 4) {
		n = len - 4;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;	/* do not cut a UTF-8 character in half */
	} else if (n > len - 1)
		n = len - 1;
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			buf[i] = '?';
		else
			buf[i] = s[i];
	}
	buf[i] = '\0';
	if (n < strlen(s) && len > 4)
		memcpy(buf + i, "...", 4);
	token_hide(buf, len);	/* one pasted into the wrong field */
	return buf;
}

/*
 * Records.
 */

/* Release the lists and the tokens, and zero the record. */
void
record_clear(struct hyp_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->whitelist);
	free(rec->modules);
	free(rec->blocked);
	token_free(rec->access_token);
	token_free(rec->prev_access_token);
	token_free(rec->refresh_token);
	memset(rec, 0, sizeof *rec);
}

static char *
record_dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static char *
record_dup_token(const char *s)
{
	return s != NULL ? token_dup(s) : NULL;
}

/* Deep copy; dst holds nothing of its own (it is overwritten). */
void
record_copy(struct hyp_record *dst, const struct hyp_record *src)
{
	*dst = *src;
	dst->whitelist = record_dup(src->whitelist);
	dst->modules = record_dup(src->modules);
	dst->blocked = record_dup(src->blocked);
	dst->access_token = record_dup_token(src->access_token);
	dst->prev_access_token = record_dup_token(src->prev_access_token);
	dst->refresh_token = record_dup_token(src->refresh_token);
}

/*
 * Fields.
 */

const struct field_info *
field_info(enum hyp_field f)
{
	if ((unsigned int)f >= FIELD_COUNT)
		return NULL;
	return &policy_fields[f];
}

const struct field_info *
field_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < FIELD_COUNT; i++) {
		if (strcmp(policy_fields[i].name, name) == 0)
			return &policy_fields[i];
	}
	return NULL;
}

/* Non-fatal notes gathered while parsing, joined by "; ". */
struct notes {
	char	*buf;
	size_t	 len;
};

static void
notes_add(struct notes *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
notes_add(struct notes *w, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 used;

	if (w->buf == NULL || w->len == 0)
		return;
	used = strlen(w->buf);
	if (used > 0 && used + 2 < w->len) {
		memcpy(w->buf + used, "; ", 3);
		used += 2;
	}
	if (used + 1 >= w->len)
		return;
	va_start(ap, fmt);
	vsnprintf(w->buf + used, w->len - used, fmt, ap);
	va_end(ap);
}

/* Copy of s without spaces and tabs (and a CR) at both ends. */
static char *
policy_trim(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		n--;
	return xstrndup(s, n);
}

static int
field_parse_int(const struct field_info *fi, const char *in, long long min,
    long long max, char **out, struct hyp_error *err)
{
	char		*t = policy_trim(in, strlen(in)), show[POLICY_SHOW];
	const char	*empty = fi->may_be_empty ?
			    ", or empty for the purpose's default" : "";
	long long	 v;
	enum hyp_int_problem why;

	policy_show_value(t, show, sizeof show);
	if (*t == '\0' && fi->may_be_empty) {
		*out = t;
		return 0;
	}
	if (*t == '\0')
		hyp_error_set(err, HYP_E_INVALID, "%s: a value is required: "
		    "a whole number from %lld to %lld", fi->label, min, max);
	else if ((why = hyp_check_int(t, min, max, &v)) == HYP_INT_SYNTAX)
		hyp_error_set(err, HYP_E_INVALID, "%s: '%s' is not a whole "
		    "number in plain decimal (no leading zeros, units or "
		    "signs); allowed: %lld to %lld%s", fi->label, show, min,
		    max, empty);
	else if (why == HYP_INT_RANGE)
		hyp_error_set(err, HYP_E_INVALID, "%s: '%s' is out of range; "
		    "allowed: %lld to %lld%s", fi->label, show, min, max,
		    empty);
	else {
		*out = t;
		return 0;
	}
	free(t);
	return -1;
}

static int
field_parse_until(const struct field_info *fi, const char *in, int64_t now,
    char **out, struct notes *w, struct hyp_error *err)
{
	char		 text[HYP_TIME_TEXT], why[HYP_ERROR_MAX];
	int64_t		 t;

	if (time_parse(in, now, &t, err) == -1) {
		hyp_strlcpy(why, err != NULL ? err->msg : "", sizeof why);
		return hyp_error_set(err, HYP_E_INVALID, "%s: %s", fi->label,
		    why);
	}
	/* 0 stands for "never set" in a record: the epoch is not a value. */
	if (t <= 0 || t > POLICY_TIME_MAX)
		return hyp_error_set(err, HYP_E_INVALID, "%s: the time must "
		    "be after 1970-01-01 00:00:00 and before the year 10000",
		    fi->label);
	time_format(t, text);
	if (t <= now)
		notes_add(w, "%s: not in the future (%s); the access token "
		    "is refused from now on", fi->label, text);
	else if (t - now > (int64_t)POLICY_HOURS_MAX * 3600)
		notes_add(w, "%s: more than %d hours away (%s), past the "
		    "longest token life; allowed, but the access token stays "
		    "valid until then", fi->label, POLICY_HOURS_MAX, text);
	*out = xstrdup(text);
	return 0;
}

static int
field_parse_mode(const struct field_info *fi, const char *in, char **out,
    struct hyp_error *err)
{
	char	*t = policy_trim(in, strlen(in)), show[POLICY_SHOW];

	if (strcasecmp(t, "rotate") == 0 || strcasecmp(t, "fixed") == 0) {
		*out = xstrdup(tolower((unsigned char)t[0]) == 'r' ?
		    "rotate" : "fixed");
		free(t);
		return 0;
	}
	policy_show_value(t, show, sizeof show);
	free(t);
	return hyp_error_set(err, HYP_E_INVALID, "%s: '%s' is not a mode; "
	    "allowed: rotate (each API refresh replaces the refresh token) "
	    "or fixed", fi->label, show);
}

/*
 * Lists. Entries are separated by newlines and commas; '#' starts a
 * comment up to the end of its line; spaces and tabs around an entry go;
 * empty entries are dropped (they never mean "everything").
 */

struct plist {
	char		**v;
	unsigned int	 *addr, *prefix;	/* whitelist only */
	size_t		  n;
};

static void
plist_clear(struct plist *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->addr);
	free(l->prefix);
	memset(l, 0, sizeof *l);
}

static char *
plist_join(const struct plist *l)
{
	size_t	 len = 1, i;
	char	*out;

	for (i = 0; i < l->n; i++)
		len += strlen(l->v[i]) + 1;
	out = xmalloc(len);
	out[0] = '\0';
	for (i = 0; i < l->n; i++) {
		if (i > 0)
			strcat(out, "\n");
		strcat(out, l->v[i]);
	}
	return out;
}

/* Module names: a-z, 0-9, '_' and '-'. */
static int
policy_is_module_name(const char *s)
{
	size_t	 len = strlen(s);

	return len > 0 && len <= POLICY_NAME_MAX &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == len;
}

/* Function names: letters, digits, '_', '.' and '-'. */
/* 1 if s is an API function name (or, with glob, a name pattern). */
int
policy_is_function_name(const char *s, int glob)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
	size_t	 len = strlen(s), i;

	if (len == 0 || len > POLICY_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		if (strchr(set, s[i]) == NULL &&
		    !(glob && (s[i] == '*' || s[i] == '?')))
			return 0;
	}
	return 1;
}

static void
policy_known_modules(const struct policy_catalog *cat, char *buf,
    size_t len)
{
	size_t	 i;

	buf[0] = '\0';
	for (i = 0; i < cat->nmodules; i++) {
		if (i > 0)
			strncat(buf, ", ", len - strlen(buf) - 1);
		strncat(buf, cat->modules[i].name, len - strlen(buf) - 1);
	}
}

/*
 * Check one entry and add it to l unless it is a duplicate (noted).
 * where is "entry 2" or "line 3"; the message names the field.
 */
static int
plist_add(enum hyp_field f, struct plist *l, const char *entry,
    const char *where, const struct policy_catalog *cat, struct notes *w,
    struct hyp_error *err)
{
	const char	*label = policy_fields[f].label;
	struct hyp_error cerr;
	char		 show[POLICY_SHOW], known[256];
	unsigned int	 addr = 0, prefix = 0;
	size_t		 i;

	policy_show_value(entry, show, sizeof show);
	switch (f) {
	case FIELD_WHITELIST:
		if (cidr_parse(entry, &addr, &prefix, &cerr) == -1)
			return hyp_error_set(err, HYP_E_INVALID, "%s, %s: %s",
			    label, where, cerr.msg);
		for (i = 0; i < l->n; i++) {
			if (l->addr[i] == addr && l->prefix[i] == prefix)
				goto dup;
		}
		break;
	case FIELD_MODULES:
		if (!policy_is_module_name(entry))
			return hyp_error_set(err, HYP_E_INVALID, "%s, %s: '%s' "
			    "is not a module name: 1 to 64 characters from "
			    "a-z, 0-9, '_' and '-'", label, where, show);
		if (cat != NULL && policy_module_find(cat, entry) == NULL) {
			policy_known_modules(cat, known, sizeof known);
			return hyp_error_set(err, HYP_E_INVALID, "%s, %s: '%s' "
			    "is not in the modules catalogue; known: %s",
			    label, where, show, known);
		}
		for (i = 0; i < l->n; i++) {
			if (strcmp(l->v[i], entry) == 0)
				goto dup;
		}
		break;
	default:
		if (!policy_is_function_name(entry, 0))
			return hyp_error_set(err, HYP_E_INVALID, "%s, %s: '%s' "
			    "is not a function name: 1 to 64 characters from "
			    "A-Z, a-z, 0-9, '_', '.' and '-'", label, where,
			    show);
		for (i = 0; i < l->n; i++) {
			if (strcasecmp(l->v[i], entry) == 0)
				goto dup;
		}
		break;
	}
	if (l->n == POLICY_LIST_MAX)
		return hyp_error_set(err, HYP_E_INVALID, "%s, %s: more than %d "
		    "entries", label, where, POLICY_LIST_MAX);
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->addr = xrealloc(l->addr, (l->n + 1) * sizeof *l->addr);
	l->prefix = xrealloc(l->prefix, (l->n + 1) * sizeof *l->prefix);
	l->v[l->n] = xstrdup(entry);
	l->addr[l->n] = addr;
	l->prefix[l->n] = prefix;
	l->n++;
	return 0;
dup:
	notes_add(w, "%s, %s: '%s' is listed already (dropped)", label, where,
	    show);
	return 0;
}

/* Entries on one line, comment cut off; counts the non-empty ones. */
static size_t
plist_count_line(const char *s, size_t n)
{
	size_t	 count = 0, i;
	int	 seen = 0;

	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == ',') {
			count += seen;
			seen = 0;
		} else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			seen = 1;
	}
	return count;
}

static int
plist_parse(enum hyp_field f, const char *in, const struct policy_catalog *cat,
    struct plist *l, struct notes *w, struct hyp_error *err)
{
	const char	*line, *nl, *p, *comma, *hash;
	char		*entry, where[48];
	size_t		 lineno = 0, n, per_line, entryno;
	int		 multiline = strchr(in, '\n') != NULL, rc;

	memset(l, 0, sizeof *l);
	for (line = in; line != NULL; line = nl != NULL ? nl + 1 : NULL) {
		lineno++;
		nl = strchr(line, '\n');
		n = nl != NULL ? (size_t)(nl - line) : strlen(line);
		if ((hash = memchr(line, '#', n)) != NULL)
			n = (size_t)(hash - line);
		per_line = plist_count_line(line, n);
		entryno = 0;
		for (p = line; p < line + n; p = comma + 1) {
			if ((comma = memchr(p, ',', (size_t)(line + n - p))) ==
			    NULL)
				comma = line + n;
			entry = policy_trim(p, (size_t)(comma - p));
			if (*entry == '\0') {
				free(entry);
				continue;
			}
			entryno++;
			if (per_line < 2)
				snprintf(where, sizeof where, "line %zu",
				    lineno);
			else if (!multiline)
				snprintf(where, sizeof where, "entry %zu",
				    entryno);
			else
				snprintf(where, sizeof where, "line %zu, "
				    "entry %zu", lineno, entryno);
			rc = plist_add(f, l, entry, where, cat, w, err);
			free(entry);
			if (rc == -1) {
				plist_clear(l);
				return -1;
			}
		}
	}
	return 0;
}

/* Parse what an admin typed into the field's canonical text. */
int
field_parse(enum hyp_field f, const char *input, int64_t now,
    const struct policy_catalog *cat, char **out, char *warning,
    size_t warnlen, struct hyp_error *err)
{
	const struct field_info	*fi = field_info(f);
	struct notes		 w = { warning, warnlen };
	struct plist		 l;
	long long		 v;

	*out = NULL;
	if (warning != NULL && warnlen > 0)
		warning[0] = '\0';
	if (fi == NULL)
		return hyp_error_set(err, HYP_E_INVALID, "no such field");
	if (input == NULL)
		input = "";

	switch (f) {
	case FIELD_TOKEN_LIFE_HOURS:
		return field_parse_int(fi, input, POLICY_HOURS_MIN,
		    POLICY_HOURS_MAX, out, err);
	case FIELD_ACCESS_UNTIL:
		return field_parse_until(fi, input, now, out, &w, err);
	case FIELD_REFRESH_MODE:
		return field_parse_mode(fi, input, out, err);
	case FIELD_MAX_POSTS:
		if (field_parse_int(fi, input, POLICY_POSTS_MIN,
		    POLICY_POSTS_MAX, out, err) == -1)
			return -1;
		if (hyp_parse_int(*out, 0, POLICY_POSTS_MAX, &v) == 0 &&
		    v > POLICY_POSTS_WARN)
			notes_add(&w, "%s: %lld is above %d; allowed, but one "
			    "address may then send that many requests a "
			    "minute", fi->label, v, POLICY_POSTS_WARN);
		return 0;
	case FIELD_SESSION_TIMEOUT:
		return field_parse_int(fi, input, POLICY_SESSION_MIN,
		    POLICY_SESSION_MAX, out, err);
	default:
		if (plist_parse(f, input, cat, &l, &w, err) == -1)
			return -1;
		/*
		 * An empty whitelist lets every address in: only a field
		 * left truly empty may mean that, never one whose entries
		 * are all separators or comments.
		 */
		if (f == FIELD_WHITELIST && l.n == 0 &&
		    input[strspn(input, " \t\r\n")] != '\0') {
			plist_clear(&l);
			return hyp_error_set(err, HYP_E_INVALID, "%s: the value "
			    "holds no address, only separators or comments; "
			    "clear the field to let every address in",
			    fi->label);
		}
		*out = plist_join(&l);
		plist_clear(&l);
		return 0;
	}
}

static char *
field_int_text(int v, int may_be_empty)
{
	char	*out;

	if (v == 0 && may_be_empty)
		return xstrdup("");
	xasprintf(&out, "%d", v);
	return out;
}

/* The canonical text of a field of rec. */
char *
field_get(const struct hyp_record *rec, enum hyp_field f)
{
	char	 text[HYP_TIME_TEXT];

	switch (f) {
	case FIELD_TOKEN_LIFE_HOURS:
		return field_int_text(rec->token_life_hours, 0);
	case FIELD_ACCESS_UNTIL:
		if (rec->access_until < 0 ||
		    rec->access_until > POLICY_TIME_MAX)
			return xstrdup("");
		return xstrdup(time_format(rec->access_until, text));
	case FIELD_REFRESH_MODE:
		if (rec->refresh_mode == REFRESH_ROTATE)
			return xstrdup("rotate");
		if (rec->refresh_mode == REFRESH_FIXED)
			return xstrdup("fixed");
		return xstrdup("");
	case FIELD_MAX_POSTS:
		return field_int_text(rec->max_posts, 1);
	case FIELD_SESSION_TIMEOUT:
		return field_int_text(rec->session_timeout, 1);
	case FIELD_WHITELIST:
		return xstrdup(rec->whitelist != NULL ? rec->whitelist : "");
	case FIELD_MODULES:
		return xstrdup(rec->modules != NULL ? rec->modules : "");
	case FIELD_BLOCKED:
		return xstrdup(rec->blocked != NULL ? rec->blocked : "");
	default:
		return xstrdup("");
	}
}

/*
 * Parse text as stored, and require it to be canonical: parsing it again
 * must give it back unchanged. No catalogue when cat is NULL.
 */
static int
field_check_stored(enum hyp_field f, const char *text,
    const struct policy_catalog *cat, struct hyp_error *err)
{
	char	*canon, show[POLICY_SHOW];
	int	 same;

	if (field_parse(f, text, 0, cat, &canon, NULL, 0, err) == -1)
		return -1;
	same = strcmp(canon, text) == 0;
	free(canon);
	if (same)
		return 0;
	policy_show_value(text, show, sizeof show);
	return hyp_error_set(err, HYP_E_INVALID, "%s: '%s' is not in "
	    "canonical form", policy_fields[f].label, show);
}

/* Store canonical text into rec. */
int
field_set(struct hyp_record *rec, enum hyp_field f, const char *text,
    struct hyp_error *err)
{
	long long	 v = 0;
	int64_t		 t;
	char		**list;

	if (field_info(f) == NULL)
		return hyp_error_set(err, HYP_E_INVALID, "no such field");
	if (text == NULL)
		text = "";
	if (field_check_stored(f, text, NULL, err) == -1)
		return -1;
	if (*text != '\0' && f != FIELD_ACCESS_UNTIL &&
	    f != FIELD_REFRESH_MODE && !policy_fields[f].is_list)
		hyp_parse_int(text, 0, LLONG_MAX, &v);

	switch (f) {
	case FIELD_TOKEN_LIFE_HOURS:
		rec->token_life_hours = (int)v;
		return 0;
	case FIELD_ACCESS_UNTIL:
		if (time_parse(text, 0, &t, err) == -1)
			return -1;
		rec->access_until = t;
		return 0;
	case FIELD_REFRESH_MODE:
		rec->refresh_mode = strcmp(text, "fixed") == 0 ?
		    REFRESH_FIXED : REFRESH_ROTATE;
		return 0;
	case FIELD_MAX_POSTS:
		rec->max_posts = (int)v;
		return 0;
	case FIELD_SESSION_TIMEOUT:
		rec->session_timeout = (int)v;
		return 0;
	case FIELD_WHITELIST:
		list = &rec->whitelist;
		break;
	case FIELD_MODULES:
		list = &rec->modules;
		break;
	default:
		list = &rec->blocked;
		break;
	}
	free(*list);
	*list = xstrdup(text);
	return 0;
}

/* Check every stored field as field_parse would; canonical text only. */
int
policy_check_record(const struct hyp_record *rec,
    const struct policy_catalog *cat, struct hyp_error *err)
{
	char		 why[HYP_ERROR_MAX];
	char		*text;
	unsigned int	 f;
	int		 rc;

	for (f = 0; f < FIELD_COUNT; f++) {
		text = field_get(rec, (enum hyp_field)f);
		rc = field_check_stored((enum hyp_field)f, text, cat, err);
		free(text);
		if (rc == -1) {
			if (err != NULL) {
				hyp_strlcpy(why, err->msg, sizeof why);
				hyp_error_set(err, HYP_E_INVALID,
				    "record %s: stored %s", rec->domain, why);
			}
			return -1;
		}
	}
	return 0;
}

/* Why the daemon would refuse everything for rec, or 0 if it would not. */
int
policy_record_problem(const struct hyp_record *rec,
    const struct policy_catalog *cat, char *buf, size_t len)
{
	struct policy_effective	 eff;
	struct hyp_error	 err;

	if (policy_effective_init(&eff, rec, cat, &err) == -1) {
		hyp_strlcpy(buf, err.msg, len);
		return 1;
	}
	policy_effective_clear(&eff);
	if (len > 0)
		buf[0] = '\0';
	return 0;
}

/*
 * Catalogues.
 */

struct cat_file {
	char			*path;
	dictionary		*d;
	struct hyp_error	*err;
};

static int
cat_quiet(const char *fmt, ...)
{
	return 0;
}

static int
cat_fail(struct cat_file *cf, const char *sec, const char *key,
    const char *value, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int
cat_fail(struct cat_file *cf, const char *sec, const char *key,
    const char *value, const char *fmt, ...)
{
	char	 what[HYP_ERROR_MAX], show[POLICY_SHOW];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (value == NULL)
		return hyp_error_set(cf->err, HYP_E_CONFIG, "%s: [%s] %s: %s",
		    cf->path, sec, key, what);
	policy_show_value(value, show, sizeof show);
	return hyp_error_set(cf->err, HYP_E_CONFIG, "%s: [%s] %s = '%s': %s",
	    cf->path, sec, key, show, what);
}

static int
cat_open(struct cat_file *cf, const char *dir, const char *name,
    struct hyp_error *err)
{
	memset(cf, 0, sizeof *cf);
	xasprintf(&cf->path, "%s/%s", dir, name);
	cf->err = err;
	if (config_scan(cf->path, err) == -1)
		return -1;
	iniparser_set_error_callback(cat_quiet);
	if ((cf->d = iniparser_load(cf->path)) == NULL)
		return hyp_error_set(err, HYP_E_CONFIG, "%s: cannot be read "
		    "as an INI file", cf->path);
	if (iniparser_getnsec(cf->d) <= 0)
		return hyp_error_set(err, HYP_E_CONFIG, "%s: holds no "
		    "[section]", cf->path);
	return 0;
}

static void
cat_close(struct cat_file *cf)
{
	if (cf->d != NULL)
		iniparser_freedict(cf->d);
	free(cf->path);
	memset(cf, 0, sizeof *cf);
}

static const char *
cat_get(struct cat_file *cf, const char *sec, const char *key)
{
	char	*entry;
	const char *v;

	xasprintf(&entry, "%s:%s", sec, key);
	v = iniparser_getstring(cf->d, entry, NULL);
	free(entry);
	return v;
}

/* Refuse a key of sec that is not in allowed (NULL-terminated). */
static int
cat_check_keys(struct cat_file *cf, const char *sec,
    const char *const *allowed, const char *list)
{
	const char	**keys, *key;
	size_t		  i;
	int		  n, j, rc = 0;

	if ((n = iniparser_getsecnkeys(cf->d, sec)) <= 0)
		return 0;
	keys = xcalloc((size_t)n, sizeof *keys);
	iniparser_getseckeys(cf->d, sec, keys);
	for (j = 0; j < n && rc == 0; j++) {
		if (keys[j] == NULL)
			continue;
		key = keys[j] + strlen(sec) + 1;
		for (i = 0; allowed[i] != NULL; i++) {
			if (strcmp(allowed[i], key) == 0)
				break;
		}
		if (allowed[i] == NULL)
			rc = hyp_error_set(cf->err, HYP_E_CONFIG, "%s: [%s] %s "
			    "is not a known key; allowed: %s", cf->path, sec,
			    key, list);
	}
	free(keys);
	return rc;
}

/*
 * A comma list of names (or globs) into canonical text; duplicates are
 * dropped. check returns 1 for an acceptable entry.
 */
static int
cat_parse_list(struct cat_file *cf, const char *sec, const char *key,
    const char *value, int (*check)(const char *, const void *),
    const void *arg, const char *allowed, char **out)
{
	struct plist	 l;
	char		*copy, *entry, *next, *s, what[HYP_ERROR_MAX];
	size_t		 i, n = 0;
	int		 rc = -1;

	memset(&l, 0, sizeof l);
	copy = xstrdup(value);
	for (entry = copy; entry != NULL; entry = next) {
		if ((next = strchr(entry, ',')) != NULL)
			*next++ = '\0';
		s = policy_trim(entry, strlen(entry));
		if (*s != '\0')
			n++;
		if (*s != '\0' && !check(s, arg)) {
			snprintf(what, sizeof what, "entry %zu: ", n);
			cat_fail(cf, sec, key, value, "%s'%s' is not %s", what,
			    s, allowed);
			free(s);
			goto out;
		}
		for (i = 0; i < l.n && strcmp(l.v[i], s) != 0; i++)
			;
		if (*s == '\0' || i < l.n || l.n == POLICY_LIST_MAX) {
			free(s);
			continue;
		}
		l.v = xrealloc(l.v, (l.n + 1) * sizeof *l.v);
		l.v[l.n++] = s;
	}
	*out = plist_join(&l);
	rc = 0;
out:
	plist_clear(&l);
	free(copy);
	return rc;
}

static int
cat_check_glob(const char *s, const void *arg)
{
	return policy_is_function_name(s, 1);
}

static int
cat_check_module(const char *s, const void *arg)
{
	return policy_module_find(arg, s) != NULL;
}

static int
cat_load_modules(struct policy_catalog *cat, const char *dir,
    struct hyp_error *err)
{
	static const char *const keys[] = { "functions", NULL };
	struct policy_module	*m;
	struct cat_file		 cf;
	const char		*sec, *v;
	int			 i, nsec, rc = -1;

	if (cat_open(&cf, dir, "modules.ini", err) == -1)
		goto out;
	nsec = iniparser_getnsec(cf.d);
	cat->modules = xcalloc((size_t)nsec, sizeof *cat->modules);
	for (i = 0; i < nsec; i++) {
		sec = iniparser_getsecname(cf.d, i);
		if (sec == NULL || !policy_is_module_name(sec)) {
			hyp_error_set(err, HYP_E_CONFIG, "%s: [%s]: a module "
			    "name is 1 to 64 characters from a-z, 0-9, '_' "
			    "and '-'", cf.path, sec != NULL ? sec : "");
			goto out;
		}
		if (cat_check_keys(&cf, sec, keys, "functions") == -1)
			goto out;
		if ((v = cat_get(&cf, sec, "functions")) == NULL) {
			cat_fail(&cf, sec, "functions", NULL, "missing; a "
			    "comma-separated list of function names or globs");
			goto out;
		}
		m = &cat->modules[cat->nmodules];
		hyp_strlcpy(m->name, sec, sizeof m->name);
		if (cat_parse_list(&cf, sec, "functions", v, cat_check_glob,
		    NULL, "a function name or glob (A-Z, a-z, 0-9, '_', '.', "
		    "'-', '*' and '?', up to 64 characters)",
		    &m->functions) == -1)
			goto out;
		cat->nmodules++;
		if (*m->functions == '\0' && strcmp(sec, "core") != 0) {
			cat_fail(&cf, sec, "functions", v, "a module other "
			    "than core must claim at least one name or glob");
			goto out;
		}
	}
	if (policy_module_find(cat, "core") == NULL) {
		hyp_error_set(err, HYP_E_CONFIG, "%s: no [core] section; core "
		    "serves every function that no other module claims",
		    cf.path);
		goto out;
	}
	rc = 0;
out:
	cat_close(&cf);
	return rc;
}

static int
cat_load_int(struct cat_file *cf, const char *sec, const char *key,
    long long min, long long max, int *out)
{
	const char	*v;
	long long	 n;

	if ((v = cat_get(cf, sec, key)) == NULL)
		return cat_fail(cf, sec, key, NULL, "missing; a whole number "
		    "from %lld to %lld", min, max);
	if (hyp_parse_int(v, min, max, &n) == -1)
		return cat_fail(cf, sec, key, v, "a whole number from %lld to "
		    "%lld in plain decimal (no leading zeros, units or signs)",
		    min, max);
	*out = (int)n;
	return 0;
}

static int
cat_load_purpose(struct cat_file *cf, const struct policy_catalog *cat,
    const char *sec, struct policy_purpose *p)
{
	static const char *const keys[] = { "bearer", "posts_per_minute",
	    "session_minutes", "modules", "description", NULL };
	const char	*v;
	size_t		 i;

	if (cat_check_keys(cf, sec, keys, "bearer, posts_per_minute, "
	    "session_minutes, modules, description") == -1)
		return -1;
	hyp_strlcpy(p->name, sec, sizeof p->name);

	if ((v = cat_get(cf, sec, "bearer")) == NULL)
		return cat_fail(cf, sec, "bearer", NULL, "missing; required or "
		    "none");
	if (strcmp(v, "required") != 0 && strcmp(v, "none") != 0)
		return cat_fail(cf, sec, "bearer", v, "required or none");
	p->bearer_required = strcmp(v, "required") == 0;

	if (cat_load_int(cf, sec, "posts_per_minute", POLICY_POSTS_MIN,
	    POLICY_POSTS_MAX, &p->posts_per_minute) == -1 ||
	    cat_load_int(cf, sec, "session_minutes", POLICY_SESSION_MIN,
	    POLICY_SESSION_MAX, &p->session_minutes) == -1)
		return -1;

	if ((v = cat_get(cf, sec, "modules")) == NULL)
		return cat_fail(cf, sec, "modules", NULL, "missing; a "
		    "comma-separated list of modules from modules.ini");
	if (cat_parse_list(cf, sec, "modules", v, cat_check_module, cat,
	    "a module of modules.ini", &p->modules) == -1)
		return -1;
	if (*p->modules == '\0')
		return cat_fail(cf, sec, "modules", v, "at least one module "
		    "from modules.ini");

	if ((v = cat_get(cf, sec, "description")) == NULL)
		v = "";
	for (i = 0; v[i] != '\0'; i++) {
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			break;
	}
	if (v[i] != '\0' || i > POLICY_DESC_MAX)
		return cat_fail(cf, sec, "description", v, "one line of at "
		    "most %d characters", POLICY_DESC_MAX);
	hyp_strlcpy(p->description, v, sizeof p->description);
	return 0;
}

static int
cat_load_purposes(struct policy_catalog *cat, const char *dir,
    struct hyp_error *err)
{
	struct cat_file	 cf;
	const char	*sec;
	int		 i, nsec, rc = -1;

	if (cat_open(&cf, dir, "purposes.ini", err) == -1)
		goto out;
	nsec = iniparser_getnsec(cf.d);
	cat->purposes = xcalloc((size_t)nsec, sizeof *cat->purposes);
	for (i = 0; i < nsec; i++) {
		sec = iniparser_getsecname(cf.d, i);
		if (sec == NULL || !policy_is_module_name(sec)) {
			hyp_error_set(err, HYP_E_CONFIG, "%s: [%s]: a purpose "
			    "name is 1 to 64 characters from a-z, 0-9, '_' "
			    "and '-'", cf.path, sec != NULL ? sec : "");
			goto out;
		}
		if (cat_load_purpose(&cf, cat, sec,
		    &cat->purposes[cat->npurposes]) == -1) {
			free(cat->purposes[cat->npurposes].modules);
			cat->purposes[cat->npurposes].modules = NULL;
			goto out;
		}
		cat->npurposes++;
	}
	rc = 0;
out:
	cat_close(&cf);
	return rc;
}

/* Load both catalogues from share_dir. */
struct policy_catalog *
policy_catalog_load(const char *share_dir, struct hyp_error *err)
{
	struct policy_catalog	*cat;

	hyp_error_clear(err);
	cat = xcalloc(1, sizeof *cat);
	if (cat_load_modules(cat, share_dir, err) == -1 ||
	    cat_load_purposes(cat, share_dir, err) == -1) {
		policy_catalog_free(cat);
		return NULL;
	}
	return cat;
}

void
policy_catalog_free(struct policy_catalog *cat)
{
	size_t	 i;

	if (cat == NULL)
		return;
	for (i = 0; i < cat->npurposes; i++)
		free(cat->purposes[i].modules);
	for (i = 0; i < cat->nmodules; i++)
		free(cat->modules[i].functions);
	free(cat->purposes);
	free(cat->modules);
	free(cat);
}

const struct policy_purpose *
policy_purpose_find(const struct policy_catalog *cat, const char *name)
{
	size_t	 i;

	for (i = 0; cat != NULL && name != NULL && i < cat->npurposes; i++) {
		if (strcmp(cat->purposes[i].name, name) == 0)
			return &cat->purposes[i];
	}
	return NULL;
}

const struct policy_module *
policy_module_find(const struct policy_catalog *cat, const char *name)
{
	size_t	 i;

	for (i = 0; cat != NULL && name != NULL && i < cat->nmodules; i++) {
		if (strcmp(cat->modules[i].name, name) == 0)
			return &cat->modules[i];
	}
	return NULL;
}

/* Purpose defaults for the hints; 0 for an unknown purpose. */
int
policy_default_posts(const struct policy_catalog *cat, const char *purpose)
{
	const struct policy_purpose *p = policy_purpose_find(cat, purpose);

	return p != NULL ? p->posts_per_minute : 0;
}

int
policy_default_session(const struct policy_catalog *cat, const char *purpose)
{
	const struct policy_purpose *p = policy_purpose_find(cat, purpose);

	return p != NULL ? p->session_minutes : 0;
}

/*
 * The effective policy.
 */

/* Split canonical list text and append its entries to *v unless present. */
static void
policy_add_names(char ***v, size_t *n, const char *text, int lower)
{
	const char	*p, *nl;
	char		*name, *c;
	size_t		 i;

	if (text == NULL || *text == '\0')
		return;
	for (p = text; p != NULL; p = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		name = nl != NULL ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		for (c = name; lower && *c != '\0'; c++)
			*c = (char)tolower((unsigned char)*c);
		for (i = 0; i < *n && strcmp((*v)[i], name) != 0; i++)
			;
		if (i < *n) {
			free(name);
			continue;
		}
		*v = xrealloc(*v, (*n + 1) * sizeof **v);
		(*v)[(*n)++] = name;
	}
}

/* Resolve rec against the catalogue; fail closed on any doubt. */
int
policy_effective_init(struct policy_effective *eff,
    const struct hyp_record *rec, const struct policy_catalog *cat,
    struct hyp_error *err)
{
	const struct policy_purpose	*p;
	char				 show[POLICY_SHOW];

	memset(eff, 0, sizeof *eff);
	if (rec->invalid[0] != '\0')
		return hyp_error_set(err, HYP_E_INVALID, "record %s fails "
		    "closed: %s", rec->domain, rec->invalid);
	if ((p = policy_purpose_find(cat, rec->purpose)) == NULL) {
		policy_show_value(rec->purpose, show, sizeof show);
		return hyp_error_set(err, HYP_E_INVALID, "record %s: purpose "
		    "'%s' is not in the catalogue", rec->domain, show);
	}
	if (policy_check_record(rec, cat, err) == -1)
		return -1;
	if (ipv4_list_parse(rec->whitelist, &eff->whitelist, err) == -1)
		return -1;

	eff->bearer_required = p->bearer_required;
	eff->posts_per_minute = rec->max_posts != 0 ? rec->max_posts :
	    p->posts_per_minute;
	eff->session_minutes = rec->session_timeout != 0 ?
	    rec->session_timeout : p->session_minutes;
	eff->token_life_hours = rec->token_life_hours;
	eff->access_until = rec->access_until;
	eff->refresh_mode = rec->refresh_mode;
	policy_add_names(&eff->modules, &eff->nmodules, p->modules, 0);
	policy_add_names(&eff->modules, &eff->nmodules, rec->modules, 0);
	policy_add_names(&eff->blocked, &eff->nblocked, rec->blocked, 1);
	return 0;
}

void
policy_effective_clear(struct policy_effective *eff)
{
	size_t	 i;

	if (eff == NULL)
		return;
	ipv4_list_clear(&eff->whitelist);
	for (i = 0; i < eff->nmodules; i++)
		free(eff->modules[i]);
	for (i = 0; i < eff->nblocked; i++)
		free(eff->blocked[i]);
	free(eff->modules);
	free(eff->blocked);
	memset(eff, 0, sizeof *eff);
}

/* 1 if fn is blocked, whatever its case. */
int
policy_is_blocked(const struct policy_effective *eff, const char *fn)
{
	size_t	 i;

	for (i = 0; i < eff->nblocked; i++) {
		if (strcasecmp(eff->blocked[i], fn) == 0)
			return 1;
	}
	return 0;
}

/* 1 if one line of the canonical list text matches fn. */
static int
policy_list_matches(const char *text, const char *fn)
{
	const char	*p, *nl;
	char		 pat[POLICY_NAME_MAX + 1];
	size_t		 n;

	for (p = text; p != NULL && *p != '\0';
	    p = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (n >= sizeof pat)
			continue;
		memcpy(pat, p, n);
		pat[n] = '\0';
		if (fnmatch(pat, fn, FNM_CASEFOLD) == 0)
			return 1;
	}
	return 0;
}

/* The module claiming fn: the first non-core one matching, else core. */
const char *
policy_module_for(const struct policy_catalog *cat, const char *fn)
{
	size_t	 i;

	for (i = 0; cat != NULL && i < cat->nmodules; i++) {
		if (strcmp(cat->modules[i].name, "core") == 0)
			continue;
		if (policy_list_matches(cat->modules[i].functions, fn))
			return cat->modules[i].name;
	}
	return "core";
}

/* 1 if the module claiming fn is enabled. */
int
policy_function_enabled(const struct policy_effective *eff,
    const struct policy_catalog *cat, const char *fn)
{
	const char	*m = policy_module_for(cat, fn);
	size_t		 i;

	for (i = 0; i < eff->nmodules; i++) {
		if (strcmp(eff->modules[i], m) == 0)
			return 1;
	}
	return 0;
}
