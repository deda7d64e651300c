/*
 * http.c: the HTTP side, on libevent's evhttp.
 *
 * Max Threads workers each run their own event loop and evhttp on a
 * duplicate of one listening socket, so whichever worker is free takes
 * the next connection and a request is answered on the thread that read
 * it. Connections are not counted: a proxy's idle keep-alive pool costs
 * nothing. Requests in progress are: each worker serves one and may hold
 * one more waiting, so past 2 x Max Threads a request is answered 503 at
 * once instead of queueing. RefreshToken waits on the database, so its
 * store work runs on the store thread (refresh.c) and the answer comes
 * back to the worker through an eventfd; every other answer is made
 * inline. RefreshToken calls take none of those slots: the store
 * thread's queue has its own bound, so that refreshes waiting on a
 * locked database never leave /auth without room.
 *
 * Sub-request answers (/auth) use only the codes nginx's auth_request
 * passes on: 2xx, 401 and 403. The status SPEC section 8 gives a refusal
 * (429 for a flood, 503 for tenant sessions) travels in X-Hyp-Status
 * with Retry-After, and the shipped nginx configuration turns it into
 * the real status. Secrets in requests and replies are wiped once used.
 */
#include "hyptokensd.h"

#include <sys/eventfd.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <jansson.h>

#include "hyp-log.h"
#include "hyp-time.h"
#include "hyp-token.h"

#define HTTP_BACKLOG		511
#define HTTP_HEADERS_MAX	16384
#define HTTP_BODY_MAX		4096
#define HTTP_IDLE_SECONDS	75
#define HTTP_LOG_PER_SECOND	20
#define HTTP_PAUSE_MS		250	/* accept paused, out of descriptors */
#define HTTP_SCARCE_IDLE	5	/* idle seconds while they are scarce */
#define HTTP_SCARCE_SECONDS	60	/* scarce since the last shortage */

struct http_worker {
	int			 id;
	pthread_t		 thread;
	int			 started;
	struct event_base	*base;
	struct evhttp		*http;
	int			 efd;		/* wakes the loop */
	struct event		*wake;
	pthread_mutex_t		 lock;
	struct refresh_job	*done;		/* answered by the loop */
	_Atomic int		 stop;
	struct evconnlistener	*listener;	/* owned by http */
	struct event		*resume;	/* after a failed accept */
	int			 paused;
	int64_t			 scarce_until;	/* short idle timeout till */
};

static struct http_worker	*http_workers;
static int			 http_nworkers;
static _Atomic int		 http_busy;
static int			 http_limit;
static int			 http_lfd = -1;	/* bound, not yet handed out */
static _Atomic int64_t		 http_scarce_logged;

/* Log rate limit for refusals (STYLE B.7). */
static _Atomic int64_t		 http_log_second;
static _Atomic int		 http_log_count;
static _Atomic int		 http_log_dropped;

int
http_inflight(void)
{
	return atomic_load_explicit(&http_busy, memory_order_relaxed);
}

/* jansson allocations are wiped when freed: replies may hold tokens. */
static void *
http_json_malloc(size_t n)
{
	return malloc(n);
}

static void
http_json_free(void *p)
{
	if (p == NULL)
		return;
	token_wipe(p, malloc_usable_size(p));
	free(p);
}

static void
http_body_cleanup(const void *data, size_t len, void *arg)
{
	http_json_free(arg);
}

/* Send obj (taken over) as the JSON body of a reply with code. */
static void
http_send_json(struct evhttp_request *req, int code, const char *reason,
    json_t *obj)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	struct evbuffer		*body;
	char			*text;

	text = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	evhttp_add_header(out, "Content-Type", "application/json");
	evhttp_add_header(out, "Cache-Control", "no-store");
	if (text == NULL) {
		evhttp_send_reply(req, code, reason, NULL);
		return;
	}
	body = evbuffer_new();
	if (body == NULL || evbuffer_add_reference(body, text, strlen(text),
	    http_body_cleanup, text) == -1) {
		http_json_free(text);
		if (body != NULL)
			evbuffer_free(body);
		evhttp_send_reply(req, 500, "Internal Server Error", NULL);
		return;
	}
	evhttp_send_reply(req, code, reason, body);
	evbuffer_free(body);
}

static json_t *
http_hyper(int code, const char *message)
{
	return json_pack("{s:i, s:s}", "ResponseCode", code, "ResponseMsgEng",
	    message);
}

static const char *
http_reason(int code)
{
	switch (code) {
	case 200:
		return "OK";
	case 204:
		return "No Content";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 429:
		return "Too Many Requests";
	case 503:
		return "Service Unavailable";
	}
	return "Error";
}

static void
http_send_hyper(struct evhttp_request *req, int code, const char *message)
{
	http_send_json(req, code, http_reason(code), http_hyper(code, message));
}

static void
http_add_retry(struct evhttp_request *req, int seconds)
{
	char	 buf[16];

	snprintf(buf, sizeof buf, "%d", seconds < 1 ? 1 : seconds);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Retry-After", buf);
}

static void
http_add_bearer(struct evhttp_request *req, const char *description)
{
	char	 buf[256];

	snprintf(buf, sizeof buf, "Bearer realm=\"%s\", "
	    "error=\"invalid_token\", error_description=\"%s\"",
	    DAEMON_REALM, description);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "WWW-Authenticate", buf);
}

/*
 * Pick the headers a check reads out of the request in one pass. A
 * header sent twice is ambiguous: its value becomes "", which every
 * check refuses, and ai->twice says which it was, so that the refusal
 * names it. *auth_kv (may be NULL) gets the Authorization entry so that
 * its credential can be wiped after use.
 */
static void
http_headers(struct evkeyvalq *in, struct auth_input *ai,
    struct evkeyval **auth_kv)
{
	struct evkeyval	*kv;
	const char	**slot, *twice;

	if (auth_kv != NULL)
		*auth_kv = NULL;
	TAILQ_FOREACH(kv, in, next) {
		if (strcasecmp(kv->key, "Authorization") == 0) {
			slot = &ai->authorization;
			twice = "The Authorization header was sent more "
			    "than once";
			if (auth_kv != NULL && *auth_kv == NULL)
				*auth_kv = kv;
		} else if (strcasecmp(kv->key, "X-Real-IP") == 0) {
			slot = &ai->real_ip;
			twice = "The X-Real-IP header was sent more than once";
		} else if (strcasecmp(kv->key, "X-Original-URI") == 0) {
			slot = &ai->uri;
			twice = "The X-Original-URI header was sent more than "
			    "once";
		} else if (strcasecmp(kv->key, "X-Original-Method") == 0) {
			slot = &ai->method;
			twice = "The X-Original-Method header was sent more "
			    "than once";
		} else if (strcasecmp(kv->key,
		    daemon_config.tenant_header) == 0) {
			slot = &ai->tenant;
			twice = "The tenant header was sent more than once";
		} else
			continue;
		if (*slot != NULL && ai->twice == NULL)
			ai->twice = twice;
		*slot = *slot == NULL ? kv->value : "";
	}
}

/* Wipe the credential of every Authorization header from first on. */
static void
http_header_wipe(struct evkeyvalq *in, struct evkeyval *first)
{
	struct evkeyval	*kv;

	if (first == NULL)
		return;
	for (kv = first; kv != NULL; kv = TAILQ_NEXT(kv, next)) {
		if (strcasecmp(kv->key, "Authorization") == 0)
			token_wipe(kv->value, strlen(kv->value));
	}
}

static int
http_peer(struct evhttp_request *req, unsigned int *addr)
{
	struct evhttp_connection	*evcon;
	const struct sockaddr		*sa;
	const struct sockaddr_in	*sin;

	evcon = evhttp_request_get_connection(req);
	if (evcon == NULL ||
	    (sa = evhttp_connection_get_addr(evcon)) == NULL ||
	    sa->sa_family != AF_INET)
		return -1;
	sin = (const struct sockaddr_in *)(const void *)sa;
	*addr = ntohl(sin->sin_addr.s_addr);
	return 0;
}

static const char *
http_addr_text(unsigned int addr, char *buf, size_t len)
{
	struct in_addr	 in;

	in.s_addr = htonl(addr);
	if (inet_ntop(AF_INET, &in, buf, (socklen_t)len) == NULL)
		hyp_strlcpy(buf, "?", len);
	return buf;
}

/* At most HTTP_LOG_PER_SECOND refusal lines a second at info level. */
static int
http_log_allowed(int64_t now)
{
	int64_t	 second;
	int	 dropped;

	second = atomic_load(&http_log_second);
	if (second != now &&
	    atomic_compare_exchange_strong(&http_log_second, &second, now)) {
		atomic_store(&http_log_count, 0);
		dropped = atomic_exchange(&http_log_dropped, 0);
		if (dropped > 0)
			log_info("%d refusal lines not logged in the last "
			    "second", dropped);
	}
	if (atomic_fetch_add(&http_log_count, 1) < HTTP_LOG_PER_SECOND)
		return 1;
	atomic_fetch_add(&http_log_dropped, 1);
	return 0;
}

static void
http_log_refusal(const struct auth_result *res, int64_t now)
{
	char	 addr[INET_ADDRSTRLEN], fn[80], method[16], line[512];
	int	 info;

	info = res->metric == M_REFUSED_BEARER_MALFORMED ||
	    res->metric == M_REFUSED_BEARER_UNKNOWN ||
	    res->metric == M_REFUSED_BEARER_EXPIRED ||
	    res->metric == M_REFUSED_CLOSED ||
	    res->metric == M_REFRESH_REFUSED || res->block_started;
	if (!info && log_get_level() < LOG_LEVEL_DEBUG)
		return;
	if (info && !http_log_allowed(now))
		return;
	if (res->client_known)
		http_addr_text(res->client, addr, sizeof addr);
	else
		hyp_strlcpy(addr, "?", sizeof addr);
	canon_loggable(res->function, fn, sizeof fn);
	/* The method as sent may carry anything: only a known name shows. */
	hyp_strlcpy(method, canon_method_name(res->method), sizeof method);
	snprintf(line, sizeof line, "refused (%s) client %s %s %s: %s%s%s%s",
	    res->reason, addr, method, fn[0] != '\0' ? fn : "-",
	    res->message, res->fingerprint[0] != '\0' ?
	    " (token fingerprint " : "", res->fingerprint,
	    res->fingerprint[0] != '\0' ? ")" : "");
	if (info)
		log_info("%s", line);
	else
		log_debug("%s", line);
}

/* Answer a refused sub-request in the codes auth_request passes on. */
static void
http_auth_refuse(struct evhttp_request *req, const struct auth_result *res)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	char			 status[8];
	int			 wire;

	wire = res->status == 401 ? 401 : 403;
	snprintf(status, sizeof status, "%d", res->status);
	evhttp_add_header(out, "X-Hyp-Status", status);
	evhttp_add_header(out, "X-Hyp-Reason", res->reason);
	evhttp_add_header(out, "X-Hyp-Message", res->message);
	if (res->status == 429 || res->status == 503)
		http_add_retry(req, res->retry_after);
	if (res->status == 401)
		http_add_bearer(req, res->bearer_error);
	http_send_json(req, wire, http_reason(wire),
	    http_hyper(res->status, res->message));
}

static void
http_auth(struct evhttp_request *req)
{
	struct evkeyvalq	*in = evhttp_request_get_input_headers(req);
	struct evkeyval		*auth_kv;
	struct auth_input	 ai;
	struct auth_result	 res;
	struct state_policy	*p;
	int64_t			 now = time_now();

	memset(&ai, 0, sizeof ai);
	ai.peer_is_ipv4 = http_peer(req, &ai.peer) == 0;
	http_headers(in, &ai, &auth_kv);

	p = state_acquire();
	auth_check(&daemon_config, p, &ai, now, &res);
	state_release(p);
	http_header_wipe(in, auth_kv);

	metrics_add(res.metric);
	if (res.outcome == AUTH_ALLOWED) {
		evhttp_send_reply(req, 204, "No Content", NULL);
		return;
	}
	http_log_refusal(&res, now);
	http_auth_refuse(req, &res);
}

/* Store thread: hand the finished job back to its worker. */
static void
http_refresh_done(struct refresh_job *job)
{
	struct http_worker	*w = job->worker;
	uint64_t		 one = 1;

	pthread_mutex_lock(&w->lock);
	job->next = w->done;
	w->done = job;
	pthread_mutex_unlock(&w->lock);
	if (write(w->efd, &one, sizeof one) == -1 && errno != EAGAIN)
		log_warn("%s: eventfd", __func__);
}

static void
http_refresh_answer(struct refresh_job *job)
{
	struct evhttp_request	*req = job->req;
	json_t			*obj;
	char			 until[HYP_TIME_TEXT];
	int64_t			 left;

	if (job->failed) {
		metrics_add(M_REFRESH_ERROR);
		http_add_retry(req, 1);
		http_send_hyper(req, 503, "The tokens cannot be refreshed now");
		return;
	}
	switch (job->result) {
	case STORE_REFRESH_ROTATED:
	case STORE_REFRESH_CURRENT:
		metrics_add(job->result == STORE_REFRESH_ROTATED ?
		    M_REFRESH_ROTATED : M_REFRESH_CURRENT);
		left = job->until - time_now();
		obj = json_pack("{s:i, s:s, s:s, s:s, s:I}", "ResponseCode",
		    200, "ResponseMsgEng", "Tokens refreshed", "AccessToken",
		    job->access != NULL ? job->access : "",
		    "AccessTokenExpiresUTC", time_format(job->until, until),
		    "ExpiresIn", (json_int_t)(left > 0 ? left : 0));
		if (obj != NULL && job->mode == REFRESH_ROTATE &&
		    job->refresh != NULL)
			json_object_set_new(obj, "RefreshToken",
			    json_string(job->refresh));
		http_send_json(req, 200, "OK", obj);
		return;
	case STORE_REFRESH_REFUSED:
	case STORE_REFRESH_REPLAYED:
		metrics_add(job->result == STORE_REFRESH_REFUSED ?
		    M_REFRESH_REFUSED : M_REFRESH_REPLAYED);
		http_add_bearer(req, "the refresh token is not valid");
		http_send_hyper(req, 401, "The refresh token is not valid");
		return;
	}
}

/* Worker loop: answer finished refreshes, or stop. */
static void
http_wake(evutil_socket_t fd, short events, void *arg)
{
	struct http_worker	*w = arg;
	struct refresh_job	*job, *next;
	uint64_t		 n;

	if (read(fd, &n, sizeof n) == -1 && errno != EAGAIN)
		log_warn("%s: eventfd", __func__);
	if (atomic_load(&w->stop)) {
		event_base_loopbreak(w->base);
		return;
	}
	pthread_mutex_lock(&w->lock);
	job = w->done;
	w->done = NULL;
	pthread_mutex_unlock(&w->lock);
	for (; job != NULL; job = next) {
		next = job->next;
		http_refresh_answer(job);
		refresh_job_free(job);
	}
}

/* POST /RefreshToken. Returns 1 when the answer will come later. */
static int
http_refresh(struct evhttp_request *req, struct http_worker *w)
{
	struct evkeyvalq	*in = evhttp_request_get_input_headers(req);
	struct evkeyval		*auth_kv;
	struct auth_input	 ai;
	struct auth_result	 res;
	struct state_policy	*p;
	struct refresh_job	*job;
	const char		*tok;
	size_t			 len;
	int64_t			 now = time_now();
	int			 nobearer;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "POST");
		http_send_hyper(req, 405, "RefreshToken takes POST");
		return 0;
	}
	memset(&ai, 0, sizeof ai);
	ai.peer_is_ipv4 = http_peer(req, &ai.peer) == 0;
	http_headers(in, &ai, &auth_kv);
	p = state_acquire();
	auth_check_caller(&daemon_config, p, &ai, now, &res);
	state_release(p);
	if (res.outcome != AUTH_ALLOWED) {
		metrics_add(res.metric);
		http_log_refusal(&res, now);
		if (res.status == 429)
			http_add_retry(req, res.retry_after);
		http_header_wipe(in, auth_kv);
		http_send_hyper(req, res.status, res.message);
		return 0;
	}
	nobearer = canon_bearer(ai.authorization, &tok, &len) == -1;
	if (nobearer || !token_is_wellformed(tok, len, TOKEN_REFRESH)) {
		/* A failed authentication: logged, by fingerprint only. */
		res.metric = M_REFRESH_REFUSED;
		res.reason = "refresh";
		res.message = "no well-formed refresh token was sent";
		if (!nobearer)
			token_fingerprint(tok, len, res.fingerprint);
		http_log_refusal(&res, now);
		http_header_wipe(in, auth_kv);
		metrics_add(M_REFRESH_REFUSED);
		http_add_bearer(req, "no well-formed refresh token was sent");
		http_send_hyper(req, 401, "The refresh token is not valid");
		return 0;
	}
	job = xcalloc(1, sizeof *job);
	job->token = token_alloc();
	memcpy(job->token, tok, len);
	job->len = len;
	job->client = res.client;
	job->done = http_refresh_done;
	job->worker = w;
	job->req = req;
	http_header_wipe(in, auth_kv);
	if (refresh_submit(job) == -1) {
		/* Enough refreshes wait already: refuse, do not queue. */
		refresh_job_free(job);
		metrics_add(M_REFUSED_BUSY);
		http_add_retry(req, 1);
		http_send_hyper(req, 503,
		    "Too many token refreshes are waiting: retry shortly");
		return 0;
	}
	return 1;
}

static int
http_is_loopback(struct evhttp_request *req)
{
	unsigned int	 addr;

	return http_peer(req, &addr) == 0 && (addr >> 24) == 127;
}

static void
http_metrics(struct evhttp_request *req)
{
	struct evbuffer	*body;
	char		*text;

	if (!http_is_loopback(req)) {
		http_send_hyper(req, 403, "Metrics are for loopback peers");
		return;
	}
	text = metrics_format();
	body = evbuffer_new();
	if (body != NULL)
		evbuffer_add(body, text, strlen(text));
	free(text);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; version=0.0.4");
	evhttp_send_reply(req, 200, "OK", body);
	if (body != NULL)
		evbuffer_free(body);
}

/* Over the in-progress bound: refuse at once, in the endpoint's codes. */
static void
http_busy_refuse(struct evhttp_request *req, int is_auth)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	const char		*msg = "The service is busy: retry shortly";

	metrics_add(M_REFUSED_BUSY);
	http_add_retry(req, 1);
	if (!is_auth) {
		http_send_hyper(req, 503, msg);
		return;
	}
	evhttp_add_header(out, "X-Hyp-Status", "503");
	evhttp_add_header(out, "X-Hyp-Reason", "busy");
	evhttp_add_header(out, "X-Hyp-Message", msg);
	http_send_json(req, 403, http_reason(403), http_hyper(503, msg));
}

static void
http_dispatch(struct evhttp_request *req, void *arg)
{
	struct http_worker	*w = arg;
	struct evkeyvalq	*in;
	const char		*uri = evhttp_request_get_uri(req);
	char			 path[32];
	size_t			 len;
	int			 is_auth;

	len = strcspn(uri, "?");
	if (len >= sizeof path)
		len = sizeof path - 1;
	memcpy(path, uri, len);
	path[len] = '\0';

	if (strcmp(path, "/alive_check") == 0) {
		metrics_add(M_ALIVE);
		http_send_hyper(req, 200, "Alive");
		return;
	}
	if (strcmp(path, "/RefreshToken") == 0) {
		/* Bounded by the store thread's queue, not by these slots. */
		http_refresh(req, w);
		return;
	}
	is_auth = strcmp(path, "/auth") == 0;
	if (atomic_fetch_add(&http_busy, 1) >= http_limit) {
		atomic_fetch_sub(&http_busy, 1);
		in = evhttp_request_get_input_headers(req);
		http_header_wipe(in, TAILQ_FIRST(in));
		http_busy_refuse(req, is_auth);
		return;
	}
	if (is_auth)
		http_auth(req);
	else if (strcmp(path, "/metrics") == 0)
		http_metrics(req);
	else {
		metrics_add(M_NOT_FOUND);
		http_send_hyper(req, 404, "No such endpoint");
	}
	atomic_fetch_sub(&http_busy, 1);
}

static void *
http_worker_main(void *arg)
{
	struct http_worker	*w = arg;

	event_base_dispatch(w->base);
	return NULL;
}

static int
http_listen(struct hyp_error *err)
{
	struct sockaddr_in	 sin;
	int			 fd, one = 1;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)daemon_config.listen_port);
	if (inet_pton(AF_INET, daemon_config.listen_host,
	    &sin.sin_addr) != 1)
		return hyp_error_set(err, HYP_E_CONFIG,
		    "listen address %s is not an IPv4 address",
		    daemon_config.listen_host);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return hyp_error_set(err, HYP_E_IO, "socket: %s",
		    strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(fd, HTTP_BACKLOG) == -1) {
		hyp_error_set(err, HYP_E_IO, "cannot listen on %s:%d: %s",
		    daemon_config.listen_host, daemon_config.listen_port,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Bind the listener ahead of the start proper (see hyptokensd.c). */
int
http_bind(struct hyp_error *err)
{
	if (http_lfd == -1 && (http_lfd = http_listen(err)) == -1)
		return -1;
	return 0;
}

/*
 * accept() failed, mostly for want of descriptors. libevent would try
 * again at once, as the pending connection keeps the listener readable:
 * a busy loop. So this worker stops accepting and looks again in
 * HTTP_PAUSE_MS, and for HTTP_SCARCE_SECONDS the connections it accepts
 * idle out after HTTP_SCARCE_IDLE seconds instead of HTTP_IDLE_SECONDS,
 * so that descriptors come back. One line a minute at most, however
 * many workers pause how often.
 */
static void
http_accept_error(struct evconnlistener *lev, void *arg)
{
	struct http_worker	*w = NULL;
	struct timeval		 tv = { 0, HTTP_PAUSE_MS * 1000 };
	int64_t			 now = time_now(), last;
	int			 e = EVUTIL_SOCKET_ERROR(), i;

	for (i = 0; i < http_nworkers && w == NULL; i++) {
		if (http_workers[i].listener == lev)
			w = &http_workers[i];
	}
	if (w == NULL)
		return;
	evconnlistener_disable(lev);
	w->paused = 1;
	evtimer_add(w->resume, &tv);
	if (w->scarce_until == 0)
		evhttp_set_timeout(w->http, HTTP_SCARCE_IDLE);
	w->scarce_until = now + HTTP_SCARCE_SECONDS;

	last = atomic_load(&http_scarce_logged);
	if (now - last >= HTTP_SCARCE_SECONDS &&
	    atomic_compare_exchange_strong(&http_scarce_logged, &last, now))
		log_warnx("accept: %s: accepting again once descriptors are "
		    "free; idle connections close after %d s meanwhile",
		    strerror(e), HTTP_SCARCE_IDLE);
}

/* Accept again once a descriptor is free; later, lift the short idle. */
static void
http_accept_resume(evutil_socket_t fd, short events, void *arg)
{
	struct http_worker	*w = arg;
	struct timeval		 tv = { 0, HTTP_PAUSE_MS * 1000 };
	int64_t			 now = time_now();
	int			 probe;

	if (w->paused) {
		probe = fcntl(w->efd, F_DUPFD_CLOEXEC, 0);
		if (probe == -1 && (errno == EMFILE || errno == ENFILE)) {
			evtimer_add(w->resume, &tv);
			return;
		}
		if (probe != -1)
			close(probe);
		w->paused = 0;
		evconnlistener_enable(w->listener);
	}
	if (now < w->scarce_until) {
		tv.tv_sec = (time_t)(w->scarce_until - now);
		tv.tv_usec = 0;
		evtimer_add(w->resume, &tv);
		return;
	}
	evhttp_set_timeout(w->http, HTTP_IDLE_SECONDS);
	w->scarce_until = 0;
}

static int
http_worker_init(struct http_worker *w, int id, int lfd,
    struct hyp_error *err)
{
	struct evhttp_bound_socket	*bound;
	int				 fd;

	w->id = id;
	w->efd = -1;
	pthread_mutex_init(&w->lock, NULL);
	if ((w->base = event_base_new()) == NULL ||
	    (w->http = evhttp_new(w->base)) == NULL)
		return hyp_error_set(err, HYP_E_IO, "cannot create worker %d",
		    id);
	evhttp_set_gencb(w->http, http_dispatch, w);
	evhttp_set_allowed_methods(w->http,
	    EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD);
	evhttp_set_max_headers_size(w->http, HTTP_HEADERS_MAX);
	evhttp_set_max_body_size(w->http, HTTP_BODY_MAX);
	evhttp_set_timeout(w->http, HTTP_IDLE_SECONDS);
	if ((fd = fcntl(lfd, F_DUPFD_CLOEXEC, 0)) == -1)
		return hyp_error_set(err, HYP_E_IO, "dup: %s",
		    strerror(errno));
	if ((bound = evhttp_accept_socket_with_handle(w->http, fd)) == NULL) {
		close(fd);
		return hyp_error_set(err, HYP_E_IO,
		    "worker %d cannot accept", id);
	}
	w->listener = evhttp_bound_socket_get_listener(bound);
	evconnlistener_set_error_cb(w->listener, http_accept_error);
	if ((w->resume = evtimer_new(w->base, http_accept_resume, w)) ==
	    NULL)
		return hyp_error_set(err, HYP_E_IO, "worker %d timer", id);
	w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->efd == -1)
		return hyp_error_set(err, HYP_E_IO, "eventfd: %s",
		    strerror(errno));
	w->wake = event_new(w->base, w->efd, EV_READ | EV_PERSIST, http_wake,
	    w);
	if (w->wake == NULL || event_add(w->wake, NULL) == -1)
		return hyp_error_set(err, HYP_E_IO, "worker %d event", id);
	return 0;
}

int
http_start(struct hyp_error *err)
{
	sigset_t	 all, old;
	int		 lfd, i, rc;

	json_set_alloc_funcs(http_json_malloc, http_json_free);
	http_nworkers = daemon_config.max_threads;
	http_limit = 2 * http_nworkers;
	if (http_bind(err) == -1)
		return -1;
	lfd = http_lfd;
	http_lfd = -1;
	http_workers = xcalloc((size_t)http_nworkers, sizeof *http_workers);
	for (i = 0; i < http_nworkers; i++) {
		if (http_worker_init(&http_workers[i], i, lfd, err) == -1) {
			close(lfd);
			return -1;
		}
	}
	close(lfd);

	/* Workers take no signals: the main loop handles them. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < http_nworkers; i++) {
		rc = pthread_create(&http_workers[i].thread, NULL,
		    http_worker_main, &http_workers[i]);
		if (rc != 0) {
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			return hyp_error_set(err, HYP_E_IO,
			    "cannot start worker %d: %s", i, strerror(rc));
		}
		http_workers[i].started = 1;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
}

void
http_stop(void)
{
	uint64_t	 one = 1;
	int		 i;

	for (i = 0; i < http_nworkers; i++) {
		if (!http_workers[i].started)
			continue;
		atomic_store(&http_workers[i].stop, 1);
		if (write(http_workers[i].efd, &one, sizeof one) == -1)
			log_warn("%s: eventfd", __func__);
	}
	for (i = 0; i < http_nworkers; i++) {
		if (http_workers[i].started)
			pthread_join(http_workers[i].thread, NULL);
		http_workers[i].started = 0;
	}
}

void
http_free(void)
{
	struct http_worker	*w;
	struct refresh_job	*job;
	int			 i;

	for (i = 0; i < http_nworkers; i++) {
		w = &http_workers[i];
		while ((job = w->done) != NULL) {
			w->done = job->next;
			refresh_job_free(job);
		}
		if (w->wake != NULL)
			event_free(w->wake);
		if (w->resume != NULL)
			event_free(w->resume);
		if (w->http != NULL)
			evhttp_free(w->http);
		if (w->base != NULL)
			event_base_free(w->base);
		if (w->efd != -1)
			close(w->efd);
		pthread_mutex_destroy(&w->lock);
	}
	free(http_workers);
	http_workers = NULL;
	http_nworkers = 0;
}
