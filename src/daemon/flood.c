/*
 * flood.c: requests per client address in any 60 seconds.
 *
 * Each address keeps one counter per second of the last 60 (time has a
 * resolution of one second here), so the count over any 60-second span
 * is exact: a request that would make it N + 1 is refused and starts a
 * block. Requests during a block are refused without being counted, so
 * they never extend it; when it ends the address starts from zero.
 *
 * Memory is bounded: at most `cap` addresses are tracked. uthash finds
 * an address; a list keeps them least recently seen first (an entry
 * moves to the tail on each request), so stale ones are dropped as new
 * ones come and, under a flood of distinct addresses, the least recently
 * seen is evicted. One lock guards both; the work under it is constant.
 */
#include "hyptokensd.h"

#include <sys/queue.h>

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define uthash_malloc(sz)	xmalloc(sz)
#include <uthash.h>

#define FLOOD_SWEEP	16	/* stale entries dropped per new address */

struct flood_entry {
	unsigned int	 addr;
	uint32_t	 sum;		/* requests in the window */
	int64_t		 last;		/* newest second counted */
	int64_t		 blocked_until;	/* 0 when not blocked */
	uint16_t	 counts[DAEMON_FLOOD_WINDOW];
	UT_hash_handle	 hh;
	TAILQ_ENTRY(flood_entry) lru;
};

struct flood_table {
	pthread_mutex_t	 lock;
	struct flood_entry *hash;
	TAILQ_HEAD(, flood_entry) lru;	/* least recently seen first */
	size_t		 n;
	size_t		 cap;
};

struct flood_table *
flood_new(size_t cap)
{
	struct flood_table	*t;

	t = xcalloc(1, sizeof *t);
	pthread_mutex_init(&t->lock, NULL);
	TAILQ_INIT(&t->lru);
	t->cap = cap > 0 ? cap : 1;
	return t;
}

void
flood_free(struct flood_table *t)
{
	struct flood_entry	*e;

	if (t == NULL)
		return;
	HASH_CLEAR(hh, t->hash);
	while ((e = TAILQ_FIRST(&t->lru)) != NULL) {
		TAILQ_REMOVE(&t->lru, e, lru);
		free(e);
	}
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static void
flood_remove(struct flood_table *t, struct flood_entry *e)
{
	HASH_DEL(t->hash, e);
	TAILQ_REMOVE(&t->lru, e, lru);
	free(e);
	t->n--;
}

/* Drop a few entries that no longer count anything, oldest first. */
static void
flood_sweep(struct flood_table *t, int64_t now)
{
	struct flood_entry	*e;
	int			 i;

	for (i = 0; i < FLOOD_SWEEP && (e = TAILQ_FIRST(&t->lru)) != NULL;
	    i++) {
		if (now - e->last < DAEMON_FLOOD_WINDOW ||
		    e->blocked_until > now)
			break;
		flood_remove(t, e);
	}
}

static void
flood_clear(struct flood_entry *e, int64_t now)
{
	memset(e->counts, 0, sizeof e->counts);
	e->sum = 0;
	e->last = now;
}

/* Forget the seconds that left the window between e->last and now. */
static void
flood_advance(struct flood_entry *e, int64_t now)
{
	int64_t	 s;
	int	 i;

	if (now <= e->last)
		return;
	if (now - e->last >= DAEMON_FLOOD_WINDOW) {
		flood_clear(e, now);
		return;
	}
	for (s = e->last + 1; s <= now; s++) {
		i = (int)(s % DAEMON_FLOOD_WINDOW);
		e->sum -= e->counts[i];
		e->counts[i] = 0;
	}
	e->last = now;
}

/* The entry for addr, created (evicting if full) and moved to the tail. */
static struct flood_entry *
flood_get(struct flood_table *t, unsigned int addr, int64_t now)
{
	struct flood_entry	*e;

	HASH_FIND(hh, t->hash, &addr, sizeof addr, e);
	if (e != NULL) {
		if (TAILQ_NEXT(e, lru) != NULL) {
			TAILQ_REMOVE(&t->lru, e, lru);
			TAILQ_INSERT_TAIL(&t->lru, e, lru);
		}
		return e;
	}
	flood_sweep(t, now);
	if (t->n >= t->cap)
		flood_remove(t, TAILQ_FIRST(&t->lru));
	e = xcalloc(1, sizeof *e);
	e->addr = addr;
	e->last = now;
	HASH_ADD(hh, t->hash, addr, sizeof e->addr, e);
	TAILQ_INSERT_TAIL(&t->lru, e, lru);
	t->n++;
	return e;
}

int
flood_check(struct flood_table *t, unsigned int addr, int limit,
    int block_seconds, int64_t now, int *retry_after)
{
	struct flood_entry	*e;
	int			 i, refused = 0;

	pthread_mutex_lock(&t->lock);
	e = flood_get(t, addr, now);
	if (e->blocked_until > now) {
		*retry_after = (int)(e->blocked_until - now);
		refused = 1;
		goto out;
	}
	if (e->blocked_until != 0) {
		e->blocked_until = 0;
		flood_clear(e, now);
	}
	if (now < e->last)
		now = e->last;	/* the clock stepped back: same second */
	flood_advance(e, now);
	i = (int)(now % DAEMON_FLOOD_WINDOW);
	if ((int64_t)e->sum + 1 > limit || e->counts[i] == UINT16_MAX) {
		e->blocked_until = now + block_seconds;
		flood_clear(e, now);
		*retry_after = block_seconds;
		refused = 2;
		goto out;
	}
	e->counts[i]++;
	e->sum++;
out:
	pthread_mutex_unlock(&t->lock);
	if (refused && *retry_after < 1)
		*retry_after = 1;
	return refused;
}

size_t
flood_count(struct flood_table *t)
{
	size_t	 n;

	pthread_mutex_lock(&t->lock);
	n = t->n;
	pthread_mutex_unlock(&t->lock);
	return n;
}
