/*
 * proto.c: the control protocol's line parser and its client side.
 *
 * A command is one line of printable ASCII, at most PROTO_LINE_MAX bytes
 * with its newline. The parser accepts exactly the commands of
 * hyp-proto.h with exactly their arguments; anything else is refused
 * before it can act. The client never waits longer than its timeout:
 * a stopped or hung daemon must not freeze the console.
 */
#include "hyp-proto.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct {
	enum proto_cmd	 cmd;
	const char	*name;
	int		 has_arg;
} proto_cmds[] = {
	{ PROTO_PING, "PING", 0 },
	{ PROTO_STATUS, "STATUS", 0 },
	{ PROTO_REFRESH, "REFRESH", 1 },
	{ PROTO_PURGE, "PURGE", 1 },
};
#define NCMDS (sizeof proto_cmds / sizeof proto_cmds[0])

const char *
proto_cmd_name(enum proto_cmd cmd)
{
	size_t	 i;

	for (i = 0; i < NCMDS; i++)
		if (proto_cmds[i].cmd == cmd)
			return proto_cmds[i].name;
	return "?";
}

/* Parse one command line. */
int
proto_parse(const char *line, size_t len, struct proto_request *req,
    struct hyp_error *err)
{
	const char	*sp, *arg;
	size_t		 i, wlen, alen;

	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len == 0)
		return hyp_error_set(err, HYP_E_INVALID, "empty line");
	if (len >= PROTO_LINE_MAX)
		return hyp_error_set(err, HYP_E_INVALID, "line too long");
	for (i = 0; i < len; i++) {
		if (line[i] < 0x20 || line[i] > 0x7e)
			return hyp_error_set(err, HYP_E_INVALID,
			    "control or non-ASCII byte at %zu", i);
	}

	sp = memchr(line, ' ', len);
	wlen = sp != NULL ? (size_t)(sp - line) : len;
	arg = sp != NULL ? sp + 1 : NULL;
	alen = sp != NULL ? len - wlen - 1 : 0;

	for (i = 0; i < NCMDS; i++) {
		if (strlen(proto_cmds[i].name) == wlen &&
		    memcmp(proto_cmds[i].name, line, wlen) == 0)
			break;
	}
	if (i == NCMDS)
		return hyp_error_set(err, HYP_E_INVALID, "unknown command");
	if (!proto_cmds[i].has_arg) {
		if (arg != NULL)
			return hyp_error_set(err, HYP_E_INVALID,
			    "%s takes no argument", proto_cmds[i].name);
		req->cmd = proto_cmds[i].cmd;
		req->arg[0] = '\0';
		return 0;
	}
	if (arg == NULL || alen == 0)
		return hyp_error_set(err, HYP_E_INVALID, "%s needs a domain",
		    proto_cmds[i].name);
	if (memchr(arg, ' ', alen) != NULL)
		return hyp_error_set(err, HYP_E_INVALID,
		    "%s takes one argument", proto_cmds[i].name);
	if (alen >= sizeof req->arg)
		return hyp_error_set(err, HYP_E_INVALID, "domain too long");
	req->cmd = proto_cmds[i].cmd;
	memcpy(req->arg, arg, alen);
	req->arg[alen] = '\0';
	return 0;
}

static long
proto_ms_left(const struct timespec *deadline)
{
	struct timespec	 now;
	long		 ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms;
}

/* Wait for fd to become ready for events; 0, or -1 on timeout or error. */
static int
proto_wait(int fd, short events, const struct timespec *deadline)
{
	struct pollfd	 pfd;
	int		 n;

	pfd.fd = fd;
	pfd.events = events;
	for (;;) {
		n = poll(&pfd, 1, (int)proto_ms_left(deadline));
		if (n > 0)
			return 0;
		if (n == 0 || errno != EINTR)
			return -1;
	}
}

static int
proto_connect(const char *path, const struct timespec *deadline,
    struct hyp_error *err)
{
	struct sockaddr_un	 sun;
	struct timespec		 pause = { 0, 10 * 1000000 };
	int			 fd, soerr = 0;
	socklen_t		 slen = sizeof soerr;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (hyp_strlcpy(sun.sun_path, path, sizeof sun.sun_path) >=
	    sizeof sun.sun_path) {
		hyp_error_set(err, HYP_E_UNREACHABLE,
		    "control socket path too long: %s", path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		hyp_error_set(err, HYP_E_UNREACHABLE, "socket: %s",
		    strerror(errno));
		return -1;
	}
	/*
	 * A UNIX socket whose listen queue is full (a stopped or swamped
	 * daemon) answers EAGAIN at once and stays unconnected: try again
	 * until the deadline rather than taking it for connected.
	 */
	while (connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN && proto_ms_left(deadline) > 0) {
			nanosleep(&pause, NULL);
			continue;
		}
		if (errno == EINPROGRESS) {
			if (proto_wait(fd, POLLOUT, deadline) == 0 &&
			    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr,
			    &slen) == 0 && soerr == 0)
				return fd;
			errno = soerr != 0 ? soerr : ETIMEDOUT;
		} else if (errno == EAGAIN)
			errno = ETIMEDOUT;
		goto fail;
	}
	return fd;
fail:
	if (errno == ENOENT)
		hyp_error_set(err, HYP_E_UNREACHABLE, "no daemon on %s", path);
	else if (errno == ECONNREFUSED)
		hyp_error_set(err, HYP_E_UNREACHABLE,
		    "no daemon listening on %s", path);
	else
		hyp_error_set(err, HYP_E_UNREACHABLE, "cannot reach %s: %s",
		    path, strerror(errno));
	close(fd);
	return -1;
}

/* Send one command and read one reply line, all within timeout_ms. */
int
proto_send(const char *path, const char *command, char *reply,
    size_t replylen, int timeout_ms, struct hyp_error *err)
{
	struct timespec	 deadline;
	char		 line[PROTO_LINE_MAX];
	size_t		 len, off = 0, got = 0;
	ssize_t		 n;
	int		 fd, rc = -1;

	if (replylen == 0)
		return hyp_error_set(err, HYP_E_INVALID, "no reply buffer");
	reply[0] = '\0';
	len = (size_t)snprintf(line, sizeof line, "%s\n", command);
	if (len >= sizeof line)
		return hyp_error_set(err, HYP_E_INVALID, "command too long");

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}

	if ((fd = proto_connect(path, &deadline, err)) == -1)
		return -1;
	while (off < len) {
		n = send(fd, line + off, len - off, MSG_NOSIGNAL);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN &&
		    proto_wait(fd, POLLOUT, &deadline) == 0)
			continue;
		hyp_error_set(err, HYP_E_UNREACHABLE,
		    "daemon on %s did not take the command", path);
		goto out;
	}
	while (got < replylen - 1) {
		if (proto_wait(fd, POLLIN, &deadline) == -1) {
			hyp_error_set(err, HYP_E_UNREACHABLE,
			    "daemon on %s did not answer within %d ms", path,
			    timeout_ms);
			goto out;
		}
		n = recv(fd, reply + got, replylen - 1 - got, 0);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(reply + got - n, '\n', (size_t)n) != NULL)
			break;
	}
	reply[got] = '\0';
	reply[strcspn(reply, "\r\n")] = '\0';
	if (got == 0) {
		hyp_error_set(err, HYP_E_UNREACHABLE,
		    "daemon on %s closed without answering", path);
		goto out;
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

/* REFRESH or PURGE a domain with the console's usual timeout. */
int
proto_signal(const char *path, enum proto_cmd cmd, const char *domain,
    char *reply, size_t replylen, struct hyp_error *err)
{
	char	 line[PROTO_LINE_MAX];

	if (path == NULL || *path == '\0')
		return hyp_error_set(err, HYP_E_UNREACHABLE,
		    "the record names no control socket");
	if ((size_t)snprintf(line, sizeof line, "%s %s", proto_cmd_name(cmd),
	    domain) >= sizeof line)
		return hyp_error_set(err, HYP_E_INVALID, "domain too long");
	return proto_send(path, line, reply, replylen, PROTO_TIMEOUT_MS, err);
}
