/* tui.c: the console is not in this build yet; the commands are. */
#include "tui.h"

#include <stdio.h>

int
tui_main(const struct hyp_config *cfg, struct store *st,
    const struct policy_catalog *cat, const char *db_label)
{
	fprintf(stderr, "hyptokens: the console is not built yet; "
	    "see hyptokens -h for the commands\n");
	return 1;
}
