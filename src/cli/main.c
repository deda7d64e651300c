/*
 * main.c: hyptokens, the console and its scripting commands.
 *
 * Loads the configuration (exit 78 on any bad value), the purposes and
 * modules catalogues, and the database, then runs one subcommand or, with
 * none, the full-screen console. Every subcommand changes records only
 * through the core store, and signals the instance's daemon afterwards.
 */
#include "cli.h"

#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hyp-token.h"
#include "../tui/tui.h"

#define F_JSON		0x1
#define F_REVEAL	0x2
#define F_YES		0x4
#define F_LIMIT		0x8

enum open_mode {
	OPEN_NONE,		/* the command opens what it needs */
	OPEN_EXISTING,
};

static const struct command {
	const char	*name;
	int		 (*fn)(struct cli *, int, char **);
	enum open_mode	 open;
	int		 flags;
	int		 minargs, maxargs;
	const char	*usage;
} commands[] = {
	{ "init", cmd_init, OPEN_NONE, 0, 0, 0, "init" },
	{ "register", cmd_register, OPEN_NONE, 0, 0, 0, "register" },
	{ "list", cmd_list, OPEN_EXISTING, F_JSON, 0, 0, "list [--json]" },
	{ "show", cmd_show, OPEN_EXISTING, F_JSON | F_REVEAL, 1, 1,
	    "show DOMAIN [--json] [--reveal]" },
	{ "set", cmd_set, OPEN_EXISTING, F_JSON, 2, 64,
	    "set DOMAIN FIELD=VALUE... [--json]" },
	{ "regenerate", cmd_regenerate, OPEN_EXISTING, F_JSON | F_REVEAL, 1, 1,
	    "regenerate DOMAIN [--json] [--reveal]" },
	{ "delete", cmd_delete, OPEN_EXISTING, F_YES, 1, 1,
	    "delete DOMAIN --yes" },
	{ "history", cmd_history, OPEN_EXISTING, F_JSON | F_LIMIT, 0, 1,
	    "history [DOMAIN] [-n COUNT] [--json]" },
	{ "copy", cmd_copy, OPEN_EXISTING, 0, 1, 2,
	    "copy DOMAIN [access|refresh]" },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void
usage_all(FILE *f)
{
	size_t	 i;

	fprintf(f, "usage: hyptokens [-c FILE] [COMMAND [ARGS]]\n"
	    "With no command, opens the console. Commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  hyptokens %s\n", commands[i].usage);
	fprintf(f, "The configuration is -c FILE, else $%s, else %s.\n",
	    CONFIG_ENV, CONFIG_DEFAULT_PATH);
}

/*
 * A copy of database text fit for the admin's terminal: C0 and C1 control
 * characters and DEL become '?', so that a value written by a daemon or
 * by hand cannot move the cursor, clear the screen or set the clipboard.
 * Returns one of a few rotating static buffers (long text is cut).
 */
const char *
cli_clean(const char *s)
{
	static char	 ring[8][4096];
	static int	 next;
	char		*out = ring[next++ % 8];
	size_t		 o = 0;
	unsigned char	 c;

	for (; s != NULL && *s != '\0' && o + 1 < sizeof ring[0]; s++) {
		c = (unsigned char)*s;
		if (c == 0xc2 && (unsigned char)s[1] >= 0x80 &&
		    (unsigned char)s[1] <= 0x9f) {
			s++;		/* U+0080..U+009F, the C1 controls */
			out[o++] = '?';
		} else if (c < 0x20 || c == 0x7f)
			out[o++] = '?';
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}

/* Print a usage line for cmd and return the usage exit status. */
int
cli_usage(const char *cmd)
{
	size_t	 i;

	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, cmd) == 0) {
			fprintf(stderr, "usage: hyptokens %s\n",
			    commands[i].usage);
			return EXIT_USAGE;
		}
	}
	usage_all(stderr);
	return EXIT_USAGE;
}

/*
 * One line on stderr, "hyptokens: " first. What the admin typed comes
 * back in some of them, so a token given by mistake is hidden and
 * control characters are made harmless.
 */
void
cli_warnx(const char *fmt, ...)
{
	char	 line[1024];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	token_hide(line, sizeof line);
	fprintf(stderr, "hyptokens: %s\n", cli_clean(line));
}

/* Print err and map its category to the documented exit status. */
int
cli_fail(const struct hyp_error *err)
{
	cli_warnx("%s", err->msg);
	switch (err->code) {
	case HYP_E_BUSY:
		return EXIT_TEMPFAIL;
	case HYP_E_CONFIG:
	case HYP_E_KEY:
		return EXIT_CONFIG;
	default:
		return EXIT_REFUSED;
	}
}

/*
 * Who is acting, for the audit: the login behind sudo when there is one,
 * and the address of the SSH client.
 */
void
cli_actor(char *user, size_t ulen, char *client, size_t clen)
{
	struct passwd	*pw;
	const char	*s;
	size_t		 n;

	s = getuid() == 0 ? getenv("SUDO_USER") : NULL;
	if (s == NULL || *s == '\0') {
		pw = getpwuid(getuid());
		s = pw != NULL ? pw->pw_name : "unknown";
	}
	hyp_strlcpy(user, s, ulen);

	client[0] = '\0';
	if ((s = getenv("SSH_CLIENT")) == NULL)
		s = getenv("SSH_CONNECTION");
	if (s == NULL)
		return;
	n = strspn(s, "0123456789abcdefABCDEF.:");
	if (n > 0 && n < clen && (s[n] == ' ' || s[n] == '\0')) {
		memcpy(client, s, n);
		client[n] = '\0';
	}
}

static void
config_warn(const char *msg, void *arg)
{
	cli_warnx("warning: %s", msg);
}

/* Split flags from positional arguments; -1 on an unknown flag. */
static int
parse_flags(struct cli *c, const struct command *cmd, int *argc,
    char **argv)
{
	int		 i, n = 0;
	long long	 v;

	for (i = 0; i < *argc; i++) {
		if ((cmd->flags & F_JSON) && strcmp(argv[i], "--json") == 0)
			c->json = 1;
		else if ((cmd->flags & F_REVEAL) &&
		    strcmp(argv[i], "--reveal") == 0)
			c->reveal = 1;
		else if ((cmd->flags & F_YES) && strcmp(argv[i], "--yes") == 0)
			c->yes = 1;
		else if ((cmd->flags & F_LIMIT) && strcmp(argv[i], "-n") == 0) {
			if (i + 1 >= *argc || hyp_parse_int(argv[i + 1], 1,
			    1000000, &v) == -1) {
				fprintf(stderr, "hyptokens: -n takes a count "
				    "from 1 to 1000000\n");
				return -1;
			}
			c->limit = (long)v;
			i++;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0' &&
		    strchr(argv[i], '=') == NULL) {
			cli_warnx("%s: unknown option %s", cmd->name,
			    argv[i]);
			return -1;
		} else
			argv[n++] = argv[i];
	}
	*argc = n;
	return 0;
}

/* Configuration and catalogues; exit status on failure, else 0. */
static int
load_config(struct cli *c)
{
	struct hyp_error	 err;

	if (config_load(c->config_path, &c->cfg, config_warn, NULL,
	    &err) == -1) {
		cli_warnx("%s", err.msg);
		return EXIT_CONFIG;
	}
	if ((c->cat = policy_catalog_load(c->cfg.share_dir, &err)) == NULL ||
	    config_check_purpose(&c->cfg, c->cat, &err) == -1) {
		cli_warnx("%s", err.msg);
		return EXIT_CONFIG;
	}
	if (token_init(&err) == -1)
		return cli_fail(&err);
	cli_actor(c->actor, sizeof c->actor, c->client, sizeof c->client);
	return 0;
}

static const struct option longopts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

int
main(int argc, char **argv)
{
	struct cli		 c;
	struct hyp_error	 err;
	const struct command	*cmd = NULL;
	const char		*arg = NULL;
	size_t			 i;
	int			 ch, rc;

	memset(&c, 0, sizeof c);
	c.limit = 50;
	while ((ch = getopt_long(argc, argv, "+c:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			arg = optarg;
			break;
		case 'h':
			usage_all(stdout);
			return 0;
		case 'V':
			printf("hyptokens %s\n", HYP_VERSION);
			return 0;
		default:
			usage_all(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;

	if (argc > 0) {
		for (i = 0; i < NCOMMANDS; i++)
			if (strcmp(commands[i].name, argv[0]) == 0)
				cmd = &commands[i];
		if (cmd == NULL) {
			cli_warnx("unknown command '%s'", argv[0]);
			usage_all(stderr);
			return EXIT_USAGE;
		}
		argc--;
		argv++;
		if (parse_flags(&c, cmd, &argc, argv) == -1)
			return cli_usage(cmd->name);
		if (argc < cmd->minargs) {
			cli_warnx("%s: %s missing", cmd->name,
			    cmd->minargs - argc == 1 ? "an argument is" :
			    "arguments are");
			return cli_usage(cmd->name);
		}
		if (argc > cmd->maxargs) {
			cli_warnx("%s: unexpected argument '%s'", cmd->name,
			    argv[cmd->maxargs]);
			return cli_usage(cmd->name);
		}
	}

	c.config_path = config_path(arg);
	if ((rc = load_config(&c)) != 0)
		goto out;

	if (cmd == NULL || cmd->open == OPEN_EXISTING) {
		c.st = store_open(c.cfg.database, c.cfg.key_file, 0, &err);
		if (c.st == NULL) {
			rc = cli_fail(&err);
			goto out;
		}
		store_set_actor(c.st, c.actor, c.client);
	}
	if (cmd == NULL)
		rc = tui_main(&c.cfg, c.st, c.cat, c.cfg.database);
	else
		rc = cmd->fn(&c, argc, argv);
out:
	store_close(c.st);
	policy_catalog_free(c.cat);
	config_clear(&c.cfg);
	return rc;
}
