/*
 * state.c: the policy in force, as an immutable snapshot.
 *
 * Workers take a reference under a short lock, check a request against
 * it without holding any lock, and release it. A reload builds a whole
 * new snapshot from the database and swaps the pointer, so a request
 * never sees half of an old policy and half of a new one. Reloads are
 * serialised by their own lock, so the last one to finish is the
 * freshest read of the record. A record that is gone installs the
 * purged state, a record that does not parse or cannot be read for a
 * reason that will not pass by itself (a token that does not open) the
 * closed state: both refuse every request, the daemon never falls back
 * to open. Only a busy database or an I/O error keeps the policy in
 * force, since the record itself may well be fine.
 */
#include "hyptokensd.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyp-log.h"

struct hyp_config	 daemon_config;
struct store		*daemon_store;

static pthread_mutex_t	 state_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t	 state_reload_lock = PTHREAD_MUTEX_INITIALIZER;
static struct state_policy *state_current;
static struct state_catalog *state_cat;
static _Atomic int64_t	 state_trans;

static void
state_catalog_release(struct state_catalog *sc)
{
	if (sc == NULL)
		return;
	if (atomic_fetch_sub_explicit(&sc->refs, 1,
	    memory_order_acq_rel) != 1)
		return;
	policy_catalog_free(sc->cat);
	free(sc);
}

static struct state_catalog *
state_catalog_ref(void)
{
	struct state_catalog	*sc;

	pthread_mutex_lock(&state_lock);
	sc = state_cat;
	if (sc != NULL)
		atomic_fetch_add_explicit(&sc->refs, 1,
		    memory_order_relaxed);
	pthread_mutex_unlock(&state_lock);
	return sc;
}

static void
state_policy_free(struct state_policy *p)
{
	if (p->kind == STATE_SERVING)
		policy_effective_clear(&p->eff);
	record_clear(&p->rec);
	state_catalog_release(p->cat);
	free(p);
}

/* Swap in p as the policy in force; the old one goes when unused. */
static void
state_swap(struct state_policy *p)
{
	struct state_policy	*old;

	pthread_mutex_lock(&state_lock);
	old = state_current;
	state_current = p;
	pthread_mutex_unlock(&state_lock);
	if (old != NULL)
		state_release(old);
}

static struct state_policy *
state_policy_new(enum state_kind kind, const char *why)
{
	struct state_policy	*p;

	p = xcalloc(1, sizeof *p);
	p->refs = 1;
	p->kind = kind;
	hyp_strlcpy(p->why, why != NULL ? why : "", sizeof p->why);
	p->cat = state_catalog_ref();
	return p;
}

void
state_init(struct policy_catalog *cat)
{
	state_cat = xcalloc(1, sizeof *state_cat);
	state_cat->refs = 1;
	state_cat->cat = cat;
	state_swap(state_policy_new(STATE_PURGED, "no record loaded yet"));
}

void
state_free(void)
{
	struct state_catalog	*sc;

	state_swap(NULL);
	pthread_mutex_lock(&state_lock);
	sc = state_cat;
	state_cat = NULL;
	pthread_mutex_unlock(&state_lock);
	state_catalog_release(sc);
}

void
state_set_catalog(struct policy_catalog *cat)
{
	struct state_catalog	*sc, *old;

	sc = xcalloc(1, sizeof *sc);
	sc->refs = 1;
	sc->cat = cat;
	pthread_mutex_lock(&state_lock);
	old = state_cat;
	state_cat = sc;
	pthread_mutex_unlock(&state_lock);
	state_catalog_release(old);
}

/* Build the snapshot for rec (taken over) and put it in force. */
static int
state_build(struct hyp_record *rec, struct hyp_error *err)
{
	struct state_policy	*p;
	struct hyp_error	 perr;

	p = state_policy_new(STATE_SERVING, NULL);
	p->rec = *rec;
	memset(rec, 0, sizeof *rec);
	p->version = p->rec.version;
	hyp_error_clear(&perr);
	if (p->cat == NULL || policy_effective_init(&p->eff, &p->rec,
	    p->cat->cat, &perr) == -1) {
		p->kind = STATE_CLOSED;
		snprintf(p->why, sizeof p->why, "stored policy refused: %s",
		    p->cat == NULL ? "no catalogue" : perr.msg);
		log_warnx("%s: record %s version %lld fails closed: %s",
		    __func__, p->rec.domain, (long long)p->version, p->why);
		hyp_error_set(err, HYP_E_INVALID, "%s", p->why);
		state_swap(p);
		return -1;
	}
	state_swap(p);
	return 0;
}

void
state_install(enum state_kind kind, struct hyp_record *rec, const char *why)
{
	struct state_policy	*p;

	if (kind == STATE_SERVING) {
		state_build(rec, NULL);
		return;
	}
	p = state_policy_new(kind, why);
	if (rec != NULL) {
		p->rec = *rec;
		memset(rec, 0, sizeof *rec);
		p->version = p->rec.version;
	}
	state_swap(p);
}

/*
 * A failure to read the record that may pass by itself: a busy database
 * or an I/O error. The policy in force stays; anything else (a token
 * that does not open with the key, a value that does not parse) is the
 * record's own fault and fails closed.
 */
static int
state_is_transient(enum hyp_errcode code)
{
	return code == HYP_E_BUSY || code == HYP_E_IO || code == HYP_E_FULL;
}

/*
 * The record is there but cannot be read: refuse everything until it
 * reads again. The closed state keeps the stored version, so that the
 * keep-alive tries again once the record changes (regenerate mends
 * tokens that do not open), not at every interval.
 */
static void
state_close_unreadable(struct store *st, const char *why,
    const struct hyp_error *lerr, struct hyp_error *err)
{
	struct state_policy	*p;
	struct hyp_error	 verr;

	p = state_policy_new(STATE_CLOSED, NULL);
	snprintf(p->why, sizeof p->why, "stored record unreadable: %s",
	    lerr->msg);
	hyp_error_clear(&verr);
	p->version = store_version(st, daemon_config.domain, &verr);
	log_warnx("%s (%s): record %s fails closed: %s", __func__, why,
	    daemon_config.domain, p->why);
	hyp_error_set(err, lerr->code, "%s", p->why);
	state_swap(p);
}

int
state_reload(struct store *st, const char *why, int64_t *version,
    struct hyp_error *err)
{
	struct hyp_record	 rec;
	struct hyp_error	 lerr;
	struct state_policy	*p;
	int			 rc = -1;

	memset(&rec, 0, sizeof rec);
	hyp_error_clear(&lerr);
	pthread_mutex_lock(&state_reload_lock);
	if (store_load(st, daemon_config.domain, 1, &rec, &lerr) == -1) {
		if (lerr.code == HYP_E_NOTFOUND) {
			state_purge("no record for this domain", -1);
			log_warnx("%s (%s): no record for %s: refusing every "
			    "request", __func__, why, daemon_config.domain);
			hyp_error_set(err, HYP_E_NOTFOUND,
			    "no record for %s: refusing every request",
			    daemon_config.domain);
		} else if (state_is_transient(lerr.code)) {
			log_warnx("%s (%s): cannot read the record, keeping "
			    "the policy in force: %s", __func__, why,
			    lerr.msg);
			hyp_error_set(err, lerr.code, "%s", lerr.msg);
		} else
			state_close_unreadable(st, why, &lerr, err);
		record_clear(&rec);
		goto out;
	}
	if (rec.invalid[0] != '\0') {
		p = state_policy_new(STATE_CLOSED, NULL);
		snprintf(p->why, sizeof p->why, "stored record refused: %s",
		    rec.invalid);
		p->rec = rec;
		p->version = rec.version;
		log_warnx("%s (%s): record %s fails closed: %s", __func__, why,
		    daemon_config.domain, p->why);
		hyp_error_set(err, HYP_E_INVALID, "%s", p->why);
		state_swap(p);
		goto out;
	}
	if (state_build(&rec, err) == 0)
		rc = 0;
out:
	p = state_acquire();
	if (version != NULL)
		*version = p->version;
	if (rc == 0)
		log_debug("%s (%s): version %lld in force", __func__, why,
		    (long long)p->version);
	state_release(p);
	pthread_mutex_unlock(&state_reload_lock);
	return rc;
}

void
state_purge(const char *why, int64_t version)
{
	struct state_policy	*p;

	p = state_policy_new(STATE_PURGED, why);
	p->version = version;
	state_swap(p);
}

struct state_policy *
state_acquire(void)
{
	struct state_policy	*p;

	pthread_mutex_lock(&state_lock);
	p = state_current;
	atomic_fetch_add_explicit(&p->refs, 1,
	    memory_order_relaxed);
	pthread_mutex_unlock(&state_lock);
	return p;
}

void
state_release(struct state_policy *p)
{
	if (p == NULL)
		return;
	if (atomic_fetch_sub_explicit(&p->refs, 1,
	    memory_order_acq_rel) == 1)
		state_policy_free(p);
}

void
state_note_trans(int64_t now)
{
	atomic_store_explicit(&state_trans, now, memory_order_relaxed);
}

int64_t
state_last_trans(void)
{
	return atomic_load_explicit(&state_trans, memory_order_relaxed);
}

const char *
state_kind_name(enum state_kind kind)
{
	switch (kind) {
	case STATE_SERVING:
		return "serving";
	case STATE_CLOSED:
		return "closed";
	case STATE_PURGED:
		return "purged";
	}
	return "?";
}
