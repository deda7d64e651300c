/*
 * hyp-policy.h: the record model and its rules (SPEC sections 4 and 6).
 * No curses, no SQL, no HTTP: the console, the CLI, the storage and the
 * daemon all validate through these functions, so a value one refuses
 * is refused by all.
 */
#ifndef HYP_POLICY_H
#define HYP_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "hyp-util.h"

#define POLICY_HOURS_MIN	1
#define POLICY_HOURS_MAX	8760
#define POLICY_HOURS_DEFAULT	1
#define POLICY_POSTS_MIN	1
#define POLICY_POSTS_MAX	100000
#define POLICY_POSTS_WARN	500	/* above this: allowed with a warning */
#define POLICY_SESSION_MIN	1
#define POLICY_SESSION_MAX	10080
#define POLICY_GRACE_SECONDS	180	/* previous access token, retry window */
#define POLICY_LIST_MAX		256	/* entries in one list field */
#define POLICY_NAME_MAX		64	/* a module or function name */
#define POLICY_SOCKET_MAX	107	/* sun_path less the NUL */

enum refresh_mode {
	REFRESH_ROTATE,		/* every API refresh replaces the refresh token */
	REFRESH_FIXED,
};

/*
 * One Web-App's record. Optional integers left empty are 0, and so are
 * times never set. Lists are canonical text:
 * entries joined by '\n', no trailing newline, "" when empty.
 * Token pointers are secure buffers (token_free) and NULL unless the
 * record was loaded with its tokens.
 */
struct hyp_record {
	int64_t		 id;
	char		 user_name[POLICY_NAME_MAX + 1];
	int64_t		 created_on;
	char		 domain[254];
	char		 purpose[POLICY_NAME_MAX + 1];
	int		 max_tenants;
	int		 max_threads;
	char		 control_socket[POLICY_SOCKET_MAX + 1];

	int		 token_life_hours;
	int64_t		 access_until;
	int64_t		 last_refresh;
	int		 max_posts;		/* 0: purpose default */
	int		 session_timeout;	/* 0: purpose default */
	char		*whitelist;
	char		*modules;
	char		*blocked;
	enum refresh_mode refresh_mode;

	int64_t		 keep_alive;
	int64_t		 last_trans;
	int64_t		 version;		/* bumped by every policy write */

	char		*access_token;
	char		*prev_access_token;
	int64_t		 prev_access_until;	/* grace end, exclusive */
	char		*refresh_token;

	/*
	 * Set by storage when a stored value does not parse (hand-edited
	 * database): the record must fail closed. Empty when sound.
	 */
	char		 invalid[256];
};

/* Release the lists and wipe the tokens; the struct itself is the caller's. */
void	 record_clear(struct hyp_record *);
/* Deep copy (tokens included, in secure memory). */
void	 record_copy(struct hyp_record *dst, const struct hyp_record *src);

/*
 * Fields that the admin edits, in form order. The names are the
 * snake_case forms used by the CLI and JSON.
 */
enum hyp_field {
	FIELD_TOKEN_LIFE_HOURS,
	FIELD_ACCESS_UNTIL,
	FIELD_REFRESH_MODE,
	FIELD_MAX_POSTS,
	FIELD_SESSION_TIMEOUT,
	FIELD_WHITELIST,
	FIELD_MODULES,
	FIELD_BLOCKED,
	FIELD_COUNT
};

struct field_info {
	enum hyp_field	 field;
	const char	*name;		/* "token_life_hours" */
	const char	*label;		/* "Generated Token Life in Hours" */
	int		 is_list;	/* one entry a line */
	int		 may_be_empty;
	const char	*allowed;	/* "1 to 8760" */
};

const struct field_info *field_info(enum hyp_field);
/* Look up by snake_case name; NULL if not an editable field. */
const struct field_info *field_find(const char *name);

struct policy_catalog;

/*
 * Parse what an admin typed for a field into its canonical text (caller
 * frees *out). Lists accept entries one a line, and also separated by
 * commas; spaces around entries, blank lines and '#' comments are
 * dropped. Times accept every form of time_parse() relative to now.
 * cat may be NULL, in which case module names are not checked against
 * the catalogue. Returns 0, or -1 with HYP_E_INVALID and a message that
 * names the field, the value (line number for lists) and what is
 * allowed. *warning (may be NULL) gets a non-fatal note, such as posts
 * above 500 or a duplicate list entry, or "" when none.
 */
int	 field_parse(enum hyp_field, const char *input, int64_t now,
	    const struct policy_catalog *cat, char **out,
	    char *warning, size_t warnlen, struct hyp_error *);
/* Canonical text of a field of rec; caller frees. */
char	*field_get(const struct hyp_record *, enum hyp_field);
/*
 * Store canonical text (as made by field_parse) into rec. Returns 0, or -1
 * if the text is not canonical for the field.
 */
int	 field_set(struct hyp_record *, enum hyp_field, const char *,
	    struct hyp_error *);

/*
 * IPv4 addresses and CIDR blocks. Canonical dotted decimal only: four
 * decimal parts 0..255 without leading zeros, no short forms, no hex,
 * prefix /0../32 without leading zeros. The address of a block must
 * have no bits set beyond the prefix ("10.1.0.0/8" is refused, with
 * the canonical form in the message). Host byte order.
 */
int	 ipv4_parse(const char *, unsigned int *);
int	 cidr_parse(const char *, unsigned int *addr, unsigned int *prefix,
	    struct hyp_error *);
/*
 * A client address from a header or socket: canonical IPv4, or an
 * IPv4-mapped IPv6 address (::ffff:a.b.c.d, ::ffff:a01:203 and the long
 * forms), folded to IPv4. 0, or -1 for anything else.
 */
int	 ipv4_parse_client(const char *, unsigned int *);

/* A parsed whitelist, ready for matching. */
struct ipv4_list {
	struct {
		unsigned int addr, mask;
	}		*entries;
	size_t		 n;
};
/* From canonical text (field_get / stored value). 0 or -1. */
int	 ipv4_list_parse(const char *, struct ipv4_list *, struct hyp_error *);
/* 1 if addr is allowed: the list is empty or addr falls in an entry. */
int	 ipv4_list_allows(const struct ipv4_list *, unsigned int addr);
void	 ipv4_list_clear(struct ipv4_list *);

/*
 * Catalogues read from share/: purposes.ini and modules.ini (iniparser).
 */
struct policy_purpose {
	char		 name[POLICY_NAME_MAX + 1];
	char		 description[128];
	int		 bearer_required;
	int		 posts_per_minute;
	int		 session_minutes;
	char		*modules;		/* canonical list text */
};

struct policy_module {
	char		 name[POLICY_NAME_MAX + 1];
	char		*functions;		/* canonical list of names/globs */
};

struct policy_catalog {
	struct policy_purpose	*purposes;
	size_t			 npurposes;
	struct policy_module	*modules;
	size_t			 nmodules;
};

/*
 * Load share_dir/purposes.ini and share_dir/modules.ini. A catalogue that
 * cannot be read or has a bad value fails the load (HYP_E_CONFIG) with
 * the file, section and key. Caller frees with policy_catalog_free.
 */
struct policy_catalog *policy_catalog_load(const char *share_dir,
	    struct hyp_error *);
void	 policy_catalog_free(struct policy_catalog *);
const struct policy_purpose *policy_purpose_find(const struct policy_catalog *,
	    const char *);
const struct policy_module *policy_module_find(const struct policy_catalog *,
	    const char *);

/*
 * The policy a daemon enforces for one record: every field resolved
 * (admin value, or the purpose default when empty) and the lists parsed.
 */
struct policy_effective {
	int		 bearer_required;
	int		 posts_per_minute;
	int		 session_minutes;
	int		 token_life_hours;
	int64_t		 access_until;
	enum refresh_mode refresh_mode;
	struct ipv4_list whitelist;
	char		**modules;		/* purpose standard + enabled */
	size_t		 nmodules;
	char		**blocked;		/* lower-cased function names */
	size_t		 nblocked;
};

/*
 * Resolve rec against the catalogue. Fails (-1, HYP_E_INVALID, reason)
 * when rec->invalid is set, the purpose is unknown, or any stored value
 * does not parse: the caller must then refuse everything for the record.
 */
int	 policy_effective_init(struct policy_effective *,
	    const struct hyp_record *, const struct policy_catalog *,
	    struct hyp_error *);
void	 policy_effective_clear(struct policy_effective *);

/*
 * Check every stored field of rec as field_parse would. 0, or -1 with the
 * first problem (field, value, reason).
 */
int	 policy_check_record(const struct hyp_record *,
	    const struct policy_catalog *, struct hyp_error *);

/*
 * The verdict the daemon reaches for rec, for display: 0 when it would
 * enforce the record, 1 when it would refuse every request, with the
 * reason (stored value, field, what is wrong) in buf. The console and the
 * CLI show it so that a hand-edited record is seen as broken.
 */
int	 policy_record_problem(const struct hyp_record *,
	    const struct policy_catalog *, char *buf, size_t len);

/*
 * 1 if s is an API function name: 1 to 64 of A-Z a-z 0-9 '_' '.' '-'
 * (with glob, '*' and '?' too, for the catalogue's patterns).
 */
int	 policy_is_function_name(const char *s, int glob);

/* 1 if the function (already canonical) is blocked; case-insensitive. */
int	 policy_is_blocked(const struct policy_effective *, const char *fn);
/*
 * The module that claims fn: the first non-core module whose names or
 * globs match (case-insensitive), else "core". Borrowed string.
 */
const char *policy_module_for(const struct policy_catalog *, const char *fn);
/* 1 if fn is served: the module claiming it is among eff->modules. */
int	 policy_function_enabled(const struct policy_effective *,
	    const struct policy_catalog *, const char *fn);

/* Hint for the form and `show`: "empty: 20 (api)" style defaults. */
int	 policy_default_posts(const struct policy_catalog *, const char *purpose);
int	 policy_default_session(const struct policy_catalog *,
	    const char *purpose);

/*
 * Copy a value typed by someone into buf (len bytes) for an error
 * message: control characters become '?', and a value too long for buf
 * is cut and ends in "...". Returns buf.
 */
char	*policy_show_value(const char *, char *buf, size_t len);

#endif
