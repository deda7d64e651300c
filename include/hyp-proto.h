/*
 * hyp-proto.h: the control protocol between the console (or CLI) and a
 * daemon, over the daemon's UNIX socket (SPEC section 8).
 *
 * One command a line, one reply line. A line is ASCII, at most
 * PROTO_LINE_MAX bytes including the '\n'. Commands:
 *
 *   PING                 -> OK pong <protocol version>
 *   STATUS               -> OK domain=<d> version=<n> modules=<a,b> ...
 *   REFRESH <domain>     -> OK version=<n>
 *   PURGE <domain>       -> OK purged
 *
 * Anything else, an over-long line, a missing or extra argument, or a
 * character outside printable ASCII gets "ERR <reason>" and changes
 * nothing. Raise PROTO_VERSION whenever a command or reply changes.
 */
#ifndef HYP_PROTO_H
#define HYP_PROTO_H

#include <stddef.h>

#include "hyp-util.h"

#define PROTO_VERSION		1
#define PROTO_LINE_MAX		512
#define PROTO_TIMEOUT_MS	500	/* console and CLI wait this long */

enum proto_cmd {
	PROTO_PING,
	PROTO_STATUS,
	PROTO_REFRESH,
	PROTO_PURGE,
};

struct proto_request {
	enum proto_cmd	 cmd;
	char		 arg[256];	/* the domain, or "" */
};

/*
 * Parse one line (without or with its trailing "\n" or "\r\n"). Returns
 * 0, or -1 with a short reason fit for an ERR reply in err.
 */
int	 proto_parse(const char *line, size_t len, struct proto_request *,
	    struct hyp_error *);
/* The command's name, "PING" etc. */
const char *proto_cmd_name(enum proto_cmd);

/*
 * Send one command line to the socket at path and read the reply line
 * into reply (terminated, without '\n'), waiting at most timeout_ms for
 * connect, write and read together. Returns 0 when a reply arrived (OK or
 * ERR: see reply), -1 with HYP_E_UNREACHABLE when nobody answered in time
 * (no socket, refused, timed out) and a message saying which.
 */
int	 proto_send(const char *path, const char *command, char *reply,
	    size_t replylen, int timeout_ms, struct hyp_error *);

/*
 * The usual console and CLI signal: "REFRESH domain" or "PURGE domain",
 * sent with PROTO_TIMEOUT_MS. Same returns as proto_send.
 */
int	 proto_signal(const char *path, enum proto_cmd, const char *domain,
	    char *reply, size_t replylen, struct hyp_error *);

#endif
