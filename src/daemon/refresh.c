/*
 * refresh.c: the store thread behind POST /RefreshToken.
 *
 * A refresh writes the database, which may wait on another process's
 * lock for up to the busy timeout. The HTTP workers must keep answering
 * meanwhile, so they queue the job here and go on; this thread runs the
 * jobs one after the other on its own store handle (sqlite serialises
 * writers anyway), puts the rotated policy in force, and hands each job
 * back through its completion. The atomic rule "one rotation wins" is
 * the store's (store_refresh). Calls presenting the same token while one
 * is queued or running share its result instead of queueing a write of
 * their own: many clients refreshing together get one rotation and the
 * same current pair, and cost one transaction.
 *
 * While the database is locked every job waits up to the busy timeout.
 * The jobs waiting are therefore bounded by Max Threads (beside the one
 * running), and a call past that is refused at once (503), so that
 * refreshes never pile up; calls sharing a queued job are bounded apart,
 * and more loosely, since they cost no write. Neither holds one of the
 * in-progress slots of /auth (http.c).
 */
#include "hyptokensd.h"

#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "hyp-log.h"
#include "hyp-time.h"
#include "hyp-token.h"

#define REFRESH_FOLLOWERS_PER_THREAD	64	/* sharing calls */

static pthread_t	 refresh_thread;
static pthread_mutex_t	 refresh_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 refresh_cond = PTHREAD_COND_INITIALIZER;
static struct refresh_job *refresh_head;
static struct refresh_job **refresh_tail = &refresh_head;
static struct refresh_job *refresh_running_job;
static int		 refresh_jobs;		/* queued or running */
static int		 refresh_jobs_max;
static int		 refresh_followers;	/* sharing one of them */
static int		 refresh_followers_max;
static int		 refresh_stopping;
static int		 refresh_running;
static struct store	*refresh_store;
static char		 refresh_actor[64];

void
refresh_job_free(struct refresh_job *job)
{
	if (job == NULL)
		return;
	token_free(job->token);
	token_free(job->access);
	token_free(job->refresh);
	free(job);
}

static void
refresh_run(struct refresh_job *job)
{
	struct hyp_error	 err;
	struct state_policy	*p;
	char			 fp[TOKEN_FP_TEXT], addr[INET_ADDRSTRLEN];
	struct in_addr		 in;

	hyp_error_clear(&err);
	in.s_addr = htonl(job->client);
	inet_ntop(AF_INET, &in, addr, sizeof addr);
	store_set_actor(refresh_store, refresh_actor, addr);
	if (store_refresh(refresh_store, daemon_config.domain, job->token,
	    job->len, time_now(), &job->result, &job->access, &job->refresh,
	    &job->until, &err) == -1) {
		job->failed = 1;
		log_warnx("%s: refresh for client %s failed: %s", __func__,
		    addr, err.msg);
		return;
	}
	switch (job->result) {
	case STORE_REFRESH_ROTATED:
		log_info("refresh: client %s rotated the tokens", addr);
		if (state_reload(refresh_store, "RefreshToken", NULL, &err) ==
		    -1)
			log_warnx("%s: reload after refresh: %s", __func__,
			    err.msg);
		break;
	case STORE_REFRESH_CURRENT:
		log_debug("refresh: client %s got the current pair", addr);
		break;
	case STORE_REFRESH_REFUSED:
		token_fingerprint(job->token, job->len, fp);
		log_info("refresh: refused an unknown refresh token from "
		    "client %s (fingerprint %s)", addr, fp);
		break;
	case STORE_REFRESH_REPLAYED:
		token_fingerprint(job->token, job->len, fp);
		log_warnx("refresh: a retired refresh token was presented by "
		    "client %s (fingerprint %s): possible theft, audited",
		    addr, fp);
		break;
	}
	p = state_acquire();
	job->mode = p->kind == STATE_SERVING ? p->eff.refresh_mode :
	    p->rec.refresh_mode;
	state_release(p);
}

/* Give each follower of job a copy of its result, and finish them. */
static void
refresh_share(struct refresh_job *job, struct refresh_job *f)
{
	struct refresh_job	*next;

	for (; f != NULL; f = next) {
		next = f->next;
		f->next = NULL;
		f->failed = job->failed;
		f->result = job->result == STORE_REFRESH_ROTATED ?
		    STORE_REFRESH_CURRENT : job->result;
		f->access = job->access != NULL ? token_dup(job->access) : NULL;
		f->refresh = job->refresh != NULL ? token_dup(job->refresh) :
		    NULL;
		f->until = job->until;
		f->mode = job->mode;
		token_free(f->token);
		f->token = NULL;
		f->done(f);
	}
}

static void *
refresh_main(void *arg)
{
	struct refresh_job	*job, *followers;

	for (;;) {
		pthread_mutex_lock(&refresh_lock);
		while (refresh_head == NULL && !refresh_stopping)
			pthread_cond_wait(&refresh_cond, &refresh_lock);
		if (refresh_stopping) {
			pthread_mutex_unlock(&refresh_lock);
			break;
		}
		job = refresh_head;
		if ((refresh_head = job->next) == NULL)
			refresh_tail = &refresh_head;
		job->next = NULL;
		refresh_running_job = job;
		pthread_mutex_unlock(&refresh_lock);

		refresh_run(job);

		pthread_mutex_lock(&refresh_lock);
		job->closed = 1;
		refresh_running_job = NULL;
		followers = job->followers;
		job->followers = NULL;
		refresh_jobs--;
		refresh_followers -= job->nfollowers;
		pthread_mutex_unlock(&refresh_lock);

		refresh_share(job, followers);
		/* The token presented is no longer needed. */
		token_free(job->token);
		job->token = NULL;
		job->done(job);
	}
	return NULL;
}

int
refresh_start(struct hyp_error *err)
{
	struct passwd	*pw;
	sigset_t	 all, old;
	int		 rc;

	refresh_jobs_max = daemon_config.max_threads + 1;
	refresh_followers_max = REFRESH_FOLLOWERS_PER_THREAD *
	    daemon_config.max_threads;
	refresh_store = store_open(daemon_config.database,
	    daemon_config.key_file, 0, err);
	if (refresh_store == NULL)
		return -1;
	pw = getpwuid(geteuid());
	hyp_strlcpy(refresh_actor, pw != NULL ? pw->pw_name : DAEMON_NAME,
	    sizeof refresh_actor);

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&refresh_thread, NULL, refresh_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		store_close(refresh_store);
		refresh_store = NULL;
		return hyp_error_set(err, HYP_E_IO,
		    "cannot start the store thread: %s", strerror(rc));
	}
	refresh_running = 1;
	return 0;
}

void
refresh_stop(void)
{
	struct refresh_job	*job, *f;

	if (!refresh_running)
		return;
	pthread_mutex_lock(&refresh_lock);
	refresh_stopping = 1;
	pthread_cond_broadcast(&refresh_cond);
	pthread_mutex_unlock(&refresh_lock);
	pthread_join(refresh_thread, NULL);
	refresh_running = 0;

	while ((job = refresh_head) != NULL) {
		refresh_head = job->next;
		while ((f = job->followers) != NULL) {
			job->followers = f->next;
			refresh_job_free(f);
		}
		refresh_job_free(job);
	}
	refresh_tail = &refresh_head;
	refresh_jobs = refresh_followers = 0;
	store_close(refresh_store);
	refresh_store = NULL;
}

static int
refresh_same(const struct refresh_job *a, const struct refresh_job *b)
{
	return b != NULL && !b->closed && token_equal(a->token, a->len,
	    b->token, b->len);
}

int
refresh_submit(struct refresh_job *job)
{
	struct refresh_job	*lead = NULL, *q;
	int			 rc;

	job->next = NULL;
	job->followers = NULL;
	job->nfollowers = 0;
	pthread_mutex_lock(&refresh_lock);
	if (refresh_same(job, refresh_running_job))
		lead = refresh_running_job;
	for (q = refresh_head; lead == NULL && q != NULL; q = q->next) {
		if (refresh_same(job, q))
			lead = q;
	}
	if (lead != NULL) {
		if (refresh_followers >= refresh_followers_max) {
			rc = -1;
			goto out;
		}
		job->next = lead->followers;
		lead->followers = job;
		lead->nfollowers++;
		refresh_followers++;
		rc = 1;
	} else {
		if (refresh_jobs >= refresh_jobs_max) {
			rc = -1;
			goto out;
		}
		*refresh_tail = job;
		refresh_tail = &job->next;
		refresh_jobs++;
		pthread_cond_signal(&refresh_cond);
		rc = 0;
	}
out:
	pthread_mutex_unlock(&refresh_lock);
	return rc;
}
