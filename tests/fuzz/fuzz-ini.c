/*
 * fuzz-ini.c: the instance INI file (config_scan, config_load) on
 * arbitrary bytes written to a file of a private folder.
 *
 * Properties: a file the raw scan refuses is never loaded; a refusal is
 * one printable line starting with the file's name; a loaded file holds
 * only values in the ranges of hyp-config.h, with absolute paths; the
 * same file loaded by its relative name gives the same configuration;
 * the loaded configuration written back as an INI file loads again to
 * exactly the same configuration (nothing was cut or guessed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "hyp-config.h"
#include "hyp-policy.h"

static char	*fuzz_ini;	/* absolute */
static char	*fuzz_again;	/* the configuration written back */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	*dir;

	/* The folder by its real name: relative loads must resolve alike. */
	if ((dir = realpath(fuzz_tmpdir(), NULL)) == NULL)
		fuzz_fail("realpath of the temporary folder failed");
	xasprintf(&fuzz_ini, "%s/fuzz.ini", dir);
	xasprintf(&fuzz_again, "%s/again.ini", dir);
	if (chdir(dir) == -1)
		fuzz_fail("cannot enter %s", dir);
	free(dir);
	return 0;
}

static void
fuzz_write(const char *path, const void *data, size_t size)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL)
		fuzz_fail("cannot write %s", path);
	if (size > 0 && fwrite(data, 1, size, f) != size)
		fuzz_fail("short write on %s", path);
	if (fclose(f) != 0)
		fuzz_fail("cannot close %s", path);
}

static void
fuzz_warn(const char *msg, void *arg)
{
	char	 show[160];

	FUZZ_ASSERT(!fuzz_has_control(msg), "warning with a control byte: "
	    "%s", fuzz_show(msg, show, sizeof show));
	(*(int *)arg)++;
}

static int
fuzz_is_word(const char *s, size_t max, const char *set)
{
	size_t	 len = strlen(s);

	return len >= 1 && len <= max && strspn(s, set) == len;
}

#define FUZZ_DIGITS	"0123456789"
#define FUZZ_LOWER	"abcdefghijklmnopqrstuvwxyz"
#define FUZZ_UPPER	"ABCDEFGHIJKLMNOPQRSTUVWXYZ"

static void
fuzz_check_path(const char *what, const char *path)
{
	char	 show[160];

	FUZZ_ASSERT(path != NULL && path[0] == '/' && !fuzz_has_control(path),
	    "%s is not an absolute path: %s", what, path == NULL ? "(null)" :
	    fuzz_show(path, show, sizeof show));
}

/* Every value within the ranges documented in hyp-config.h. */
static void
fuzz_check_ranges(const struct hyp_config *c)
{
	unsigned int	 addr, mask;
	size_t		 len;
	int		 i;

	FUZZ_ASSERT(fuzz_is_word(c->user_name, CONFIG_NAME_MAX, FUZZ_LOWER
	    FUZZ_UPPER FUZZ_DIGITS "._-"), "user_name '%s'", c->user_name);
	FUZZ_ASSERT(fuzz_is_word(c->domain, CONFIG_DOMAIN_MAX, FUZZ_LOWER
	    FUZZ_DIGITS ".-"), "domain '%s'", c->domain);
	FUZZ_ASSERT(fuzz_is_word(c->purpose, CONFIG_NAME_MAX, FUZZ_LOWER
	    FUZZ_DIGITS "_-"), "purpose '%s'", c->purpose);
	FUZZ_ASSERT(c->max_tenants >= 1 && c->max_tenants <= 1000000,
	    "max_tenants %d", c->max_tenants);
	FUZZ_ASSERT(c->max_threads >= 1 && c->max_threads <= 1024,
	    "max_threads %d", c->max_threads);
	FUZZ_ASSERT(ipv4_parse(c->listen_host, &addr) == 0, "listen host "
	    "'%s'", c->listen_host);
	FUZZ_ASSERT(c->listen_port >= 1 && c->listen_port <= 65535,
	    "listen port %d", c->listen_port);
	fuzz_check_path("control_socket", c->control_socket);
	FUZZ_ASSERT(strlen(c->control_socket) <= POLICY_SOCKET_MAX,
	    "control_socket of %zu bytes", strlen(c->control_socket));
	FUZZ_ASSERT(c->keepalive_seconds >= 1 && c->keepalive_seconds <= 3600,
	    "keepalive_seconds %d", c->keepalive_seconds);
	FUZZ_ASSERT(c->block_seconds >= 1 && c->block_seconds <= 86400,
	    "block_seconds %d", c->block_seconds);
	FUZZ_ASSERT(c->ntrusted_proxies >= 0 &&
	    c->ntrusted_proxies <= CONFIG_PROXIES_MAX, "%d trusted proxies",
	    c->ntrusted_proxies);
	for (i = 0; i < c->ntrusted_proxies; i++) {
		mask = c->trusted_proxies[i].prefix == 0 ? 0 :
		    0xffffffffU << (32 - c->trusted_proxies[i].prefix);
		FUZZ_ASSERT(c->trusted_proxies[i].prefix <= 32 &&
		    (c->trusted_proxies[i].addr & ~mask) == 0,
		    "trusted proxy %d not a masked block", i);
	}
	FUZZ_ASSERT(fuzz_is_word(c->tenant_header, sizeof c->tenant_header - 1,
	    FUZZ_LOWER FUZZ_UPPER FUZZ_DIGITS "!#$%&'*+-.^_`|~"),
	    "tenant_header '%s'", c->tenant_header);
	len = strlen(c->api_prefix);
	FUZZ_ASSERT(len >= 1 && c->api_prefix[0] == '/' &&
	    c->api_prefix[len - 1] == '/' && strstr(c->api_prefix, "//") ==
	    NULL && !fuzz_has_control(c->api_prefix), "api_prefix '%s'",
	    c->api_prefix);
	FUZZ_ASSERT(c->log_level >= LOG_LEVEL_ERROR &&
	    c->log_level <= LOG_LEVEL_DEBUG, "log level %d", (int)c->log_level);
	fuzz_check_path("database", c->database);
	fuzz_check_path("key_file", c->key_file);
	fuzz_check_path("share_dir", c->share_dir);
}

/* Same configuration, the file's name aside. */
static void
fuzz_check_same(const struct hyp_config *a, const struct hyp_config *b,
    const char *how)
{
	int	 i;

	FUZZ_ASSERT(strcmp(a->user_name, b->user_name) == 0 &&
	    strcmp(a->domain, b->domain) == 0 &&
	    strcmp(a->purpose, b->purpose) == 0 &&
	    a->max_tenants == b->max_tenants &&
	    a->max_threads == b->max_threads, "%s: [webapp] differs", how);
	FUZZ_ASSERT(strcmp(a->listen_host, b->listen_host) == 0 &&
	    a->listen_port == b->listen_port &&
	    strcmp(a->control_socket, b->control_socket) == 0 &&
	    a->keepalive_seconds == b->keepalive_seconds &&
	    a->block_seconds == b->block_seconds &&
	    strcmp(a->tenant_header, b->tenant_header) == 0 &&
	    strcmp(a->api_prefix, b->api_prefix) == 0 &&
	    a->log_level == b->log_level, "%s: [daemon] differs", how);
	FUZZ_ASSERT(a->ntrusted_proxies == b->ntrusted_proxies,
	    "%s: trusted proxies differ", how);
	for (i = 0; i < a->ntrusted_proxies; i++)
		FUZZ_ASSERT(a->trusted_proxies[i].addr ==
		    b->trusted_proxies[i].addr &&
		    a->trusted_proxies[i].prefix ==
		    b->trusted_proxies[i].prefix, "%s: trusted proxy %d "
		    "differs", how, i);
	FUZZ_ASSERT(strcmp(a->database, b->database) == 0 &&
	    strcmp(a->key_file, b->key_file) == 0 &&
	    strcmp(a->share_dir, b->share_dir) == 0, "%s: [storage] differs",
	    how);
}

/* key = value, quoted so that ';' and '#' stay in; 0 if it cannot be. */
static int
fuzz_put(FILE *f, const char *key, const char *value)
{
	if (strchr(value, '"') == NULL)
		fprintf(f, "%s = \"%s\"\n", key, value);
	else if (strchr(value, '\'') == NULL)
		fprintf(f, "%s = '%s'\n", key, value);
	else
		return 0;
	return 1;
}

/* Write c as an INI file; 0 when a value cannot be written. */
static int
fuzz_write_config(const char *path, const struct hyp_config *c)
{
	FILE		*f;
	unsigned int	 a;
	int		 i, ok = 1;

	if ((f = fopen(path, "w")) == NULL)
		fuzz_fail("cannot write %s", path);
	fprintf(f, "[webapp]\nuser_name = %s\ndomain = %s\npurpose = %s\n"
	    "max_tenants = %d\nmax_threads = %d\n", c->user_name, c->domain,
	    c->purpose, c->max_tenants, c->max_threads);
	fprintf(f, "[daemon]\nlisten = %s:%d\n", c->listen_host,
	    c->listen_port);
	ok &= fuzz_put(f, "control_socket", c->control_socket);
	fprintf(f, "keepalive_seconds = %d\nblock_seconds = %d\n",
	    c->keepalive_seconds, c->block_seconds);
	fprintf(f, "trusted_proxies =");
	for (i = 0; i < c->ntrusted_proxies; i++) {
		a = c->trusted_proxies[i].addr;
		fprintf(f, "%s %u.%u.%u.%u/%u", i > 0 ? "," : "", a >> 24,
		    (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff,
		    c->trusted_proxies[i].prefix);
	}
	fprintf(f, "\n");
	ok &= fuzz_put(f, "tenant_header", c->tenant_header);
	fprintf(f, "api_prefix = %s\nlog_level = %s\n", c->api_prefix,
	    config_log_level_name(c->log_level));
	fprintf(f, "[storage]\n");
	ok &= fuzz_put(f, "database", c->database);
	ok &= fuzz_put(f, "key_file", c->key_file);
	ok &= fuzz_put(f, "share_dir", c->share_dir);
	if (fclose(f) != 0)
		fuzz_fail("cannot close %s", path);
	return ok;
}

static void
fuzz_check_refusal(const struct hyp_error *err, const char *file)
{
	char	 show[200];

	FUZZ_ASSERT(err->code == HYP_E_CONFIG, "refusal code %d",
	    (int)err->code);
	FUZZ_ASSERT(strncmp(err->msg, file, strlen(file)) == 0,
	    "refusal does not start with the file: %s",
	    fuzz_show(err->msg, show, sizeof show));
	FUZZ_ASSERT(!fuzz_has_control(err->msg), "refusal with a control "
	    "byte: %s", fuzz_show(err->msg, show, sizeof show));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hyp_config c, rel, again;
	struct hyp_error err, rerr;
	char		 show[200];
	int		 scan, rc, nwarn = 0;

	fuzz_write(fuzz_ini, data, size);
	scan = config_scan(fuzz_ini, &err);
	if (scan == -1)
		fuzz_check_refusal(&err, fuzz_ini);
	rc = config_load(fuzz_ini, &c, fuzz_warn, &nwarn, &err);
	FUZZ_ASSERT(scan == 0 || rc == -1, "loaded a file the scan refused");
	if (rc == -1)
		fuzz_check_refusal(&err, fuzz_ini);
	else {
		FUZZ_ASSERT(strcmp(c.path, fuzz_ini) == 0, "path not kept");
		fuzz_check_ranges(&c);
	}

	FUZZ_ASSERT(config_load("fuzz.ini", &rel, NULL, NULL, &rerr) == rc,
	    "loads differently by its relative name");
	if (rc == 0) {
		fuzz_check_same(&c, &rel, "relative name");
		if (fuzz_write_config(fuzz_again, &c)) {
			FUZZ_ASSERT(config_load(fuzz_again, &again, NULL,
			    NULL, &rerr) == 0, "written back, refused: %s",
			    fuzz_show(rerr.msg, show, sizeof show));
			fuzz_check_same(&c, &again, "written back");
			config_clear(&again);
		}
	}
	config_clear(&rel);
	config_clear(&c);
	return 0;
}
