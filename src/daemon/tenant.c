/*
 * tenant.c: tenant sessions held in memory (SPEC section 8, step 6).
 *
 * A session is keyed by the tenant id the proxy passes and lives while
 * it is used: one idle longer than the session timeout is dropped. At
 * most Max Tenants sessions are live; a new tenant beyond that is
 * refused with the time until the oldest session idles out. Sessions
 * are kept least recently used first (uthash's insertion list, moved to
 * the tail on use), so expiry and the wait are read off the head.
 */
#include "hyptokensd.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define uthash_malloc(sz)	xmalloc(sz)
#include <uthash.h>

struct tenant_entry {
	char		 id[DAEMON_TENANT_ID_MAX + 1];
	int64_t		 last;
	UT_hash_handle	 hh;
};

struct tenant_table {
	pthread_mutex_t	 lock;
	struct tenant_entry *head;	/* least recently used first */
	size_t		 n;
};

struct tenant_table *
tenant_new(void)
{
	struct tenant_table	*t;

	t = xcalloc(1, sizeof *t);
	pthread_mutex_init(&t->lock, NULL);
	return t;
}

void
tenant_free(struct tenant_table *t)
{
	struct tenant_entry	*e, *tmp;

	if (t == NULL)
		return;
	HASH_ITER(hh, t->head, e, tmp) {
		HASH_DEL(t->head, e);
		free(e);
	}
	pthread_mutex_destroy(&t->lock);
	free(t);
}

/* Drop every session idle longer than timeout; they sit at the head. */
static void
tenant_expire(struct tenant_table *t, int timeout, int64_t now)
{
	struct tenant_entry	*e;

	while ((e = t->head) != NULL && now - e->last > timeout) {
		HASH_DEL(t->head, e);
		free(e);
		t->n--;
	}
}

int
tenant_enter(struct tenant_table *t, const char *id, int max, int timeout,
    int64_t now, int *retry_after)
{
	struct tenant_entry	*e;
	size_t			 len = strlen(id);
	int			 refused = 0;

	if (len > DAEMON_TENANT_ID_MAX)
		len = DAEMON_TENANT_ID_MAX;
	pthread_mutex_lock(&t->lock);
	tenant_expire(t, timeout, now);
	HASH_FIND(hh, t->head, id, len, e);
	if (e != NULL) {
		if (now > e->last)
			e->last = now;
		if (e->hh.next != NULL) {
			HASH_DEL(t->head, e);
			HASH_ADD_KEYPTR(hh, t->head, e->id, len, e);
		}
		goto out;
	}
	if (max < 1 || t->n >= (size_t)max) {
		/* The oldest session idles out after timeout + 1 s. */
		*retry_after = t->head == NULL ? 1 :
		    (int)(t->head->last + timeout + 1 - now);
		if (*retry_after < 1)
			*retry_after = 1;
		refused = 1;
		goto out;
	}
	e = xcalloc(1, sizeof *e);
	memcpy(e->id, id, len);
	e->id[len] = '\0';
	e->last = now;
	HASH_ADD_KEYPTR(hh, t->head, e->id, len, e);
	t->n++;
out:
	pthread_mutex_unlock(&t->lock);
	return refused;
}

size_t
tenant_count(struct tenant_table *t)
{
	size_t	 n;

	pthread_mutex_lock(&t->lock);
	n = t->n;
	pthread_mutex_unlock(&t->lock);
	return n;
}
