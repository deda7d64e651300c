/*
 * populate.c: fill a database with N registered records through the core
 * store, as the daemons would at launch, for the console and list
 * benchmarks. Usage: populate DATABASE KEYFILE N
 */
#include <stdio.h>
#include <stdlib.h>

#include "hyp-store.h"
#include "hyp-time.h"
#include "hyp-token.h"

int	 main(int, char **);

int
main(int argc, char **argv)
{
	struct store_instance	 inst;
	struct hyp_error	 err;
	struct store		*st;
	char			 user[32], domain[64], sock[64];
	long			 i, n;
	static const char *const purposes[] = {
		"api", "portal", "unsecured-api",
	};

	if (argc != 4 || (n = strtol(argv[3], NULL, 10)) < 0) {
		fprintf(stderr, "usage: populate DATABASE KEYFILE N\n");
		return 2;
	}
	if (token_init(&err) == -1 ||
	    (st = store_open(argv[1], argv[2], 1, &err)) == NULL) {
		fprintf(stderr, "populate: %s\n", err.msg);
		return 1;
	}
	for (i = 0; i < n; i++) {
		snprintf(user, sizeof user, "user%05ld", i);
		snprintf(domain, sizeof domain, "app%05ld.example.com", i);
		snprintf(sock, sizeof sock, "/nonexistent/%s.sock", user);
		inst.user_name = user;
		inst.domain = domain;
		inst.purpose = purposes[i % 3];
		inst.max_tenants = 100;
		inst.max_threads = 4;
		inst.control_socket = sock;
		if (store_register(st, &inst, time_now(), NULL, &err) == -1) {
			fprintf(stderr, "populate: %s\n", err.msg);
			store_close(st);
			return 1;
		}
	}
	store_close(st);
	return 0;
}
