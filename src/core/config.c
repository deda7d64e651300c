/*
 * config.c: the instance's INI file (SPEC section 3).
 *
 * Two passes. config_scan() reads the raw lines for what iniparser would
 * accept without a word: an unquoted value cut short at an inline ';' or
 * '#', a key given twice (iniparser keeps the last), a quote left open, a
 * key before any section. Then iniparser reads the values and each one is
 * checked here. The first problem stops the load with one line:
 *
 *	FILE: [section] key = 'value': what is allowed
 *
 * Nothing falls back to a default once a key is present; defaults apply
 * only to keys that are absent. Relative paths are taken from the folder
 * of the INI file, made absolute when the file's path is relative.
 */
#include "hyp-config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <iniparser.h>

#include "hyp-policy.h"

#include "paths.h"	/* SHAREDIR, written by the Makefile */

#define CONFIG_LINE_MAX	1000	/* iniparser reads 1023 bytes a line */
#define CONFIG_SHOW	96	/* room for a value quoted in a message */

#define CONFIG_INT_ALLOWED \
	"a whole number from %lld to %lld in plain decimal " \
	"(no leading zeros, units or signs)"

struct conf {
	const char		*file;	/* as given, for messages */
	char			*base;	/* absolute, for relative paths */
	dictionary		*d;
	struct hyp_error	*err;
};

static const char *const conf_sections[] = { "webapp", "daemon", "storage" };

static const char *const conf_keys[] = {
	"webapp:user_name", "webapp:domain", "webapp:purpose",
	"webapp:max_tenants", "webapp:max_threads",
	"daemon:listen", "daemon:control_socket", "daemon:keepalive_seconds",
	"daemon:block_seconds", "daemon:trusted_proxies",
	"daemon:tenant_header", "daemon:api_prefix", "daemon:log_level",
	"storage:database", "storage:key_file", "storage:share_dir",
};

static const char *const conf_levels[] = { "error", "warn", "info", "debug" };

/* Which file to read: -c, then the environment, then the default. */
const char *
config_path(const char *arg)
{
	const char	*env;

	if (arg != NULL)
		return arg;
	if ((env = getenv(CONFIG_ENV)) != NULL && *env != '\0')
		return env;
	return CONFIG_DEFAULT_PATH;
}

/* The name of a log level. */
const char *
config_log_level_name(enum log_level level)
{
	if ((unsigned int)level >= sizeof conf_levels / sizeof conf_levels[0])
		return "info";
	return conf_levels[level];
}

/*
 * The raw pass.
 */

struct scan_key {
	char		*name;		/* "section:key", lower case */
	size_t		 line;
};

struct scan {
	const char		*file;
	struct hyp_error	*err;
	char			 section[CONFIG_LINE_MAX + 1];
	int			 in_section;
	struct scan_key		*keys;
	size_t			 nkeys;
};

static void
scan_lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Trim isspace() at both ends in place, as iniparser does. */
static char *
scan_strip(char *s)
{
	size_t	 len;

	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	return s;
}

/*
 * Section and key names come from the file as typed: they are shown
 * through policy_show_value too, so that a message stays one printable
 * line whatever bytes the file held.
 */
static int
scan_fail_key(struct scan *sc, const char *key, const char *value,
    const char *what)
{
	char	 show[CONFIG_SHOW], sshow[CONFIG_SHOW], kshow[CONFIG_SHOW];

	policy_show_value(value, show, sizeof show);
	policy_show_value(sc->section, sshow, sizeof sshow);
	policy_show_value(key, kshow, sizeof kshow);
	return hyp_error_set(sc->err, HYP_E_CONFIG, "%s: [%s] %s = '%s': %s",
	    sc->file, sshow, kshow, show, what);
}

static int
scan_fail_line(struct scan *sc, size_t line, const char *what)
{
	return hyp_error_set(sc->err, HYP_E_CONFIG, "%s: line %zu: %s",
	    sc->file, line, what);
}

/* Check the value part of a key line (after '=', stripped). */
static int
scan_value(struct scan *sc, const char *key, const char *value)
{
	const char	*close, *p;

	if (*value == '"' || *value == '\'') {
		if ((close = strchr(value + 1, *value)) == NULL)
			return scan_fail_key(sc, key, value, "the quote is "
			    "not closed on this line");
		for (p = close + 1; isspace((unsigned char)*p); p++)
			;
		if (*p != '\0' && *p != ';' && *p != '#')
			return scan_fail_key(sc, key, value, "text after the "
			    "closing quote; quote the whole value");
		return 0;
	}
	if (strpbrk(value, ";#") != NULL)
		return scan_fail_key(sc, key, value, "an unquoted value cannot "
		    "hold ';' or '#' (they start a comment that would cut "
		    "it); put the comment on its own line, or quote the value "
		    "if they belong to it");
	return 0;
}

/* Remember section:key; refuse it if seen before. */
static int
scan_add_key(struct scan *sc, const char *key, size_t line)
{
	char	*name, what[128], sshow[CONFIG_SHOW], kshow[CONFIG_SHOW];
	size_t	 i;

	xasprintf(&name, "%s:%s", sc->section, key);
	for (i = 0; i < sc->nkeys; i++) {
		if (strcmp(sc->keys[i].name, name) != 0)
			continue;
		free(name);
		snprintf(what, sizeof what, "is set twice (lines %zu and "
		    "%zu); keep one", sc->keys[i].line, line);
		policy_show_value(sc->section, sshow, sizeof sshow);
		policy_show_value(key, kshow, sizeof kshow);
		return hyp_error_set(sc->err, HYP_E_CONFIG, "%s: [%s] %s %s",
		    sc->file, sshow, kshow, what);
	}
	sc->keys = xrealloc(sc->keys, (sc->nkeys + 1) * sizeof *sc->keys);
	sc->keys[sc->nkeys].name = name;
	sc->keys[sc->nkeys].line = line;
	sc->nkeys++;
	return 0;
}

static int
scan_section(struct scan *sc, char *s, size_t line)
{
	char	*name;
	size_t	 len = strlen(s);

	s[len - 1] = '\0';
	name = scan_strip(s + 1);
	if (*name == '\0' || strpbrk(name, "[]:") != NULL)
		return scan_fail_line(sc, line, "a section name is one word "
		    "between [ and ], like [webapp]");
	hyp_strlcpy(sc->section, name, sizeof sc->section);
	scan_lower(sc->section);
	sc->in_section = 1;
	return 0;
}

static int
scan_line(struct scan *sc, char *raw, size_t len, size_t line)
{
	char	*s, *eq, *key, *value;

	if (strlen(raw) != len)
		return scan_fail_line(sc, line, "holds a NUL byte");
	if (len > CONFIG_LINE_MAX)
		return scan_fail_line(sc, line, "longer than 1000 characters");
	s = scan_strip(raw);
	if (*s == '\0' || *s == '#' || *s == ';')
		return 0;
	if (s[strlen(s) - 1] == '\\')
		return scan_fail_line(sc, line, "ends in '\\' (continued "
		    "lines are not supported); write the value on one line");
	if (*s == '[') {
		if (s[strlen(s) - 1] != ']')
			return scan_fail_line(sc, line, "a section line holds "
			    "only [name]; put a comment on its own line");
		return scan_section(sc, s, line);
	}
	if ((eq = strchr(s, '=')) == NULL || eq == s)
		return scan_fail_line(sc, line, "not a [section], a "
		    "key = value line or a comment");
	*eq = '\0';
	key = scan_strip(s);
	value = scan_strip(eq + 1);
	if (*key == '\0')
		return scan_fail_line(sc, line, "a key = value line needs "
		    "a key before '='");
	scan_lower(key);
	if (!sc->in_section)
		return scan_fail_line(sc, line, "a key before the first "
		    "[section]; move it under its section");
	if (scan_value(sc, key, value) == -1)
		return -1;
	return scan_add_key(sc, key, line);
}

/* Read the raw lines for what iniparser would accept silently. */
int
config_scan(const char *path, struct hyp_error *err)
{
	struct scan	 sc;
	struct stat	 st;
	FILE		*f;
	char		*buf = NULL;
	size_t		 cap = 0, line = 0, i;
	ssize_t		 n;
	int		 rc = -1;

	memset(&sc, 0, sizeof sc);
	sc.file = path;
	sc.err = err;
	if ((f = fopen(path, "r")) == NULL)
		return hyp_error_set(err, HYP_E_CONFIG, "%s: cannot read: %s",
		    path, strerror(errno));
	if (fstat(fileno(f), &st) == -1 || !S_ISREG(st.st_mode)) {
		hyp_error_set(err, HYP_E_CONFIG, "%s: cannot read: not a "
		    "regular file", path);
		goto out;
	}
	while ((n = getline(&buf, &cap, f)) != -1) {
		line++;
		if (n > 0 && buf[n - 1] == '\n')
			buf[--n] = '\0';
		if (scan_line(&sc, buf, (size_t)n, line) == -1)
			goto out;
	}
	if (ferror(f)) {
		hyp_error_set(err, HYP_E_CONFIG, "%s: cannot read: %s", path,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	for (i = 0; i < sc.nkeys; i++)
		free(sc.keys[i].name);
	free(sc.keys);
	free(buf);
	fclose(f);
	return rc;
}

/*
 * The values.
 */

/* iniparser prints syntax errors to stderr; the scan reports them. */
static int
conf_quiet(const char *fmt, ...)
{
	return 0;
}

static int
conf_fail(struct conf *c, const char *sec, const char *key,
    const char *value, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int
conf_fail(struct conf *c, const char *sec, const char *key,
    const char *value, const char *fmt, ...)
{
	char	 what[HYP_ERROR_MAX], show[CONFIG_SHOW];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	policy_show_value(value, show, sizeof show);
	return hyp_error_set(c->err, HYP_E_CONFIG, "%s: [%s] %s = '%s': %s",
	    c->file, sec, key, show, what);
}

static int
conf_missing(struct conf *c, const char *sec, const char *key,
    const char *what)
{
	return hyp_error_set(c->err, HYP_E_CONFIG,
	    "%s: [%s] %s is missing: required; %s", c->file, sec, key, what);
}

static const char *
conf_get(struct conf *c, const char *sec, const char *key)
{
	char	 entry[64];

	snprintf(entry, sizeof entry, "%s:%s", sec, key);
	return iniparser_getstring(c->d, entry, NULL);
}

static int
conf_is_known(const char *const *list, size_t n, const char *s)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(list[i], s) == 0)
			return 1;
	}
	return 0;
}

/* Report every unknown section and key through warn. */
static void
conf_warn_unknown(struct conf *c, void (*warn)(const char *, void *),
    void *arg)
{
	const char	*sec, **keys;
	char		*msg, sshow[CONFIG_SHOW], kshow[CONFIG_SHOW];
	int		 i, j, nsec, nkeys;

	if (warn == NULL)
		return;
	nsec = iniparser_getnsec(c->d);
	for (i = 0; i < nsec; i++) {
		if ((sec = iniparser_getsecname(c->d, i)) == NULL)
			continue;
		policy_show_value(sec, sshow, sizeof sshow);
		if (!conf_is_known(conf_sections, sizeof conf_sections /
		    sizeof conf_sections[0], sec)) {
			xasprintf(&msg, "%s: [%s] is not a known section "
			    "(ignored)", c->file, sshow);
			warn(msg, arg);
			free(msg);
			continue;
		}
		if ((nkeys = iniparser_getsecnkeys(c->d, sec)) <= 0)
			continue;
		keys = xcalloc((size_t)nkeys, sizeof *keys);
		iniparser_getseckeys(c->d, sec, keys);
		for (j = 0; j < nkeys; j++) {
			if (keys[j] == NULL || conf_is_known(conf_keys,
			    sizeof conf_keys / sizeof conf_keys[0], keys[j]))
				continue;
			policy_show_value(keys[j] + strlen(sec) + 1, kshow,
			    sizeof kshow);
			xasprintf(&msg, "%s: [%s] %s is not a known key "
			    "(ignored)", c->file, sshow, kshow);
			warn(msg, arg);
			free(msg);
		}
		free(keys);
	}
}

static int
conf_int(struct conf *c, const char *sec, const char *key, long long min,
    long long max, int def, int *out)
{
	const char	*v;
	long long	 n;

	if ((v = conf_get(c, sec, key)) == NULL) {
		*out = def;
		return 0;
	}
	if (hyp_parse_int(v, min, max, &n) == -1)
		return conf_fail(c, sec, key, v, CONFIG_INT_ALLOWED, min, max);
	*out = (int)n;
	return 0;
}

/* 1..max characters, each in the set (letters and digits always). */
static int
conf_is_word(const char *s, size_t max, const char *extra, int upper)
{
	size_t	 len = strlen(s), i;

	if (len == 0 || len > max)
		return 0;
	for (i = 0; i < len; i++) {
		if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || (upper && s[i] >= 'A' && s[i] <= 'Z'))
			continue;
		if (strchr(extra, s[i]) == NULL)
			return 0;
	}
	return 1;
}

/* A lower-case host name, or a canonical IPv4 address. */
static int
conf_is_domain(const char *s)
{
	const char	*label, *dot;
	unsigned int	 addr;
	size_t		 len = strlen(s), n, i;
	int		 digits = 1;

	if (len == 0 || len > CONFIG_DOMAIN_MAX)
		return 0;
	if (strspn(s, "0123456789.") == len)
		return ipv4_parse(s, &addr) == 0;
	for (label = s; label != NULL; label = dot != NULL ? dot + 1 : NULL) {
		dot = strchr(label, '.');
		n = dot != NULL ? (size_t)(dot - label) : strlen(label);
		if (n == 0 || n > 63 || label[0] == '-' || label[n - 1] == '-')
			return 0;
		digits = 1;
		for (i = 0; i < n; i++) {
			if (!((label[i] >= 'a' && label[i] <= 'z') ||
			    (label[i] >= '0' && label[i] <= '9') ||
			    label[i] == '-'))
				return 0;
			if (label[i] < '0' || label[i] > '9')
				digits = 0;
		}
	}
	return !digits;		/* the last label is never all digits */
}

/* Starts and ends with '/', no empty, "." or ".." segment. */
static int
conf_is_prefix(const char *s)
{
	const char	*seg, *slash;
	size_t		 len = strlen(s), n;

	if (len == 0 || len >= sizeof ((struct hyp_config *)0)->api_prefix ||
	    s[0] != '/' || s[len - 1] != '/')
		return 0;
	if (!conf_is_word(s, len, "_./-", 1))
		return 0;
	if (len == 1)
		return 1;
	for (seg = s + 1; *seg != '\0'; seg = slash + 1) {
		slash = strchr(seg, '/');
		n = (size_t)(slash - seg);
		if (n == 0 || (n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return 0;
	}
	return 1;
}

static int
conf_has_control(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	}
	return 0;
}

static int
conf_path(struct conf *c, const char *sec, const char *key,
    const char *def, char **out)
{
	const char	*v;

	if ((v = conf_get(c, sec, key)) == NULL) {
		if (def == NULL)
			return conf_missing(c, sec, key, "a file path "
			    "(relative to the folder of this file)");
		v = def;
	}
	if (*v == '\0' || conf_has_control(v))
		return conf_fail(c, sec, key, v, "a file path, not empty, "
		    "without control characters (relative paths are taken "
		    "from the folder of this file)");
	*out = hyp_path_relative(c->base, v);
	return 0;
}

static int
conf_load_webapp(struct conf *c, struct hyp_config *cfg)
{
	const char	*v;

	if ((v = conf_get(c, "webapp", "user_name")) == NULL)
		return conf_missing(c, "webapp", "user_name", "1 to 64 "
		    "characters from A-Z, a-z, 0-9, '.', '_' and '-'");
	if (!conf_is_word(v, CONFIG_NAME_MAX, "._-", 1))
		return conf_fail(c, "webapp", "user_name", v, "1 to 64 "
		    "characters from A-Z, a-z, 0-9, '.', '_' and '-'");
	hyp_strlcpy(cfg->user_name, v, sizeof cfg->user_name);

	if ((v = conf_get(c, "webapp", "domain")) == NULL)
		return conf_missing(c, "webapp", "domain", "a host name or "
		    "an IPv4 address");
	if (!conf_is_domain(v))
		return conf_fail(c, "webapp", "domain", v, "a lower-case host "
		    "name (dot-separated labels of a-z, 0-9 and '-', up to "
		    "253 characters) or a dotted-decimal IPv4 address");
	hyp_strlcpy(cfg->domain, v, sizeof cfg->domain);

	if ((v = conf_get(c, "webapp", "purpose")) == NULL)
		return conf_missing(c, "webapp", "purpose", "a purpose from "
		    "the catalogue, such as api");
	if (!conf_is_word(v, CONFIG_NAME_MAX, "_-", 0))
		return conf_fail(c, "webapp", "purpose", v, "a purpose name: "
		    "1 to 64 characters from a-z, 0-9, '_' and '-'");
	hyp_strlcpy(cfg->purpose, v, sizeof cfg->purpose);

	if (conf_int(c, "webapp", "max_tenants", 1, 1000000, 100,
	    &cfg->max_tenants) == -1)
		return -1;
	return conf_int(c, "webapp", "max_threads", 1, 1024, 4,
	    &cfg->max_threads);
}

static int
conf_load_storage(struct conf *c, struct hyp_config *cfg)
{
	if (conf_path(c, "storage", "database", NULL, &cfg->database) == -1)
		return -1;
	if (conf_path(c, "storage", "key_file", NULL, &cfg->key_file) == -1)
		return -1;
	return conf_path(c, "storage", "share_dir", SHAREDIR,
	    &cfg->share_dir);
}

static int
conf_load_listen(struct conf *c, struct hyp_config *cfg)
{
	const char	*v, *colon;
	char		 host[sizeof cfg->listen_host];
	unsigned int	 addr;
	long long	 port;

	if ((v = conf_get(c, "daemon", "listen")) == NULL)
		v = "127.0.0.1:8470";
	colon = strrchr(v, ':');
	if (colon == NULL || (size_t)(colon - v) >= sizeof host)
		goto bad;
	memcpy(host, v, (size_t)(colon - v));
	host[colon - v] = '\0';
	if (ipv4_parse(host, &addr) == -1 ||
	    hyp_parse_int(colon + 1, 1, 65535, &port) == -1)
		goto bad;
	hyp_strlcpy(cfg->listen_host, host, sizeof cfg->listen_host);
	cfg->listen_port = (int)port;
	return 0;
bad:
	return conf_fail(c, "daemon", "listen", v, "a dotted-decimal IPv4 "
	    "address and a port from 1 to 65535, like 127.0.0.1:8470");
}

static int
conf_load_socket(struct conf *c, struct hyp_config *cfg)
{
	const char	*v;
	char		*name, show[CONFIG_SHOW];

	if ((v = conf_get(c, "daemon", "control_socket")) != NULL) {
		if (conf_path(c, "daemon", "control_socket", NULL,
		    &cfg->control_socket) == -1)
			return -1;
		if (strlen(cfg->control_socket) > POLICY_SOCKET_MAX)
			return conf_fail(c, "daemon", "control_socket", v,
			    "a socket path of at most %d characters once "
			    "resolved (this one has %zu)", POLICY_SOCKET_MAX,
			    strlen(cfg->control_socket));
		return 0;
	}
	xasprintf(&name, "%s.sock", cfg->user_name);
	cfg->control_socket = hyp_path_relative(cfg->database, name);
	free(name);
	if (strlen(cfg->control_socket) > POLICY_SOCKET_MAX) {
		policy_show_value(cfg->control_socket, show, sizeof show);
		return hyp_error_set(c->err, HYP_E_CONFIG, "%s: [daemon] "
		    "control_socket is not set and its default '%s' is longer "
		    "than %d characters; set a shorter path", c->file, show,
		    POLICY_SOCKET_MAX);
	}
	return 0;
}

static int
conf_load_proxies(struct conf *c, struct hyp_config *cfg)
{
	struct hyp_error cerr;
	const char	*v;
	char		*copy, *entry, *next, *s;
	unsigned int	 addr, prefix;
	int		 n = 0, rc = -1;

	if ((v = conf_get(c, "daemon", "trusted_proxies")) == NULL)
		v = "127.0.0.1";
	copy = xstrdup(v);
	for (entry = copy; entry != NULL; entry = next) {
		if ((next = strchr(entry, ',')) != NULL)
			*next++ = '\0';
		s = scan_strip(entry);
		if (*s == '\0')
			continue;
		if (cfg->ntrusted_proxies == CONFIG_PROXIES_MAX) {
			conf_fail(c, "daemon", "trusted_proxies", v, "at most "
			    "%d addresses or blocks", CONFIG_PROXIES_MAX);
			goto out;
		}
		n++;
		if (cidr_parse(s, &addr, &prefix, &cerr) == -1) {
			conf_fail(c, "daemon", "trusted_proxies", v, "entry "
			    "%d: %s", n, cerr.msg);
			goto out;
		}
		cfg->trusted_proxies[cfg->ntrusted_proxies].addr = addr;
		cfg->trusted_proxies[cfg->ntrusted_proxies].prefix = prefix;
		cfg->ntrusted_proxies++;
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

static int
conf_load_daemon(struct conf *c, struct hyp_config *cfg)
{
	const char	*v;
	size_t		 i;

	if (conf_load_listen(c, cfg) == -1 || conf_load_socket(c, cfg) == -1)
		return -1;
	if (conf_int(c, "daemon", "keepalive_seconds", 1, 3600, 30,
	    &cfg->keepalive_seconds) == -1)
		return -1;
	if (conf_int(c, "daemon", "block_seconds", 1, 86400, 300,
	    &cfg->block_seconds) == -1)
		return -1;
	if (conf_load_proxies(c, cfg) == -1)
		return -1;

	if ((v = conf_get(c, "daemon", "tenant_header")) == NULL)
		v = "X-Tenant-Id";
	if (!conf_is_word(v, sizeof cfg->tenant_header - 1,
	    "!#$%&'*+-.^_`|~", 1))
		return conf_fail(c, "daemon", "tenant_header", v, "an HTTP "
		    "header name: 1 to 63 characters from A-Z, a-z, 0-9 and "
		    "!#$%%&'*+-.^_`|~");
	hyp_strlcpy(cfg->tenant_header, v, sizeof cfg->tenant_header);

	if ((v = conf_get(c, "daemon", "api_prefix")) == NULL)
		v = "/";
	if (!conf_is_prefix(v))
		return conf_fail(c, "daemon", "api_prefix", v, "a path that "
		    "starts and ends with '/', without '//', '.' or '..' "
		    "segments, from A-Z, a-z, 0-9, '_', '.', '-' and '/' (up "
		    "to 127 characters)");
	hyp_strlcpy(cfg->api_prefix, v, sizeof cfg->api_prefix);

	if ((v = conf_get(c, "daemon", "log_level")) == NULL)
		v = "info";
	for (i = 0; i < sizeof conf_levels / sizeof conf_levels[0]; i++) {
		if (strcmp(v, conf_levels[i]) == 0) {
			cfg->log_level = (enum log_level)i;
			return 0;
		}
	}
	return conf_fail(c, "daemon", "log_level", v, "one of error, warn, "
	    "info, debug");
}

/* Load and check the file; one line in err on the first problem. */
int
config_load(const char *path, struct hyp_config *cfg,
    void (*warn)(const char *, void *), void *arg, struct hyp_error *err)
{
	struct conf	 c;
	char		 cwd[4096];
	int		 rc = -1;

	hyp_error_clear(err);
	memset(cfg, 0, sizeof *cfg);
	memset(&c, 0, sizeof c);
	c.file = path;
	c.err = err;
	cfg->path = xstrdup(path);

	if (config_scan(path, err) == -1)
		goto out;
	if (path[0] == '/' || getcwd(cwd, sizeof cwd) == NULL)
		c.base = xstrdup(path);
	else
		xasprintf(&c.base, "%s/%s", cwd, path);

	iniparser_set_error_callback(conf_quiet);
	if ((c.d = iniparser_load(path)) == NULL) {
		hyp_error_set(err, HYP_E_CONFIG, "%s: cannot be read as an "
		    "INI file", path);
		goto out;
	}
	conf_warn_unknown(&c, warn, arg);
	if (conf_load_webapp(&c, cfg) == -1 ||
	    conf_load_storage(&c, cfg) == -1 ||
	    conf_load_daemon(&c, cfg) == -1)
		goto out;
	rc = 0;
out:
	if (c.d != NULL)
		iniparser_freedict(c.d);
	free(c.base);
	if (rc == -1)
		config_clear(cfg);
	return rc;
}

/* Release what config_load allocated. */
void
config_clear(struct hyp_config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->path);
	free(cfg->control_socket);
	free(cfg->database);
	free(cfg->key_file);
	free(cfg->share_dir);
	memset(cfg, 0, sizeof *cfg);
}

/* Refuse a purpose that the catalogue does not hold, listing those it does. */
int
config_check_purpose(const struct hyp_config *cfg,
    const struct policy_catalog *cat, struct hyp_error *err)
{
	char	 known[256] = "", show[CONFIG_SHOW];
	size_t	 i;

	if (policy_purpose_find(cat, cfg->purpose) != NULL)
		return 0;
	for (i = 0; cat != NULL && i < cat->npurposes; i++) {
		if (i > 0)
			strncat(known, ", ", sizeof known - strlen(known) - 1);
		strncat(known, cat->purposes[i].name,
		    sizeof known - strlen(known) - 1);
	}
	policy_show_value(cfg->purpose, show, sizeof show);
	return hyp_error_set(err, HYP_E_CONFIG, "%s: [webapp] purpose = '%s': "
	    "one of the purposes in the catalogue: %s", cfg->path, show,
	    known[0] != '\0' ? known : "(none loaded)");
}
