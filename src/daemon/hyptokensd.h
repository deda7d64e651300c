/*
 * hyptokensd.h: the daemon's private header, one section per source file
 * (tmux.h style). Nothing outside src/daemon includes it.
 *
 * Threads: the main thread runs the control socket, the signals and the
 * keep-alive timer; Max Threads HTTP workers each run their own event
 * loop on the shared listening socket; one store thread performs the
 * RefreshToken writes. The policy in force is an immutable snapshot
 * swapped under a lock (state.c); flood and tenant tables carry their own
 * locks; counters are atomics.
 */
#ifndef HYPTOKENSD_H
#define HYPTOKENSD_H

#include <stddef.h>
#include <stdint.h>

#include "hyp-config.h"
#include "hyp-policy.h"
#include "hyp-store.h"
#include "hyp-util.h"

#define DAEMON_NAME		"hyptokensd"
#define DAEMON_FLOOD_WINDOW	60	/* seconds, SPEC section 8 */
#define DAEMON_FLOOD_CAP	65536	/* addresses tracked at most */
#define DAEMON_TENANT_ID_MAX	128
#define DAEMON_FUNCTION_MAX	256	/* canonical function name buffer */
#define DAEMON_REALM		"hyptokens"

/* state.c */

enum state_kind {
	STATE_SERVING,		/* the record's policy is in force */
	STATE_CLOSED,		/* the stored policy does not parse: refuse */
	STATE_PURGED,		/* no record (PURGE or deleted): refuse */
};

/* The catalogue, shared by the snapshots built from it. */
struct state_catalog {
	_Atomic int		 refs;
	struct policy_catalog	*cat;
};

/* One immutable view of the record; released through state_release. */
struct state_policy {
	_Atomic int		 refs;
	enum state_kind		 kind;
	char			 why[HYP_ERROR_MAX + 64]; /* not serving: why */
	int64_t			 version;
	struct hyp_record	 rec;		/* tokens loaded when serving */
	struct policy_effective	 eff;		/* valid when serving */
	struct state_catalog	*cat;
};

extern struct hyp_config daemon_config;
extern struct store	*daemon_store;	/* the main thread's handle */

void	 state_init(struct policy_catalog *);
void	 state_free(void);
/* Replace the catalogue (SIGHUP); the caller gives up cat. */
void	 state_set_catalog(struct policy_catalog *);
/*
 * Re-read the record through st and put its policy in force. 0 when the
 * policy now serves; -1 with err when the record is gone (purged state
 * installed), does not parse or cannot be read for a lasting reason,
 * such as a token that does not open with the key (closed state
 * installed), or could not be read for a passing one (previous state
 * kept: HYP_E_BUSY, HYP_E_IO or HYP_E_FULL). *version (may be NULL)
 * receives the version now in force.
 */
int	 state_reload(struct store *, const char *why, int64_t *version,
	    struct hyp_error *);
/* Install a policy by hand (tests); takes over rec. */
void	 state_install(enum state_kind, struct hyp_record *, const char *why);
/*
 * Drop the record from memory: every request is refused until a reload.
 * version is the stored version seen (-1: none), so that the keep-alive
 * check reloads only when the record changes or comes back.
 */
void	 state_purge(const char *why, int64_t version);
struct state_policy *state_acquire(void);
void	 state_release(struct state_policy *);
/* Last Trans UTC: note an allowed request, read it back. */
void	 state_note_trans(int64_t);
int64_t	 state_last_trans(void);
const char *state_kind_name(enum state_kind);

/* canon.c */

#define CANON_LOG_NAME_MAX	24	/* bytes of a name shown in a log */

/*
 * Canonical form of a request path: the query cut, the rest
 * percent-decoded once, ";params" dropped from every segment, empty and
 * "." segments dropped. out gets "/seg/seg" ("/" for the root). -1 with
 * *why for a '#' anywhere in uri, a bad escape, an encoded '/' or NUL, a
 * control byte, a ".." segment, and, once decoded, a backslash, a '#' or
 * an escape of '.', '/', '\' or '%' (what another layer could read as
 * structure).
 */
int	 canon_path(const char *uri, char *out, size_t outlen,
	    const char **why);
/*
 * The API function of uri: the first segment after prefix (both
 * compared without case), lower-cased into fn. -1 with *why when the
 * path does not canonicalise, holds a "." segment after the prefix, lies
 * outside the prefix or names no function.
 */
int	 canon_function(const char *uri, const char *prefix, char *fn,
	    size_t fnlen, const char **why);
/*
 * "Bearer <token>": 0 and the token's place in hdr, or -1 when the
 * header is not a single bearer credential.
 */
int	 canon_bearer(const char *hdr, const char **tok, size_t *len);
/* A tenant id fit to key a session: 1..DAEMON_TENANT_ID_MAX, visible. */
int	 canon_tenant_is_valid(const char *);
/*
 * A name safe for a log line: one holding a token prefix (any case) is
 * shown as its length, one longer than CANON_LOG_NAME_MAX by its first
 * CANON_LOG_NAME_MAX bytes and its length.
 */
const char *canon_loggable(const char *, char *buf, size_t len);
/* A method fit for a log line: a standard one as sent, else "other". */
const char *canon_method_name(const char *);

/* flood.c */

struct flood_table;

struct flood_table *flood_new(size_t cap);
void	 flood_free(struct flood_table *);
/*
 * Count a request from addr at now against limit per 60 s. 0 when
 * allowed; 1 when refused during a block, 2 when this request started
 * one (it went over the limit), with the seconds left of the block in
 * *retry_after. A block lasts block_seconds; requests during a block
 * are refused without counting, so they never extend it.
 */
int	 flood_check(struct flood_table *, unsigned int addr, int limit,
	    int block_seconds, int64_t now, int *retry_after);
size_t	 flood_count(struct flood_table *);

/* tenant.c */

struct tenant_table;

struct tenant_table *tenant_new(void);
void	 tenant_free(struct tenant_table *);
/*
 * Enter the session of tenant id at now. 0 when the session exists or
 * was opened; 1 when max sessions are live, with the seconds until the
 * oldest idles out in *retry_after. Sessions idle longer than
 * timeout_seconds are dropped first.
 */
int	 tenant_enter(struct tenant_table *, const char *id, int max,
	    int timeout_seconds, int64_t now, int *retry_after);
size_t	 tenant_count(struct tenant_table *);

/* metrics.c */

enum metric {
	M_ALLOWED,
	M_REFUSED_WHITELIST,
	M_REFUSED_ADDRESS,
	M_REFUSED_FLOOD,
	M_REFUSED_URI,
	M_REFUSED_HEADER,
	M_REFUSED_PATH,
	M_REFUSED_FUNCTION,
	M_REFUSED_MODULE,
	M_REFUSED_BEARER_MISSING,
	M_REFUSED_BEARER_MALFORMED,
	M_REFUSED_BEARER_UNKNOWN,
	M_REFUSED_BEARER_EXPIRED,
	M_REFUSED_TENANT_ID,
	M_REFUSED_TENANTS,
	M_REFUSED_CLOSED,
	M_REFUSED_BUSY,
	M_REFRESH_ROTATED,
	M_REFRESH_CURRENT,
	M_REFRESH_REFUSED,
	M_REFRESH_REPLAYED,
	M_REFRESH_ERROR,
	M_ALIVE,
	M_NOT_FOUND,
	M_COUNT
};

void	 metrics_add(enum metric);
uint64_t metrics_get(enum metric);
/* Totals for STATUS. */
uint64_t metrics_allowed(void);
uint64_t metrics_refused(void);
/* The Prometheus text exposition; caller frees. */
char	*metrics_format(void);

/* auth.c */

enum auth_outcome {
	AUTH_ALLOWED,
	AUTH_REFUSED,
};

/* What the HTTP layer extracted from one /auth sub-request. */
struct auth_input {
	unsigned int	 peer;		/* TCP peer, IPv4 host order */
	int		 peer_is_ipv4;
	const char	*real_ip;	/* X-Real-IP, or NULL */
	const char	*uri;		/* X-Original-URI, or NULL */
	const char	*method;	/* X-Original-Method, or NULL */
	const char	*authorization;
	const char	*tenant;
	const char	*twice;		/* says which header came twice */
};

struct auth_result {
	enum auth_outcome outcome;
	int		 status;	/* SPEC status: 204 401 403 429 503 */
	enum metric	 metric;
	const char	*reason;	/* short tag: "flood", "function" */
	const char	*message;	/* ResponseMsgEng */
	const char	*bearer_error;	/* error_description, 401 only */
	int		 retry_after;	/* 429 and 503 */
	int		 block_started;	/* this request started a flood block */
	const char	*method;	/* the original method, when believed */
	unsigned int	 client;
	int		 client_known;
	char		 function[DAEMON_FUNCTION_MAX];
	char		 fingerprint[16];	/* of a refused token, or "" */
};

void	 auth_init(void);
void	 auth_free(void);
/* 1 if addr is one of the configured trusted proxies. */
int	 auth_is_trusted(const struct hyp_config *, unsigned int addr);
/*
 * The client address: X-Real-IP when the peer is a trusted proxy and
 * sent one, else the peer. -1 when the address used does not parse.
 */
int	 auth_client(const struct hyp_config *, const struct auth_input *,
	    unsigned int *);
/* The bearer check alone (step 5): a metric, M_ALLOWED when accepted. */
enum metric auth_bearer(const struct state_policy *, const char *hdr,
	    int64_t now, char *fp, size_t fplen);
/* Every check of SPEC section 8, in order, against policy p at now. */
void	 auth_check(const struct hyp_config *, const struct state_policy *,
	    const struct auth_input *, int64_t now, struct auth_result *);
/*
 * The checks that apply to a RefreshToken caller: the policy is in force,
 * the client address passes the allow-list, and the call counts against
 * the address's requests per minute like any other, so that a stream of
 * made-up refresh tokens cannot keep the database's write lock busy.
 */
void	 auth_check_caller(const struct hyp_config *,
	    const struct state_policy *, const struct auth_input *,
	    int64_t now, struct auth_result *);
size_t	 auth_flood_entries(void);
size_t	 auth_tenant_sessions(void);

/* refresh.c */

struct refresh_job {
	char		*token;		/* presented, secure buffer */
	size_t		 len;
	unsigned int	 client;
	/* results */
	enum store_refresh_result result;
	int		 failed;	/* store error: 503 */
	char		*access;	/* secure buffers, or NULL */
	char		*refresh;
	int64_t		 until;
	enum refresh_mode mode;
	/* completion, run on the store thread */
	void		(*done)(struct refresh_job *);
	void		*worker;	/* http.c: who answers */
	void		*req;		/* http.c: the request to answer */
	/* refresh.c: queue, and the calls sharing this one's result */
	int		 closed;
	struct refresh_job *next;
	struct refresh_job *followers;
	int		 nfollowers;
};

int	 refresh_start(struct hyp_error *);
void	 refresh_stop(void);
/*
 * Queue a job; job->done runs on the store thread when it is finished.
 * A job presenting the same token as one queued or running is attached
 * to it and answered with its result (one rotation for many callers):
 * returns 1 then, 0 when the job was queued on its own, and -1 when the
 * bound of waiting jobs (Max Threads, beside the one running) or of
 * calls attached to them is reached: the job was not taken, the caller
 * answers 503 and frees it.
 */
int	 refresh_submit(struct refresh_job *);
/* Release the job's secrets and the job. */
void	 refresh_job_free(struct refresh_job *);

/* http.c */

/*
 * Bind the HTTP listener, so that a taken port stops the start before
 * anything is written; http_start binds it if this was not called.
 */
int	 http_bind(struct hyp_error *);
/* Start the workers on the bound listener. */
int	 http_start(struct hyp_error *);
/* Stop the workers' loops and wait for them. */
void	 http_stop(void);
/* Release the workers (after refresh_stop: no job can finish later). */
void	 http_free(void);
int	 http_inflight(void);

/* control.c */

struct event_base;

int	 control_open(struct event_base *, struct hyp_error *);
void	 control_close(void);

/* evlog.c */

#define EVLOG_REPEAT_SECONDS	60	/* a repeat is counted, not logged */
#define EVLOG_PER_SECOND	5	/* lines from libevent at most */
#define EVLOG_TEXT_MAX		256

/* The limiter of libevent's messages; all zero to begin with. */
struct evlog_limit {
	char		 last[EVLOG_TEXT_MAX];	/* the last message logged */
	int64_t		 last_at;		/* when (0: none yet) */
	unsigned int	 repeats;		/* of it since, not logged */
	int64_t		 second;
	int		 count;			/* lines logged that second */
	unsigned int	 dropped;		/* other messages not logged */
};

/* Route libevent's messages to the log; before any other libevent call. */
void	 evlog_init(void);
/*
 * 1 when libevent's msg at now is to be logged, 0 when it is held back
 * (a repeat of the last one within EVLOG_REPEAT_SECONDS, or past
 * EVLOG_PER_SECOND lines this second). On 1, note gets a line to log
 * first saying what was held back since, or "" when nothing was.
 */
int	 evlog_filter(struct evlog_limit *, const char *msg, int64_t now,
	    char *note, size_t len);


#endif
