/*
 * hyp-config.h: the instance's INI file (SPEC section 3), read with
 * iniparser. Every value is checked; nothing falls back to a default
 * after a typo. A bad file is reported in one line naming the file,
 * section, key, value and what is allowed; programs exit 78 on it.
 */
#ifndef HYP_CONFIG_H
#define HYP_CONFIG_H

#include <stdio.h>

#include "hyp-util.h"

#define CONFIG_DEFAULT_PATH	"/etc/hyptokens/hyptokens.ini"
#define CONFIG_ENV		"HYPTOKENS_CONFIG"
#define CONFIG_EXIT		78	/* EX_CONFIG */

#define CONFIG_NAME_MAX		64
#define CONFIG_DOMAIN_MAX	253
#define CONFIG_PROXIES_MAX	16

enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

struct config_cidr {
	unsigned int	 addr;		/* host byte order, masked */
	unsigned int	 prefix;	/* 0..32 */
};

struct hyp_config {
	char		*path;		/* the file read (absolute if given so) */

	/* [webapp] */
	char		 user_name[CONFIG_NAME_MAX + 1];
	char		 domain[CONFIG_DOMAIN_MAX + 1];
	char		 purpose[CONFIG_NAME_MAX + 1];
	int		 max_tenants;	/* 1..1000000 */
	int		 max_threads;	/* 1..1024 */

	/* [daemon] */
	char		 listen_host[64];	/* IPv4 literal, default 127.0.0.1 */
	int		 listen_port;		/* 1..65535, default 8470 */
	char		*control_socket;	/* absolute path */
	int		 keepalive_seconds;	/* 1..3600, default 30 */
	int		 block_seconds;		/* 1..86400, default 300 */
	struct config_cidr trusted_proxies[CONFIG_PROXIES_MAX];
	int		 ntrusted_proxies;	/* default: 127.0.0.1/32 */
	char		 tenant_header[64];	/* default X-Tenant-Id */
	char		 api_prefix[128];	/* starts and ends with '/' */
	enum log_level	 log_level;		/* default info */

	/* [storage] */
	char		*database;	/* absolute path */
	char		*key_file;	/* absolute path */
	char		*share_dir;	/* catalogues; default SHAREDIR */
};

/*
 * Which file to read: the -c argument if not NULL, else $HYPTOKENS_CONFIG,
 * else CONFIG_DEFAULT_PATH. Returns a borrowed string.
 */
const char *config_path(const char *arg);

/*
 * Load and check the file. Relative paths in it are resolved against the
 * INI file's own folder. Unknown sections and keys are not errors: each
 * is reported through warn (one line; may be NULL to ignore). Returns 0,
 * or -1 with HYP_E_CONFIG and the one-line message in err:
 *   "FILE: [section] key = 'value': what is allowed"
 */
int	 config_load(const char *path, struct hyp_config *,
	    void (*warn)(const char *, void *), void *arg, struct hyp_error *);
/* Release what config_load allocated; safe on a zeroed struct. */
void	 config_clear(struct hyp_config *);

/* "error", "warn", "info", "debug". */
const char *config_log_level_name(enum log_level);

/*
 * Read the raw lines of an INI file for what iniparser would take
 * silently: an unquoted value cut at an inline ';' or '#' comment, a key
 * set twice in one section, a key before any [section], a quote left
 * open, a line iniparser cannot read. Used before iniparser_load by every
 * INI reader of the core. 0, or -1 with HYP_E_CONFIG and one line.
 */
int	 config_scan(const char *path, struct hyp_error *);

struct policy_catalog;

/*
 * Check that the purpose named in the file exists in the catalogue.
 * 0, or -1 with HYP_E_CONFIG and the same one-line form as config_load,
 * listing the known purposes.
 */
int	 config_check_purpose(const struct hyp_config *,
	    const struct policy_catalog *, struct hyp_error *);

#endif
