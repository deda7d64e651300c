/*
 * refresh-lat.c: how long a saved policy takes to be in force. Each round
 * saves a change of Block These Functions through the core store (as the
 * console's Save does), sends REFRESH over the control socket, and asks
 * the daemon's /auth until the change shows; it prints the medians of
 * "REFRESH sent to its reply" and "REFRESH sent to the new policy
 * answering", in microseconds.
 *
 *   BENCH_TOKEN=<access token> refresh-lat CONFIG ROUNDS
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hyp-config.h"
#include "hyp-policy.h"
#include "hyp-proto.h"
#include "hyp-store.h"
#include "hyp-token.h"

static long
lat_usec(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000L +
	    (b->tv_nsec - a->tv_nsec) / 1000L;
}

static int
lat_connect(int port)
{
	struct sockaddr_in	 sin;
	int			 fd, one = 1;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		perror("connect");
		exit(1);
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

/* One /auth sub-request on the kept-alive connection; its status. */
static int
lat_auth(int fd, const char *token, unsigned int n)
{
	char	 req[512], buf[4096], *p;
	size_t	 got = 0;
	ssize_t	 r;
	long	 clen = 0;
	int	 status;

	snprintf(req, sizeof req, "GET /auth HTTP/1.1\r\nHost: b\r\n"
	    "X-Original-URI: /api/benchfn\r\nX-Real-IP: 10.%u.%u.%u\r\n"
	    "Authorization: Bearer %s\r\n\r\n", (n >> 16) & 255,
	    (n >> 8) & 255, (n & 255) | 1, token);
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req))
		exit(1);
	for (;;) {
		r = read(fd, buf + got, sizeof buf - 1 - got);
		if (r <= 0)
			exit(1);
		got += (size_t)r;
		buf[got] = '\0';
		if ((p = strstr(buf, "\r\n\r\n")) != NULL)
			break;
	}
	status = atoi(buf + 9);
	if ((p = strcasestr(buf, "\r\nContent-Length:")) != NULL)
		clen = strtol(p + 17, NULL, 10);
	p = strstr(buf, "\r\n\r\n") + 4;
	clen -= (long)(got - (size_t)(p - buf));
	while (clen > 0) {
		r = read(fd, buf, sizeof buf);
		if (r <= 0)
			exit(1);
		clen -= r;
	}
	return status;
}

static int
lat_cmp(const void *a, const void *b)
{
	long	 x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	struct hyp_config	 cfg;
	struct hyp_error	 err;
	struct store		*st;
	struct store_edit	 edit;
	struct timespec		 t0, t1, t2;
	const char		*token = getenv("BENCH_TOKEN");
	char			 reply[PROTO_LINE_MAX], old[64] = "";
	long			*ack, *applied;
	int			 rounds, i, fd, want;
	unsigned int		 n = 0;

	if (argc != 3 || token == NULL) {
		fprintf(stderr, "usage: BENCH_TOKEN=... refresh-lat CONFIG "
		    "ROUNDS\n");
		return 64;
	}
	rounds = atoi(argv[2]);
	memset(&cfg, 0, sizeof cfg);
	if (token_init(&err) == -1 ||
	    config_load(argv[1], &cfg, NULL, NULL, &err) == -1 ||
	    (st = store_open(cfg.database, cfg.key_file, 0, &err)) == NULL) {
		fprintf(stderr, "refresh-lat: %s\n", err.msg);
		return 1;
	}
	ack = calloc((size_t)rounds, sizeof *ack);
	applied = calloc((size_t)rounds, sizeof *applied);
	fd = lat_connect(cfg.listen_port);
	for (i = 0; i < rounds; i++) {
		edit.field = FIELD_BLOCKED;
		edit.old = old;
		edit.new = i % 2 == 0 ? "benchfn" : "";
		if (store_save(st, cfg.domain, &edit, 1, NULL, NULL,
		    &err) == -1) {
			fprintf(stderr, "refresh-lat: save: %s\n", err.msg);
			return 1;
		}
		snprintf(old, sizeof old, "%s", edit.new);
		want = i % 2 == 0 ? 403 : 204;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (proto_signal(cfg.control_socket, PROTO_REFRESH, cfg.domain,
		    reply, sizeof reply, &err) == -1 ||
		    strncmp(reply, "OK", 2) != 0) {
			fprintf(stderr, "refresh-lat: REFRESH: %s %s\n",
			    err.msg, reply);
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		while (lat_auth(fd, token, n++) != want)
			;
		clock_gettime(CLOCK_MONOTONIC, &t2);
		ack[i] = lat_usec(&t0, &t1);
		applied[i] = lat_usec(&t0, &t2);
	}
	qsort(ack, (size_t)rounds, sizeof *ack, lat_cmp);
	qsort(applied, (size_t)rounds, sizeof *applied, lat_cmp);
	printf("refresh_ack_median_us %ld\n", ack[rounds / 2]);
	printf("refresh_applied_median_us %ld\n", applied[rounds / 2]);
	printf("refresh_applied_p90_us %ld\n", applied[rounds * 9 / 10]);
	store_close(st);
	config_clear(&cfg);
	return 0;
}
