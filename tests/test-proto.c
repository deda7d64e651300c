/* test-proto.c: the control protocol's parser and client timeouts. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <sys/socket.h>
#include <sys/un.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hyp-proto.h"

struct parse_case {
	char		 line[PROTO_LINE_MAX + 8];
	int		 ok;
	enum proto_cmd	 cmd;
	char		 arg[64];
};

ParameterizedTestParameters(proto, parse_accepts_only_the_commands)
{
	static struct parse_case cases[] = {
		{ "PING", 1, PROTO_PING, "" },
		{ "PING\n", 1, PROTO_PING, "" },
		{ "PING\r\n", 1, PROTO_PING, "" },
		{ "STATUS", 1, PROTO_STATUS, "" },
		{ "REFRESH api.example.com", 1, PROTO_REFRESH,
		    "api.example.com" },
		{ "PURGE api.example.com\n", 1, PROTO_PURGE,
		    "api.example.com" },
		{ "", 0, 0, "" },
		{ "\n", 0, 0, "" },
		{ "ping", 0, 0, "" },
		{ "PING extra", 0, 0, "" },
		{ "REFRESH", 0, 0, "" },
		{ "REFRESH ", 0, 0, "" },
		{ "REFRESH a b", 0, 0, "" },
		{ "REFRESH  a", 0, 0, "" },
		{ "REFRESH a\tb", 0, 0, "" },
		{ "PURGE \x1b[2J", 0, 0, "" },
		{ "PURGE caf\xc3\xa9", 0, 0, "" },
		{ "HELLO", 0, 0, "" },
		{ " PING", 0, 0, "" },
	};

	return cr_make_param_array(struct parse_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct parse_case *c, proto, parse_accepts_only_the_commands)
{
	struct proto_request	 req;
	struct hyp_error	 err;
	int			 rc;

	memset(&req, 0, sizeof req);
	rc = proto_parse(c->line, strlen(c->line), &req, &err);
	cr_assert_eq(rc == 0, c->ok, "'%s': rc %d", c->line, rc);
	if (c->ok) {
		cr_assert_eq(req.cmd, c->cmd);
		cr_assert_str_eq(req.arg, c->arg);
	} else
		cr_assert_neq(err.msg[0], '\0', "a refusal says why");
}

Test(proto, over_long_line_is_refused)
{
	char			 line[PROTO_LINE_MAX + 1];
	struct proto_request	 req;
	struct hyp_error	 err;

	memcpy(line, "REFRESH ", 8);
	memset(line + 8, 'a', sizeof line - 8);
	cr_assert_eq(proto_parse(line, sizeof line, &req, &err), -1);
	cr_assert_eq(proto_parse(line, PROTO_LINE_MAX, &req, &err), -1);
}

Test(proto, embedded_nul_is_refused)
{
	struct proto_request	 req;
	struct hyp_error	 err;

	cr_assert_eq(proto_parse("PURGE a\0b", 9, &req, &err), -1);
}

/* A listener that answers one line, or (silent) never answers. */
struct listener {
	char	 path[108];
	int	 fd;
	int	 silent;
	char	 got[PROTO_LINE_MAX];
};

static void *
listener_main(void *arg)
{
	struct listener	*l = arg;
	int		 c;
	ssize_t		 n;

	if ((c = accept(l->fd, NULL, NULL)) == -1)
		return NULL;
	n = read(c, l->got, sizeof l->got - 1);
	if (n > 0)
		l->got[n] = '\0';
	if (l->silent)
		sleep(2);
	else
		(void)!write(c, "OK version=7\n", 13);
	close(c);
	return NULL;
}

static void
listener_start(struct listener *l, pthread_t *th)
{
	struct sockaddr_un	 sun;
	char			 dir[] = "/tmp/hyp-proto.XXXXXX";

	cr_assert_not_null(mkdtemp(dir));
	snprintf(l->path, sizeof l->path, "%s/s.sock", dir);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, l->path);
	l->fd = socket(AF_UNIX, SOCK_STREAM, 0);
	cr_assert_eq(bind(l->fd, (struct sockaddr *)&sun, sizeof sun), 0);
	cr_assert_eq(listen(l->fd, 4), 0);
	pthread_create(th, NULL, listener_main, l);
}

Test(proto, signal_sends_one_line_and_reads_the_reply)
{
	struct listener		 l = { .silent = 0 };
	struct hyp_error	 err;
	pthread_t		 th;
	char			 reply[128];

	listener_start(&l, &th);
	cr_assert_eq(proto_signal(l.path, PROTO_REFRESH, "api.example.com",
	    reply, sizeof reply, &err), 0, "%s", err.msg);
	pthread_join(th, NULL);
	cr_assert_str_eq(l.got, "REFRESH api.example.com\n");
	cr_assert_str_eq(reply, "OK version=7");
}

Test(proto, silent_daemon_times_out_quickly)
{
	struct listener		 l = { .silent = 1 };
	struct hyp_error	 err;
	struct timespec		 a, b;
	pthread_t		 th;
	char			 reply[128];
	long			 ms;

	listener_start(&l, &th);
	clock_gettime(CLOCK_MONOTONIC, &a);
	cr_assert_eq(proto_send(l.path, "PING", reply, sizeof reply, 200,
	    &err), -1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	cr_assert_eq(err.code, HYP_E_UNREACHABLE);
	cr_assert(ms >= 190 && ms < 1500, "waited %ld ms for a 200 ms bound",
	    ms);
	pthread_join(th, NULL);
}

Test(proto, missing_socket_is_unreachable_not_an_error_text_of_errno)
{
	struct hyp_error	 err;
	char			 reply[64];

	cr_assert_eq(proto_send("/nonexistent/x.sock", "PING", reply,
	    sizeof reply, 200, &err), -1);
	cr_assert_eq(err.code, HYP_E_UNREACHABLE);
	cr_assert(strstr(err.msg, "no daemon on /nonexistent/x.sock") != NULL,
	    "%s", err.msg);
}

Test(proto, a_full_listen_queue_is_unreachable_within_the_timeout)
{
	struct listener		 l = { .silent = 1 };
	struct sockaddr_un	 sun;
	struct hyp_error	 err;
	struct timespec		 a, b;
	char			 dir[] = "/tmp/hyp-proto.XXXXXX", reply[64];
	int			 fds[64], n = 0, fd;
	long			 ms;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(l.path, sizeof l.path, "%s/s.sock", dir);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, l.path);
	l.fd = socket(AF_UNIX, SOCK_STREAM, 0);
	cr_assert_eq(bind(l.fd, (struct sockaddr *)&sun, sizeof sun), 0);
	cr_assert_eq(listen(l.fd, 1), 0);
	/* Nobody accepts: fill the queue until the kernel says EAGAIN. */
	while (n < 64) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
			close(fd);
			break;
		}
		fds[n++] = fd;
	}
	cr_assert_lt(n, 64, "the queue never filled");

	clock_gettime(CLOCK_MONOTONIC, &a);
	cr_assert_eq(proto_send(l.path, "PING", reply, sizeof reply, 200,
	    &err), -1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	cr_assert_eq(err.code, HYP_E_UNREACHABLE);
	cr_assert(ms < 1500, "waited %ld ms for a 200 ms bound", ms);
	while (n > 0)
		close(fds[--n]);
	close(l.fd);
}
