/*
 * hyptokensd.c: the daemon's start, main loop and stop.
 *
 * Start (SPEC section 8): first give up core files and dumpability
 * (tokens and the key live in this memory), read and check the INI and
 * the catalogues (a bad value exits 78), bind the control socket and
 * the HTTP listener, open or create the database, and only then
 * register the instance (a daemon refused a socket or a port changes
 * nothing), load its record, and log one start line. A record whose
 * policy does not parse does not stop the start: the daemon runs and
 * refuses every request, saying why, until the record is fixed (fail
 * closed).
 *
 * The main thread then runs the control socket, the signals (TERM and
 * INT stop, HUP reloads) and the keep-alive timer, which writes Keep
 * Alive UTC and Last Trans UTC and reloads the record when its version
 * moved without a signal, so a lost REFRESH costs one interval at most;
 * a purged daemon reloads it as soon as it exists again.
 */
#include "hyptokensd.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "hyp-log.h"
#include "hyp-time.h"
#include "hyp-token.h"

static struct event_base *daemon_base;
static int64_t		 daemon_trans_written;

static void __attribute__((noreturn))
daemon_usage(void)
{
	fprintf(stderr, "usage: %s [-dV] [-c file]\n", DAEMON_NAME);
	exit(64);
}

/*
 * No core file and no ptrace by other processes of the same user: either
 * would hand out the tokens and the at-rest key held in memory.
 */
static void
daemon_harden(void)
{
	struct rlimit	 rl = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &rl) == -1)
		log_warn("%s: cannot disable core files", __func__);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		log_warn("%s: cannot make the process non-dumpable", __func__);
}

static void
daemon_config_warn(const char *msg, void *arg)
{
	log_warnx("%s", msg);
}

static void
daemon_keepalive(evutil_socket_t fd, short events, void *arg)
{
	struct state_policy	*p;
	struct hyp_error	 err;
	int64_t			 now = time_now(), trans, version, v;
	enum state_kind		 kind;

	p = state_acquire();
	kind = p->kind;
	version = p->version;
	state_release(p);

	hyp_error_clear(&err);
	trans = state_last_trans();
	if (kind != STATE_PURGED) {
		if (store_touch(daemon_store, daemon_config.domain, now,
		    trans != daemon_trans_written ? trans : 0, &err) == -1)
			log_warnx("keep-alive: %s", err.msg);
		else
			daemon_trans_written = trans;
	}

	hyp_error_clear(&err);
	v = store_version(daemon_store, daemon_config.domain, &err);
	if (v == -1 && err.code != HYP_OK && err.code != HYP_E_NOTFOUND) {
		log_warnx("keep-alive: cannot read the version: %s", err.msg);
		return;
	}
	/* Purged: the record is back once it exists, whatever its version. */
	if (kind == STATE_PURGED && v != -1)
		log_info("keep-alive: the record exists again (version %lld): "
		    "reloading", (long long)v);
	else if (v != version)
		log_info("record version moved from %lld to %lld without a "
		    "signal: reloading", (long long)version, (long long)v);
	else
		return;
	hyp_error_clear(&err);
	state_reload(daemon_store, "keep-alive", NULL, &err);
}

static void
daemon_signal(evutil_socket_t sig, short events, void *arg)
{
	struct policy_catalog	*cat;
	struct hyp_error	 err;
	int64_t			 version;

	hyp_error_clear(&err);
	switch (sig) {
	case SIGHUP:
		cat = policy_catalog_load(daemon_config.share_dir, &err);
		if (cat == NULL)
			log_warnx("SIGHUP: catalogues kept: %s", err.msg);
		else
			state_set_catalog(cat);
		hyp_error_clear(&err);
		if (state_reload(daemon_store, "SIGHUP", &version, &err) == 0)
			log_info("SIGHUP: %s reloaded, version %lld in force",
			    cat != NULL ? "catalogues and record" :
			    "record (catalogues kept)", (long long)version);
		break;
	default:
		log_info("signal %d: stopping", (int)sig);
		event_base_loopbreak(daemon_base);
		break;
	}
}

static void
daemon_register(void)
{
	struct store_instance	 inst;
	struct hyp_error	 err;
	int			 created = 0;

	memset(&inst, 0, sizeof inst);
	inst.user_name = daemon_config.user_name;
	inst.domain = daemon_config.domain;
	inst.purpose = daemon_config.purpose;
	inst.max_tenants = daemon_config.max_tenants;
	inst.max_threads = daemon_config.max_threads;
	inst.control_socket = daemon_config.control_socket;
	hyp_error_clear(&err);
	if (store_register(daemon_store, &inst, time_now(), &created,
	    &err) == -1) {
		control_close();
		fatalx("cannot register %s: %s", daemon_config.domain,
		    err.msg);
	}
	log_info("%s the record of %s (user %s)", created ? "created" :
	    "updated", daemon_config.domain, daemon_config.user_name);
}

/* Read the INI and the catalogues; a bad value exits CONFIG_EXIT. */
static struct policy_catalog *
daemon_configure(const char *arg)
{
	struct policy_catalog	*cat;
	struct hyp_error	 err;

	hyp_error_clear(&err);
	if (config_load(config_path(arg), &daemon_config, daemon_config_warn,
	    NULL, &err) == -1)
		goto bad;
	if ((cat = policy_catalog_load(daemon_config.share_dir, &err)) ==
	    NULL)
		goto bad;
	if (config_check_purpose(&daemon_config, cat, &err) == -1) {
		policy_catalog_free(cat);
		goto bad;
	}
	return cat;
bad:
	fprintf(stderr, "%s: %s\n", DAEMON_NAME, err.msg);
	exit(CONFIG_EXIT);
}

/* A start that fails after the control socket was bound: unbind it. */
static void __attribute__((noreturn))
daemon_abort(const struct hyp_error *err)
{
	control_close();
	fatalx("%s", err->msg);
}

/*
 * What can refuse the start comes before the record is written, so that
 * a daemon that does not start changes nothing: the control socket (a
 * live daemon answering there), the HTTP port (taken), the database.
 */
static void
daemon_start(void)
{
	struct hyp_error	 err;
	int64_t			 version;

	evlog_init();
	if ((daemon_base = event_base_new()) == NULL)
		fatalx("cannot create the event loop");
	hyp_error_clear(&err);
	if (control_open(daemon_base, &err) == -1)
		fatalx("%s", err.msg);
	if (http_bind(&err) == -1)
		daemon_abort(&err);
	daemon_store = store_open(daemon_config.database,
	    daemon_config.key_file, 1, &err);
	if (daemon_store == NULL)
		daemon_abort(&err);

	daemon_register();
	auth_init();
	if (state_reload(daemon_store, "start", &version, &err) == -1)
		log_warnx("start: every request is refused until the record "
		    "is fixed: %s", err.msg);
	hyp_error_clear(&err);
	if (refresh_start(&err) == -1 || http_start(&err) == -1)
		daemon_abort(&err);
}

static void
daemon_stop(void)
{
	control_close();
	http_stop();
	refresh_stop();
	http_free();
	auth_free();
	state_free();
	store_close(daemon_store);
	daemon_store = NULL;
}

int
main(int argc, char **argv)
{
	struct policy_catalog	*cat;
	struct hyp_error	 err;
	struct event		*sigs[3], *keepalive;
	struct timeval		 tv;
	const char		*conf = NULL;
	int			 ch, debug = 0, i;
	const int		 signums[3] = { SIGTERM, SIGINT, SIGHUP };

	while ((ch = getopt(argc, argv, "c:dV")) != -1) {
		switch (ch) {
		case 'c':
			conf = optarg;
			break;
		case 'd':
			debug = 1;
			break;
		case 'V':
			printf("%s %s\n", DAEMON_NAME, HYP_VERSION);
			return 0;
		default:
			daemon_usage();
		}
	}
	if (optind != argc)
		daemon_usage();

	log_init(DAEMON_NAME, 1, debug ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO);
	daemon_harden();
	hyp_error_clear(&err);
	if (token_init(&err) == -1)
		fatalx("%s", err.msg);
	cat = daemon_configure(conf);
	log_set_level(debug ? LOG_LEVEL_DEBUG : daemon_config.log_level);
	signal(SIGPIPE, SIG_IGN);
	state_init(cat);
	daemon_start();

	for (i = 0; i < 3; i++) {
		sigs[i] = evsignal_new(daemon_base, signums[i], daemon_signal,
		    NULL);
		if (sigs[i] == NULL || evsignal_add(sigs[i], NULL) == -1)
			fatalx("cannot watch signal %d", signums[i]);
	}
	keepalive = event_new(daemon_base, -1, EV_PERSIST, daemon_keepalive,
	    NULL);
	tv.tv_sec = daemon_config.keepalive_seconds;
	tv.tv_usec = 0;
	if (keepalive == NULL || event_add(keepalive, &tv) == -1)
		fatalx("cannot start the keep-alive timer");
	daemon_keepalive(-1, 0, NULL);

	log_info("%s %s started: pid %d, domain %s, listening on %s:%d, "
	    "control socket %s, %d workers", DAEMON_NAME, HYP_VERSION,
	    (int)getpid(), daemon_config.domain, daemon_config.listen_host,
	    daemon_config.listen_port, daemon_config.control_socket,
	    daemon_config.max_threads);

	event_base_dispatch(daemon_base);

	for (i = 0; i < 3; i++)
		event_free(sigs[i]);
	event_free(keepalive);
	daemon_stop();
	event_base_free(daemon_base);
	log_info("%s stopped", DAEMON_NAME);
	config_clear(&daemon_config);
	return 0;
}
