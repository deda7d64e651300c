/*
 * hyp-store.h: the sqlite database (SPEC section 4). The only module with
 * SQL. Every write is one transaction that takes the write lock when it
 * begins (BEGIN IMMEDIATE), so a busy database waits within the busy
 * timeout instead of failing half-way; no read transaction stays open
 * between calls, so the WAL file stays small.
 */
#ifndef HYP_STORE_H
#define HYP_STORE_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "hyp-policy.h"
#include "hyp-token.h"
#include "hyp-util.h"

#define STORE_SCHEMA_VERSION	1
#define STORE_BUSY_MS		5000

struct store;

/*
 * Open the database at path. With create set, a missing database is made
 * (mode 0600) together with a new key file at key_path (0600); an
 * existing key file is never overwritten. Without create, a missing
 * database is HYP_E_NOTFOUND. The schema is migrated to
 * STORE_SCHEMA_VERSION. The key file is loaded and checked against the
 * database's key-check value: a missing or wrong key is HYP_E_KEY and
 * nothing is opened. Returns NULL on failure with the reason in err.
 * A handle serves one thread at a time: each thread opens its own, and
 * a handle never crosses a fork().
 */
struct store *store_open(const char *path, const char *key_path, int create,
	    struct hyp_error *);
void	 store_close(struct store *);

/*
 * Who acts through this handle: the OS user and the SSH client address
 * ("" when local). Every change made through the handle (register, save,
 * regenerate, refresh, delete) appends an audit row in the same
 * transaction, naming the record and the fields changed from what to
 * what; token values never appear, only fingerprints. Default actor: the
 * effective user's name, client "".
 */
void	 store_set_actor(struct store *, const char *user, const char *client);

/* What the instance's INI says; register copies it into the record. */
struct store_instance {
	const char	*user_name;
	const char	*domain;
	const char	*purpose;
	int		 max_tenants;
	int		 max_threads;
	const char	*control_socket;
};

/*
 * Create the record for a new user name (with fresh tokens, hours 1,
 * Access Until now + 1 h), or update the INI-owned fields of an existing
 * one. A domain held by another user name is HYP_E_EXISTS naming both.
 * *created (may be NULL) says which happened. Bumps the version when
 * anything changed.
 */
int	 store_register(struct store *, const struct store_instance *,
	    int64_t now, int *created, struct hyp_error *);

/*
 * Load one record by domain (or by user name). With tokens set, the three
 * tokens are decrypted into secure memory. A stored value of the wrong
 * type sets rec->invalid instead of failing the call. HYP_E_NOTFOUND when
 * absent. rec is overwritten: record_clear() it first if reused.
 */
int	 store_load(struct store *, const char *domain, int tokens,
	    struct hyp_record *, struct hyp_error *);
int	 store_load_user(struct store *, const char *user_name, int tokens,
	    struct hyp_record *, struct hyp_error *);

/*
 * Every record, ordered by domain, without tokens. *recs is an array the
 * caller releases with store_records_free. Returns the count or -1.
 */
ssize_t	 store_load_all(struct store *, struct hyp_record **,
	    struct hyp_error *);
void	 store_records_free(struct hyp_record *, size_t);

/* The current version of a record, cheap (keep-alive check). -1 if gone. */
int64_t	 store_version(struct store *, const char *domain, struct hyp_error *);

/*
 * One edited field: its canonical text when the record was loaded, and
 * the new canonical text (both from field_get / field_parse).
 */
struct store_edit {
	enum hyp_field	 field;
	const char	*old;
	const char	*new;
};

/*
 * Write edited policy fields of one record in one transaction, touching
 * no other column. A field whose stored value is no longer `old` and is
 * not `new` either is a conflict: nothing is written, the call fails
 * with HYP_E_CONFLICT, *conflict (may be NULL) names the first such field
 * and err says the value now stored. On success the version is bumped
 * and stored in *version (may be NULL).
 */
int	 store_save(struct store *, const char *domain,
	    const struct store_edit *, size_t, enum hyp_field *conflict,
	    int64_t *version, struct hyp_error *);

/*
 * Regenerate: in one transaction, the access token moves to Prev Access
 * Token with a grace until now + 180 s, new access and refresh tokens are
 * minted, Last Access Token Refresh = now, Access Until = now + hours.
 * The replaced refresh token is retired (see store_refresh). rec (may be
 * NULL) receives the record as written, tokens included.
 */
int	 store_regenerate(struct store *, const char *domain, int64_t now,
	    struct hyp_record *rec, struct hyp_error *);

enum store_refresh_result {
	STORE_REFRESH_ROTATED,	/* this call rotated: new pair */
	STORE_REFRESH_CURRENT,	/* a concurrent or retried call: current pair */
	STORE_REFRESH_REFUSED,	/* unknown token */
	STORE_REFRESH_REPLAYED,	/* a retired token: possible theft */
};

/*
 * The API refresh (RefreshToken), atomic under concurrency. With the
 * current refresh token: new access token (old one in grace for 180 s),
 * Access Until = now + hours, Last Token Refresh = now, and in rotate
 * mode a new refresh token, the presented one kept as "just replaced"
 * for 180 s and its digest retired. With the just-replaced refresh token
 * within those 180 s, or (fixed mode) with the current one within 180 s
 * of the last API refresh: the current pair, unchanged. A retired token:
 * REPLAYED. Anything else: REFUSED. *access_out and *refresh_out get
 * secure copies (token_free) for ROTATED and CURRENT; *until gets Access
 * Until.
 */
int	 store_refresh(struct store *, const char *domain, const char *presented,
	    size_t len, int64_t now, enum store_refresh_result *,
	    char **access_out, char **refresh_out, int64_t *until,
	    struct hyp_error *);

/* Remove the record (tokens and retired digests with it). */
int	 store_delete(struct store *, const char *domain, struct hyp_error *);

/*
 * Daemon bookkeeping: write Keep Alive UTC and, when last_trans is not 0,
 * Last Trans UTC. Does not bump the version.
 */
int	 store_touch(struct store *, const char *domain, int64_t keep_alive,
	    int64_t last_trans, struct hyp_error *);

/* Audit trail. Never pass token values in detail. */
struct store_audit {
	int64_t		 at;
	char		 actor[64];	/* OS user */
	char		 client[64];	/* SSH client address, or "" */
	char		 domain[254];
	char		 action[32];	/* save, regenerate, delete, ... */
	char		*detail;	/* "field: old -> new; ..." */
};

/* An extra audit row (copy, refused replay) by the handle's actor. */
int	 store_audit(struct store *, const char *domain, const char *action,
	    const char *detail, int64_t now, struct hyp_error *);
/* Audit rows, newest first; domain NULL for all. Caller frees. */
ssize_t	 store_audit_list(struct store *, const char *domain, size_t limit,
	    struct store_audit **, struct hyp_error *);
void	 store_audit_free(struct store_audit *, size_t);

#endif
