/*
 * store.c: the sqlite database of records, retired refresh tokens and
 * the audit trail (SPEC section 4). The only file with SQL.
 *
 * Invariants kept here:
 * - every write is one BEGIN IMMEDIATE ... COMMIT, rolled back on any
 *   error: the write lock is taken when the transaction begins, so a busy
 *   database waits in the busy handler instead of failing half-way;
 * - every statement is reset before a call returns, so an idle handle
 *   holds no read transaction and never pins the WAL;
 * - token text never reaches SQL: only sealed blobs (token_seal, bound to
 *   the user name and the column) and keyed digests are stored, and the
 *   audit names tokens by fingerprint only;
 * - a stored value of the wrong type marks the record invalid (the
 *   daemon fails closed on it) instead of failing the call, so that the
 *   console can still show and repair a hand-edited record.
 * A handle is one connection opened without sqlite's own mutex: it serves
 * one thread at a time (the statement cache and the open transaction are
 * per handle anyway).
 */
#include "hyp-store.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hyp-time.h"

/* Compiled in from share/schema by tools/embed.sh. */
extern const char *const store_migrations[];
extern const size_t store_nmigrations;

#define STORE_WAL_LIMIT		1048576	/* WAL bytes kept after a checkpoint */
#define STORE_WAL_PAGES		256	/* checkpoint at about 1 MiB */
#define STORE_WAL_RESTART	512	/* frames (2 MiB): wait for readers */
#define STORE_RETIRED_KEEP	100	/* retired refresh digests per record */
#define STORE_KEY_CHECK		"key_check"

enum store_stmt {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_BY_DOMAIN,
	STMT_BY_USER,
	STMT_ALL,
	STMT_VERSION,
	STMT_HOLDER,
	STMT_INSERT,
	STMT_UPDATE_INI,
	STMT_TOKENS,
	STMT_TOUCH,
	STMT_DELETE,
	STMT_FLOOR,
	STMT_RETIRE,
	STMT_PRUNE,
	STMT_IS_RETIRED,
	STMT_AUDIT_ADD,
	STMT_AUDIT_ALL,
	STMT_AUDIT_DOMAIN,
	STMT_COUNT
};

/* The record columns, in the order of enum store_col. */
#define RECORD_SELECT "SELECT id, hyper_user_name, created_on_utc, " \
	"domain_address, domain_purpose, max_tenants, max_threads, " \
	"control_socket, token_life_hours, access_until_utc, " \
	"last_token_refresh_utc, max_posts_per_ip_per_minute, " \
	"session_timeout_minutes, ipv4_whitelist, enabled_modules, " \
	"blocked_functions, refresh_token_mode, keep_alive_utc, " \
	"last_trans_utc, policy_version, prev_access_until_utc, " \
	"prev_refresh_until_utc, access_token, prev_access_token, " \
	"refresh_token, prev_refresh_token FROM hyp_web_api_tokens "

enum store_col {
	COL_ID,
	COL_USER,
	COL_CREATED,
	COL_DOMAIN,
	COL_PURPOSE,
	COL_TENANTS,
	COL_THREADS,
	COL_SOCKET,
	COL_HOURS,
	COL_UNTIL,
	COL_LAST_REFRESH,
	COL_POSTS,
	COL_SESSION,
	COL_WHITELIST,
	COL_MODULES,
	COL_BLOCKED,
	COL_MODE,
	COL_KEEP_ALIVE,
	COL_LAST_TRANS,
	COL_VERSION,
	COL_PREV_ACCESS_UNTIL,
	COL_PREV_REFRESH_UNTIL,
	COL_ACCESS,
	COL_PREV_ACCESS,
	COL_REFRESH,
	COL_PREV_REFRESH,
};

static const char *const store_sql[STMT_COUNT] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_BY_DOMAIN] = RECORD_SELECT "WHERE domain_address = ?1",
	[STMT_BY_USER] = RECORD_SELECT "WHERE hyper_user_name = ?1",
	[STMT_ALL] = RECORD_SELECT "ORDER BY domain_address",
	[STMT_VERSION] = "SELECT policy_version FROM hyp_web_api_tokens "
	    "WHERE domain_address = ?1",
	[STMT_HOLDER] = "SELECT hyper_user_name FROM hyp_web_api_tokens "
	    "WHERE domain_address = ?1 AND hyper_user_name != ?2",
	[STMT_INSERT] = "INSERT INTO hyp_web_api_tokens (hyper_user_name, "
	    "created_on_utc, domain_address, domain_purpose, max_tenants, "
	    "max_threads, control_socket, token_life_hours, access_until_utc, "
	    "last_token_refresh_utc, access_token, refresh_token, "
	    "policy_version) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
	    "COALESCE((SELECT value FROM hyp_meta "
	    "WHERE name = 'version_floor'), 0) + 1)",
	[STMT_UPDATE_INI] = "UPDATE hyp_web_api_tokens SET "
	    "domain_address = ?1, domain_purpose = ?2, max_tenants = ?3, "
	    "max_threads = ?4, control_socket = ?5, "
	    "policy_version = policy_version + 1 WHERE id = ?6",
	[STMT_TOKENS] = "UPDATE hyp_web_api_tokens SET access_token = ?1, "
	    "prev_access_token = ?2, prev_access_until_utc = ?3, "
	    "refresh_token = ?4, prev_refresh_token = ?5, "
	    "prev_refresh_until_utc = ?6, access_until_utc = ?7, "
	    "last_token_refresh_utc = ?8, "
	    "policy_version = policy_version + 1 WHERE id = ?9",
	[STMT_TOUCH] = "UPDATE hyp_web_api_tokens SET keep_alive_utc = ?1, "
	    "last_trans_utc = CASE WHEN ?2 != 0 THEN ?2 ELSE last_trans_utc "
	    "END WHERE domain_address = ?3",
	[STMT_DELETE] = "DELETE FROM hyp_web_api_tokens WHERE id = ?1",
	/*
	 * A record registered again after a delete starts above every
	 * version a daemon may still hold, so its keep-alive sees a change.
	 */
	[STMT_FLOOR] = "INSERT INTO hyp_meta (name, value) SELECT "
	    "'version_floor', policy_version FROM hyp_web_api_tokens "
	    "WHERE id = ?1 ON CONFLICT (name) DO UPDATE SET "
	    "value = MAX(value, excluded.value)",
	[STMT_RETIRE] = "INSERT OR REPLACE INTO hyp_retired_refresh "
	    "(record_id, digest, retired_utc) VALUES (?1, ?2, ?3)",
	[STMT_PRUNE] = "DELETE FROM hyp_retired_refresh WHERE record_id = ?1 "
	    "AND rowid NOT IN (SELECT rowid FROM hyp_retired_refresh "
	    "WHERE record_id = ?1 ORDER BY retired_utc DESC, rowid DESC "
	    "LIMIT ?2)",
	[STMT_IS_RETIRED] = "SELECT 1 FROM hyp_retired_refresh "
	    "WHERE record_id = ?1 AND digest = ?2",
	[STMT_AUDIT_ADD] = "INSERT INTO hyp_audit (at_utc, actor, client, "
	    "domain_address, action, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_AUDIT_ALL] = "SELECT at_utc, actor, client, domain_address, "
	    "action, detail FROM hyp_audit ORDER BY at_utc DESC, id DESC "
	    "LIMIT ?1",
	[STMT_AUDIT_DOMAIN] = "SELECT at_utc, actor, client, domain_address, "
	    "action, detail FROM hyp_audit WHERE domain_address = ?2 "
	    "ORDER BY at_utc DESC, id DESC LIMIT ?1",
};

struct store {
	sqlite3			*db;
	struct token_key	*key;
	char			*path;
	char			*key_path;
	char			 actor[64];
	char			 client[64];
	sqlite3_stmt		*stmt[STMT_COUNT];
};

/* A record as read inside a transaction, with what hyp_record lacks. */
struct store_row {
	struct hyp_record	 rec;
	char			*prev_refresh;	/* secure, or NULL */
	int64_t			 prev_refresh_until;
};

/* The token columns of one write (regenerate, refresh). */
struct store_tokens {
	const char	*access;
	const char	*prev_access;		/* may be NULL */
	int64_t		 prev_access_until;
	const char	*refresh;
	const char	*prev_refresh;		/* may be NULL */
	int64_t		 prev_refresh_until;
	int64_t		 access_until;
	int64_t		 last_refresh;
};

/* How a saved field's canonical text becomes its column. */
enum store_kind {
	KIND_INT,		/* required integer */
	KIND_OPT_INT,		/* "" is 0 */
	KIND_TIME,
	KIND_MODE,
	KIND_TEXT,
};

static const struct {
	const char	*column;
	enum store_kind	 kind;
	long long	 min, max;
} store_fields[FIELD_COUNT] = {
	[FIELD_TOKEN_LIFE_HOURS] = { "token_life_hours", KIND_INT,
	    POLICY_HOURS_MIN, POLICY_HOURS_MAX },
	[FIELD_ACCESS_UNTIL] = { "access_until_utc", KIND_TIME, 0, 0 },
	[FIELD_REFRESH_MODE] = { "refresh_token_mode", KIND_MODE, 0, 0 },
	[FIELD_MAX_POSTS] = { "max_posts_per_ip_per_minute", KIND_OPT_INT,
	    POLICY_POSTS_MIN, POLICY_POSTS_MAX },
	[FIELD_SESSION_TIMEOUT] = { "session_timeout_minutes", KIND_OPT_INT,
	    POLICY_SESSION_MIN, POLICY_SESSION_MAX },
	[FIELD_WHITELIST] = { "ipv4_whitelist", KIND_TEXT, 0, 0 },
	[FIELD_MODULES] = { "enabled_modules", KIND_TEXT, 0, 0 },
	[FIELD_BLOCKED] = { "blocked_functions", KIND_TEXT, 0, 0 },
};

/*
 * Turn an sqlite failure into a core error. Busy and full get messages
 * of their own, since the admin can act on them; the rest name the
 * database and what was being done. Never given token text.
 */
static int
store_fail(struct store *s, struct hyp_error *err, int rc, const char *what)
{
	const char	*msg;

	/* A failure of ours (a bind refused before sqlite ran) has no errmsg. */
	if (sqlite3_extended_errcode(s->db) == rc)
		msg = sqlite3_errmsg(s->db);
	else
		msg = sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return hyp_error_set(err, HYP_E_BUSY, "the database is busy "
		    "(another program holds it); nothing was changed: "
		    "try again");
	case SQLITE_FULL:
		return hyp_error_set(err, HYP_E_FULL, "database %s: the disk "
		    "is full; nothing was changed", s->path);
	case SQLITE_CONSTRAINT:
		if (strstr(msg, "domain_address") != NULL)
			return hyp_error_set(err, HYP_E_EXISTS, "database %s: "
			    "%s: the domain is already registered", s->path,
			    what);
		break;
	}
	return hyp_error_set(err, HYP_E_IO, "database %s: %s: %s", s->path,
	    what, msg);
}

static sqlite3_stmt *
store_stmt(struct store *s, enum store_stmt id, struct hyp_error *err)
{
	int	 rc;

	if (s->stmt[id] != NULL)
		return s->stmt[id];
	rc = sqlite3_prepare_v3(s->db, store_sql[id], -1,
	    SQLITE_PREPARE_PERSISTENT, &s->stmt[id], NULL);
	if (rc != SQLITE_OK) {
		s->stmt[id] = NULL;
		store_fail(s, err, rc, "preparing a statement");
		return NULL;
	}
	return s->stmt[id];
}

/* Reset every cached statement: none keeps a read transaction open. */
static void
store_reset_all(struct store *s)
{
	int	 i;

	for (i = 0; i < STMT_COUNT; i++) {
		if (s->stmt[i] != NULL) {
			sqlite3_reset(s->stmt[i]);
			sqlite3_clear_bindings(s->stmt[i]);
		}
	}
}

/* Step a statement that returns no row, then reset it. */
static int
store_step_done(struct store *s, sqlite3_stmt *st, const char *what,
    struct hyp_error *err)
{
	int	 rc;

	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_fail(s, err, rc, what);
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return 0;
}

static int
store_run(struct store *s, enum store_stmt id, const char *what,
    struct hyp_error *err)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, id, err)) == NULL)
		return -1;
	return store_step_done(s, st, what, err);
}

static int
store_begin(struct store *s, struct hyp_error *err)
{
	return store_run(s, STMT_BEGIN, "starting a transaction", err);
}

static int
store_commit(struct store *s, struct hyp_error *err)
{
	return store_run(s, STMT_COMMIT, "committing", err);
}

/* Undo the open transaction, if any; the error is already reported. */
static void
store_rollback(struct store *s)
{
	store_reset_all(s);
	if (!sqlite3_get_autocommit(s->db))
		store_run(s, STMT_ROLLBACK, "rolling back", NULL);
}

/* End a write: commit on success, roll back otherwise. Returns rc. */
static int
store_end(struct store *s, int rc, struct hyp_error *err)
{
	if (rc == 0 && store_commit(s, err) != 0)
		rc = -1;
	if (rc != 0)
		store_rollback(s);
	store_reset_all(s);
	return rc;
}

static int
store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	return sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/* Run a one-off statement, such as a PRAGMA; *out gets its first text. */
static int
store_exec(struct store *s, const char *sql, char *out, size_t len,
    struct hyp_error *err)
{
	sqlite3_stmt		*st;
	const unsigned char	*t;
	int			 rc;

	if (out != NULL && len > 0)
		out[0] = '\0';
	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(s, err, rc, "preparing a statement");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		t = sqlite3_column_text(st, 0);
		if (out != NULL && t != NULL && out[0] == '\0')
			hyp_strlcpy(out, (const char *)t, len);
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, err, rc, sql);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

static int
store_user_version(struct store *s, long long *v, struct hyp_error *err)
{
	char	 buf[32];

	if (store_exec(s, "PRAGMA user_version", buf, sizeof buf, err) != 0)
		return -1;
	if (hyp_parse_int(buf, 0, INT_MAX, v) != 0)
		return hyp_error_set(err, HYP_E_IO, "database %s: unreadable "
		    "schema version", s->path);
	return 0;
}

/*
 * Apply the migrations the database lacks, each in its own IMMEDIATE
 * transaction that reads the version again, so that two programs opening
 * a new database at once apply each migration once.
 */
static int
store_migrate(struct store *s, struct hyp_error *err)
{
	long long	 v;
	char		 sql[64];
	int		 rc;

	/*
	 * Up to date: take no write lock, so that a reader can open a
	 * database while another program holds it for writing.
	 */
	if (store_user_version(s, &v, err) != 0)
		return -1;
	if ((size_t)v >= store_nmigrations)
		return 0;
	for (;;) {
		if (store_begin(s, err) != 0)
			return -1;
		if (store_user_version(s, &v, err) != 0)
			return store_end(s, -1, err);
		if ((size_t)v >= store_nmigrations)
			return store_end(s, 0, err);
		rc = sqlite3_exec(s->db, store_migrations[v], NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			store_fail(s, err, rc, "applying the schema");
			return store_end(s, -1, err);
		}
		snprintf(sql, sizeof sql, "PRAGMA user_version = %lld", v + 1);
		if (store_exec(s, sql, NULL, 0, err) != 0)
			return store_end(s, -1, err);
		if (store_end(s, 0, err) != 0)
			return -1;
	}
}

/* Read the key-check blob; *blob is NULL when the database has none. */
static int
store_key_check_get(struct store *s, unsigned char **blob, size_t *len,
    struct hyp_error *err)
{
	sqlite3_stmt	*st;
	const void	*p;
	int		 rc;

	*blob = NULL;
	*len = 0;
	rc = sqlite3_prepare_v2(s->db, "SELECT value FROM hyp_meta "
	    "WHERE name = '" STORE_KEY_CHECK "'", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(s, err, rc, "reading the key check");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		p = sqlite3_column_blob(st, 0);
		*len = (size_t)sqlite3_column_bytes(st, 0);
		*blob = xmalloc(*len);
		if (*len > 0)
			memcpy(*blob, p, *len);
	} else if (rc != SQLITE_DONE) {
		store_fail(s, err, rc, "reading the key check");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

static int
store_key_verify(struct store *s, const unsigned char *blob, size_t len,
    struct hyp_error *err)
{
	if (token_key_verify(s->key, blob, len, err) == 0)
		return 0;
	return hyp_error_set(err, HYP_E_KEY, "key file %s is not the key of "
	    "database %s: its tokens cannot be read with it; restore the "
	    "right key file from a backup", s->key_path, s->path);
}

/*
 * Load the key for a database that holds a key check: the key file must
 * exist and match. A new key over existing tokens would make them
 * unreadable for good, so it is never made here.
 */
static int
store_key_existing(struct store *s, const unsigned char *check,
    size_t len, struct hyp_error *err)
{
	struct stat	 sb;

	if (stat(s->key_path, &sb) != 0 && errno == ENOENT)
		return hyp_error_set(err, HYP_E_KEY, "database %s holds "
		    "tokens sealed with key file %s, which is missing: "
		    "restore it from a backup (a new key cannot read them)",
		    s->path, s->key_path);
	if ((s->key = token_key_load(s->key_path, err)) == NULL)
		return -1;
	return store_key_verify(s, check, len, err);
}

/* Load the key for a new database, making the key file if missing. */
static int
store_key_new(struct store *s, int *made_key, struct hyp_error *err)
{
	struct stat	 sb;

	if (stat(s->key_path, &sb) != 0 && errno == ENOENT) {
		if (token_key_create(s->key_path, err) != 0)
			return -1;
		*made_key = 1;
	}
	if ((s->key = token_key_load(s->key_path, err)) == NULL)
		return -1;
	return 0;
}

/* Store the key check of a new database (another opener may race us). */
static int
store_key_check_put(struct store *s, struct hyp_error *err)
{
	sqlite3_stmt	*st = NULL;
	unsigned char	*blob, *got = NULL;
	size_t		 len, glen;
	int		 rc, ret = -1;

	if (store_begin(s, err) != 0)
		return -1;
	if ((blob = token_key_check_new(s->key, &len)) == NULL) {
		hyp_error_set(err, HYP_E_KEY, "key file %s: cannot make the "
		    "key check", s->key_path);
		return store_end(s, -1, err);
	}
	rc = sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO hyp_meta "
	    "(name, value) VALUES ('" STORE_KEY_CHECK "', ?1)", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob(st, 1, blob, (int)len, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_DONE)
		rc = SQLITE_OK;
	if (rc != SQLITE_OK) {
		store_fail(s, err, rc, "storing the key check");
		goto out;
	}
	if (store_key_check_get(s, &got, &glen, err) != 0)
		goto out;
	if (got == NULL) {
		hyp_error_set(err, HYP_E_IO, "database %s: the key check "
		    "was not stored", s->path);
		goto out;
	}
	ret = store_key_verify(s, got, glen, err);
out:
	sqlite3_finalize(st);
	free(blob);
	free(got);
	return store_end(s, ret, err);
}

/* Make the database file, 0600 whatever the umask. 1 made, 0 raced. */
static int
store_create_file(const char *path, struct hyp_error *err)
{
	int	 fd;

	fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1 && errno == EEXIST)
		return 0;
	if (fd == -1)
		return hyp_error_set(err, HYP_E_IO, "cannot create database "
		    "%s: %s", path, strerror(errno));
	if (fchmod(fd, 0600) != 0) {
		hyp_error_set(err, HYP_E_IO, "cannot set the mode of database "
		    "%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	if (close(fd) != 0) {
		hyp_error_set(err, HYP_E_IO, "cannot create database %s: %s",
		    path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 1;
}

static void
store_default_actor(struct store *s)
{
	struct passwd	*pw;

	if ((pw = getpwuid(geteuid())) != NULL)
		hyp_strlcpy(s->actor, pw->pw_name, sizeof s->actor);
	else
		snprintf(s->actor, sizeof s->actor, "uid %lu",
		    (unsigned long)geteuid());
	s->client[0] = '\0';
}

/*
 * After each commit (the write lock released): sqlite's own automatic
 * checkpoint, past STORE_WAL_PAGES frames. That one never waits, so
 * under writers from two processes back to back it may never find the
 * moment to start the WAL over, and the file grows by every write. Past
 * STORE_WAL_RESTART frames the checkpoint therefore waits (within the
 * busy timeout) for the readers of the WAL to finish, so that the next
 * write starts it over and journal_size_limit cuts the file back.
 */
static int
store_wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	int	 mode;

	if (frames < STORE_WAL_PAGES)
		return SQLITE_OK;
	mode = frames < STORE_WAL_RESTART ? SQLITE_CHECKPOINT_PASSIVE :
	    SQLITE_CHECKPOINT_RESTART;
	/* A busy checkpoint is tried again after the next commit. */
	(void)sqlite3_wal_checkpoint_v2(db, name, mode, NULL, NULL);
	return SQLITE_OK;
}

/* Connection settings; WAL, and a WAL file cut back after checkpoints. */
static int
store_configure(struct store *s, struct hyp_error *err)
{
	char	 mode[16];
	char	 sql[64];

	if (store_exec(s, "PRAGMA journal_mode = WAL", mode, sizeof mode,
	    err) != 0)
		return -1;
	if (strcmp(mode, "wal") != 0)
		return hyp_error_set(err, HYP_E_IO, "database %s: cannot use "
		    "write-ahead logging (journal mode stays '%s')", s->path,
		    mode);
	if (store_exec(s, "PRAGMA synchronous = NORMAL", NULL, 0, err) != 0)
		return -1;
	snprintf(sql, sizeof sql, "PRAGMA journal_size_limit = %d",
	    STORE_WAL_LIMIT);
	if (store_exec(s, sql, NULL, 0, err) != 0)
		return -1;
	sqlite3_wal_hook(s->db, store_wal_hook, s);
	return 0;
}

/*
 * The steps of store_open once the file exists: check the version and
 * the key before anything is written, then migrate.
 */
static int
store_setup(struct store *s, int create, int *made_key,
    struct hyp_error *err)
{
	unsigned char	*check = NULL;
	size_t		 len = 0;
	long long	 v;
	int		 rc = -1;

	if (store_exec(s, "PRAGMA foreign_keys = ON", NULL, 0, err) != 0 ||
	    store_user_version(s, &v, err) != 0)
		return -1;
	if ((size_t)v > store_nmigrations)
		return hyp_error_set(err, HYP_E_IO, "database %s has schema "
		    "version %lld, newer than this program knows (%zu): use "
		    "a newer hyptokens", s->path, v, store_nmigrations);
	if (v >= 1 && store_key_check_get(s, &check, &len, err) != 0)
		return -1;

	if (check != NULL) {
		if (store_key_existing(s, check, len, err) != 0)
			goto out;
	} else if (!create) {
		hyp_error_set(err, HYP_E_NOTFOUND, "database %s has not been "
		    "set up: run `hyptokens init`", s->path);
		goto out;
	} else if (store_key_new(s, made_key, err) != 0)
		goto out;

	if (store_configure(s, err) != 0 || store_migrate(s, err) != 0)
		goto out;
	if (check == NULL && store_key_check_put(s, err) != 0)
		goto out;
	rc = 0;
out:
	free(check);
	return rc;
}

/* Open (or make) the database and check its key; see hyp-store.h. */
struct store *
store_open(const char *path, const char *key_path, int create,
    struct hyp_error *err)
{
	struct store	*s;
	struct stat	 sb;
	int		 made_db = 0, made_key = 0, rc;
	char		*side;

	hyp_error_clear(err);
	if (token_init(err) != 0)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->key_path = xstrdup(key_path);
	store_default_actor(s);

	if (stat(path, &sb) != 0) {
		if (errno != ENOENT) {
			hyp_error_set(err, HYP_E_IO, "database %s: %s", path,
			    strerror(errno));
			goto fail;
		}
		if (!create) {
			hyp_error_set(err, HYP_E_NOTFOUND, "database %s does "
			    "not exist: create it with `hyptokens init`",
			    path);
			goto fail;
		}
		if ((made_db = store_create_file(path, err)) == -1)
			goto fail;
	}

	/* No SQLITE_OPEN_CREATE: the file exists, with the right mode. */
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);
	if (rc != SQLITE_OK) {
		if (s->db == NULL)
			hyp_error_set(err, HYP_E_IO, "database %s: cannot "
			    "open it", path);
		else
			store_fail(s, err, rc, "opening");
		goto fail;
	}
	if ((rc = sqlite3_busy_timeout(s->db, STORE_BUSY_MS)) != SQLITE_OK) {
		store_fail(s, err, rc, "setting the busy timeout");
		goto fail;
	}
	if (store_setup(s, create, &made_key, err) != 0)
		goto fail;
	return s;

fail:
	store_close(s);
	if (made_key)
		unlink(key_path);
	if (made_db) {
		unlink(path);
		xasprintf(&side, "%s-wal", path);
		unlink(side);
		free(side);
		xasprintf(&side, "%s-shm", path);
		unlink(side);
		free(side);
	}
	return NULL;
}

/* Finalize the cached statements and close; NULL is accepted. */
void
store_close(struct store *s)
{
	int	 i;

	if (s == NULL)
		return;
	for (i = 0; i < STMT_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close_v2(s->db);
	token_key_free(s->key);
	free(s->path);
	free(s->key_path);
	free(s);
}

/* Name who acts through this handle, for the audit. */
void
store_set_actor(struct store *s, const char *user, const char *client)
{
	if (user == NULL || *user == '\0')
		store_default_actor(s);
	else
		hyp_strlcpy(s->actor, user, sizeof s->actor);
	hyp_strlcpy(s->client, client == NULL ? "" : client,
	    sizeof s->client);
}

/* Note the first wrong value of a record; later ones are not kept. */
static void
store_invalid(struct hyp_record *rec, sqlite3_stmt *st, int col,
    const char *what)
{
	const char	*name = sqlite3_column_name(st, col);
	char		 shown[48];

	if (rec->invalid[0] != '\0')
		return;
	switch (sqlite3_column_type(st, col)) {
	case SQLITE_NULL:
		snprintf(rec->invalid, sizeof rec->invalid, "%s holds NULL, "
		    "%s", name, what);
		break;
	case SQLITE_BLOB:
		snprintf(rec->invalid, sizeof rec->invalid, "%s holds a "
		    "blob, %s", name, what);
		break;
	default:
		policy_show_value((const char *)sqlite3_column_text(st, col),
		    shown, sizeof shown);
		snprintf(rec->invalid, sizeof rec->invalid, "%s holds '%s', "
		    "%s", name, shown, what);
		break;
	}
}

static int64_t
store_col_int64(struct hyp_record *rec, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_INTEGER)
		return sqlite3_column_int64(st, col);
	store_invalid(rec, st, col, "not a number");
	return 0;
}

static int
store_col_int(struct hyp_record *rec, sqlite3_stmt *st, int col)
{
	int64_t	 v;

	if (sqlite3_column_type(st, col) != SQLITE_INTEGER) {
		store_invalid(rec, st, col, "not a number");
		return 0;
	}
	v = sqlite3_column_int64(st, col);
	if (v < 0 || v > INT_MAX) {
		store_invalid(rec, st, col, "out of range");
		return 0;
	}
	return (int)v;
}

/* Text that must be whole (no NUL inside) and fit its buffer. */
static const char *
store_col_str(struct hyp_record *rec, sqlite3_stmt *st, int col,
    size_t size)
{
	const char	*t;
	size_t		 n;

	if (sqlite3_column_type(st, col) != SQLITE_TEXT) {
		store_invalid(rec, st, col, "not text");
		return "";
	}
	t = (const char *)sqlite3_column_text(st, col);
	n = (size_t)sqlite3_column_bytes(st, col);
	if (t == NULL || strlen(t) != n) {
		store_invalid(rec, st, col, "not text");
		return "";
	}
	if (n >= size) {
		store_invalid(rec, st, col, "too long");
		return "";
	}
	return t;
}

static void
store_col_buf(struct hyp_record *rec, sqlite3_stmt *st, int col, char *buf,
    size_t size)
{
	hyp_strlcpy(buf, store_col_str(rec, st, col, size), size);
}

static char *
store_col_list(struct hyp_record *rec, sqlite3_stmt *st, int col)
{
	return xstrdup(store_col_str(rec, st, col, SIZE_MAX));
}

/*
 * Decrypt one token column. NULL is an empty column; anything that does
 * not open with this key, record and column is refused, never ignored.
 */
static int
store_col_token(struct store *s, sqlite3_stmt *st, int col,
    const struct hyp_record *rec, char **out, struct hyp_error *err)
{
	const char	*name = sqlite3_column_name(st, col);
	int		 type = sqlite3_column_type(st, col);

	*out = NULL;
	if (type == SQLITE_NULL)
		return 0;
	if (type == SQLITE_BLOB)
		*out = token_open(s->key, rec->user_name, name,
		    sqlite3_column_blob(st, col),
		    (size_t)sqlite3_column_bytes(st, col), err);
	if (*out != NULL)
		return 0;
	return hyp_error_set(err, HYP_E_KEY, "record %s: column %s does not "
	    "open with key file %s (altered, moved from another record or "
	    "column, or sealed with another key)", rec->domain, name,
	    s->key_path);
}

static void
store_row_clear(struct store_row *row)
{
	record_clear(&row->rec);
	token_free(row->prev_refresh);
	memset(row, 0, sizeof *row);
}

/* Fill row from the current result row of a RECORD_SELECT statement. */
static int
store_row_read(struct store *s, sqlite3_stmt *st, int tokens,
    struct store_row *row, struct hyp_error *err)
{
	struct hyp_record	*rec = &row->rec;
	const char		*mode;

	memset(row, 0, sizeof *row);
	rec->id = store_col_int64(rec, st, COL_ID);
	store_col_buf(rec, st, COL_USER, rec->user_name,
	    sizeof rec->user_name);
	rec->created_on = store_col_int64(rec, st, COL_CREATED);
	store_col_buf(rec, st, COL_DOMAIN, rec->domain, sizeof rec->domain);
	store_col_buf(rec, st, COL_PURPOSE, rec->purpose,
	    sizeof rec->purpose);
	rec->max_tenants = store_col_int(rec, st, COL_TENANTS);
	rec->max_threads = store_col_int(rec, st, COL_THREADS);
	store_col_buf(rec, st, COL_SOCKET, rec->control_socket,
	    sizeof rec->control_socket);

	rec->token_life_hours = store_col_int(rec, st, COL_HOURS);
	rec->access_until = store_col_int64(rec, st, COL_UNTIL);
	rec->last_refresh = store_col_int64(rec, st, COL_LAST_REFRESH);
	rec->max_posts = store_col_int(rec, st, COL_POSTS);
	rec->session_timeout = store_col_int(rec, st, COL_SESSION);
	rec->whitelist = store_col_list(rec, st, COL_WHITELIST);
	rec->modules = store_col_list(rec, st, COL_MODULES);
	rec->blocked = store_col_list(rec, st, COL_BLOCKED);
	mode = store_col_str(rec, st, COL_MODE, 16);
	if (strcmp(mode, "fixed") == 0)
		rec->refresh_mode = REFRESH_FIXED;
	else {
		rec->refresh_mode = REFRESH_ROTATE;
		if (strcmp(mode, "rotate") != 0)
			store_invalid(rec, st, COL_MODE, "not rotate or fixed");
	}

	rec->keep_alive = store_col_int64(rec, st, COL_KEEP_ALIVE);
	rec->last_trans = store_col_int64(rec, st, COL_LAST_TRANS);
	rec->version = store_col_int64(rec, st, COL_VERSION);
	rec->prev_access_until = store_col_int64(rec, st,
	    COL_PREV_ACCESS_UNTIL);
	row->prev_refresh_until = store_col_int64(rec, st,
	    COL_PREV_REFRESH_UNTIL);

	if (tokens && (store_col_token(s, st, COL_ACCESS, rec,
	    &rec->access_token, err) != 0 ||
	    store_col_token(s, st, COL_PREV_ACCESS, rec,
	    &rec->prev_access_token, err) != 0 ||
	    store_col_token(s, st, COL_REFRESH, rec, &rec->refresh_token,
	    err) != 0 ||
	    store_col_token(s, st, COL_PREV_REFRESH, rec, &row->prev_refresh,
	    err) != 0)) {
		store_row_clear(row);
		return -1;
	}
	return 0;
}

/* One record by domain or user name: 1 found, 0 absent, -1 error. */
static int
store_row_find(struct store *s, enum store_stmt id, const char *key,
    int tokens, struct store_row *row, struct hyp_error *err)
{
	sqlite3_stmt	*st;
	int		 rc, found = -1;

	memset(row, 0, sizeof *row);
	if ((st = store_stmt(s, id, err)) == NULL)
		return -1;
	if ((rc = store_bind_text(st, 1, key)) != SQLITE_OK) {
		store_fail(s, err, rc, "loading a record");
		goto out;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		found = 0;
	else if (rc != SQLITE_ROW)
		store_fail(s, err, rc, "loading a record");
	else if (store_row_read(s, st, tokens, row, err) == 0)
		found = 1;
out:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return found;
}

/* As store_row_find, with an absent record an error naming the domain. */
static int
store_row_get(struct store *s, const char *domain, int tokens,
    struct store_row *row, struct hyp_error *err)
{
	switch (store_row_find(s, STMT_BY_DOMAIN, domain, tokens, row, err)) {
	case 1:
		return 0;
	case 0:
		return hyp_error_set(err, HYP_E_NOTFOUND, "no record for "
		    "domain %s", domain);
	}
	return -1;
}

static int
store_load_by(struct store *s, enum store_stmt id, const char *key,
    const char *what, int tokens, struct hyp_record *rec,
    struct hyp_error *err)
{
	struct store_row	 row;
	int			 found;

	memset(rec, 0, sizeof *rec);
	found = store_row_find(s, id, key, tokens, &row, err);
	store_reset_all(s);
	if (found == 0)
		return hyp_error_set(err, HYP_E_NOTFOUND, "no record for %s %s",
		    what, key);
	if (found == -1)
		return -1;
	token_free(row.prev_refresh);
	*rec = row.rec;
	return 0;
}

/* One record by domain. */
int
store_load(struct store *s, const char *domain, int tokens,
    struct hyp_record *rec, struct hyp_error *err)
{
	return store_load_by(s, STMT_BY_DOMAIN, domain, "domain", tokens,
	    rec, err);
}

/* One record by user name. */
int
store_load_user(struct store *s, const char *user_name, int tokens,
    struct hyp_record *rec, struct hyp_error *err)
{
	return store_load_by(s, STMT_BY_USER, user_name, "user", tokens, rec,
	    err);
}

/* Every record by domain, without tokens. */
ssize_t
store_load_all(struct store *s, struct hyp_record **out,
    struct hyp_error *err)
{
	struct hyp_record	*recs = NULL;
	struct store_row	 row;
	sqlite3_stmt		*st;
	size_t			 n = 0, cap = 0;
	int			 rc;

	*out = NULL;
	if ((st = store_stmt(s, STMT_ALL, err)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			recs = xrealloc(recs, cap * sizeof *recs);
		}
		store_row_read(s, st, 0, &row, err);
		recs[n++] = row.rec;
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, err, rc, "loading the records");
		store_reset_all(s);
		store_records_free(recs, n);
		return -1;
	}
	store_reset_all(s);
	*out = recs;
	return (ssize_t)n;
}

/* Release what store_load_all returned. */
void
store_records_free(struct hyp_record *recs, size_t n)
{
	size_t	 i;

	if (recs == NULL)
		return;
	for (i = 0; i < n; i++)
		record_clear(&recs[i]);
	free(recs);
}

/* The policy version of a record, or -1. */
int64_t
store_version(struct store *s, const char *domain, struct hyp_error *err)
{
	sqlite3_stmt	*st;
	int64_t		 v = -1;
	int		 rc;

	if ((st = store_stmt(s, STMT_VERSION, err)) == NULL)
		return -1;
	if ((rc = store_bind_text(st, 1, domain)) != SQLITE_OK)
		store_fail(s, err, rc, "reading the version");
	else if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		hyp_error_set(err, HYP_E_NOTFOUND, "no record for domain %s",
		    domain);
	else
		store_fail(s, err, rc, "reading the version");
	store_reset_all(s);
	return v;
}

/* Append "; " and a formatted part to a growing audit detail. */
static void __attribute__((format(printf, 2, 3)))
store_detail_add(char **detail, const char *fmt, ...)
{
	va_list	 ap;
	char	*part, *joined;

	va_start(ap, fmt);
	if (vasprintf(&part, fmt, ap) < 0)
		part = NULL;
	va_end(ap);
	if (part == NULL)
		abort();
	if (*detail == NULL) {
		*detail = part;
		return;
	}
	xasprintf(&joined, "%s; %s", *detail, part);
	free(*detail);
	free(part);
	*detail = joined;
}

/* Canonical text as the audit shows it: lists joined, "" as (empty). */
static char *
store_detail_value(const char *canon)
{
	const char	*c;
	char		*out, *p;
	size_t		 n = 0;

	if (canon == NULL || *canon == '\0')
		return xstrdup("(empty)");
	for (c = canon; *c != '\0'; c++)
		n += *c == '\n' ? 2 : 1;
	out = p = xmalloc(n + 1);
	for (; *canon != '\0'; canon++) {
		if (*canon == '\n') {
			*p++ = ',';
			*p++ = ' ';
		} else
			*p++ = *canon;
	}
	*p = '\0';
	return out;
}

static void
store_detail_change(char **detail, const char *name, const char *from,
    const char *to)
{
	char	*a = store_detail_value(from), *b = store_detail_value(to);

	store_detail_add(detail, "%s: %s -> %s", name, a, b);
	free(a);
	free(b);
}

static int
store_audit_add(struct store *s, int64_t at, const char *domain,
    const char *action, const char *detail, struct hyp_error *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, STMT_AUDIT_ADD, err)) == NULL)
		return -1;
	if ((rc = sqlite3_bind_int64(st, 1, at)) != SQLITE_OK ||
	    (rc = store_bind_text(st, 2, s->actor)) != SQLITE_OK ||
	    (rc = store_bind_text(st, 3, s->client)) != SQLITE_OK ||
	    (rc = store_bind_text(st, 4, domain)) != SQLITE_OK ||
	    (rc = store_bind_text(st, 5, action)) != SQLITE_OK ||
	    (rc = store_bind_text(st, 6, detail == NULL ? "" : detail)) !=
	    SQLITE_OK) {
		sqlite3_reset(st);
		return store_fail(s, err, rc, "writing the audit");
	}
	return store_step_done(s, st, "writing the audit", err);
}

/* Seal token text for its column and bind it (NULL binds NULL). */
static int
store_bind_token(struct store *s, sqlite3_stmt *st, int i,
    const char *user, const char *column, const char *token)
{
	unsigned char	*blob;
	size_t		 len;
	int		 rc;

	if (token == NULL)
		return sqlite3_bind_null(st, i);
	if ((blob = token_seal(s->key, user, column, token, &len)) == NULL)
		return SQLITE_MISUSE;	/* never store an empty token */
	rc = sqlite3_bind_blob(st, i, blob, (int)len, SQLITE_TRANSIENT);
	free(blob);
	return rc;
}

static int
store_instance_check(const struct store_instance *in, struct hyp_error *err)
{
	struct hyp_record	 r;

	if (in->user_name == NULL || *in->user_name == '\0' ||
	    strlen(in->user_name) >= sizeof r.user_name)
		return hyp_error_set(err, HYP_E_INVALID, "the user name must "
		    "have 1 to %zu characters", sizeof r.user_name - 1);
	if (in->domain == NULL || *in->domain == '\0' ||
	    strlen(in->domain) >= sizeof r.domain)
		return hyp_error_set(err, HYP_E_INVALID, "the domain must "
		    "have 1 to %zu characters", sizeof r.domain - 1);
	if (in->purpose == NULL || *in->purpose == '\0' ||
	    strlen(in->purpose) >= sizeof r.purpose)
		return hyp_error_set(err, HYP_E_INVALID, "the purpose must "
		    "have 1 to %zu characters", sizeof r.purpose - 1);
	if (in->control_socket != NULL &&
	    strlen(in->control_socket) >= sizeof r.control_socket)
		return hyp_error_set(err, HYP_E_INVALID, "the control socket "
		    "path must have at most %zu characters",
		    sizeof r.control_socket - 1);
	if (in->max_tenants < 1 || in->max_threads < 1)
		return hyp_error_set(err, HYP_E_INVALID, "max_tenants and "
		    "max_threads must be at least 1");
	return 0;
}

/* Refuse a domain that another user name holds. */
static int
store_domain_free(struct store *s, const struct store_instance *in,
    struct hyp_error *err)
{
	sqlite3_stmt	*st;
	char		 holder[POLICY_NAME_MAX + 1];
	int		 rc, ret = -1;

	if ((st = store_stmt(s, STMT_HOLDER, err)) == NULL)
		return -1;
	if ((rc = store_bind_text(st, 1, in->domain)) != SQLITE_OK ||
	    (rc = store_bind_text(st, 2, in->user_name)) != SQLITE_OK) {
		store_fail(s, err, rc, "checking the domain");
		goto out;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		ret = 0;
	else if (rc == SQLITE_ROW) {
		hyp_strlcpy(holder, (const char *)sqlite3_column_text(st, 0),
		    sizeof holder);
		hyp_error_set(err, HYP_E_EXISTS, "domain %s is already "
		    "registered by user '%s'; each Web-App needs its own "
		    "domain", in->domain, holder);
	} else
		store_fail(s, err, rc, "checking the domain");
out:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}

static int
store_register_new(struct store *s, const struct store_instance *in,
    int64_t now, struct hyp_error *err)
{
	sqlite3_stmt	*st;
	char		*access = NULL, *refresh = NULL, *detail = NULL;
	char		 fa[TOKEN_FP_TEXT], fr[TOKEN_FP_TEXT];
	const char	*sock = in->control_socket == NULL ? "" :
			    in->control_socket;
	int		 rc, ret = -1;

	if ((st = store_stmt(s, STMT_INSERT, err)) == NULL)
		return -1;
	access = token_new(TOKEN_ACCESS);
	refresh = token_new(TOKEN_REFRESH);
	if ((rc = store_bind_text(st, 1, in->user_name)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int64(st, 2, now)) != SQLITE_OK ||
	    (rc = store_bind_text(st, 3, in->domain)) != SQLITE_OK ||
	    (rc = store_bind_text(st, 4, in->purpose)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int(st, 5, in->max_tenants)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int(st, 6, in->max_threads)) != SQLITE_OK ||
	    (rc = store_bind_text(st, 7, sock)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int(st, 8, POLICY_HOURS_DEFAULT)) !=
	    SQLITE_OK ||
	    (rc = sqlite3_bind_int64(st, 9, now + POLICY_HOURS_DEFAULT *
	    3600)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int64(st, 10, now)) != SQLITE_OK ||
	    (rc = store_bind_token(s, st, 11, in->user_name, "access_token",
	    access)) != SQLITE_OK ||
	    (rc = store_bind_token(s, st, 12, in->user_name, "refresh_token",
	    refresh)) != SQLITE_OK) {
		store_fail(s, err, rc, "creating the record");
		sqlite3_reset(st);
		goto out;
	}
	if (store_step_done(s, st, "creating the record", err) != 0)
		goto out;

	store_detail_add(&detail, "created for user '%s'", in->user_name);
	store_detail_add(&detail, "domain_purpose: %s", in->purpose);
	store_detail_add(&detail, "max_tenants: %d", in->max_tenants);
	store_detail_add(&detail, "max_threads: %d", in->max_threads);
	store_detail_add(&detail, "control_socket: %s",
	    *sock == '\0' ? "(empty)" : sock);
	store_detail_add(&detail, "new access token %s, new refresh token %s",
	    token_fingerprint(access, strlen(access), fa),
	    token_fingerprint(refresh, strlen(refresh), fr));
	ret = store_audit_add(s, now, in->domain, "create", detail, err);
out:
	token_free(access);
	token_free(refresh);
	free(detail);
	return ret;
}

/* Update the INI-owned columns; *changed says if any differed. */
static int
store_register_update(struct store *s, const struct store_instance *in,
    const struct hyp_record *cur, int64_t now, struct hyp_error *err)
{
	sqlite3_stmt	*st;
	char		*detail = NULL;
	char		 a[16], b[16];
	const char	*sock = in->control_socket == NULL ? "" :
			    in->control_socket;
	int		 rc, ret = -1;

	if (strcmp(cur->domain, in->domain) != 0)
		store_detail_change(&detail, "domain_address", cur->domain,
		    in->domain);
	if (strcmp(cur->purpose, in->purpose) != 0)
		store_detail_change(&detail, "domain_purpose", cur->purpose,
		    in->purpose);
	if (cur->max_tenants != in->max_tenants) {
		snprintf(a, sizeof a, "%d", cur->max_tenants);
		snprintf(b, sizeof b, "%d", in->max_tenants);
		store_detail_change(&detail, "max_tenants", a, b);
	}
	if (cur->max_threads != in->max_threads) {
		snprintf(a, sizeof a, "%d", cur->max_threads);
		snprintf(b, sizeof b, "%d", in->max_threads);
		store_detail_change(&detail, "max_threads", a, b);
	}
	if (strcmp(cur->control_socket, sock) != 0)
		store_detail_change(&detail, "control_socket",
		    cur->control_socket, sock);
	if (detail == NULL)
		return 0;		/* nothing changed: no version bump */

	if ((st = store_stmt(s, STMT_UPDATE_INI, err)) == NULL)
		goto out;
	if ((rc = store_bind_text(st, 1, in->domain)) != SQLITE_OK ||
	    (rc = store_bind_text(st, 2, in->purpose)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int(st, 3, in->max_tenants)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int(st, 4, in->max_threads)) != SQLITE_OK ||
	    (rc = store_bind_text(st, 5, sock)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int64(st, 6, cur->id)) != SQLITE_OK) {
		store_fail(s, err, rc, "updating the record");
		sqlite3_reset(st);
		goto out;
	}
	if (store_step_done(s, st, "updating the record", err) != 0)
		goto out;
	ret = store_audit_add(s, now, in->domain, "update", detail, err);
out:
	free(detail);
	return ret;
}

/* Create or update the record of an instance from its INI. */
int
store_register(struct store *s, const struct store_instance *in,
    int64_t now, int *created, struct hyp_error *err)
{
	struct store_row	 row;
	int			 found, rc = -1;

	if (created != NULL)
		*created = 0;
	if (store_instance_check(in, err) != 0)
		return -1;
	if (store_begin(s, err) != 0)
		return -1;
	if (store_domain_free(s, in, err) != 0)
		goto out;
	found = store_row_find(s, STMT_BY_USER, in->user_name, 0, &row, err);
	if (found == 1) {
		rc = store_register_update(s, in, &row.rec, now, err);
		store_row_clear(&row);
	} else if (found == 0) {
		rc = store_register_new(s, in, now, err);
		if (rc == 0 && created != NULL)
			*created = 1;
	}
out:
	rc = store_end(s, rc, err);
	if (rc != 0 && created != NULL)
		*created = 0;
	return rc;
}

/* Check an edit and bind its typed value to parameter i. */
static int
store_bind_edit(struct store *s, sqlite3_stmt *st, int i,
    const struct store_edit *e, struct hyp_error *err)
{
	const struct field_info	*fi = field_info(e->field);
	long long		 v = 0;
	int64_t			 t;
	int			 rc;

	switch (store_fields[e->field].kind) {
	case KIND_OPT_INT:
		if (*e->new == '\0') {
			rc = sqlite3_bind_int(st, i, 0);
			break;
		}
		/* FALLTHROUGH */
	case KIND_INT:
		if (hyp_parse_int(e->new, store_fields[e->field].min,
		    store_fields[e->field].max, &v) != 0)
			goto bad;
		rc = sqlite3_bind_int64(st, i, v);
		break;
	case KIND_TIME:
		if (time_parse(e->new, time_now(), &t, err) != 0)
			goto bad;
		rc = sqlite3_bind_int64(st, i, t);
		break;
	case KIND_MODE:
		if (strcmp(e->new, "rotate") != 0 &&
		    strcmp(e->new, "fixed") != 0)
			goto bad;
		rc = store_bind_text(st, i, e->new);
		break;
	default:
		rc = store_bind_text(st, i, e->new);
		break;
	}
	if (rc != SQLITE_OK)
		return store_fail(s, err, rc, "saving the record");
	return 0;
bad:
	return hyp_error_set(err, HYP_E_INVALID, "%s: the value to save is "
	    "not valid (allowed: %s)", fi->label,
	    fi->allowed != NULL ? fi->allowed : "see the field's help");
}

/* The first edited field whose stored value is neither old nor new. */
static int
store_save_check(const struct hyp_record *rec, const struct store_edit *e,
    size_t n, char **cur, enum hyp_field *conflict, struct hyp_error *err)
{
	const char	*label;
	char		*shown;
	size_t		 i;

	for (i = 0; i < n; i++) {
		cur[i] = field_get(rec, e[i].field);
		if (e[i].old == NULL || strcmp(cur[i], e[i].old) == 0 ||
		    strcmp(cur[i], e[i].new) == 0)
			continue;
		if (conflict != NULL)
			*conflict = e[i].field;
		label = field_info(e[i].field)->label;
		if (*cur[i] == '\0')
			return hyp_error_set(err, HYP_E_CONFLICT, "%s was "
			    "cleared by someone else since this record was "
			    "loaded", label);
		shown = store_detail_value(cur[i]);
		hyp_error_set(err, HYP_E_CONFLICT, "%s changed to '%s' by "
		    "someone else since this record was loaded", label,
		    shown);
		free(shown);
		return -1;
	}
	return 0;
}

static int
store_save_edits_check(const struct store_edit *e, size_t n,
    struct hyp_error *err)
{
	unsigned int	 seen = 0;
	size_t		 i;

	if (n == 0)
		return hyp_error_set(err, HYP_E_INVALID, "nothing to save");
	for (i = 0; i < n; i++) {
		if ((unsigned int)e[i].field >= FIELD_COUNT || e[i].new == NULL)
			return hyp_error_set(err, HYP_E_INVALID, "save: an "
			    "edit names no field or no value");
		if (seen & (1U << e[i].field))
			return hyp_error_set(err, HYP_E_INVALID, "save: %s is "
			    "edited twice", field_info(e[i].field)->name);
		seen |= 1U << e[i].field;
	}
	return 0;
}

/*
 * The UPDATE of exactly the edited columns. Only column names from
 * store_fields go into the text; every value is bound.
 */
static char *
store_save_sql(const struct store_edit *e, size_t n)
{
	char	*sql, *next;
	size_t	 i;

	sql = xstrdup("UPDATE hyp_web_api_tokens SET");
	for (i = 0; i < n; i++) {
		xasprintf(&next, "%s %s = ?%zu,", sql,
		    store_fields[e[i].field].column, i + 1);
		free(sql);
		sql = next;
	}
	xasprintf(&next, "%s policy_version = policy_version + 1 "
	    "WHERE id = ?%zu", sql, n + 1);
	free(sql);
	return next;
}

/*
 * Write edited fields unless someone else changed them since the load.
 * An edit whose old is NULL is written without that check (a script that
 * sets a value whatever it was).
 */
int
store_save(struct store *s, const char *domain, const struct store_edit *e,
    size_t n, enum hyp_field *conflict, int64_t *version,
    struct hyp_error *err)
{
	struct store_row	 row;
	sqlite3_stmt		*st = NULL;
	char			*cur[FIELD_COUNT] = { NULL };
	char			*sql = NULL, *detail = NULL;
	size_t			 i;
	int			 rc, ret = -1;

	if (store_save_edits_check(e, n, err) != 0)
		return -1;
	if (store_begin(s, err) != 0)
		return -1;
	if (store_row_get(s, domain, 0, &row, err) != 0)
		goto out;
	if (store_save_check(&row.rec, e, n, cur, conflict, err) != 0)
		goto out;

	sql = store_save_sql(e, n);
	if ((rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL)) !=
	    SQLITE_OK) {
		store_fail(s, err, rc, "saving the record");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (store_bind_edit(s, st, (int)i + 1, &e[i], err) != 0)
			goto out;
		if (strcmp(cur[i], e[i].new) != 0)
			store_detail_change(&detail,
			    field_info(e[i].field)->name, cur[i], e[i].new);
	}
	/* A wrong stored value reads as the default: say what was there. */
	if (row.rec.invalid[0] != '\0')
		store_detail_add(&detail, "written over a refused record (%s)",
		    row.rec.invalid);
	if ((rc = sqlite3_bind_int64(st, (int)n + 1, row.rec.id)) !=
	    SQLITE_OK) {
		store_fail(s, err, rc, "saving the record");
		goto out;
	}
	if (store_step_done(s, st, "saving the record", err) != 0)
		goto out;
	if (store_audit_add(s, time_now(), domain, "save",
	    detail == NULL ? "(no change)" : detail, err) != 0)
		goto out;
	ret = 0;
out:
	sqlite3_finalize(st);
	ret = store_end(s, ret, err);
	if (ret == 0 && version != NULL)
		*version = row.rec.version + 1;
	for (i = 0; i < n && i < FIELD_COUNT; i++)
		free(cur[i]);
	free(sql);
	free(detail);
	store_row_clear(&row);
	return ret;
}

/* Write the token columns of a record (one UPDATE). */
static int
store_tokens_write(struct store *s, const struct hyp_record *rec,
    const struct store_tokens *t, struct hyp_error *err)
{
	sqlite3_stmt	*st;
	const char	*u = rec->user_name;
	int		 rc;

	if ((st = store_stmt(s, STMT_TOKENS, err)) == NULL)
		return -1;
	if ((rc = store_bind_token(s, st, 1, u, "access_token", t->access)) !=
	    SQLITE_OK ||
	    (rc = store_bind_token(s, st, 2, u, "prev_access_token",
	    t->prev_access)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int64(st, 3, t->prev_access_until)) !=
	    SQLITE_OK ||
	    (rc = store_bind_token(s, st, 4, u, "refresh_token",
	    t->refresh)) != SQLITE_OK ||
	    (rc = store_bind_token(s, st, 5, u, "prev_refresh_token",
	    t->prev_refresh)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int64(st, 6, t->prev_refresh_until)) !=
	    SQLITE_OK ||
	    (rc = sqlite3_bind_int64(st, 7, t->access_until)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int64(st, 8, t->last_refresh)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int64(st, 9, rec->id)) != SQLITE_OK) {
		sqlite3_reset(st);
		return store_fail(s, err, rc, "writing the tokens");
	}
	return store_step_done(s, st, "writing the tokens", err);
}

/*
 * Keep the keyed digest of a replaced refresh token, so that a replay is
 * told apart from a guess; only the newest STORE_RETIRED_KEEP stay.
 */
static int
store_retire(struct store *s, int64_t id, const char *token, int64_t now,
    struct hyp_error *err)
{
	sqlite3_stmt	*st;
	unsigned char	 d[32];
	int		 rc;

	token_digest(s->key, token, strlen(token), d);
	if ((st = store_stmt(s, STMT_RETIRE, err)) == NULL)
		return -1;
	if ((rc = sqlite3_bind_int64(st, 1, id)) != SQLITE_OK ||
	    (rc = sqlite3_bind_blob(st, 2, d, sizeof d, SQLITE_TRANSIENT)) !=
	    SQLITE_OK ||
	    (rc = sqlite3_bind_int64(st, 3, now)) != SQLITE_OK) {
		sqlite3_reset(st);
		return store_fail(s, err, rc, "retiring a token");
	}
	if (store_step_done(s, st, "retiring a token", err) != 0)
		return -1;

	if ((st = store_stmt(s, STMT_PRUNE, err)) == NULL)
		return -1;
	if ((rc = sqlite3_bind_int64(st, 1, id)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int(st, 2, STORE_RETIRED_KEEP)) != SQLITE_OK) {
		sqlite3_reset(st);
		return store_fail(s, err, rc, "retiring a token");
	}
	return store_step_done(s, st, "retiring a token", err);
}

/* 1 if token is among the record's retired refresh tokens. */
static int
store_is_retired(struct store *s, int64_t id, const char *token,
    size_t len, struct hyp_error *err)
{
	sqlite3_stmt	*st;
	unsigned char	 d[32];
	int		 rc, ret = -1;

	token_digest(s->key, token, len, d);
	if ((st = store_stmt(s, STMT_IS_RETIRED, err)) == NULL)
		return -1;
	if ((rc = sqlite3_bind_int64(st, 1, id)) != SQLITE_OK ||
	    (rc = sqlite3_bind_blob(st, 2, d, sizeof d, SQLITE_TRANSIENT)) !=
	    SQLITE_OK)
		store_fail(s, err, rc, "looking up a token");
	else if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		ret = 1;
	else if (rc == SQLITE_DONE)
		ret = 0;
	else
		store_fail(s, err, rc, "looking up a token");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}

/* Hours that a token write can use, or the reason the record cannot. */
static int
store_hours(const struct hyp_record *rec, struct hyp_error *err)
{
	if (rec->token_life_hours >= POLICY_HOURS_MIN &&
	    rec->token_life_hours <= POLICY_HOURS_MAX)
		return rec->token_life_hours;
	if (rec->invalid[0] != '\0')
		return hyp_error_set(err, HYP_E_INVALID, "record %s cannot get "
		    "new tokens: %s", rec->domain, rec->invalid);
	return hyp_error_set(err, HYP_E_INVALID, "record %s cannot get new "
	    "tokens: token_life_hours holds %d, not 1 to 8760", rec->domain,
	    rec->token_life_hours);
}

/* New tokens; the old access token keeps a 180 s grace. */
int
store_regenerate(struct store *s, const char *domain, int64_t now,
    struct hyp_record *rec, struct hyp_error *err)
{
	struct store_row	 row;
	struct store_tokens	 t;
	char			*access, *refresh, *detail = NULL;
	char			 fa[TOKEN_FP_TEXT], fr[TOKEN_FP_TEXT];
	int			 hours, ret = -1;

	if (rec != NULL)
		memset(rec, 0, sizeof *rec);
	access = token_new(TOKEN_ACCESS);
	refresh = token_new(TOKEN_REFRESH);
	if (store_begin(s, err) != 0)
		goto done;
	/*
	 * The key was checked at open: tokens that still do not open were
	 * altered or moved. Regenerating is how an admin mends that, so the
	 * unreadable ones are dropped (no grace, nothing retired), and said.
	 */
	if (store_row_get(s, domain, 1, &row, err) != 0) {
		if (err == NULL || err->code != HYP_E_KEY)
			goto out;
		store_row_clear(&row);
		if (store_row_get(s, domain, 0, &row, err) != 0)
			goto out;
		store_detail_add(&detail, "stored tokens did not open and "
		    "were dropped");
	}
	if ((hours = store_hours(&row.rec, err)) == -1)
		goto out;

	/* A regeneration is not a retry window: no previous refresh. */
	memset(&t, 0, sizeof t);
	t.access = access;
	t.prev_access = row.rec.access_token;
	t.prev_access_until = now + POLICY_GRACE_SECONDS;
	t.refresh = refresh;
	t.access_until = now + (int64_t)hours * 3600;
	t.last_refresh = now;
	if (store_tokens_write(s, &row.rec, &t, err) != 0)
		goto out;
	if (row.rec.refresh_token != NULL && store_retire(s, row.rec.id,
	    row.rec.refresh_token, now, err) != 0)
		goto out;

	store_detail_add(&detail, "new access token %s, new refresh token %s",
	    token_fingerprint(access, strlen(access), fa),
	    token_fingerprint(refresh, strlen(refresh), fr));
	if (store_audit_add(s, now, domain, "regenerate", detail, err) != 0)
		goto out;
	if (rec != NULL && store_load(s, domain, 1, rec, err) != 0)
		goto out;
	ret = 0;
out:
	ret = store_end(s, ret, err);
	if (ret != 0 && rec != NULL) {
		record_clear(rec);
		memset(rec, 0, sizeof *rec);
	}
	store_row_clear(&row);
done:
	token_free(access);
	token_free(refresh);
	free(detail);
	return ret;
}

/* Hand out secure copies of the record's current pair. */
static void
store_refresh_out(const char *access, const char *refresh, int64_t until,
    char **access_out, char **refresh_out, int64_t *until_out)
{
	if (access_out != NULL)
		*access_out = token_dup(access);
	if (refresh_out != NULL)
		*refresh_out = token_dup(refresh);
	if (until_out != NULL)
		*until_out = until;
}

/* The presented token is the current one: rotate, or (fixed) reuse. */
static int
store_refresh_rotate(struct store *s, struct store_row *row, int64_t now,
    enum store_refresh_result *res, char **access_out, char **refresh_out,
    int64_t *until, struct hyp_error *err)
{
	struct hyp_record	*rec = &row->rec;
	struct store_tokens	 t;
	char			*access = NULL, *refresh = NULL, *detail = NULL;
	char			 fa[TOKEN_FP_TEXT], fr[TOKEN_FP_TEXT];
	int			 hours, fixed, ret = -1;

	fixed = rec->refresh_mode == REFRESH_FIXED;
	if (fixed && now < rec->last_refresh + POLICY_GRACE_SECONDS) {
		*res = STORE_REFRESH_CURRENT;
		store_refresh_out(rec->access_token, rec->refresh_token,
		    rec->access_until, access_out, refresh_out, until);
		return 0;
	}
	if ((hours = store_hours(rec, err)) == -1)
		return -1;

	access = token_new(TOKEN_ACCESS);
	memset(&t, 0, sizeof t);
	t.access = access;
	t.prev_access = rec->access_token;
	t.prev_access_until = now + POLICY_GRACE_SECONDS;
	t.access_until = now + (int64_t)hours * 3600;
	t.last_refresh = now;
	token_fingerprint(access, strlen(access), fa);
	if (fixed) {
		t.refresh = rec->refresh_token;
		t.prev_refresh = row->prev_refresh;
		t.prev_refresh_until = row->prev_refresh_until;
		store_detail_add(&detail, "new access token %s", fa);
	} else {
		refresh = token_new(TOKEN_REFRESH);
		t.refresh = refresh;
		t.prev_refresh = rec->refresh_token;
		t.prev_refresh_until = now + POLICY_GRACE_SECONDS;
		store_detail_add(&detail, "new access token %s, new refresh "
		    "token %s", fa,
		    token_fingerprint(refresh, strlen(refresh), fr));
	}
	if (store_tokens_write(s, rec, &t, err) != 0)
		goto out;
	if (!fixed && store_retire(s, rec->id, rec->refresh_token, now,
	    err) != 0)
		goto out;
	if (store_audit_add(s, now, rec->domain, "refresh", detail, err) != 0)
		goto out;
	*res = STORE_REFRESH_ROTATED;
	store_refresh_out(access, t.refresh, t.access_until, access_out,
	    refresh_out, until);
	ret = 0;
out:
	token_free(access);
	token_free(refresh);
	free(detail);
	return ret;
}

static int
store_refresh_replayed(struct store *s, const struct hyp_record *rec,
    int64_t now, enum store_refresh_result *res, struct hyp_error *err)
{
	*res = STORE_REFRESH_REPLAYED;
	return store_audit_add(s, now, rec->domain, "replay", "retired "
	    "refresh token presented (possible theft)", err);
}

/* The API refresh: one rotation among concurrent callers. */
int
store_refresh(struct store *s, const char *domain, const char *presented,
    size_t len, int64_t now, enum store_refresh_result *res,
    char **access_out, char **refresh_out, int64_t *until,
    struct hyp_error *err)
{
	struct store_row	 row;
	const char		*prev;
	int			 retired, ret = -1;

	*res = STORE_REFRESH_REFUSED;
	if (access_out != NULL)
		*access_out = NULL;
	if (refresh_out != NULL)
		*refresh_out = NULL;
	if (until != NULL)
		*until = 0;
	if (!token_is_wellformed(presented, len, TOKEN_REFRESH))
		return 0;
	memset(&row, 0, sizeof row);
	if (store_begin(s, err) != 0)
		return -1;
	if (store_row_get(s, domain, 1, &row, err) != 0)
		goto out;
	if (row.rec.invalid[0] != '\0') {
		/* A hand-edited record fails closed. */
		hyp_error_set(err, HYP_E_INVALID, "record %s is not valid, "
		    "so no token is refreshed: %s", domain, row.rec.invalid);
		goto out;
	}

	prev = row.prev_refresh;
	if (row.rec.refresh_token != NULL && token_equal(presented, len,
	    row.rec.refresh_token, strlen(row.rec.refresh_token)))
		ret = store_refresh_rotate(s, &row, now, res, access_out,
		    refresh_out, until, err);
	else if (prev != NULL && token_equal(presented, len, prev,
	    strlen(prev))) {
		if (now < row.prev_refresh_until) {
			*res = STORE_REFRESH_CURRENT;
			store_refresh_out(row.rec.access_token,
			    row.rec.refresh_token, row.rec.access_until,
			    access_out, refresh_out, until);
			ret = 0;
		} else
			ret = store_refresh_replayed(s, &row.rec, now, res,
			    err);
	} else if ((retired = store_is_retired(s, row.rec.id, presented, len,
	    err)) == 1)
		ret = store_refresh_replayed(s, &row.rec, now, res, err);
	else if (retired == 0)
		ret = 0;
out:
	ret = store_end(s, ret, err);
	if (ret != 0) {
		*res = STORE_REFRESH_REFUSED;
		if (access_out != NULL) {
			token_free(*access_out);
			*access_out = NULL;
		}
		if (refresh_out != NULL) {
			token_free(*refresh_out);
			*refresh_out = NULL;
		}
	}
	store_row_clear(&row);
	return ret;
}

/* Remove a record; its retired digests go with it. */
int
store_delete(struct store *s, const char *domain, struct hyp_error *err)
{
	struct store_row	 row;
	sqlite3_stmt		*st;
	char			*detail = NULL;
	int			 rc, ret = -1;

	memset(&row, 0, sizeof row);
	if (store_begin(s, err) != 0)
		return -1;
	if (store_row_get(s, domain, 0, &row, err) != 0)
		goto out;
	if ((st = store_stmt(s, STMT_FLOOR, err)) == NULL)
		goto out;
	if ((rc = sqlite3_bind_int64(st, 1, row.rec.id)) != SQLITE_OK) {
		store_fail(s, err, rc, "deleting the record");
		goto out;
	}
	if (store_step_done(s, st, "deleting the record", err) != 0)
		goto out;
	if ((st = store_stmt(s, STMT_DELETE, err)) == NULL)
		goto out;
	if ((rc = sqlite3_bind_int64(st, 1, row.rec.id)) != SQLITE_OK) {
		store_fail(s, err, rc, "deleting the record");
		goto out;
	}
	if (store_step_done(s, st, "deleting the record", err) != 0)
		goto out;
	xasprintf(&detail, "record of user '%s' deleted", row.rec.user_name);
	ret = store_audit_add(s, time_now(), domain, "delete", detail, err);
out:
	ret = store_end(s, ret, err);
	store_row_clear(&row);
	free(detail);
	return ret;
}

/* Keep-alive and last transaction; no version bump, no audit. */
int
store_touch(struct store *s, const char *domain, int64_t keep_alive,
    int64_t last_trans, struct hyp_error *err)
{
	sqlite3_stmt	*st;
	int		 rc, ret = -1;

	if (store_begin(s, err) != 0)
		return -1;
	if ((st = store_stmt(s, STMT_TOUCH, err)) == NULL)
		goto out;
	if ((rc = sqlite3_bind_int64(st, 1, keep_alive)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int64(st, 2, last_trans)) != SQLITE_OK ||
	    (rc = store_bind_text(st, 3, domain)) != SQLITE_OK) {
		store_fail(s, err, rc, "writing the keep-alive");
		goto out;
	}
	if (store_step_done(s, st, "writing the keep-alive", err) != 0)
		goto out;
	if (sqlite3_changes(s->db) == 0) {
		hyp_error_set(err, HYP_E_NOTFOUND, "no record for domain %s",
		    domain);
		goto out;
	}
	ret = 0;
out:
	return store_end(s, ret, err);
}

/* Append one audit row by the handle's actor. */
int
store_audit(struct store *s, const char *domain, const char *action,
    const char *detail, int64_t now, struct hyp_error *err)
{
	int	 ret;

	if (store_begin(s, err) != 0)
		return -1;
	ret = store_audit_add(s, now, domain, action, detail, err);
	return store_end(s, ret, err);
}

static void
store_audit_read(sqlite3_stmt *st, struct store_audit *a)
{
	const unsigned char	*t;

	memset(a, 0, sizeof *a);
	a->at = sqlite3_column_int64(st, 0);
	if ((t = sqlite3_column_text(st, 1)) != NULL)
		hyp_strlcpy(a->actor, (const char *)t, sizeof a->actor);
	if ((t = sqlite3_column_text(st, 2)) != NULL)
		hyp_strlcpy(a->client, (const char *)t, sizeof a->client);
	if ((t = sqlite3_column_text(st, 3)) != NULL)
		hyp_strlcpy(a->domain, (const char *)t, sizeof a->domain);
	if ((t = sqlite3_column_text(st, 4)) != NULL)
		hyp_strlcpy(a->action, (const char *)t, sizeof a->action);
	t = sqlite3_column_text(st, 5);
	a->detail = xstrdup(t == NULL ? "" : (const char *)t);
}

/* Audit rows, newest first. */
ssize_t
store_audit_list(struct store *s, const char *domain, size_t limit,
    struct store_audit **out, struct hyp_error *err)
{
	struct store_audit	*rows = NULL;
	sqlite3_stmt		*st;
	size_t			 n = 0, cap = 0;
	int			 rc;

	*out = NULL;
	st = store_stmt(s, domain == NULL ? STMT_AUDIT_ALL : STMT_AUDIT_DOMAIN,
	    err);
	if (st == NULL)
		return -1;
	rc = sqlite3_bind_int64(st, 1, limit == 0 ||
	    limit > (size_t)INT64_MAX ? -1 : (int64_t)limit);
	if (rc == SQLITE_OK && domain != NULL)
		rc = store_bind_text(st, 2, domain);
	if (rc != SQLITE_OK) {
		store_fail(s, err, rc, "reading the audit");
		store_reset_all(s);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 32 : cap * 2;
			rows = xrealloc(rows, cap * sizeof *rows);
		}
		store_audit_read(st, &rows[n++]);
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, err, rc, "reading the audit");
		store_reset_all(s);
		store_audit_free(rows, n);
		return -1;
	}
	store_reset_all(s);
	*out = rows;
	return (ssize_t)n;
}

/* Release what store_audit_list returned. */
void
store_audit_free(struct store_audit *rows, size_t n)
{
	size_t	 i;

	if (rows == NULL)
		return;
	for (i = 0; i < n; i++)
		free(rows[i].detail);
	free(rows);
}
