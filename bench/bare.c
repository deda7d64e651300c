/*
 * bare.c: the benchmark's yardstick, a bare libevent HTTP responder that
 * answers every request with an empty 204 on one event loop. The
 * daemon's /auth is measured against it: whatever the daemon costs on
 * top of parsing and answering HTTP with the same library shows as the
 * ratio between the two.
 *
 *   bare PORT
 */
#include <stdio.h>
#include <stdlib.h>

#include <event2/event.h>
#include <event2/http.h>

static void
bare_answer(struct evhttp_request *req, void *arg)
{
	evhttp_send_reply(req, 204, "No Content", NULL);
}

int
main(int argc, char **argv)
{
	struct event_base	*base;
	struct evhttp		*http;

	if (argc != 2) {
		fprintf(stderr, "usage: bare PORT\n");
		return 64;
	}
	if ((base = event_base_new()) == NULL ||
	    (http = evhttp_new(base)) == NULL)
		return 1;
	evhttp_set_gencb(http, bare_answer, NULL);
	if (evhttp_bind_socket(http, "127.0.0.1",
	    (unsigned short)atoi(argv[1])) == -1) {
		fprintf(stderr, "bare: cannot bind port %s\n", argv[1]);
		return 1;
	}
	event_base_dispatch(base);
	return 0;
}
