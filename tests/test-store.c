/*
 * test-store.c: the sqlite store. Every test runs in its own temporary
 * directory with its own database and key file. Tokens are compared with
 * token_equal and never printed.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <pwd.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hyp-policy.h"
#include "hyp-store.h"
#include "hyp-time.h"
#include "hyp-token.h"

#define T0		1751371200	/* 2025-07-01 12:00:00 UTC */
#define DOMAIN		"api.example.com"
#define USER		"webapp1"
#define WAL_MAX		(4 * 1024 * 1024)

static struct {
	char	 dir[64];
	char	 db[128];
	char	 wal[128];
	char	 key[128];
	char	 key2[128];
} E;

/* Audit times of save and delete come from the clock: keep it at T0. */
static int64_t
clock_t0(void)
{
	return T0;
}

static void
env_init(void)
{
	struct hyp_error	 err;

	hyp_strlcpy(E.dir, "/tmp/hyp-store-XXXXXX", sizeof E.dir);
	cr_assert_not_null(mkdtemp(E.dir));
	snprintf(E.db, sizeof E.db, "%s/tokens.db", E.dir);
	snprintf(E.wal, sizeof E.wal, "%s/tokens.db-wal", E.dir);
	snprintf(E.key, sizeof E.key, "%s/tokens.key", E.dir);
	snprintf(E.key2, sizeof E.key2, "%s/other.key", E.dir);
	cr_assert_eq(token_init(&err), 0);
	time_set_clock(clock_t0);
}

static int
env_rm(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	return remove(path);
}

static void
env_clean(void)
{
	nftw(E.dir, env_rm, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(store, .init = env_init, .fini = env_clean, .timeout = 60);

static struct store *
open_store(int create)
{
	struct hyp_error	 err;
	struct store		*s;

	s = store_open(E.db, E.key, create, &err);
	cr_assert_not_null(s, "store_open: %s", err.msg);
	return s;
}

static void
reg_as(struct store *s, const char *user, const char *domain, int threads,
    int64_t now, int *created)
{
	struct store_instance	 in = { user, domain, "api", 10, threads,
				    "/run/hyptokens/x.sock" };
	struct hyp_error	 err;

	cr_assert_eq(store_register(s, &in, now, created, &err), 0,
	    "register: %s", err.msg);
}

/* A new database holding one record for DOMAIN, registered at T0. */
static struct store *
open_registered(void)
{
	struct store	*s = open_store(1);

	reg_as(s, USER, DOMAIN, 4, T0, NULL);
	return s;
}

static void
load(struct store *s, const char *domain, int tokens, struct hyp_record *r)
{
	struct hyp_error	 err;

	cr_assert_eq(store_load(s, domain, tokens, r, &err), 0, "load: %s",
	    err.msg);
}

static int
save1(struct store *s, enum hyp_field f, const char *old, const char *new,
    struct hyp_error *err)
{
	struct store_edit	 e = { f, old, new };

	return store_save(s, DOMAIN, &e, 1, NULL, NULL, err);
}

static int
teq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return token_equal(a, strlen(a), b, strlen(b));
}

static sqlite3 *
raw_open(void)
{
	sqlite3	*db;

	cr_assert_eq(sqlite3_open_v2(E.db, &db, SQLITE_OPEN_READWRITE, NULL),
	    SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static void
raw_exec(const char *sql)
{
	sqlite3	*db = raw_open();

	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

static long long
raw_int(const char *sql)
{
	sqlite3		*db = raw_open();
	sqlite3_stmt	*st;
	long long	 v;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static char *
raw_text(const char *sql)
{
	sqlite3		*db = raw_open();
	sqlite3_stmt	*st;
	char		*v;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
	v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static char *
file_read(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 n;

	*len = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static off_t
file_size(const char *path)
{
	struct stat	 sb;

	return stat(path, &sb) == 0 ? sb.st_size : 0;
}

static size_t
audit_count(struct store *s, const char *domain, const char *action)
{
	struct store_audit	*a;
	struct hyp_error	 err;
	ssize_t			 n, i;
	size_t			 c = 0;

	n = store_audit_list(s, domain, 0, &a, &err);
	cr_assert_geq(n, 0, "audit: %s", err.msg);
	for (i = 0; i < n; i++)
		if (strcmp(a[i].action, action) == 0)
			c++;
	store_audit_free(a, (size_t)n);
	return c;
}

/* The newest audit row's detail for domain; caller frees. */
static char *
audit_last(struct store *s, const char *domain, char *action, size_t len)
{
	struct store_audit	*a;
	struct hyp_error	 err;
	char			*d;

	cr_assert_eq(store_audit_list(s, domain, 1, &a, &err), 1, "audit: %s",
	    err.msg);
	d = strdup(a[0].detail);
	if (action != NULL)
		hyp_strlcpy(action, a[0].action, len);
	store_audit_free(a, 1);
	return d;
}

/*
 * Opening and the key.
 */

Test(store, database_and_key_file_are_created_0600_even_with_umask_000)
{
	struct store	*s;
	struct stat	 sb;
	char		 shm[160];

	umask(0);
	s = open_registered();
	cr_assert_eq(stat(E.db, &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 0600, "db mode %o", sb.st_mode);
	cr_assert_eq(stat(E.key, &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 0600, "key mode %o", sb.st_mode);
	cr_assert_eq(stat(E.wal, &sb), 0, "an open WAL database has -wal");
	cr_assert_eq(sb.st_mode & 07777, 0600, "wal mode %o", sb.st_mode);
	snprintf(shm, sizeof shm, "%s-shm", E.db);
	cr_assert_eq(stat(shm, &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 0600, "shm mode %o", sb.st_mode);
	store_close(s);
}

Test(store, new_database_is_at_schema_version_1_in_wal_mode)
{
	char	*mode;

	store_close(open_store(1));
	cr_assert_eq(raw_int("PRAGMA user_version"), STORE_SCHEMA_VERSION);
	mode = raw_text("PRAGMA journal_mode");
	cr_assert_str_eq(mode, "wal");
	free(mode);
}

Test(store, reopening_with_the_same_key_reads_the_tokens)
{
	struct store		*s = open_registered();
	struct hyp_record	 a, b;

	load(s, DOMAIN, 1, &a);
	store_close(s);
	s = open_store(0);
	load(s, DOMAIN, 1, &b);
	cr_assert(teq(a.access_token, b.access_token), "access differs");
	cr_assert(teq(a.refresh_token, b.refresh_token), "refresh differs");
	record_clear(&a);
	record_clear(&b);
	store_close(s);
}

Test(store, missing_database_without_create_is_notfound_naming_the_path)
{
	struct hyp_error	 err;
	struct stat		 sb;

	cr_assert_null(store_open(E.db, E.key, 0, &err));
	cr_assert_eq(err.code, HYP_E_NOTFOUND);
	cr_assert_not_null(strstr(err.msg, E.db), "%s", err.msg);
	cr_assert_not_null(strstr(err.msg, "hyptokens init"), "%s", err.msg);
	cr_assert_neq(stat(E.db, &sb), 0, "no database may be created");
	cr_assert_neq(stat(E.key, &sb), 0, "no key may be created");
}

Test(store, missing_key_file_is_refused_and_the_database_untouched)
{
	struct hyp_error	 err;
	struct stat		 sb;
	char			*before, *after;
	size_t			 nb, na;
	int			 create;

	store_close(open_registered());
	before = file_read(E.db, &nb);
	cr_assert_eq(unlink(E.key), 0);
	for (create = 0; create <= 1; create++) {
		cr_assert_null(store_open(E.db, E.key, create, &err));
		cr_assert_eq(err.code, HYP_E_KEY, "create %d", create);
		cr_assert_not_null(strstr(err.msg, E.db), "%s", err.msg);
		cr_assert_not_null(strstr(err.msg, E.key), "%s", err.msg);
		cr_assert_not_null(strstr(err.msg, "missing"), "%s", err.msg);
		cr_assert_neq(stat(E.key, &sb), 0,
		    "a new key must never be made over old tokens");
	}
	after = file_read(E.db, &na);
	cr_assert_eq(na, nb);
	cr_assert_eq(memcmp(before, after, nb), 0, "database changed");
	free(before);
	free(after);
}

Test(store, wrong_key_file_is_refused_and_the_database_untouched)
{
	struct hyp_error	 err;
	struct hyp_record	 r;
	struct store		*s;
	char			*before, *after;
	size_t			 nb, na;

	store_close(open_registered());
	before = file_read(E.db, &nb);
	cr_assert_eq(token_key_create(E.key2, &err), 0, "%s", err.msg);
	cr_assert_null(store_open(E.db, E.key2, 0, &err));
	cr_assert_eq(err.code, HYP_E_KEY);
	cr_assert_not_null(strstr(err.msg, E.key2), "%s", err.msg);
	cr_assert_null(store_open(E.db, E.key2, 1, &err));
	cr_assert_eq(err.code, HYP_E_KEY);
	after = file_read(E.db, &na);
	cr_assert_eq(na, nb);
	cr_assert_eq(memcmp(before, after, nb), 0, "database changed");

	s = open_store(0);
	load(s, DOMAIN, 1, &r);
	cr_assert(token_is_wellformed(r.access_token, strlen(r.access_token),
	    TOKEN_ACCESS));
	record_clear(&r);
	store_close(s);
	free(before);
	free(after);
}

Test(store, an_existing_key_file_is_used_for_a_new_database_not_replaced)
{
	struct hyp_error	 err;
	char			*before, *after;
	size_t			 nb, na;

	cr_assert_eq(token_key_create(E.key, &err), 0, "%s", err.msg);
	before = file_read(E.key, &nb);
	store_close(open_registered());
	after = file_read(E.key, &na);
	cr_assert_eq(na, nb);
	cr_assert_eq(memcmp(before, after, nb), 0, "key file replaced");
	free(before);
	free(after);
}

Test(store, a_database_newer_than_the_program_is_refused)
{
	struct hyp_error	 err;

	store_close(open_store(1));
	raw_exec("PRAGMA user_version = 99");
	cr_assert_null(store_open(E.db, E.key, 0, &err));
	cr_assert_neq(err.code, HYP_OK);
	cr_assert_not_null(strstr(err.msg, "newer"), "%s", err.msg);
	cr_assert_not_null(strstr(err.msg, E.db), "%s", err.msg);
	cr_assert_eq(raw_int("PRAGMA user_version"), 99);
}

/*
 * Register.
 */

Test(store, register_creates_a_record_with_fresh_tokens_and_one_hour)
{
	struct store		*s = open_store(1);
	struct hyp_record	 r;
	int			 created = -1;

	reg_as(s, USER, DOMAIN, 4, T0, &created);
	cr_assert_eq(created, 1);
	load(s, DOMAIN, 1, &r);
	cr_assert_str_eq(r.user_name, USER);
	cr_assert_str_eq(r.domain, DOMAIN);
	cr_assert_str_eq(r.purpose, "api");
	cr_assert_eq(r.max_tenants, 10);
	cr_assert_eq(r.max_threads, 4);
	cr_assert_str_eq(r.control_socket, "/run/hyptokens/x.sock");
	cr_assert_eq(r.created_on, T0);
	cr_assert_eq(r.token_life_hours, 1);
	cr_assert_eq(r.access_until, T0 + 3600);
	cr_assert_eq(r.last_refresh, T0);
	cr_assert_eq(r.refresh_mode, REFRESH_ROTATE);
	cr_assert_eq(r.max_posts, 0);
	cr_assert_str_eq(r.whitelist, "");
	cr_assert_str_eq(r.invalid, "");
	cr_assert(token_is_wellformed(r.access_token, strlen(r.access_token),
	    TOKEN_ACCESS), "access token malformed");
	cr_assert(token_is_wellformed(r.refresh_token,
	    strlen(r.refresh_token), TOKEN_REFRESH), "refresh token malformed");
	cr_assert_null(r.prev_access_token);
	cr_assert_eq(audit_count(s, DOMAIN, "create"), 1);
	record_clear(&r);
	store_close(s);
}

Test(store, register_again_updates_only_ini_fields_and_bumps_on_change)
{
	struct store		*s = open_registered();
	struct hyp_record	 a, b, c;
	char			*d;
	int			 created = -1;

	load(s, DOMAIN, 1, &a);
	reg_as(s, USER, DOMAIN, 4, T0 + 50, &created);
	cr_assert_eq(created, 0);
	load(s, DOMAIN, 1, &b);
	cr_assert_eq(b.version, a.version, "nothing changed: no bump");
	cr_assert_eq(audit_count(s, DOMAIN, "update"), 0);

	reg_as(s, USER, DOMAIN, 8, T0 + 60, &created);
	cr_assert_eq(created, 0);
	load(s, DOMAIN, 1, &c);
	cr_assert_eq(c.max_threads, 8);
	cr_assert_eq(c.version, a.version + 1);
	cr_assert_eq(c.created_on, T0);
	cr_assert_eq(c.access_until, a.access_until);
	cr_assert(teq(c.access_token, a.access_token), "access replaced");
	cr_assert(teq(c.refresh_token, a.refresh_token), "refresh replaced");
	d = audit_last(s, DOMAIN, NULL, 0);
	cr_assert_str_eq(d, "max_threads: 4 -> 8");
	free(d);
	record_clear(&a);
	record_clear(&b);
	record_clear(&c);
	store_close(s);
}

Test(store, register_refuses_a_domain_held_by_another_user)
{
	struct store_instance	 in = { "other", DOMAIN, "api", 1, 1, "" };
	struct store		*s = open_registered();
	struct hyp_record	 r;
	struct hyp_error	 err;

	cr_assert_eq(store_register(s, &in, T0, NULL, &err), -1);
	cr_assert_eq(err.code, HYP_E_EXISTS);
	cr_assert_str_eq(err.msg, "domain api.example.com is already "
	    "registered by user 'webapp1'; each Web-App needs its own domain");
	cr_assert_eq(store_load_user(s, "other", 0, &r, &err), -1);
	cr_assert_eq(err.code, HYP_E_NOTFOUND);
	load(s, DOMAIN, 0, &r);
	cr_assert_str_eq(r.user_name, USER);
	record_clear(&r);
	store_close(s);
}

/*
 * Save.
 */

struct raw_col {
	char		 name[64];
	int		 type;
	long long	 i;
	char		*bytes;
	int		 n;
};

/* Every column of the record, as stored. */
static int
raw_row(struct raw_col *cols, int max)
{
	sqlite3		*db = raw_open();
	sqlite3_stmt	*st;
	int		 i, n;

	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT * FROM hyp_web_api_tokens "
	    "WHERE domain_address = '" DOMAIN "'", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_count(st);
	cr_assert_leq(n, max);
	for (i = 0; i < n; i++) {
		hyp_strlcpy(cols[i].name, sqlite3_column_name(st, i),
		    sizeof cols[i].name);
		cols[i].type = sqlite3_column_type(st, i);
		cols[i].i = sqlite3_column_int64(st, i);
		cols[i].n = sqlite3_column_bytes(st, i);
		cols[i].bytes = malloc((size_t)cols[i].n + 1);
		if (cols[i].n > 0)
			memcpy(cols[i].bytes, sqlite3_column_blob(st, i),
			    (size_t)cols[i].n);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

Test(store, saving_one_field_leaves_every_other_column_untouched)
{
	struct store		*s = open_registered();
	struct hyp_error	 err;
	struct raw_col		 a[64], b[64];
	struct hyp_record	 r;
	int64_t			 version = 0;
	int			 n, i;
	struct store_edit	 e = { FIELD_TOKEN_LIFE_HOURS, "1", "5" };

	cr_assert_eq(store_touch(s, DOMAIN, T0 + 5, T0 + 4, &err), 0);
	cr_assert_eq(save1(s, FIELD_BLOCKED, "", "DropAll", &err), 0);
	load(s, DOMAIN, 0, &r);
	n = raw_row(a, 64);
	cr_assert_eq(store_save(s, DOMAIN, &e, 1, NULL, &version, &err), 0,
	    "%s", err.msg);
	cr_assert_eq(version, r.version + 1);
	cr_assert_eq(raw_row(b, 64), n);
	for (i = 0; i < n; i++) {
		if (strcmp(a[i].name, "token_life_hours") == 0) {
			cr_assert_eq(b[i].type, SQLITE_INTEGER);
			cr_assert_eq(b[i].i, 5);
			continue;
		}
		if (strcmp(a[i].name, "policy_version") == 0) {
			cr_assert_eq(b[i].i, a[i].i + 1);
			continue;
		}
		cr_assert_eq(a[i].type, b[i].type, "%s", a[i].name);
		cr_assert_eq(a[i].n, b[i].n, "%s", a[i].name);
		cr_assert_eq(memcmp(a[i].bytes, b[i].bytes, (size_t)a[i].n), 0,
		    "column %s changed", a[i].name);
	}
	for (i = 0; i < n; i++) {
		free(a[i].bytes);
		free(b[i].bytes);
	}
	record_clear(&r);
	store_close(s);
}

struct save_case {
	enum hyp_field	 field;
	char		 new[64];
	char		 column[40];
	int		 type;		/* SQLITE_INTEGER or SQLITE_TEXT */
	long long	 i;
	char		 text[64];
};

ParameterizedTestParameters(store, save_stores_each_field_typed_in_its_column)
{
	static struct save_case cases[] = {
		{ FIELD_TOKEN_LIFE_HOURS, "8760", "token_life_hours",
		    SQLITE_INTEGER, 8760, "" },
		{ FIELD_ACCESS_UNTIL, "2025-07-01 12:00:00", "access_until_utc",
		    SQLITE_INTEGER, 1751371200, "" },
		{ FIELD_REFRESH_MODE, "fixed", "refresh_token_mode",
		    SQLITE_TEXT, 0, "fixed" },
		{ FIELD_MAX_POSTS, "100000", "max_posts_per_ip_per_minute",
		    SQLITE_INTEGER, 100000, "" },
		{ FIELD_MAX_POSTS, "", "max_posts_per_ip_per_minute",
		    SQLITE_INTEGER, 0, "" },
		{ FIELD_SESSION_TIMEOUT, "10080", "session_timeout_minutes",
		    SQLITE_INTEGER, 10080, "" },
		{ FIELD_WHITELIST, "10.0.0.0/8\n127.0.0.1", "ipv4_whitelist",
		    SQLITE_TEXT, 0, "10.0.0.0/8\n127.0.0.1" },
		{ FIELD_MODULES, "portal", "enabled_modules", SQLITE_TEXT, 0,
		    "portal" },
		{ FIELD_BLOCKED, "DeleteUser\nDropAll", "blocked_functions",
		    SQLITE_TEXT, 0, "DeleteUser\nDropAll" },
	};

	return cr_make_param_array(struct save_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct save_case *c, store,
    save_stores_each_field_typed_in_its_column)
{
	struct store		*s = open_registered();
	struct hyp_record	 r;
	struct hyp_error	 err;
	char			 sql[160], *old, *t;

	load(s, DOMAIN, 0, &r);
	old = field_get(&r, c->field);
	cr_assert_eq(save1(s, c->field, old, c->new, &err), 0, "%s", err.msg);
	snprintf(sql, sizeof sql, "SELECT typeof(%s) = '%s' FROM "
	    "hyp_web_api_tokens", c->column,
	    c->type == SQLITE_INTEGER ? "integer" : "text");
	cr_assert_eq(raw_int(sql), 1, "%s has the wrong type", c->column);
	snprintf(sql, sizeof sql, "SELECT %s FROM hyp_web_api_tokens",
	    c->column);
	if (c->type == SQLITE_INTEGER)
		cr_assert_eq(raw_int(sql), c->i);
	else {
		t = raw_text(sql);
		cr_assert_str_eq(t, c->text);
		free(t);
	}
	free(old);
	record_clear(&r);
	store_close(s);
}

Test(store, save_audits_old_and_new_with_lists_joined_and_empty_marked)
{
	struct store		*s = open_registered();
	struct hyp_error	 err;
	struct store_edit	 e[] = {
		{ FIELD_BLOCKED, "", "DeleteUser\nDropAll" },
		{ FIELD_TOKEN_LIFE_HOURS, "1", "2" },
	};
	char			 action[32], *d;

	store_set_actor(s, "alice", "10.0.0.9");
	cr_assert_eq(store_save(s, DOMAIN, e, 2, NULL, NULL, &err), 0, "%s",
	    err.msg);
	d = audit_last(s, DOMAIN, action, sizeof action);
	cr_assert_str_eq(action, "save");
	cr_assert_str_eq(d, "blocked_functions: (empty) -> DeleteUser, "
	    "DropAll; token_life_hours: 1 -> 2");
	free(d);
	cr_assert_eq(save1(s, FIELD_BLOCKED, "DeleteUser\nDropAll", "", &err),
	    0);
	d = audit_last(s, DOMAIN, NULL, 0);
	cr_assert_str_eq(d, "blocked_functions: DeleteUser, DropAll -> "
	    "(empty)");
	free(d);
	store_close(s);
}

/* Case 7: A loaded; B and the daemon wrote; A saves only the hours. */
Test(store, a_save_keeps_what_others_wrote_since_the_load)
{
	struct store		*a = open_registered();
	struct store		*b = open_store(0), *d = open_store(0);
	struct hyp_record	 ra, r;
	struct hyp_error	 err;
	char			*old;

	load(a, DOMAIN, 0, &ra);
	cr_assert_eq(save1(b, FIELD_MAX_POSTS, "", "50", &err), 0, "%s",
	    err.msg);
	cr_assert_eq(store_touch(d, DOMAIN, T0 + 30, T0 + 29, &err), 0);
	old = field_get(&ra, FIELD_TOKEN_LIFE_HOURS);
	cr_assert_eq(save1(a, FIELD_TOKEN_LIFE_HOURS, old, "3", &err), 0,
	    "%s", err.msg);
	load(a, DOMAIN, 0, &r);
	cr_assert_eq(r.token_life_hours, 3);
	cr_assert_eq(r.max_posts, 50);
	cr_assert_eq(r.keep_alive, T0 + 30);
	cr_assert_eq(r.last_trans, T0 + 29);
	free(old);
	record_clear(&ra);
	record_clear(&r);
	store_close(a);
	store_close(b);
	store_close(d);
}

Test(store, the_same_field_changed_by_someone_else_is_a_conflict)
{
	struct store		*a = open_registered(), *b = open_store(0);
	struct hyp_record	 before, r;
	struct hyp_error	 err;
	enum hyp_field		 conflict = FIELD_COUNT;
	int64_t			 version = -7;
	struct store_edit	 e[] = {
		{ FIELD_TOKEN_LIFE_HOURS, "1", "2" },
		{ FIELD_MAX_POSTS, "", "60" },
	};

	cr_assert_eq(save1(b, FIELD_MAX_POSTS, "", "50", &err), 0);
	load(a, DOMAIN, 0, &before);
	cr_assert_eq(store_save(a, DOMAIN, e, 2, &conflict, &version, &err),
	    -1);
	cr_assert_eq(err.code, HYP_E_CONFLICT);
	cr_assert_eq(conflict, FIELD_MAX_POSTS);
	cr_assert_str_eq(err.msg, "Max Posts per IP per Minute changed to "
	    "'50' by someone else since this record was loaded");
	cr_assert_eq(version, -7, "no version on failure");
	load(a, DOMAIN, 0, &r);
	cr_assert_eq(r.token_life_hours, 1, "nothing may be written");
	cr_assert_eq(r.max_posts, 50);
	cr_assert_eq(r.version, before.version);
	cr_assert_eq(audit_count(a, DOMAIN, "save"), 1);
	record_clear(&before);
	record_clear(&r);
	store_close(a);
	store_close(b);
}

Test(store, a_field_changed_by_someone_else_to_the_same_value_is_no_conflict)
{
	struct store		*a = open_registered(), *b = open_store(0);
	struct hyp_record	 r;
	struct hyp_error	 err;

	cr_assert_eq(save1(b, FIELD_MAX_POSTS, "", "50", &err), 0);
	cr_assert_eq(save1(a, FIELD_MAX_POSTS, "", "50", &err), 0, "%s",
	    err.msg);
	load(a, DOMAIN, 0, &r);
	cr_assert_eq(r.max_posts, 50);
	record_clear(&r);
	store_close(a);
	store_close(b);
}

Test(store, save_refuses_a_value_that_is_not_canonical_and_writes_nothing)
{
	struct store		*s = open_registered();
	struct hyp_record	 r;
	struct hyp_error	 err;

	cr_assert_eq(save1(s, FIELD_TOKEN_LIFE_HOURS, "1", "010", &err), -1);
	cr_assert_eq(err.code, HYP_E_INVALID);
	cr_assert_eq(save1(s, FIELD_MAX_POSTS, "", "100001", &err), -1);
	cr_assert_eq(save1(s, FIELD_REFRESH_MODE, "rotate", "sometimes",
	    &err), -1);
	load(s, DOMAIN, 0, &r);
	cr_assert_eq(r.token_life_hours, 1);
	cr_assert_eq(r.max_posts, 0);
	cr_assert_eq(audit_count(s, DOMAIN, "save"), 0);
	record_clear(&r);
	store_close(s);
}

Test(store, save_of_an_unknown_domain_is_notfound)
{
	struct store		*s = open_registered();
	struct hyp_error	 err;
	struct store_edit	 e = { FIELD_TOKEN_LIFE_HOURS, "1", "2" };

	cr_assert_eq(store_save(s, "nope.example.com", &e, 1, NULL, NULL,
	    &err), -1);
	cr_assert_eq(err.code, HYP_E_NOTFOUND);
	store_close(s);
}

/*
 * Regenerate.
 */

Test(store, regenerate_keeps_the_old_access_token_in_grace_for_180_s)
{
	struct store		*s = open_registered();
	struct hyp_record	 a, r, l;
	struct hyp_error	 err;
	char			 fa[TOKEN_FP_TEXT], fr[TOKEN_FP_TEXT];
	char			 want[80], *d;
	int64_t			 now = T0 + 1000;

	cr_assert_eq(save1(s, FIELD_TOKEN_LIFE_HOURS, "1", "5", &err), 0);
	load(s, DOMAIN, 1, &a);
	cr_assert_eq(store_regenerate(s, DOMAIN, now, &r, &err), 0, "%s",
	    err.msg);
	cr_assert(teq(r.prev_access_token, a.access_token),
	    "prev is not the replaced access token");
	cr_assert_eq(r.prev_access_until, now + 180);
	cr_assert_eq(r.access_until, now + 5 * 3600);
	cr_assert_eq(r.last_refresh, now);
	cr_assert(!teq(r.access_token, a.access_token), "access not new");
	cr_assert(!teq(r.refresh_token, a.refresh_token), "refresh not new");
	cr_assert(token_is_wellformed(r.access_token, strlen(r.access_token),
	    TOKEN_ACCESS));
	cr_assert(token_is_wellformed(r.refresh_token,
	    strlen(r.refresh_token), TOKEN_REFRESH));
	cr_assert_eq(raw_int("SELECT prev_refresh_token IS NULL AND "
	    "prev_refresh_until_utc = 0 FROM hyp_web_api_tokens"), 1);

	load(s, DOMAIN, 1, &l);
	cr_assert(teq(l.access_token, r.access_token), "rec is not as stored");
	cr_assert(teq(l.refresh_token, r.refresh_token));
	snprintf(want, sizeof want, "new access token %s, new refresh token %s",
	    token_fingerprint(r.access_token, strlen(r.access_token), fa),
	    token_fingerprint(r.refresh_token, strlen(r.refresh_token), fr));
	d = audit_last(s, DOMAIN, NULL, 0);
	cr_assert_str_eq(d, want);
	free(d);
	record_clear(&a);
	record_clear(&r);
	record_clear(&l);
	store_close(s);
}

/* Case 11: A, then B, then C within three minutes. */
Test(store, regenerating_twice_keeps_only_the_second_previous_token)
{
	struct store		*s = open_registered();
	struct hyp_record	 a, b, c;
	struct hyp_error	 err;

	load(s, DOMAIN, 1, &a);
	cr_assert_eq(store_regenerate(s, DOMAIN, T0 + 10, &b, &err), 0);
	cr_assert_eq(store_regenerate(s, DOMAIN, T0 + 70, &c, &err), 0);
	cr_assert(teq(c.prev_access_token, b.access_token),
	    "B must keep its grace");
	cr_assert(!teq(c.prev_access_token, a.access_token),
	    "A must be gone");
	cr_assert(!teq(c.access_token, a.access_token));
	cr_assert(!teq(c.access_token, b.access_token));
	cr_assert_eq(c.prev_access_until, T0 + 70 + 180);
	record_clear(&a);
	record_clear(&b);
	record_clear(&c);
	store_close(s);
}

/*
 * Refresh.
 */

struct pair {
	int				 rc;
	enum store_refresh_result	 res;
	char				*access, *refresh;
	int64_t				 until;
};

static void
refresh(struct store *s, const char *tok, int64_t now, struct pair *p)
{
	struct hyp_error	 err;

	p->rc = store_refresh(s, DOMAIN, tok, strlen(tok), now, &p->res,
	    &p->access, &p->refresh, &p->until, &err);
	cr_assert_eq(p->rc, 0, "refresh: %s", err.msg);
}

static void
pair_free(struct pair *p)
{
	token_free(p->access);
	token_free(p->refresh);
	memset(p, 0, sizeof *p);
}

Test(store, refresh_rotates_then_a_retry_within_180_s_gets_the_same_pair)
{
	struct store		*s = open_registered();
	struct hyp_record	 a, r;
	struct pair		 p1, p2, p3;
	int64_t			 now = T0 + 600;

	load(s, DOMAIN, 1, &a);
	refresh(s, a.refresh_token, now, &p1);
	cr_assert_eq(p1.res, STORE_REFRESH_ROTATED);
	cr_assert(!teq(p1.access, a.access_token), "access not new");
	cr_assert(!teq(p1.refresh, a.refresh_token), "refresh not rotated");
	cr_assert(token_is_wellformed(p1.refresh, strlen(p1.refresh),
	    TOKEN_REFRESH));
	cr_assert_eq(p1.until, now + 3600);

	load(s, DOMAIN, 1, &r);
	cr_assert(teq(r.access_token, p1.access));
	cr_assert(teq(r.refresh_token, p1.refresh));
	cr_assert(teq(r.prev_access_token, a.access_token));
	cr_assert_eq(r.prev_access_until, now + 180);
	cr_assert_eq(r.last_refresh, now);
	cr_assert_eq(r.access_until, now + 3600);

	refresh(s, a.refresh_token, now + 179, &p2);
	cr_assert_eq(p2.res, STORE_REFRESH_CURRENT);
	cr_assert(teq(p2.access, p1.access), "retry got another access");
	cr_assert(teq(p2.refresh, p1.refresh), "retry got another refresh");
	cr_assert_eq(p2.until, p1.until);

	refresh(s, a.refresh_token, now + 180, &p3);
	cr_assert_eq(p3.res, STORE_REFRESH_REPLAYED);
	cr_assert_null(p3.access);
	cr_assert_null(p3.refresh);
	cr_assert_eq(audit_count(s, DOMAIN, "replay"), 1);
	pair_free(&p3);

	refresh(s, p1.refresh, now + 200, &p3);
	cr_assert_eq(p3.res, STORE_REFRESH_ROTATED);
	pair_free(&p1);
	pair_free(&p2);
	pair_free(&p3);
	record_clear(&a);
	record_clear(&r);
	store_close(s);
}

Test(store, an_older_or_regenerated_away_refresh_token_is_a_replay)
{
	struct store		*s = open_registered();
	struct hyp_record	 a, g;
	struct hyp_error	 err;
	struct pair		 p1, p2, p3;

	load(s, DOMAIN, 1, &a);
	refresh(s, a.refresh_token, T0 + 10, &p1);
	refresh(s, p1.refresh, T0 + 20, &p2);
	cr_assert_eq(p2.res, STORE_REFRESH_ROTATED);
	refresh(s, a.refresh_token, T0 + 30, &p3);
	cr_assert_eq(p3.res, STORE_REFRESH_REPLAYED,
	    "a token two rotations old is retired");
	pair_free(&p3);

	cr_assert_eq(store_regenerate(s, DOMAIN, T0 + 40, &g, &err), 0);
	refresh(s, p2.refresh, T0 + 41, &p3);
	cr_assert_eq(p3.res, STORE_REFRESH_REPLAYED,
	    "regenerate retires the refresh token at once");
	cr_assert_eq(audit_count(s, DOMAIN, "replay"), 2);
	pair_free(&p1);
	pair_free(&p2);
	pair_free(&p3);
	record_clear(&a);
	record_clear(&g);
	store_close(s);
}

Test(store, refresh_with_an_unknown_token_is_refused_and_changes_nothing)
{
	struct store		*s = open_registered();
	struct hyp_record	 a, b;
	struct pair		 p;
	char			*t = token_new(TOKEN_REFRESH);

	load(s, DOMAIN, 1, &a);
	refresh(s, t, T0 + 10, &p);
	cr_assert_eq(p.res, STORE_REFRESH_REFUSED);
	cr_assert_null(p.access);
	cr_assert_null(p.refresh);
	load(s, DOMAIN, 1, &b);
	cr_assert_eq(b.version, a.version);
	cr_assert(teq(b.refresh_token, a.refresh_token));
	cr_assert_eq(audit_count(s, DOMAIN, "replay"), 0);
	token_free(t);
	record_clear(&a);
	record_clear(&b);
	store_close(s);
}

Test(store, a_malformed_token_is_refused_before_any_lookup)
{
	struct store		*s = open_registered();
	struct hyp_record	 a;
	struct hyp_error	 err;
	enum store_refresh_result res;
	char			*bad;
	size_t			 n;

	load(s, DOMAIN, 1, &a);
	bad = strdup(a.refresh_token);
	n = strlen(bad);
	bad[n - 1] = bad[n - 1] == 'A' ? 'B' : 'A';	/* checksum breaks */
	/* Unknown domain: a lookup would say NOTFOUND. */
	cr_assert_eq(store_refresh(s, "nope.example.com", bad, n, T0, &res,
	    NULL, NULL, NULL, &err), 0);
	cr_assert_eq(res, STORE_REFRESH_REFUSED);
	cr_assert_eq(store_refresh(s, "nope.example.com", a.access_token,
	    strlen(a.access_token), T0, &res, NULL, NULL, NULL, &err), 0);
	cr_assert_eq(res, STORE_REFRESH_REFUSED, "an access token is no "
	    "refresh token");
	cr_assert_eq(store_refresh(s, DOMAIN, a.refresh_token, n - 1, T0,
	    &res, NULL, NULL, NULL, &err), 0);
	cr_assert_eq(res, STORE_REFRESH_REFUSED, "a truncated token");
	token_wipe(bad, n);
	free(bad);
	record_clear(&a);
	store_close(s);
}

Test(store, fixed_mode_keeps_the_refresh_token)
{
	struct store		*s = open_registered();
	struct hyp_record	 a;
	struct hyp_error	 err;
	struct pair		 p1, p2, p3;

	cr_assert_eq(save1(s, FIELD_REFRESH_MODE, "rotate", "fixed", &err),
	    0);
	load(s, DOMAIN, 1, &a);
	refresh(s, a.refresh_token, T0 + 1000, &p1);
	cr_assert_eq(p1.res, STORE_REFRESH_ROTATED);
	cr_assert(!teq(p1.access, a.access_token), "access not new");
	cr_assert(teq(p1.refresh, a.refresh_token), "fixed: refresh kept");
	refresh(s, a.refresh_token, T0 + 1010, &p2);
	cr_assert_eq(p2.res, STORE_REFRESH_CURRENT);
	cr_assert(teq(p2.access, p1.access));
	refresh(s, a.refresh_token, T0 + 1180, &p3);
	cr_assert_eq(p3.res, STORE_REFRESH_ROTATED);
	cr_assert(!teq(p3.access, p1.access));
	cr_assert(teq(p3.refresh, a.refresh_token));
	pair_free(&p1);
	pair_free(&p2);
	pair_free(&p3);
	record_clear(&a);
	store_close(s);
}

Test(store, at_most_100_retired_refresh_digests_are_kept_per_record)
{
	struct store		*s = open_registered();
	struct hyp_record	 a;
	struct pair		 p;
	char			*cur;
	int			 i;

	load(s, DOMAIN, 1, &a);
	cur = token_dup(a.refresh_token);
	for (i = 0; i < 105; i++) {
		refresh(s, cur, T0 + i, &p);
		cr_assert_eq(p.res, STORE_REFRESH_ROTATED);
		token_free(cur);
		cur = token_dup(p.refresh);
		pair_free(&p);
	}
	cr_assert_eq(raw_int("SELECT count(*) FROM hyp_retired_refresh"), 100);
	cr_assert_eq(raw_int("SELECT min(retired_utc) FROM "
	    "hyp_retired_refresh"), T0 + 5, "the newest are kept");
	token_free(cur);
	record_clear(&a);
	store_close(s);
}

/* Case 9, threads: each its own handle, all released at once. */
struct racer {
	pthread_barrier_t	*bar;
	const char		*token;
	struct pair		 p;
	int			 opened;
};

static void *
racer_main(void *arg)
{
	struct racer		*r = arg;
	struct hyp_error	 err;
	struct store		*s;

	s = store_open(E.db, E.key, 0, &err);
	r->opened = s != NULL;
	pthread_barrier_wait(r->bar);
	if (s == NULL)
		return NULL;
	r->p.rc = store_refresh(s, DOMAIN, r->token, strlen(r->token),
	    T0 + 100, &r->p.res, &r->p.access, &r->p.refresh, &r->p.until,
	    &err);
	store_close(s);
	return NULL;
}

/* One rotation among n results; everyone holds the winner's pair. */
static void
check_one_rotation(struct pair *p, int n)
{
	struct store		*s;
	struct hyp_record	 r;
	int			 i, win = -1;

	for (i = 0; i < n; i++) {
		cr_assert_eq(p[i].rc, 0, "caller %d failed", i);
		if (p[i].res == STORE_REFRESH_ROTATED) {
			cr_assert_eq(win, -1, "two rotations");
			win = i;
		} else
			cr_assert_eq(p[i].res, STORE_REFRESH_CURRENT,
			    "caller %d: result %d", i, p[i].res);
	}
	cr_assert_neq(win, -1, "no rotation");
	for (i = 0; i < n; i++) {
		cr_assert(teq(p[i].access, p[win].access),
		    "caller %d got another access token", i);
		cr_assert(teq(p[i].refresh, p[win].refresh),
		    "caller %d got another refresh token", i);
	}
	s = open_store(0);
	load(s, DOMAIN, 1, &r);
	cr_assert(teq(r.refresh_token, p[win].refresh), "stored refresh");
	cr_assert(teq(r.access_token, p[win].access), "stored access");
	cr_assert_eq(audit_count(s, DOMAIN, "refresh"), 1);
	cr_assert_eq(raw_int("SELECT count(*) FROM hyp_web_api_tokens"), 1);
	record_clear(&r);
	store_close(s);
}

ParameterizedTestParameters(store, concurrent_refresh_threads_rotate_once)
{
	static int	 n[] = { 2, 10, 50 };

	return cr_make_param_array(int, n, sizeof n / sizeof n[0]);
}

ParameterizedTest(int *n, store, concurrent_refresh_threads_rotate_once)
{
	struct store		*s = open_registered();
	struct hyp_record	 a;
	struct racer		 r[50];
	struct pair		 p[50];
	pthread_t		 th[50];
	pthread_barrier_t	 bar;
	int			 i;

	load(s, DOMAIN, 1, &a);
	store_close(s);
	pthread_barrier_init(&bar, NULL, (unsigned)*n);
	memset(r, 0, sizeof r);
	for (i = 0; i < *n; i++) {
		r[i].bar = &bar;
		r[i].token = a.refresh_token;
		cr_assert_eq(pthread_create(&th[i], NULL, racer_main, &r[i]),
		    0);
	}
	for (i = 0; i < *n; i++) {
		pthread_join(th[i], NULL);
		cr_assert(r[i].opened, "thread %d could not open", i);
		p[i] = r[i].p;
	}
	check_one_rotation(p, *n);
	for (i = 0; i < *n; i++)
		pair_free(&p[i]);
	pthread_barrier_destroy(&bar);
	record_clear(&a);
}

/* What a refreshing child process reports back through a pipe. */
struct race_msg {
	int				 rc;
	enum store_refresh_result	 res;
	char				 access[TOKEN_MAX_LEN + 1];
	char				 refresh[TOKEN_MAX_LEN + 1];
};

static void
race_child(int go, int out, const char *token)
{
	struct race_msg		 m;
	struct hyp_error	 err;
	struct store		*s;
	struct pair		 p;
	char			 c;

	memset(&m, 0, sizeof m);
	memset(&p, 0, sizeof p);
	m.rc = -2;
	if ((s = store_open(E.db, E.key, 0, &err)) != NULL) {
		if (read(go, &c, 1) < 0)
			_exit(3);
		m.rc = store_refresh(s, DOMAIN, token, strlen(token), T0 + 100,
		    &m.res, &p.access, &p.refresh, NULL, &err);
		if (p.access != NULL)
			hyp_strlcpy(m.access, p.access, sizeof m.access);
		if (p.refresh != NULL)
			hyp_strlcpy(m.refresh, p.refresh, sizeof m.refresh);
		store_close(s);
	}
	if (write(out, &m, sizeof m) != (ssize_t)sizeof m)
		_exit(2);
	_exit(0);
}

Test(store, concurrent_refresh_processes_rotate_once)
{
	struct store		*s = open_registered();
	struct hyp_record	 a;
	struct race_msg		 m[10];
	struct pair		 p[10];
	int			 go[2], out[2], i, n = 10, st;
	pid_t			 pid[10];

	load(s, DOMAIN, 1, &a);
	store_close(s);		/* no handle may cross a fork */
	cr_assert_eq(pipe(go), 0);
	cr_assert_eq(pipe(out), 0);
	for (i = 0; i < n; i++) {
		if ((pid[i] = fork()) == 0) {
			close(go[1]);
			race_child(go[0], out[1], a.refresh_token);
		}
		cr_assert_gt(pid[i], 0);
	}
	close(go[0]);
	close(out[1]);
	usleep(200000);		/* let every child open its handle */
	close(go[1]);		/* release them all at once */
	for (i = 0; i < n; i++) {
		cr_assert_eq(read(out[0], &m[i], sizeof m[i]),
		    (ssize_t)sizeof m[i]);
		p[i].rc = m[i].rc;
		p[i].res = m[i].res;
		p[i].access = m[i].access;
		p[i].refresh = m[i].refresh;
	}
	for (i = 0; i < n; i++) {
		cr_assert_eq(waitpid(pid[i], &st, 0), pid[i]);
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	check_one_rotation(p, n);
	token_wipe(m, sizeof m);
	record_clear(&a);
}

/*
 * Stored values that were tampered with.
 */

struct move_case {
	char	 what[48];
	char	 sql[240];
};

ParameterizedTestParameters(store, a_moved_or_altered_ciphertext_is_refused)
{
	static struct move_case cases[] = {
		{ "another record's access token",
		    "UPDATE hyp_web_api_tokens SET access_token = (SELECT "
		    "access_token FROM hyp_web_api_tokens WHERE domain_address "
		    "= 'b.example.com') WHERE domain_address = '" DOMAIN "'" },
		{ "another record's refresh token",
		    "UPDATE hyp_web_api_tokens SET refresh_token = (SELECT "
		    "refresh_token FROM hyp_web_api_tokens WHERE "
		    "domain_address = 'b.example.com') WHERE domain_address = '"
		    DOMAIN "'" },
		{ "the access token in another column",
		    "UPDATE hyp_web_api_tokens SET prev_access_token = "
		    "access_token WHERE domain_address = '" DOMAIN "'" },
		{ "the refresh token in the access column",
		    "UPDATE hyp_web_api_tokens SET access_token = "
		    "refresh_token WHERE domain_address = '" DOMAIN "'" },
		{ "a plain text token",
		    "UPDATE hyp_web_api_tokens SET access_token = 'hypa_x' "
		    "WHERE domain_address = '" DOMAIN "'" },
		{ "a truncated blob",
		    "UPDATE hyp_web_api_tokens SET refresh_token = "
		    "substr(refresh_token, 1, 40) WHERE domain_address = '"
		    DOMAIN "'" },
	};

	return cr_make_param_array(struct move_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct move_case *c, store,
    a_moved_or_altered_ciphertext_is_refused)
{
	struct store		*s = open_registered();
	struct hyp_record	 r;
	struct hyp_error	 err;

	reg_as(s, "webapp2", "b.example.com", 4, T0, NULL);
	raw_exec(c->sql);
	cr_assert_eq(store_load(s, DOMAIN, 1, &r, &err), -1, "%s", c->what);
	cr_assert_eq(err.code, HYP_E_KEY, "%s", c->what);
	cr_assert_null(r.access_token);
	cr_assert_null(r.whitelist, "a failed load leaves nothing to free");
	load(s, DOMAIN, 0, &r);		/* without tokens it still loads */
	record_clear(&r);
	load(s, "b.example.com", 1, &r);
	record_clear(&r);
	store_close(s);
}

Test(store, a_flipped_ciphertext_byte_is_refused)
{
	struct store		*s = open_registered();
	struct hyp_record	 r;
	struct hyp_error	 err;
	sqlite3			*db;
	sqlite3_stmt		*st;
	unsigned char		 blob[512];
	int			 n;

	store_close(s);
	db = raw_open();
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT access_token FROM "
	    "hyp_web_api_tokens", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_bytes(st, 0);
	cr_assert(n > 40 && n <= (int)sizeof blob);
	memcpy(blob, sqlite3_column_blob(st, 0), (size_t)n);
	sqlite3_finalize(st);
	blob[n - 10] ^= 0x01;
	cr_assert_eq(sqlite3_prepare_v2(db, "UPDATE hyp_web_api_tokens SET "
	    "access_token = ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_blob(st, 1, blob, n, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);

	s = open_store(0);
	cr_assert_eq(store_load(s, DOMAIN, 1, &r, &err), -1);
	cr_assert_eq(err.code, HYP_E_KEY);
	store_close(s);
}

struct bad_case {
	char	 set[80];
	char	 want[96];
};

ParameterizedTestParameters(store, a_hand_edited_value_marks_the_record_invalid)
{
	static struct bad_case cases[] = {
		{ "max_posts_per_ip_per_minute = 'abc'",
		    "max_posts_per_ip_per_minute holds 'abc', not a number" },
		{ "token_life_hours = '12h'",
		    "token_life_hours holds '12h', not a number" },
		{ "keep_alive_utc = '2025-07-01'",
		    "keep_alive_utc holds '2025-07-01', not a number" },
		{ "session_timeout_minutes = 1.5",
		    "session_timeout_minutes holds '1.5', not a number" },
		{ "max_threads = 99999999999",
		    "max_threads holds '99999999999', out of range" },
		{ "ipv4_whitelist = X'0a0b'",
		    "ipv4_whitelist holds a blob, not text" },
		{ "refresh_token_mode = 'sometimes'",
		    "refresh_token_mode holds 'sometimes', "
		    "not rotate or fixed" },
	};

	return cr_make_param_array(struct bad_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct bad_case *c, store,
    a_hand_edited_value_marks_the_record_invalid)
{
	struct store		*s = open_registered();
	struct hyp_record	 r, *all;
	struct hyp_error	 err;
	enum store_refresh_result res;
	char			 sql[160];
	ssize_t			 n;

	reg_as(s, "webapp2", "b.example.com", 4, T0, NULL);
	snprintf(sql, sizeof sql, "UPDATE hyp_web_api_tokens SET %s WHERE "
	    "domain_address = '" DOMAIN "'", c->set);
	raw_exec(sql);
	load(s, DOMAIN, 1, &r);
	cr_assert_str_eq(r.invalid, c->want);
	cr_assert_eq(store_refresh(s, DOMAIN, r.refresh_token,
	    strlen(r.refresh_token), T0 + 10, &res, NULL, NULL, NULL, &err),
	    -1, "an invalid record fails closed");
	cr_assert_eq(res, STORE_REFRESH_REFUSED);
	record_clear(&r);

	n = store_load_all(s, &all, &err);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(all[0].domain, DOMAIN);
	cr_assert_str_eq(all[0].invalid, c->want);
	cr_assert_str_eq(all[1].invalid, "");
	store_records_free(all, (size_t)n);
	store_close(s);
}

/*
 * Concurrency, busy database and the WAL.
 */

static const char *
posts_value(int i)
{
	return i % 2 == 0 ? "40" : "41";
}

/* Saves the rate limit 200 times, alternating. */
static int
saver_child(void)
{
	struct hyp_error	 err;
	struct store		*s;
	struct store_edit	 e;
	int			 i;

	if ((s = store_open(E.db, E.key, 0, &err)) == NULL)
		return 10;
	for (i = 0; i < 200; i++) {
		e.field = FIELD_MAX_POSTS;
		e.old = i == 0 ? "" : posts_value(i - 1);
		e.new = posts_value(i);
		if (store_save(s, DOMAIN, &e, 1, NULL, NULL, &err) != 0)
			return 20 + (int)err.code;
	}
	store_close(s);
	return 0;
}

/* Writes keep-alive and rotates 200 times; sends its last token. */
static int
daemon_child(int out)
{
	struct hyp_error	 err;
	struct hyp_record	 r;
	struct store		*s;
	struct pair		 p;
	char			*cur, buf[TOKEN_MAX_LEN + 1] = "";
	int			 i;

	if ((s = store_open(E.db, E.key, 0, &err)) == NULL)
		return 10;
	if (store_load(s, DOMAIN, 1, &r, &err) != 0)
		return 11;
	cur = token_dup(r.refresh_token);
	record_clear(&r);
	for (i = 0; i < 200; i++) {
		if (store_touch(s, DOMAIN, T0 + i + 1, T0 + i, &err) != 0)
			return 20 + (int)err.code;
		memset(&p, 0, sizeof p);
		if (store_refresh(s, DOMAIN, cur, strlen(cur), T0 + i, &p.res,
		    &p.access, &p.refresh, NULL, &err) != 0)
			return 40 + (int)err.code;
		if (p.res != STORE_REFRESH_ROTATED)
			return 60;
		token_free(cur);
		cur = token_dup(p.refresh);
		pair_free(&p);
	}
	hyp_strlcpy(buf, cur, sizeof buf);
	token_free(cur);
	store_close(s);
	if (write(out, buf, sizeof buf) != (ssize_t)sizeof buf)
		return 12;
	token_wipe(buf, sizeof buf);
	return 0;
}

/* Cases 6 and 8: two processes on one record, a console idling. */
Test(store, two_processes_writing_one_record_lose_nothing_and_wal_stays_small)
{
	struct store		*s = open_registered();
	struct hyp_record	 r, *all;
	struct hyp_error	 err;
	char			 last[TOKEN_MAX_LEN + 1], c = 0;
	int			 go[2], out[2], st, i, done = 0;
	pid_t			 pid[2], w;
	ssize_t			 n;
	off_t			 wal, walmax = 0;

	store_close(s);		/* no handle may cross a fork */
	cr_assert_eq(pipe(go), 0);
	cr_assert_eq(pipe(out), 0);
	for (i = 0; i < 2; i++) {
		if ((pid[i] = fork()) == 0) {
			close(go[1]);
			if (read(go[0], &c, 1) < 0)
				_exit(3);
			_exit(i == 0 ? saver_child() : daemon_child(out[1]));
		}
		cr_assert_gt(pid[i], 0);
	}
	close(go[0]);
	close(out[1]);
	s = open_store(0);	/* the console, reading the list meanwhile */
	close(go[1]);
	while (done < 2) {
		n = store_load_all(s, &all, &err);
		cr_assert_eq(n, 1, "%s", err.msg);
		store_records_free(all, (size_t)n);
		if ((wal = file_size(E.wal)) > walmax)
			walmax = wal;
		while ((w = waitpid(-1, &st, WNOHANG)) > 0) {
			cr_assert(WIFEXITED(st), "child killed");
			cr_assert_eq(WEXITSTATUS(st), 0, "child %s failed: "
			    "%d", w == pid[0] ? "saver" : "daemon",
			    WEXITSTATUS(st));
			done++;
		}
		usleep(2000);
	}
	cr_assert_eq(read(out[0], last, sizeof last), (ssize_t)sizeof last);

	load(s, DOMAIN, 1, &r);
	cr_assert_eq(r.max_posts, 41, "the saver's last value");
	cr_assert_eq(r.keep_alive, T0 + 200, "the daemon's last keep-alive");
	cr_assert_eq(r.last_trans, T0 + 199);
	cr_assert(teq(r.refresh_token, last), "the daemon's last rotation");
	cr_assert_eq(audit_count(s, DOMAIN, "save"), 200);
	cr_assert_eq(audit_count(s, DOMAIN, "refresh"), 200);
	if ((wal = file_size(E.wal)) > walmax)
		walmax = wal;
	cr_assert_lt(walmax, WAL_MAX, "WAL grew to %lld bytes",
	    (long long)walmax);
	token_wipe(last, sizeof last);
	record_clear(&r);
	store_close(s);
}

/* Case 8: a read leaves no transaction open that would pin the WAL. */
ParameterizedTestParameters(store, a_read_leaves_no_transaction_pinning_the_wal)
{
	static int	 reads[] = { 0, 1, 2, 3, 4, 5 };

	return cr_make_param_array(int, reads, sizeof reads / sizeof reads[0]);
}

ParameterizedTest(int *read, store,
    a_read_leaves_no_transaction_pinning_the_wal)
{
	struct store		*idle = open_registered(), *d = open_store(0);
	struct hyp_record	 r, *all;
	struct store_audit	*au;
	struct hyp_error	 err;
	ssize_t			 n;
	int			 i;

	switch (*read) {
	case 0:
		load(idle, DOMAIN, 1, &r);
		record_clear(&r);
		break;
	case 1:
		cr_assert_eq(store_load_user(idle, USER, 0, &r, &err), 0);
		record_clear(&r);
		break;
	case 2:
		n = store_load_all(idle, &all, &err);
		store_records_free(all, (size_t)n);
		break;
	case 3:
		n = store_audit_list(idle, NULL, 10, &au, &err);
		store_audit_free(au, (size_t)n);
		break;
	case 4:
		cr_assert_gt(store_version(idle, DOMAIN, &err), 0);
		break;
	case 5:
		cr_assert_eq(store_load(idle, "nope.example.com", 0, &r, &err),
		    -1);
		break;
	}
	for (i = 0; i < 3000; i++)
		cr_assert_eq(store_touch(d, DOMAIN, T0 + i, 0, &err), 0, "%s",
		    err.msg);
	cr_assert_lt(file_size(E.wal), WAL_MAX, "WAL grew to %lld bytes",
	    (long long)file_size(E.wal));
	store_close(d);
	store_close(idle);
}

Test(store, a_write_past_the_busy_timeout_is_busy_and_changes_nothing,
    .timeout = 30)
{
	struct store		*s = open_registered();
	struct hyp_record	 r;
	struct hyp_error	 err;
	sqlite3			*db = raw_open();

	cr_assert_eq(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
	    SQLITE_OK);
	cr_assert_eq(store_touch(s, DOMAIN, T0 + 1, 0, &err), -1);
	cr_assert_eq(err.code, HYP_E_BUSY);
	cr_assert_str_eq(err.msg, "the database is busy (another program "
	    "holds it); nothing was changed: try again");
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	load(s, DOMAIN, 0, &r);
	cr_assert_eq(r.keep_alive, 0);
	cr_assert_eq(store_touch(s, DOMAIN, T0 + 2, 0, &err), 0);
	record_clear(&r);
	store_close(s);
}

Test(store, a_reader_opens_and_lists_while_another_program_writes,
    .timeout = 30)
{
	struct store		*s = open_registered(), *r;
	struct hyp_record	*all;
	struct hyp_error	 err;
	sqlite3			*db = raw_open();
	ssize_t			 n;

	store_close(s);
	cr_assert_eq(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
	    SQLITE_OK);
	/* WAL lets readers in: neither the open nor the list may wait. */
	r = store_open(E.db, E.key, 0, &err);
	cr_assert_not_null(r, "%s", err.msg);
	n = store_load_all(r, &all, &err);
	cr_assert_eq(n, 1, "%s", err.msg);
	store_records_free(all, (size_t)n);
	store_close(r);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
}

Test(store, a_record_registered_again_after_a_delete_has_a_newer_version)
{
	struct store		*s = open_registered();
	struct hyp_error	 err;
	int64_t			 before, after;

	cr_assert_eq(save1(s, FIELD_TOKEN_LIFE_HOURS, "1", "2", &err), 0,
	    "%s", err.msg);
	before = store_version(s, DOMAIN, &err);
	cr_assert_gt(before, 1);
	cr_assert_eq(store_delete(s, DOMAIN, &err), 0, "%s", err.msg);
	reg_as(s, USER, DOMAIN, 4, T0 + 10, NULL);
	after = store_version(s, DOMAIN, &err);
	/* A daemon still holding `before` must see a change. */
	cr_assert_gt(after, before, "after %lld, before %lld",
	    (long long)after, (long long)before);
	store_close(s);
}

Test(store, regenerate_mends_tokens_that_no_longer_open)
{
	struct store		*s = open_registered();
	struct hyp_record	 r;
	struct hyp_error	 err;

	store_close(s);
	raw_exec("UPDATE hyp_web_api_tokens SET access_token = refresh_token");
	s = open_store(0);
	memset(&r, 0, sizeof r);
	cr_assert_eq(store_load(s, DOMAIN, 1, &r, &err), -1);
	cr_assert_eq(err.code, HYP_E_KEY);
	cr_assert_eq(store_regenerate(s, DOMAIN, T0 + 5, &r, &err), 0, "%s",
	    err.msg);
	cr_assert(token_is_wellformed(r.access_token, strlen(r.access_token),
	    TOKEN_ACCESS));
	cr_assert_null(r.prev_access_token, "an unreadable token gets no grace");
	record_clear(&r);
	load(s, DOMAIN, 1, &r);
	record_clear(&r);
	store_close(s);
}

/*
 * Secrets at rest and in the audit.
 */

static void
scan_for(const char *what, const char *buf, size_t n, char **toks,
    int ntoks)
{
	size_t	 i, len;
	int	 t;

	for (t = 0; t < ntoks; t++) {
		len = strlen(toks[t]);
		for (i = 0; i + 16 <= len; i++)
			cr_assert_null(memmem(buf, n, toks[t] + i, 16),
			    "%s holds a piece of token %d", what, t);
	}
	cr_assert_null(memmem(buf, n, TOKEN_ACCESS_PREFIX, 5), "%s", what);
	cr_assert_null(memmem(buf, n, TOKEN_REFRESH_PREFIX, 5), "%s", what);
}

Test(store, no_token_text_reaches_the_database_files_or_the_audit)
{
	struct store		*s = open_registered();
	struct hyp_record	 r;
	struct hyp_error	 err;
	struct store_audit	*au;
	struct pair		 p;
	char			*toks[16], *buf;
	int			 nt = 0, i;
	ssize_t			 na;
	size_t			 n;

	load(s, DOMAIN, 1, &r);
	toks[nt++] = strdup(r.access_token);
	toks[nt++] = strdup(r.refresh_token);
	record_clear(&r);
	cr_assert_eq(store_regenerate(s, DOMAIN, T0 + 10, &r, &err), 0);
	toks[nt++] = strdup(r.access_token);
	for (i = 0; i < 3; i++) {
		refresh(s, i == 0 ? r.refresh_token : toks[nt - 1], T0 + 20 + i,
		    &p);
		toks[nt++] = strdup(p.access);
		toks[nt++] = strdup(p.refresh);
		pair_free(&p);
	}
	refresh(s, r.refresh_token, T0 + 500, &p);	/* a replay */
	cr_assert_eq(p.res, STORE_REFRESH_REPLAYED);
	toks[nt++] = strdup(r.refresh_token);
	record_clear(&r);

	na = store_audit_list(s, NULL, 0, &au, &err);
	cr_assert_geq(na, 6);
	for (i = 0; i < na; i++)
		scan_for("audit", au[i].detail, strlen(au[i].detail), toks, nt);
	store_audit_free(au, (size_t)na);

	buf = file_read(E.db, &n);
	scan_for("database", buf, n, toks, nt);
	free(buf);
	buf = file_read(E.wal, &n);
	cr_assert_not_null(buf);
	scan_for("WAL", buf, n, toks, nt);
	free(buf);
	store_close(s);
	buf = file_read(E.db, &n);
	scan_for("checkpointed database", buf, n, toks, nt);
	free(buf);
	for (i = 0; i < nt; i++) {
		token_wipe(toks[i], strlen(toks[i]));
		free(toks[i]);
	}
}

/*
 * Listing, bookkeeping, delete and the audit.
 */

Test(store, ten_thousand_records_load_by_domain_without_tokens)
{
	struct store		*s = open_registered();
	struct hyp_record	*all;
	struct hyp_error	 err;
	ssize_t			 n, i;

	raw_exec("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
	    "FROM c WHERE i < 10000) INSERT INTO hyp_web_api_tokens "
	    "(hyper_user_name, created_on_utc, domain_address, domain_purpose, "
	    "max_tenants, max_threads, ipv4_whitelist, blocked_functions, "
	    "access_token, refresh_token) SELECT printf('u%05d', i), 1, "
	    "printf('d%05d.example.com', 10001 - i), 'api', 10, 4, "
	    "'10.0.0.0/8', 'DropAll', (SELECT access_token FROM "
	    "hyp_web_api_tokens WHERE id = 1), (SELECT refresh_token FROM "
	    "hyp_web_api_tokens WHERE id = 1) FROM c");
	/* Speed is measured by make bench, not here. */
	n = store_load_all(s, &all, &err);
	cr_assert_eq(n, 10001, "%s", err.msg);
	cr_assert_str_eq(all[0].domain, DOMAIN);
	cr_assert_str_eq(all[1].domain, "d00001.example.com");
	for (i = 1; i < n; i++)
		cr_assert_lt(strcmp(all[i - 1].domain, all[i].domain), 0);
	for (i = 0; i < n; i++)
		cr_assert_null(all[i].access_token, "no tokens in the list");
	cr_assert_str_eq(all[5].whitelist, "10.0.0.0/8");
	store_records_free(all, (size_t)n);
	store_close(s);
}

Test(store, touch_writes_keep_alive_and_last_trans_without_a_version_bump)
{
	struct store		*s = open_registered();
	struct hyp_record	 a, r;
	struct hyp_error	 err;

	load(s, DOMAIN, 0, &a);
	cr_assert_eq(store_touch(s, DOMAIN, T0 + 100, 0, &err), 0);
	load(s, DOMAIN, 0, &r);
	cr_assert_eq(r.keep_alive, T0 + 100);
	cr_assert_eq(r.last_trans, 0, "0 leaves Last Trans alone");
	record_clear(&r);
	cr_assert_eq(store_touch(s, DOMAIN, T0 + 200, T0 + 150, &err), 0);
	load(s, DOMAIN, 0, &r);
	cr_assert_eq(r.keep_alive, T0 + 200);
	cr_assert_eq(r.last_trans, T0 + 150);
	cr_assert_eq(r.version, a.version);
	cr_assert_eq(store_version(s, DOMAIN, &err), a.version);
	cr_assert_eq(store_touch(s, "nope.example.com", T0, 0, &err), -1);
	cr_assert_eq(err.code, HYP_E_NOTFOUND);
	record_clear(&a);
	record_clear(&r);
	store_close(s);
}

Test(store, version_is_bumped_by_save_and_regenerate_and_minus_1_when_gone)
{
	struct store		*s = open_registered();
	struct hyp_error	 err;
	int64_t			 v0, v;

	v0 = store_version(s, DOMAIN, &err);
	cr_assert_gt(v0, 0);
	cr_assert_eq(save1(s, FIELD_SESSION_TIMEOUT, "", "30", &err), 0);
	cr_assert_eq(store_version(s, DOMAIN, &err), v0 + 1);
	cr_assert_eq(store_regenerate(s, DOMAIN, T0 + 5, NULL, &err), 0);
	v = store_version(s, DOMAIN, &err);
	cr_assert_eq(v, v0 + 2);
	cr_assert_eq(store_version(s, "nope.example.com", &err), -1);
	cr_assert_eq(err.code, HYP_E_NOTFOUND);
	store_close(s);
}

Test(store, delete_removes_the_record_and_its_retired_tokens)
{
	struct store		*s = open_registered();
	struct hyp_record	 a, r;
	struct hyp_error	 err;
	struct pair		 p;
	char			 action[32], *d;

	load(s, DOMAIN, 1, &a);
	refresh(s, a.refresh_token, T0, &p);
	cr_assert_eq(raw_int("SELECT count(*) FROM hyp_retired_refresh"), 1);
	cr_assert_eq(store_delete(s, DOMAIN, &err), 0, "%s", err.msg);
	cr_assert_eq(store_load(s, DOMAIN, 0, &r, &err), -1);
	cr_assert_eq(err.code, HYP_E_NOTFOUND);
	cr_assert_eq(raw_int("SELECT count(*) FROM hyp_retired_refresh"), 0);
	d = audit_last(s, DOMAIN, action, sizeof action);
	cr_assert_str_eq(action, "delete");
	free(d);
	cr_assert_eq(store_delete(s, DOMAIN, &err), -1);
	cr_assert_eq(err.code, HYP_E_NOTFOUND);
	pair_free(&p);
	record_clear(&a);
	store_close(s);
}

Test(store, audit_rows_name_the_actor_newest_first)
{
	struct store		*s = open_registered();
	struct store_audit	*au;
	struct hyp_error	 err;
	struct passwd		*pw = getpwuid(geteuid());
	ssize_t			 n;

	cr_assert_eq(store_audit(s, DOMAIN, "copy", "access token copied",
	    T0 + 5, &err), 0);
	store_set_actor(s, "alice", "192.0.2.7");
	cr_assert_eq(store_audit(s, DOMAIN, "copy", "refresh token copied",
	    T0 + 6, &err), 0);
	reg_as(s, "webapp2", "b.example.com", 4, T0 + 7, NULL);

	n = store_audit_list(s, DOMAIN, 0, &au, &err);
	cr_assert_eq(n, 3);
	cr_assert_eq(au[0].at, T0 + 6);
	cr_assert_str_eq(au[0].actor, "alice");
	cr_assert_str_eq(au[0].client, "192.0.2.7");
	cr_assert_str_eq(au[0].detail, "refresh token copied");
	cr_assert_eq(au[1].at, T0 + 5);
	cr_assert_str_eq(au[1].actor, pw->pw_name);
	cr_assert_str_eq(au[1].client, "");
	cr_assert_str_eq(au[2].action, "create");
	store_audit_free(au, (size_t)n);

	n = store_audit_list(s, NULL, 2, &au, &err);
	cr_assert_eq(n, 2, "the limit holds");
	cr_assert_str_eq(au[0].domain, "b.example.com");
	store_audit_free(au, (size_t)n);
	store_close(s);
}
