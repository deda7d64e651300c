/*
 * fuzz-proto.c: the control protocol's line parser (proto_parse) on
 * arbitrary bytes.
 *
 * Properties: an accepted line, less one "\n" and then one "\r", is
 * exactly "NAME" or "NAME arg" for a command of hyp-proto.h, holds only
 * printable ASCII and fits the length bound; serialising the request
 * again parses to the same request; a refused line gets a one-line
 * printable reason fit for an ERR reply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "hyp-proto.h"

static const struct {
	enum proto_cmd	 cmd;
	const char	*name;
	int		 has_arg;
} fuzz_cmds[] = {
	{ PROTO_PING, "PING", 0 },
	{ PROTO_STATUS, "STATUS", 0 },
	{ PROTO_REFRESH, "REFRESH", 1 },
	{ PROTO_PURGE, "PURGE", 1 },
};
#define FUZZ_NCMDS (sizeof fuzz_cmds / sizeof fuzz_cmds[0])

/* The text a request is sent as, without its newline. */
static void
fuzz_serialise(const struct proto_request *req, char *buf, size_t len)
{
	if (req->arg[0] == '\0')
		snprintf(buf, len, "%s", proto_cmd_name(req->cmd));
	else
		snprintf(buf, len, "%s %s", proto_cmd_name(req->cmd), req->arg);
}

static void
fuzz_check_accepted(const uint8_t *data, size_t size,
    const struct proto_request *req)
{
	struct proto_request	 again;
	struct hyp_error	 err;
	char			 text[PROTO_LINE_MAX + 16];
	size_t			 len = size, i;

	if (len > 0 && data[len - 1] == '\n')
		len--;
	if (len > 0 && data[len - 1] == '\r')
		len--;
	FUZZ_ASSERT(len > 0 && len < PROTO_LINE_MAX, "accepted a line of "
	    "%zu bytes", len);
	for (i = 0; i < len; i++)
		FUZZ_ASSERT(data[i] >= 0x20 && data[i] <= 0x7e, "accepted "
		    "byte 0x%02x at %zu", data[i], i);
	for (i = 0; i < FUZZ_NCMDS && fuzz_cmds[i].cmd != req->cmd; i++)
		;
	FUZZ_ASSERT(i < FUZZ_NCMDS, "unknown command %d", (int)req->cmd);
	FUZZ_ASSERT(strlen(req->arg) < sizeof req->arg, "arg not ended");
	FUZZ_ASSERT(fuzz_cmds[i].has_arg == (req->arg[0] != '\0'),
	    "%s with argument '%s'", fuzz_cmds[i].name, req->arg);
	FUZZ_ASSERT(strchr(req->arg, ' ') == NULL, "argument with a space");

	fuzz_serialise(req, text, sizeof text);
	FUZZ_ASSERT(strlen(text) == len && memcmp(text, data, len) == 0,
	    "accepted line is not its own serialisation '%s'", text);
	memset(&again, 0, sizeof again);
	FUZZ_ASSERT(proto_parse(text, strlen(text), &again, &err) == 0,
	    "serialised request refused: %s", err.msg);
	FUZZ_ASSERT(again.cmd == req->cmd && strcmp(again.arg, req->arg) == 0,
	    "serialised request parses differently");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_request	 req;
	struct hyp_error	 err;
	char			*copy;
	int			 rc;

	/* An exact-size copy: ASan sees any read past len. */
	copy = malloc(size > 0 ? size : 1);
	memcpy(copy, data, size);
	memset(&req, 0, sizeof req);
	hyp_error_clear(&err);
	rc = proto_parse(copy, size, &req, &err);
	if (rc == 0)
		fuzz_check_accepted(data, size, &req);
	else {
		FUZZ_ASSERT(rc == -1, "proto_parse returned %d", rc);
		FUZZ_ASSERT(err.code == HYP_E_INVALID && err.msg[0] != '\0',
		    "refusal without a reason");
		FUZZ_ASSERT(!fuzz_has_control(err.msg) &&
		    strlen(err.msg) < PROTO_LINE_MAX - 8, "reason unfit for "
		    "an ERR line");
	}
	free(copy);
	return 0;
}
