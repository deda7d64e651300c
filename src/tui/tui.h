/* tui.h: the console's entry point. */
#ifndef TUI_H
#define TUI_H

#include "hyp-config.h"
#include "hyp-policy.h"
#include "hyp-store.h"

int	 tui_main(const struct hyp_config *, struct store *,
	    const struct policy_catalog *, const char *db_label);

#endif
