/*
 * cmd-setup.c: init and register, the provisioning commands. register
 * does exactly what the daemon does at launch, so that an admin can hand
 * out tokens before the instance first starts.
 */
#include "cli.h"

#include <stdio.h>
#include <sys/stat.h>

#include "hyp-time.h"

/* Open (creating if needed) the INI's database; NULL after a message. */
static struct store *
setup_open(struct cli *c, int *rc)
{
	struct hyp_error	 err;
	struct store		*st;

	if ((st = store_open(c->cfg.database, c->cfg.key_file, 1,
	    &err)) == NULL) {
		*rc = cli_fail(&err);
		return NULL;
	}
	store_set_actor(st, c->actor, c->client);
	return st;
}

/* hyptokens init: create the database and its key file. */
int
cmd_init(struct cli *c, int argc, char **argv)
{
	struct stat	 sb;
	int		 existed, rc = 0;

	existed = stat(c->cfg.database, &sb) == 0;
	if ((c->st = setup_open(c, &rc)) == NULL)
		return rc;
	if (existed)
		printf("database %s already exists; nothing to do\n",
		    c->cfg.database);
	else
		printf("created database %s and key file %s (mode 0600); "
		    "back up the key file: without it the stored tokens "
		    "cannot be read\n", c->cfg.database, c->cfg.key_file);
	return 0;
}

/* hyptokens register: create or update this INI's record. */
int
cmd_register(struct cli *c, int argc, char **argv)
{
	struct store_instance	 inst;
	struct hyp_error	 err;
	int			 created = 0, rc = 0;

	if ((c->st = setup_open(c, &rc)) == NULL)
		return rc;
	inst.user_name = c->cfg.user_name;
	inst.domain = c->cfg.domain;
	inst.purpose = c->cfg.purpose;
	inst.max_tenants = c->cfg.max_tenants;
	inst.max_threads = c->cfg.max_threads;
	inst.control_socket = c->cfg.control_socket;
	if (store_register(c->st, &inst, time_now(), &created, &err) == -1)
		return cli_fail(&err);
	printf("%s %s (user %s, purpose %s)\n", created ? "registered" :
	    "updated", c->cfg.domain, c->cfg.user_name, c->cfg.purpose);
	return 0;
}
