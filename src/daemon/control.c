/*
 * control.c: the control socket (SPEC section 8, STYLE B.12).
 *
 * The socket is bound with umask 077, so from its first instant only
 * the daemon's user can reach it, and is then opened to the group
 * (0660). A file already at the path is probed before anything else: a
 * live daemon answering there makes this one refuse to start, a socket
 * nobody answers on is a crash's leftover and is removed, and a path
 * that is not a socket is never touched. At exit the socket is removed
 * only if it is still the one this daemon bound.
 *
 * The peer's credentials are checked on accept, before a byte is read:
 * root, the daemon's own user, or a member (primary or supplementary) of
 * the socket's group. Each line is one command of hyp-proto.h, parsed by
 * the core and answered with one line, OK or ERR; an over-long or
 * malformed line gets ERR, changes nothing and ends the connection.
 *
 * A flood of connections that never finish a line must not lock the
 * console out: at the connection bound the oldest connection is closed
 * to make room, and only a few are accepted per wake-up, so a new one
 * (the console sends its command at once) is read before it is the
 * oldest. Lines about refused and closed peers are rate-limited.
 */
#include "hyptokensd.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "hyp-log.h"
#include "hyp-proto.h"

#define CONTROL_BACKLOG		8
#define CONTROL_CONNS_MAX	16
#define CONTROL_ACCEPT_MAX	4	/* accepted per wake-up */
#define CONTROL_TIMEOUT		5	/* seconds a peer may idle */
#define CONTROL_LOG_PER_SECOND	5	/* about refused or closed peers */

struct control_conn {
	struct bufferevent	*bev;
	uid_t			 uid;
	pid_t			 pid;
	int			 closing;
	struct control_conn	*next;
};

static struct event_base	*control_base;
static struct event		*control_ev;
static struct event		*control_pause_ev;
static int			 control_fd = -1;
static gid_t			 control_gid;
static dev_t			 control_dev;
static ino_t			 control_ino;
static struct control_conn	*control_conns;	/* newest first */
static int			 control_nconns;
static time_t			 control_log_second;
static int			 control_log_count;

static void	control_accept(evutil_socket_t, short, void *);

static int
control_addr(const char *path, struct sockaddr_un *sun,
    struct hyp_error *err)
{
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	if (hyp_strlcpy(sun->sun_path, path, sizeof sun->sun_path) >=
	    sizeof sun->sun_path)
		return hyp_error_set(err, HYP_E_CONFIG,
		    "control socket path too long: %s", path);
	return 0;
}

/*
 * Make room at path: nothing there, or a socket nobody answers on
 * (removed). A live daemon or a file that is not a socket is an error.
 */
static int
control_clear_path(const char *path, struct hyp_error *err)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	int			 fd, rc;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		return hyp_error_set(err, HYP_E_IO, "%s: %s", path,
		    strerror(errno));
	}
	if (!S_ISSOCK(st.st_mode))
		return hyp_error_set(err, HYP_E_EXISTS,
		    "%s exists and is not a socket: not removed", path);
	if (control_addr(path, &sun, err) == -1)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return hyp_error_set(err, HYP_E_IO, "socket: %s",
		    strerror(errno));
	rc = connect(fd, (struct sockaddr *)&sun, sizeof sun);
	if (rc == -1 && errno == ECONNREFUSED) {
		close(fd);
		if (unlink(path) == -1 && errno != ENOENT)
			return hyp_error_set(err, HYP_E_IO,
			    "cannot remove stale socket %s: %s", path,
			    strerror(errno));
		log_info("removed stale control socket %s", path);
		return 0;
	}
	close(fd);
	if (rc == 0 || errno == EAGAIN || errno == EINPROGRESS)
		return hyp_error_set(err, HYP_E_EXISTS,
		    "another daemon answers on %s: not starting", path);
	return hyp_error_set(err, HYP_E_IO, "cannot probe %s: %s", path,
	    strerror(errno));
}

int
control_open(struct event_base *base, struct hyp_error *err)
{
	const char		*path = daemon_config.control_socket;
	struct sockaddr_un	 sun;
	struct stat		 st;
	mode_t			 old;
	int			 fd, rc;

	if (control_addr(path, &sun, err) == -1 ||
	    control_clear_path(path, err) == -1)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return hyp_error_set(err, HYP_E_IO, "socket: %s",
		    strerror(errno));

	/* Owner-only from the first instant; the group is let in after. */
	old = umask(0077);
	rc = bind(fd, (struct sockaddr *)&sun, sizeof sun);
	umask(old);
	if (rc == -1) {
		hyp_error_set(err, HYP_E_IO, "cannot bind %s: %s", path,
		    strerror(errno));
		goto fail;
	}
	if (chmod(path, 0660) == -1 || stat(path, &st) == -1 ||
	    listen(fd, CONTROL_BACKLOG) == -1) {
		hyp_error_set(err, HYP_E_IO, "control socket %s: %s", path,
		    strerror(errno));
		unlink(path);
		goto fail;
	}
	control_gid = st.st_gid;
	control_dev = st.st_dev;
	control_ino = st.st_ino;
	control_fd = fd;
	control_base = base;
	control_ev = event_new(base, fd, EV_READ | EV_PERSIST, control_accept,
	    NULL);
	if (control_ev == NULL || event_add(control_ev, NULL) == -1) {
		hyp_error_set(err, HYP_E_IO, "control socket event");
		control_close();
		return -1;
	}
	return 0;
fail:
	close(fd);
	return -1;
}

static void
control_conn_free(struct control_conn *c)
{
	struct control_conn	**pp;

	for (pp = &control_conns; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	bufferevent_free(c->bev);
	free(c);
	control_nconns--;
}

void
control_close(void)
{
	const char	*path = daemon_config.control_socket;
	struct stat	 st;

	while (control_conns != NULL)
		control_conn_free(control_conns);
	if (control_ev != NULL)
		event_free(control_ev);
	if (control_pause_ev != NULL)
		event_free(control_pause_ev);
	control_ev = control_pause_ev = NULL;
	if (control_fd == -1)
		return;
	close(control_fd);
	control_fd = -1;
	/* Remove the socket only if it is still the one bound here. */
	if (stat(path, &st) == 0 && st.st_dev == control_dev &&
	    st.st_ino == control_ino)
		unlink(path);
}

static void
control_reply(struct control_conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
control_reply(struct control_conn *c, const char *fmt, ...)
{
	char	 line[PROTO_LINE_MAX];
	va_list	 ap;
	size_t	 n;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	n = strcspn(line, "\r\n");
	line[n++] = '\n';
	bufferevent_write(c->bev, line, n);
}

/* Reply ERR and end the conversation once the reply is out. */
static void
control_refuse(struct control_conn *c, const char *reason)
{
	control_reply(c, "ERR %s", reason);
	c->closing = 1;
	bufferevent_disable(c->bev, EV_READ);
}

static void
control_status(struct control_conn *c)
{
	struct state_policy	*p;
	char			*mods = NULL, *m;
	size_t			 i, len = 0;
	FILE			*f;

	p = state_acquire();
	if ((f = open_memstream(&mods, &len)) != NULL) {
		for (i = 0; p->kind == STATE_SERVING && i < p->eff.nmodules;
		    i++)
			fprintf(f, "%s%s", i > 0 ? "," : "", p->eff.modules[i]);
		fclose(f);
	}
	m = mods != NULL && mods[0] != '\0' ? mods : "-";
	control_reply(c, "OK domain=%s version=%lld state=%s workers=%d "
	    "allowed=%llu refused=%llu in_progress=%d addresses=%zu "
	    "tenants=%zu modules=%s", daemon_config.domain,
	    (long long)p->version, state_kind_name(p->kind),
	    daemon_config.max_threads,
	    (unsigned long long)metrics_allowed(),
	    (unsigned long long)metrics_refused(), http_inflight(),
	    auth_flood_entries(), auth_tenant_sessions(), m);
	state_release(p);
	free(mods);
}

static void
control_refresh(struct control_conn *c)
{
	struct hyp_error	 err;
	int64_t			 version;

	hyp_error_clear(&err);
	if (state_reload(daemon_store, "REFRESH", &version, &err) == -1) {
		log_info("control: REFRESH from uid %u pid %d: %s",
		    (unsigned)c->uid, (int)c->pid, err.msg);
		control_reply(c, "ERR %s", err.msg);
		return;
	}
	log_info("control: REFRESH from uid %u pid %d: version %lld in force",
	    (unsigned)c->uid, (int)c->pid, (long long)version);
	control_reply(c, "OK version=%lld", (long long)version);
}

static void
control_purge(struct control_conn *c)
{
	struct hyp_error	 err;
	int64_t			 version;

	hyp_error_clear(&err);
	version = store_version(daemon_store, daemon_config.domain, &err);
	state_purge("purged by the control socket", version);
	log_info("control: PURGE from uid %u pid %d: every request refused "
	    "until the record changes", (unsigned)c->uid, (int)c->pid);
	control_reply(c, "OK purged");
}

static void
control_dispatch(struct control_conn *c, const char *line, size_t len)
{
	struct proto_request	 req;
	struct hyp_error	 err;

	hyp_error_clear(&err);
	if (proto_parse(line, len, &req, &err) == -1) {
		log_debug("control: uid %u sent a malformed line: %s",
		    (unsigned)c->uid, err.msg);
		control_refuse(c, err.msg);
		return;
	}
	if ((req.cmd == PROTO_REFRESH || req.cmd == PROTO_PURGE) &&
	    strcmp(req.arg, daemon_config.domain) != 0) {
		control_reply(c, "ERR this daemon serves %s, not that domain",
		    daemon_config.domain);
		return;
	}
	switch (req.cmd) {
	case PROTO_PING:
		control_reply(c, "OK pong %d", PROTO_VERSION);
		break;
	case PROTO_STATUS:
		control_status(c);
		break;
	case PROTO_REFRESH:
		control_refresh(c);
		break;
	case PROTO_PURGE:
		control_purge(c);
		break;
	default:
		log_debug("control: unknown command %d", (int)req.cmd);
		control_refuse(c, "unknown command");
		break;
	}
}

static void
control_read(struct bufferevent *bev, void *arg)
{
	struct control_conn	*c = arg;
	struct evbuffer		*in = bufferevent_get_input(bev);
	struct evbuffer_ptr	 eol;
	char			 line[PROTO_LINE_MAX + 1];
	size_t			 n;

	while (!c->closing) {
		eol = evbuffer_search_eol(in, NULL, NULL, EVBUFFER_EOL_LF);
		if (eol.pos == -1) {
			if (evbuffer_get_length(in) >= PROTO_LINE_MAX)
				control_refuse(c, "line too long");
			return;
		}
		n = (size_t)eol.pos + 1;
		if (n > PROTO_LINE_MAX) {
			control_refuse(c, "line too long");
			return;
		}
		evbuffer_remove(in, line, n);
		line[n] = '\0';
		control_dispatch(c, line, n);
	}
}

static void
control_write(struct bufferevent *bev, void *arg)
{
	struct control_conn	*c = arg;

	if (c->closing)
		control_conn_free(c);
}

/*
 * The peer closed its side (a script's "echo PING | socat ..." does so
 * right after its line) or the connection failed or idled out. Replies
 * still queued are sent first when the peer only stopped writing.
 */
static void
control_event(struct bufferevent *bev, short what, void *arg)
{
	struct control_conn	*c = arg;

	if ((what & BEV_EVENT_EOF) && (what & BEV_EVENT_READING) &&
	    evbuffer_get_length(bufferevent_get_output(bev)) > 0) {
		c->closing = 1;
		bufferevent_disable(bev, EV_READ);
		return;
	}
	control_conn_free(c);
}

static void
control_resume(evutil_socket_t fd, short events, void *arg)
{
	if (control_ev != NULL)
		event_add(control_ev, NULL);
}

/* Out of descriptors: stop accepting for a second (relayd does so). */
static void
control_pause(void)
{
	struct timeval	 tv = { 1, 0 };

	event_del(control_ev);
	if (control_pause_ev == NULL)
		control_pause_ev = evtimer_new(control_base, control_resume,
		    NULL);
	if (control_pause_ev != NULL)
		evtimer_add(control_pause_ev, &tv);
}

/*
 * Root, the daemon's own user, or a member of the socket's group by its
 * primary or a supplementary group. The groups are the peer's own when
 * it connected (SO_PEERGROUPS), the same that let it open the socket
 * file, not what the group database says now.
 */
static int
control_peer_allowed(int fd, const struct ucred *uc)
{
	gid_t		 some[64], *groups = some;
	socklen_t	 len = sizeof some;
	size_t		 i;
	int		 rc, allowed = 0;

	if (uc->uid == 0 || uc->uid == geteuid() || uc->gid == control_gid)
		return 1;
	rc = getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len);
	if (rc == -1 && errno == ERANGE) {
		groups = xcalloc(1, len);
		rc = getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len);
	}
	if (rc == -1)
		log_warn("control: groups of peer uid %u", (unsigned)uc->uid);
	for (i = 0; rc == 0 && i < len / sizeof *groups; i++) {
		if (groups[i] == control_gid)
			allowed = 1;
	}
	if (groups != some)
		free(groups);
	return allowed;
}

/* At most CONTROL_LOG_PER_SECOND lines a second about refused peers. */
static int
control_log_allowed(void)
{
	time_t	 now = time(NULL);

	if (now != control_log_second) {
		if (control_log_count > CONTROL_LOG_PER_SECOND)
			log_warnx("control: %d more lines about refused or "
			    "closed peers not logged",
			    control_log_count - CONTROL_LOG_PER_SECOND);
		control_log_second = now;
		control_log_count = 0;
	}
	return control_log_count++ < CONTROL_LOG_PER_SECOND;
}

/* At the bound: close the connection that has waited longest. */
static void
control_evict(void)
{
	struct control_conn	*c;

	for (c = control_conns; c->next != NULL; c = c->next)
		;
	if (control_log_allowed())
		log_warnx("control: too many connections, closed the oldest "
		    "(uid %u pid %d)", (unsigned)c->uid, (int)c->pid);
	control_conn_free(c);
}

static void
control_accept(evutil_socket_t fd, short events, void *arg)
{
	struct control_conn	*c;
	struct ucred		 uc;
	socklen_t		 len = sizeof uc;
	struct timeval		 tv = { CONTROL_TIMEOUT, 0 };
	int			 cfd, n;

	for (n = 0; n < CONTROL_ACCEPT_MAX; n++) {
		cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd == -1) {
			if (errno == EMFILE || errno == ENFILE) {
				log_warn("control: accept");
				control_pause();
			}
			return;
		}
		memset(&uc, 0, sizeof uc);
		len = sizeof uc;
		if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == -1) {
			log_warn("control: peer credentials");
			close(cfd);
			continue;
		}
		if (!control_peer_allowed(cfd, &uc)) {
			if (control_log_allowed())
				log_warnx("control: refused a peer with uid %d "
				    "gid %d pid %d", (int)uc.uid, (int)uc.gid,
				    (int)uc.pid);
			close(cfd);
			continue;
		}
		if (control_nconns >= CONTROL_CONNS_MAX)
			control_evict();
		c = xcalloc(1, sizeof *c);
		c->uid = uc.uid;
		c->pid = uc.pid;
		c->bev = bufferevent_socket_new(control_base, cfd,
		    BEV_OPT_CLOSE_ON_FREE);
		if (c->bev == NULL) {
			close(cfd);
			free(c);
			continue;
		}
		c->next = control_conns;
		control_conns = c;
		control_nconns++;
		bufferevent_setcb(c->bev, control_read, control_write,
		    control_event, c);
		bufferevent_set_timeouts(c->bev, &tv, &tv);
		bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	}
}
