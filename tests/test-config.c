/*
 * test-config.c: the instance INI file (SPEC section 3, issue 2 item 3,
 * case 20). Every test writes its own file in its own temporary folder.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <sys/stat.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hyp-config.h"
#include "paths.h"	/* SHAREDIR, the default share_dir */
#include "hyp-policy.h"

#define REQUIRED \
	"[webapp]\nuser_name = webapi\ndomain = api.example.com\n" \
	"purpose = api\n[storage]\ndatabase = t.db\nkey_file = t.key\n"

struct fixture {
	char		*dir;
	char		*path;		/* dir/h.ini */
	char		 warnings[1024];
	int		 nwarnings;
};

static void
fixture_new(struct fixture *fx, const char *text)
{
	char	 tmpl[] = "/tmp/hyp-test-config.XXXXXX";
	FILE	*f;

	memset(fx, 0, sizeof *fx);
	cr_assert_not_null(mkdtemp(tmpl));
	fx->dir = strdup(tmpl);
	xasprintf(&fx->path, "%s/h.ini", fx->dir);
	cr_assert_not_null(f = fopen(fx->path, "w"));
	fputs(text, f);
	fclose(f);
}

static int
fixture_rm_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	return remove(path);
}

static void
fixture_free(struct fixture *fx)
{
	nftw(fx->dir, fixture_rm_one, 8, FTW_DEPTH | FTW_PHYS);
	free(fx->dir);
	free(fx->path);
}

static void
fixture_warn(const char *msg, void *arg)
{
	struct fixture	*fx = arg;

	strncat(fx->warnings, msg, sizeof fx->warnings -
	    strlen(fx->warnings) - 2);
	strcat(fx->warnings, "\n");
	fx->nwarnings++;
}

static int
fixture_load(struct fixture *fx, struct hyp_config *cfg,
    struct hyp_error *err)
{
	hyp_error_clear(err);
	return config_load(fx->path, cfg, fixture_warn, fx, err);
}

Test(config, required_keys_alone_give_the_defaults)
{
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;
	char		*want;

	fixture_new(&fx, REQUIRED);
	cr_assert_eq(fixture_load(&fx, &cfg, &err), 0, "%s", err.msg);
	cr_assert_str_eq(cfg.path, fx.path);
	cr_assert_str_eq(cfg.user_name, "webapi");
	cr_assert_str_eq(cfg.domain, "api.example.com");
	cr_assert_str_eq(cfg.purpose, "api");
	cr_assert_eq(cfg.max_tenants, 100);
	cr_assert_eq(cfg.max_threads, 4);
	cr_assert_str_eq(cfg.listen_host, "127.0.0.1");
	cr_assert_eq(cfg.listen_port, 8470);
	cr_assert_eq(cfg.keepalive_seconds, 30);
	cr_assert_eq(cfg.block_seconds, 300);
	cr_assert_eq(cfg.ntrusted_proxies, 1);
	cr_assert_eq(cfg.trusted_proxies[0].addr, 0x7f000001);
	cr_assert_eq(cfg.trusted_proxies[0].prefix, 32);
	cr_assert_str_eq(cfg.tenant_header, "X-Tenant-Id");
	cr_assert_str_eq(cfg.api_prefix, "/");
	cr_assert_eq(cfg.log_level, LOG_LEVEL_INFO);
	cr_assert_str_eq(cfg.share_dir, SHAREDIR);

	xasprintf(&want, "%s/t.db", fx.dir);
	cr_assert_str_eq(cfg.database, want);
	free(want);
	xasprintf(&want, "%s/t.key", fx.dir);
	cr_assert_str_eq(cfg.key_file, want);
	free(want);
	xasprintf(&want, "%s/webapi.sock", fx.dir);
	cr_assert_str_eq(cfg.control_socket, want);
	free(want);
	cr_assert_eq(fx.nwarnings, 0, "%s", fx.warnings);

	config_clear(&cfg);
	cr_assert_null(cfg.database);
	config_clear(&cfg);		/* safe twice */
	fixture_free(&fx);
}

Test(config, every_key_is_read)
{
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;

	fixture_new(&fx,
	    "[webapp]\n"
	    "user_name = Web.API_2-x\n"
	    "domain = 192.0.2.10\n"
	    "purpose = unsecured-api\n"
	    "max_tenants = 1000000\n"
	    "max_threads = 1024\n"
	    "[daemon]\n"
	    "listen = 0.0.0.0:65535\n"
	    "control_socket = /run/h.sock\n"
	    "keepalive_seconds = 3600\n"
	    "block_seconds = 86400\n"
	    "trusted_proxies = 127.0.0.1, 10.0.0.0/8\n"
	    "tenant_header = X-Org\n"
	    "api_prefix = /api/v1/\n"
	    "log_level = debug\n"
	    "[storage]\n"
	    "database = /var/lib/h/t.db\n"
	    "key_file = keys/t.key\n"
	    "share_dir = /usr/share/hyptokens\n");
	cr_assert_eq(fixture_load(&fx, &cfg, &err), 0, "%s", err.msg);
	cr_assert_str_eq(cfg.user_name, "Web.API_2-x");
	cr_assert_str_eq(cfg.domain, "192.0.2.10");
	cr_assert_str_eq(cfg.purpose, "unsecured-api");
	cr_assert_eq(cfg.max_tenants, 1000000);
	cr_assert_eq(cfg.max_threads, 1024);
	cr_assert_str_eq(cfg.listen_host, "0.0.0.0");
	cr_assert_eq(cfg.listen_port, 65535);
	cr_assert_str_eq(cfg.control_socket, "/run/h.sock");
	cr_assert_eq(cfg.keepalive_seconds, 3600);
	cr_assert_eq(cfg.block_seconds, 86400);
	cr_assert_eq(cfg.ntrusted_proxies, 2);
	cr_assert_eq(cfg.trusted_proxies[1].addr, 0x0a000000);
	cr_assert_eq(cfg.trusted_proxies[1].prefix, 8);
	cr_assert_str_eq(cfg.tenant_header, "X-Org");
	cr_assert_str_eq(cfg.api_prefix, "/api/v1/");
	cr_assert_eq(cfg.log_level, LOG_LEVEL_DEBUG);
	cr_assert_str_eq(cfg.database, "/var/lib/h/t.db");
	cr_assert(strncmp(cfg.key_file, fx.dir, strlen(fx.dir)) == 0);
	cr_assert_str_eq(cfg.key_file + strlen(fx.dir), "/keys/t.key");
	cr_assert_str_eq(cfg.share_dir, "/usr/share/hyptokens");
	config_clear(&cfg);
	fixture_free(&fx);
}

/*
 * Strict values: each refused with one line naming file, section, key,
 * value and what is allowed. `want` is the whole message after "FILE: ".
 */
struct strict_case {
	char		 line[96];	/* added to REQUIRED in its section */
	char		 section[16];
	char		 want[224];
};

ParameterizedTestParameters(config, integers_are_strict_base10_in_range)
{
	static struct strict_case cases[] = {
		{ "max_threads = 010", "webapp",
		    "[webapp] max_threads = '010': a whole number from 1 to "
		    "1024 in plain decimal (no leading zeros, units or "
		    "signs)" },
		{ "keepalive_seconds = 30s", "daemon",
		    "[daemon] keepalive_seconds = '30s': a whole number from 1 "
		    "to 3600 in plain decimal (no leading zeros, units or "
		    "signs)" },
		{ "max_tenants = 180abc", "webapp",
		    "[webapp] max_tenants = '180abc': a whole number from 1 to "
		    "1000000 in plain decimal (no leading zeros, units or "
		    "signs)" },
		{ "max_threads = 0", "webapp",
		    "[webapp] max_threads = '0': a whole number from 1 to 1024 "
		    "in plain decimal (no leading zeros, units or signs)" },
		{ "max_threads = 1025", "webapp",
		    "[webapp] max_threads = '1025': a whole number from 1 to "
		    "1024 in plain decimal (no leading zeros, units or "
		    "signs)" },
		{ "max_tenants = 1000001", "webapp",
		    "[webapp] max_tenants = '1000001': a whole number from 1 "
		    "to 1000000 in plain decimal (no leading zeros, units or "
		    "signs)" },
		{ "max_tenants = 0x10", "webapp",
		    "[webapp] max_tenants = '0x10': a whole number from 1 to "
		    "1000000 in plain decimal (no leading zeros, units or "
		    "signs)" },
		{ "max_tenants = +5", "webapp",
		    "[webapp] max_tenants = '+5': a whole number from 1 to "
		    "1000000 in plain decimal (no leading zeros, units or "
		    "signs)" },
		{ "max_tenants = -5", "webapp",
		    "[webapp] max_tenants = '-5': a whole number from 1 to "
		    "1000000 in plain decimal (no leading zeros, units or "
		    "signs)" },
		{ "max_tenants = 1 000", "webapp",
		    "[webapp] max_tenants = '1 000': a whole number from 1 to "
		    "1000000 in plain decimal (no leading zeros, units or "
		    "signs)" },
		{ "max_tenants =", "webapp",
		    "[webapp] max_tenants = '': a whole number from 1 to "
		    "1000000 in plain decimal (no leading zeros, units or "
		    "signs)" },
		{ "keepalive_seconds = 0", "daemon",
		    "[daemon] keepalive_seconds = '0': a whole number from 1 "
		    "to 3600 in plain decimal (no leading zeros, units or "
		    "signs)" },
		{ "keepalive_seconds = 3601", "daemon",
		    "[daemon] keepalive_seconds = '3601': a whole number from "
		    "1 to 3600 in plain decimal (no leading zeros, units or "
		    "signs)" },
		{ "block_seconds = 86401", "daemon",
		    "[daemon] block_seconds = '86401': a whole number from 1 "
		    "to 86400 in plain decimal (no leading zeros, units or "
		    "signs)" },
		{ "block_seconds = 5m", "daemon",
		    "[daemon] block_seconds = '5m': a whole number from 1 to "
		    "86400 in plain decimal (no leading zeros, units or "
		    "signs)" },
	};

	return cr_make_param_array(struct strict_case, cases,
	    sizeof cases / sizeof cases[0]);
}

static void
strict_check(struct strict_case *c, int exact)
{
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;
	char		*text, *want;

	xasprintf(&text, "%s[%s]\n%s\n", REQUIRED, c->section, c->line);
	fixture_new(&fx, text);
	xasprintf(&want, "%s: %s", fx.path, c->want);
	cr_assert_eq(fixture_load(&fx, &cfg, &err), -1, "accepted '%s'",
	    c->line);
	cr_assert_eq(err.code, HYP_E_CONFIG);
	cr_assert_null(strchr(err.msg, '\n'), "more than one line");
	if (exact)
		cr_assert_str_eq(err.msg, want);
	else
		cr_assert(strncmp(err.msg, want, strlen(want)) == 0,
		    "got  '%s'\nwant '%s...'", err.msg, want);
	cr_assert_null(cfg.database, "a refused load keeps nothing");
	free(want);
	free(text);
	fixture_free(&fx);
}

ParameterizedTest(struct strict_case *c, config,
    integers_are_strict_base10_in_range)
{
	strict_check(c, 1);
}

ParameterizedTestParameters(config, text_values_are_checked)
{
	static struct strict_case cases[] = {
		{ "listen = 127.0.0.1:0", "daemon",
		    "[daemon] listen = '127.0.0.1:0': a dotted-decimal IPv4 "
		    "address and a port from 1 to 65535" },
		{ "listen = 127.0.0.1:65536", "daemon",
		    "[daemon] listen = '127.0.0.1:65536': " },
		{ "listen = 127.0.0.1:08470", "daemon",
		    "[daemon] listen = '127.0.0.1:08470': " },
		{ "listen = localhost:8470", "daemon",
		    "[daemon] listen = 'localhost:8470': " },
		{ "listen = 127.1:8470", "daemon",
		    "[daemon] listen = '127.1:8470': " },
		{ "listen = 8470", "daemon", "[daemon] listen = '8470': " },
		{ "log_level = verbose", "daemon",
		    "[daemon] log_level = 'verbose': one of error, warn, info, "
		    "debug" },
		{ "log_level = INFO", "daemon",
		    "[daemon] log_level = 'INFO': one of" },
		{ "api_prefix = /api", "daemon",
		    "[daemon] api_prefix = '/api': a path that starts and ends "
		    "with '/'" },
		{ "api_prefix = api/", "daemon",
		    "[daemon] api_prefix = 'api/': " },
		{ "api_prefix = //", "daemon",
		    "[daemon] api_prefix = '//': " },
		{ "api_prefix = /a//b/", "daemon",
		    "[daemon] api_prefix = '/a//b/': " },
		{ "api_prefix = /a/../", "daemon",
		    "[daemon] api_prefix = '/a/../': " },
		{ "api_prefix = /./", "daemon",
		    "[daemon] api_prefix = '/./': " },
		{ "api_prefix = /a b/", "daemon",
		    "[daemon] api_prefix = '/a b/': " },
		{ "api_prefix = /a%2f/", "daemon",
		    "[daemon] api_prefix = '/a%2f/': " },
		{ "tenant_header = X Tenant", "daemon",
		    "[daemon] tenant_header = 'X Tenant': an HTTP header "
		    "name" },
		{ "tenant_header = X-Tenant:", "daemon",
		    "[daemon] tenant_header = 'X-Tenant:': " },
		{ "tenant_header =", "daemon",
		    "[daemon] tenant_header = '': " },
		{ "trusted_proxies = 10.0.0.1/33", "daemon",
		    "[daemon] trusted_proxies = '10.0.0.1/33': entry 1: "
		    "'10.0.0.1/33' has a bad prefix" },
		{ "trusted_proxies = 127.0.0.1, 010.0.0.1", "daemon",
		    "[daemon] trusted_proxies = '127.0.0.1, 010.0.0.1': entry "
		    "2: '010.0.0.1' has a leading zero; write 10.0.0.1" },
		{ "control_socket =", "daemon",
		    "[daemon] control_socket = '': a file path, not empty" },
		{ "share_dir =", "storage",
		    "[storage] share_dir = '': a file path, not empty" },
	};

	return cr_make_param_array(struct strict_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct strict_case *c, config, text_values_are_checked)
{
	strict_check(c, 0);
}

/* The [webapp] identity keys, replacing the good ones. */
struct ident_case {
	char		 key[16];
	char		 value[80];
	char		 want[96];
};

ParameterizedTestParameters(config, identity_values_are_checked)
{
	static struct ident_case cases[] = {
		{ "user_name", "web api", "1 to 64 characters from A-Z" },
		{ "user_name", "", "1 to 64 characters" },
		{ "user_name", "webapi/2", "1 to 64 characters" },
		{ "user_name", "w\xc3\xa9" "bapi", "1 to 64 characters" },
		{ "user_name", "a1234567890123456789012345678901234567890123456"
		    "789012345678901234", "1 to 64 characters" },
		{ "domain", "API.example.com", "a lower-case host name" },
		{ "domain", "010.0.0.1", "a lower-case host name" },
		{ "domain", "10.1", "a lower-case host name" },
		{ "domain", "-a.example.com", "a lower-case host name" },
		{ "domain", "a-.example.com", "a lower-case host name" },
		{ "domain", "a..example.com", "a lower-case host name" },
		{ "domain", "example.com.", "a lower-case host name" },
		{ "domain", "api_x.example.com", "a lower-case host name" },
		{ "domain", "example.123", "a lower-case host name" },
		{ "domain", "", "a lower-case host name" },
		{ "purpose", "API", "a purpose name" },
		{ "purpose", "my api", "a purpose name" },
		{ "purpose", "", "a purpose name" },
	};

	return cr_make_param_array(struct ident_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct ident_case *c, config, identity_values_are_checked)
{
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;
	char		*text, *want;

	xasprintf(&text, "[webapp]\nuser_name = %s\ndomain = %s\n"
	    "purpose = %s\n[storage]\ndatabase = t.db\nkey_file = t.key\n",
	    strcmp(c->key, "user_name") == 0 ? c->value : "webapi",
	    strcmp(c->key, "domain") == 0 ? c->value : "api.example.com",
	    strcmp(c->key, "purpose") == 0 ? c->value : "api");
	fixture_new(&fx, text);
	xasprintf(&want, "%s: [webapp] %s = '%s': %s", fx.path, c->key,
	    c->value, c->want);
	cr_assert_eq(fixture_load(&fx, &cfg, &err), -1, "accepted %s = '%s'",
	    c->key, c->value);
	cr_assert(strncmp(err.msg, want, strlen(want)) == 0,
	    "got  '%s'\nwant '%s...'", err.msg, want);
	free(want);
	free(text);
	fixture_free(&fx);
}

Test(config, good_identity_values_are_kept)
{
	static const char *domains[] = { "localhost", "a.b-c.example",
	    "x1.example.com", "10.0.0.1", "0.0.0.0", "1.2.3.4a" };
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;
	char		*text;
	size_t		 i;

	for (i = 0; i < sizeof domains / sizeof domains[0]; i++) {
		xasprintf(&text, "[webapp]\nuser_name = u\ndomain = %s\n"
		    "purpose = api\n[storage]\ndatabase = t.db\n"
		    "key_file = t.key\n", domains[i]);
		fixture_new(&fx, text);
		cr_assert_eq(fixture_load(&fx, &cfg, &err), 0, "%s: %s",
		    domains[i], err.msg);
		cr_assert_str_eq(cfg.domain, domains[i]);
		config_clear(&cfg);
		free(text);
		fixture_free(&fx);
	}
}

struct missing_case {
	char		 drop[16];
	char		 section[16];
};

ParameterizedTestParameters(config, missing_required_key_is_one_line)
{
	static struct missing_case cases[] = {
		{ "user_name", "webapp" },
		{ "domain", "webapp" },
		{ "purpose", "webapp" },
		{ "database", "storage" },
		{ "key_file", "storage" },
	};

	return cr_make_param_array(struct missing_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct missing_case *c, config,
    missing_required_key_is_one_line)
{
	static const char *lines[] = {
		"[webapp]", "user_name = webapi", "domain = api.example.com",
		"purpose = api", "[storage]", "database = t.db",
		"key_file = t.key",
	};
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;
	char		 text[256] = "", *want;
	size_t		 i;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		if (strncmp(lines[i], c->drop, strlen(c->drop)) == 0)
			continue;
		strcat(text, lines[i]);
		strcat(text, "\n");
	}
	fixture_new(&fx, text);
	xasprintf(&want, "%s: [%s] %s is missing: required", fx.path,
	    c->section, c->drop);
	cr_assert_eq(fixture_load(&fx, &cfg, &err), -1);
	cr_assert(strncmp(err.msg, want, strlen(want)) == 0, "%s", err.msg);
	cr_assert_null(strchr(err.msg, '\n'));
	free(want);
	fixture_free(&fx);
}

Test(config, missing_or_unreadable_file_is_one_line)
{
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;
	char		*path, *want;

	fixture_new(&fx, REQUIRED);
	xasprintf(&path, "%s/absent.ini", fx.dir);
	xasprintf(&want, "%s: cannot read: No such file or directory", path);
	cr_assert_eq(config_load(path, &cfg, NULL, NULL, &err), -1);
	cr_assert_eq(err.code, HYP_E_CONFIG);
	cr_assert_str_eq(err.msg, want);
	free(want);

	xasprintf(&want, "%s: cannot read: not a regular file", fx.dir);
	cr_assert_eq(config_load(fx.dir, &cfg, NULL, NULL, &err), -1);
	cr_assert_str_eq(err.msg, want);
	free(want);
	free(path);

	if (geteuid() != 0) {	/* root reads whatever the mode */
		chmod(fx.path, 0);
		cr_assert_eq(config_load(fx.path, &cfg, NULL, NULL, &err), -1);
		xasprintf(&want, "%s: cannot read: Permission denied",
		    fx.path);
		cr_assert_str_eq(err.msg, want);
		free(want);
	}
	fixture_free(&fx);
}

/*
 * Case 20: inline comment characters.
 */

Test(config, quoted_values_keep_semicolon_and_hash)
{
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;
	char		*want;

	fixture_new(&fx,
	    "; a full-line comment\n"
	    "# another one\n"
	    "   ; indented\n"
	    "[webapp]\nuser_name = webapi\ndomain = api.example.com\n"
	    "purpose = api\n"
	    "[daemon]\n"
	    "log_level = \"warn\" ; a comment after a quoted value\n"
	    "control_socket = 'run;1/h#.sock'\n"
	    "[storage]\n"
	    "database = \"a;b#c.db\"\n"
	    "key_file = 'k#1;x.key'   # note\n");
	cr_assert_eq(fixture_load(&fx, &cfg, &err), 0, "%s", err.msg);
	xasprintf(&want, "%s/a;b#c.db", fx.dir);
	cr_assert_str_eq(cfg.database, want);
	free(want);
	xasprintf(&want, "%s/k#1;x.key", fx.dir);
	cr_assert_str_eq(cfg.key_file, want);
	free(want);
	xasprintf(&want, "%s/run;1/h#.sock", fx.dir);
	cr_assert_str_eq(cfg.control_socket, want);
	free(want);
	cr_assert_eq(cfg.log_level, LOG_LEVEL_WARN);
	config_clear(&cfg);
	fixture_free(&fx);
}

struct inline_case {
	char		 line[64];
	char		 section[16];
	char		 want[96];	/* after "FILE: " */
};

ParameterizedTestParameters(config, unquoted_inline_comment_is_refused)
{
	static struct inline_case cases[] = {
		{ "log_level = info ; note", "daemon",
		    "[daemon] log_level = 'info ; note': " },
		{ "log_level = info # note", "daemon",
		    "[daemon] log_level = 'info # note': " },
		{ "max_threads = 8;", "webapp",
		    "[webapp] max_threads = '8;': " },
		{ "share_dir = /srv/a#b", "storage",
		    "[storage] share_dir = '/srv/a#b': " },
		{ "listen = ; later", "daemon",
		    "[daemon] listen = '; later': " },
	};

	return cr_make_param_array(struct inline_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct inline_case *c, config,
    unquoted_inline_comment_is_refused)
{
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;
	char		*text, *want;

	xasprintf(&text, "%s[%s]\n%s\n", REQUIRED, c->section, c->line);
	fixture_new(&fx, text);
	xasprintf(&want, "%s: %s", fx.path, c->want);
	cr_assert_eq(fixture_load(&fx, &cfg, &err), -1, "'%s' was cut and "
	    "used", c->line);
	cr_assert_eq(err.code, HYP_E_CONFIG);
	cr_assert(strncmp(err.msg, want, strlen(want)) == 0, "%s", err.msg);
	cr_assert(strstr(err.msg, "put the comment on its own line") != NULL,
	    "%s", err.msg);
	cr_assert(strstr(err.msg, "quote the value") != NULL, "%s", err.msg);
	free(want);
	free(text);
	fixture_free(&fx);
}

struct syntax_case {
	char		 text[96];	/* added after REQUIRED */
	char		 want[96];	/* after "FILE: " */
};

ParameterizedTestParameters(config, lines_iniparser_would_misread_are_refused)
{
	static struct syntax_case cases[] = {
		{ "[daemon]\nlog_level = info\nlog_level = debug\n",
		    "[daemon] log_level is set twice (lines 9 and 10); keep "
		    "one" },
		{ "[webapp]\nMax_Threads = 4\n[WEBAPP]\nmax_threads = 8\n",
		    "[webapp] max_threads is set twice (lines 9 and 11)" },
		{ "[storage]\ndatabase = other.db\n",
		    "[storage] database is set twice (lines 6 and 9)" },
		{ "[daemon]\nlog_level = \"info\n",
		    "[daemon] log_level = '\"info': the quote is not closed" },
		{ "[daemon]\nlog_level = \"info\" debug\n",
		    "[daemon] log_level = '\"info\" debug': text after the "
		    "closing quote" },
		{ "[daemon] ; the daemon\n", "line 8: a section line holds "
		    "only [name]" },
		{ "[]\n", "line 8: a section name is one word" },
		{ "[daemon]\njust words\n", "line 9: not a [section]" },
		{ "[daemon]\n= 5\n", "line 9: not a [section]" },
		{ "[daemon]\nlog_level = in\\\nfo\n", "line 9: ends in '\\'" },
	};

	return cr_make_param_array(struct syntax_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct syntax_case *c, config,
    lines_iniparser_would_misread_are_refused)
{
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;
	char		*text, *want;

	xasprintf(&text, "%s%s", REQUIRED, c->text);
	fixture_new(&fx, text);
	xasprintf(&want, "%s: %s", fx.path, c->want);
	cr_assert_eq(fixture_load(&fx, &cfg, &err), -1, "accepted");
	cr_assert(strncmp(err.msg, want, strlen(want)) == 0,
	    "got  '%s'\nwant '%s...'", err.msg, want);
	free(want);
	free(text);
	fixture_free(&fx);
}

Test(config, key_before_any_section_is_refused)
{
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;
	char		*want;

	fixture_new(&fx, "database = t.db\n" REQUIRED);
	xasprintf(&want, "%s: line 1: a key before the first [section]",
	    fx.path);
	cr_assert_eq(fixture_load(&fx, &cfg, &err), -1);
	cr_assert(strncmp(err.msg, want, strlen(want)) == 0, "%s", err.msg);
	free(want);
	fixture_free(&fx);
}

Test(config, unknown_keys_and_sections_are_warned_and_ignored)
{
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;
	char		*want;

	fixture_new(&fx, REQUIRED "[daemon]\nkepalive_seconds = 5\n"
	    "[extra]\nthing = 1\n");
	cr_assert_eq(fixture_load(&fx, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(cfg.keepalive_seconds, 30, "a typo changes nothing");
	cr_assert_eq(fx.nwarnings, 2, "%s", fx.warnings);
	xasprintf(&want, "%s: [daemon] kepalive_seconds is not a known key "
	    "(ignored)\n%s: [extra] is not a known section (ignored)\n",
	    fx.path, fx.path);
	cr_assert_str_eq(fx.warnings, want);
	free(want);
	config_clear(&cfg);

	/* no callback: still loads */
	cr_assert_eq(config_load(fx.path, &cfg, NULL, NULL, &err), 0);
	config_clear(&cfg);
	fixture_free(&fx);
}

/*
 * Found by fuzz-ini: names with control bytes reached messages as typed.
 * (iniparser lower-cases key names.)
 */
Test(config, names_with_control_bytes_are_shown_printable)
{
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;
	char		*want;

	fixture_new(&fx, REQUIRED "[daemon]\na\x1b[2Jb = 1\n[x\ry]\n");
	cr_assert_eq(fixture_load(&fx, &cfg, &err), 0, "%s", err.msg);
	xasprintf(&want, "%s: [daemon] a?[2jb is not a known key "
	    "(ignored)\n%s: [x?y] is not a known section (ignored)\n",
	    fx.path, fx.path);
	cr_assert_str_eq(fx.warnings, want);
	free(want);
	config_clear(&cfg);
	fixture_free(&fx);

	fixture_new(&fx, REQUIRED "[d\x07]\nk\x1b = 1\nk\x1b = 2\n");
	cr_assert_eq(fixture_load(&fx, &cfg, &err), -1);
	xasprintf(&want, "%s: [d?] k? is set twice (lines 9 and 10); keep one",
	    fx.path);
	cr_assert_str_eq(err.msg, want);
	free(want);
	fixture_free(&fx);

	fixture_new(&fx, REQUIRED "[daemon]\nk\x1b = \"open\n");
	cr_assert_eq(fixture_load(&fx, &cfg, &err), -1);
	xasprintf(&want, "%s: [daemon] k? = '\"open': the quote is not "
	    "closed on this line", fx.path);
	cr_assert_str_eq(err.msg, want);
	free(want);
	fixture_free(&fx);
}

Test(config, relative_paths_are_taken_from_the_ini_folder)
{
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;
	char		*want;

	fixture_new(&fx, "[webapp]\nuser_name = w\ndomain = a.example\n"
	    "purpose = api\n[daemon]\ncontrol_socket = run/w.sock\n"
	    "[storage]\ndatabase = data/t.db\nkey_file = ../k/t.key\n"
	    "share_dir = share\n");
	cr_assert_eq(chdir("/"), 0);	/* the cwd plays no part */
	cr_assert_eq(fixture_load(&fx, &cfg, &err), 0, "%s", err.msg);
	xasprintf(&want, "%s/data/t.db", fx.dir);
	cr_assert_str_eq(cfg.database, want);
	free(want);
	xasprintf(&want, "%s/../k/t.key", fx.dir);
	cr_assert_str_eq(cfg.key_file, want);
	free(want);
	xasprintf(&want, "%s/run/w.sock", fx.dir);
	cr_assert_str_eq(cfg.control_socket, want);
	free(want);
	xasprintf(&want, "%s/share", fx.dir);
	cr_assert_str_eq(cfg.share_dir, want);
	free(want);
	config_clear(&cfg);
	fixture_free(&fx);
}

Test(config, relative_ini_path_still_gives_absolute_paths)
{
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;
	char		*want;

	fixture_new(&fx, REQUIRED);
	cr_assert_eq(chdir(fx.dir), 0);
	cr_assert_eq(config_load("h.ini", &cfg, NULL, NULL, &err), 0, "%s",
	    err.msg);
	cr_assert_str_eq(cfg.path, "h.ini");
	xasprintf(&want, "%s/t.db", fx.dir);
	cr_assert_str_eq(cfg.database, want);
	free(want);
	xasprintf(&want, "%s/webapi.sock", fx.dir);
	cr_assert_str_eq(cfg.control_socket, want);
	free(want);
	config_clear(&cfg);
	fixture_free(&fx);
}

Test(config, socket_path_must_fit_sun_path)
{
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;
	char		 name[120], *text, *want;

	/* "/x...x" of exactly 107 characters fits; 108 does not */
	memset(name, 'x', sizeof name);
	name[0] = '/';
	name[107] = '\0';
	xasprintf(&text, "%s[daemon]\ncontrol_socket = %s\n", REQUIRED, name);
	fixture_new(&fx, text);
	cr_assert_eq(fixture_load(&fx, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(strlen(cfg.control_socket), 107);
	config_clear(&cfg);
	fixture_free(&fx);
	free(text);

	name[107] = 'x';
	name[108] = '\0';
	xasprintf(&text, "%s[daemon]\ncontrol_socket = %s\n", REQUIRED, name);
	fixture_new(&fx, text);
	xasprintf(&want, "%s: [daemon] control_socket = '", fx.path);
	cr_assert_eq(fixture_load(&fx, &cfg, &err), -1);
	cr_assert(strncmp(err.msg, want, strlen(want)) == 0, "%s", err.msg);
	cr_assert(strstr(err.msg, "at most 107 characters") != NULL, "%s",
	    err.msg);
	free(want);
	fixture_free(&fx);
	free(text);
}

Test(config, default_socket_too_long_is_refused)
{
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;
	char		 name[120], *text, *want;

	memset(name, 'd', 100);
	name[100] = '\0';
	xasprintf(&text, "[webapp]\nuser_name = webapi\n"
	    "domain = api.example.com\npurpose = api\n[storage]\n"
	    "database = /%s/t.db\nkey_file = t.key\n", name);
	fixture_new(&fx, text);
	xasprintf(&want, "%s: [daemon] control_socket is not set and its "
	    "default '", fx.path);
	cr_assert_eq(fixture_load(&fx, &cfg, &err), -1);
	cr_assert(strncmp(err.msg, want, strlen(want)) == 0, "%s", err.msg);
	free(want);
	fixture_free(&fx);
	free(text);
}

Test(config, trusted_proxies_may_be_emptied_but_not_overfilled)
{
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;
	char		 list[400] = "", *text;
	int		 i;

	fixture_new(&fx, REQUIRED "[daemon]\ntrusted_proxies =\n");
	cr_assert_eq(fixture_load(&fx, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(cfg.ntrusted_proxies, 0);
	config_clear(&cfg);
	fixture_free(&fx);

	for (i = 0; i <= CONFIG_PROXIES_MAX; i++)
		sprintf(list + strlen(list), "%s10.0.0.%d", i ? "," : "", i);
	xasprintf(&text, "%s[daemon]\ntrusted_proxies = %s\n", REQUIRED, list);
	fixture_new(&fx, text);
	cr_assert_eq(fixture_load(&fx, &cfg, &err), -1);
	cr_assert(strstr(err.msg, "at most 16 addresses") != NULL, "%s",
	    err.msg);
	fixture_free(&fx);
	free(text);
}

Test(config, path_follows_argument_then_environment_then_default)
{
	unsetenv(CONFIG_ENV);
	cr_assert_str_eq(config_path(NULL), CONFIG_DEFAULT_PATH);
	cr_assert_str_eq(config_path(NULL), "/etc/hyptokens/hyptokens.ini");
	setenv(CONFIG_ENV, "/tmp/env.ini", 1);
	cr_assert_str_eq(config_path(NULL), "/tmp/env.ini");
	cr_assert_str_eq(config_path("/tmp/arg.ini"), "/tmp/arg.ini");
	setenv(CONFIG_ENV, "", 1);
	cr_assert_str_eq(config_path(NULL), CONFIG_DEFAULT_PATH);
}

Test(config, log_level_names)
{
	cr_assert_str_eq(config_log_level_name(LOG_LEVEL_ERROR), "error");
	cr_assert_str_eq(config_log_level_name(LOG_LEVEL_WARN), "warn");
	cr_assert_str_eq(config_log_level_name(LOG_LEVEL_INFO), "info");
	cr_assert_str_eq(config_log_level_name(LOG_LEVEL_DEBUG), "debug");
}

Test(config, purpose_must_be_in_the_catalogue)
{
	struct policy_catalog *cat;
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;
	char		*text, *want;

	cat = policy_catalog_load("share", &err);
	cr_assert_not_null(cat, "%s", err.msg);

	fixture_new(&fx, REQUIRED);
	cr_assert_eq(fixture_load(&fx, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(config_check_purpose(&cfg, cat, &err), 0);
	config_clear(&cfg);
	fixture_free(&fx);

	xasprintf(&text, "[webapp]\nuser_name = w\ndomain = a.example\n"
	    "purpose = shop\n[storage]\ndatabase = t.db\nkey_file = k\n");
	fixture_new(&fx, text);
	cr_assert_eq(fixture_load(&fx, &cfg, &err), 0, "%s", err.msg);
	xasprintf(&want, "%s: [webapp] purpose = 'shop': one of the purposes "
	    "in the catalogue: api, portal, unsecured-api", fx.path);
	cr_assert_eq(config_check_purpose(&cfg, cat, &err), -1);
	cr_assert_eq(err.code, HYP_E_CONFIG);
	cr_assert_str_eq(err.msg, want);
	free(want);
	free(text);
	config_clear(&cfg);
	fixture_free(&fx);
	policy_catalog_free(cat);
}

Test(config, shipped_example_loads_cleanly_from_the_source_tree)
{
	struct policy_catalog *cat;
	struct hyp_config cfg;
	struct hyp_error err;
	struct fixture	 fx;

	memset(&fx, 0, sizeof fx);
	cr_assert_eq(config_load("hyptokens.ini.example", &cfg, fixture_warn,
	    &fx, &err), 0, "%s", err.msg);
	cr_assert_eq(fx.nwarnings, 0, "%s", fx.warnings);
	cat = policy_catalog_load(cfg.share_dir, &err);
	cr_assert_not_null(cat, "%s", err.msg);
	cr_assert_eq(config_check_purpose(&cfg, cat, &err), 0, "%s", err.msg);
	cr_assert_eq(cfg.database[0], '/');
	policy_catalog_free(cat);
	config_clear(&cfg);
}
