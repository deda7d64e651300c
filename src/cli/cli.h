/*
 * cli.h: the hyptokens program's command side: global setup in main.c and
 * one file per family of subcommands. The console (src/tui) is entered
 * from main.c when no subcommand is given.
 */
#ifndef CLI_H
#define CLI_H

#include <jansson.h>

#include "hyp-config.h"
#include "hyp-policy.h"
#include "hyp-store.h"
#include "hyp-util.h"

/* Exit statuses, documented in hyptokens(1). */
#define EXIT_REFUSED	1	/* refused value, missing record, failure */
#define EXIT_USAGE	2
#define EXIT_TEMPFAIL	75	/* database busy: try again */
#define EXIT_CONFIG	78	/* configuration or key file */

struct cli {
	const char		*config_path;
	struct hyp_config	 cfg;
	struct policy_catalog	*cat;
	struct store		*st;
	char			 actor[64];
	char			 client[64];

	/* per-command flags */
	int			 json;
	int			 reveal;
	int			 yes;
	long			 limit;
};

/* main.c */
const char *cli_clean(const char *);
void	 cli_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
int	 cli_fail(const struct hyp_error *);
int	 cli_usage(const char *cmd);
void	 cli_actor(char *user, size_t, char *client, size_t);

/* cmd-setup.c */
int	 cmd_init(struct cli *, int, char **);
int	 cmd_register(struct cli *, int, char **);

/* cmd-view.c */
int	 cmd_list(struct cli *, int, char **);
int	 cmd_show(struct cli *, int, char **);
int	 cmd_history(struct cli *, int, char **);
void	 cli_audit_reveal(struct cli *, const struct hyp_record *);
int	 cli_json_print(json_t *);

/* cmd-edit.c */
int	 cmd_set(struct cli *, int, char **);
int	 cmd_regenerate(struct cli *, int, char **);
int	 cmd_delete(struct cli *, int, char **);
int	 cmd_copy(struct cli *, int, char **);

#endif
