/*
 * test-token.c: token format, constant-time comparison, the key file and
 * encryption at rest (SPEC section 5, cases.md 23 and 24).
 *
 * No assertion here prints a token or a key: failures say what went
 * wrong, never the value.
 */
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hyp-token.h"

#define ALPHABET \
	"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
/* base64 of 32 zero bytes: a well-formed key line. */
#define ZERO_KEY_B64	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

/*
 * Every test runs in its own process with its own private directory,
 * made before the test and removed after it, even when an assertion
 * fails.
 */
static char	*tdir;

static void
token_setup(void)
{
	struct hyp_error err;

	cr_assert_eq(token_init(&err), 0, "%s", err.msg);
	tdir = xstrdup("/tmp/hyp-test-token.XXXXXX");
	cr_assert_not_null(mkdtemp(tdir));
}

static void
token_teardown(void)
{
	DIR		*dp;
	struct dirent	*de;
	char		*p;

	if (tdir == NULL)
		return;
	if ((dp = opendir(tdir)) != NULL) {
		while ((de = readdir(dp)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			xasprintf(&p, "%s/%s", tdir, de->d_name);
			if (unlink(p) == -1)
				rmdir(p);
			free(p);
		}
		closedir(dp);
	}
	rmdir(tdir);
	free(tdir);
	tdir = NULL;
}

TestSuite(token, .init = token_setup, .fini = token_teardown);

static char *
test_path(const char *dir, const char *name)
{
	char	*p;

	xasprintf(&p, "%s/%s", dir, name);
	return p;
}

static void
test_write_file(const char *path, const char *content, size_t len,
    mode_t mode)
{
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	cr_assert_neq(fd, -1);
	cr_assert_eq(fchmod(fd, mode), 0);
	cr_assert_eq(write(fd, content, len), (ssize_t)len);
	close(fd);
}

/* A loaded key, freshly created in dir under name. */
static struct token_key *
test_key_new(const char *dir, const char *name)
{
	struct hyp_error	 err;
	struct token_key	*k;
	char			*p;

	p = test_path(dir, name);
	cr_assert_eq(token_key_create(p, &err), 0, "%s", err.msg);
	k = token_key_load(p, &err);
	cr_assert_not_null(k, "%s", err.msg);
	free(p);
	return k;
}

/* Does hay (n bytes) hold any 8-character piece of the token? */
static int
holds_piece_of(const void *hay, size_t n, const char *tok, size_t tlen)
{
	size_t	 i;

	for (i = 0; i + 8 <= tlen; i++) {
		if (memmem(hay, n, tok + i, 8) != NULL)
			return 1;
	}
	return 0;
}

/* Token format. */

struct kind_case {
	enum token_kind	 kind;
	size_t		 len;
	char		 prefix[8];
	enum token_kind	 other;
};

ParameterizedTestParameters(token, new_token_fits_its_kind)
{
	static struct kind_case cases[] = {
		{ TOKEN_ACCESS, 120, "hypa_", TOKEN_REFRESH },
		{ TOKEN_REFRESH, 200, "hypr_", TOKEN_ACCESS },
	};

	return cr_make_param_array(struct kind_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct kind_case *c, token,
    new_token_fits_its_kind)
{
	char	*t;
	size_t	 i;

	t = token_new(c->kind);
	cr_assert_not_null(t);
	cr_assert_eq(strlen(t), c->len, "length %zu", strlen(t));
	for (i = 0; i < 5; i++)
		cr_assert_eq(t[i], c->prefix[i], "wrong prefix");
	for (i = 5; i < c->len; i++)
		cr_assert_not_null(strchr(ALPHABET, t[i]),
		    "character %zu outside [0-9A-Za-z]", i);
	cr_assert(token_is_wellformed(t, c->len, c->kind));
	cr_assert_not(token_is_wellformed(t, c->len, c->other),
	    "accepted as the other kind");
	token_free(t);
}

Test(token, two_new_tokens_differ)
{
	char	*a, *b, *c, *d;

	a = token_new(TOKEN_ACCESS);
	b = token_new(TOKEN_ACCESS);
	c = token_new(TOKEN_REFRESH);
	d = token_new(TOKEN_REFRESH);
	cr_assert_not(token_equal(a, strlen(a), b, strlen(b)));
	cr_assert_not(token_equal(c, strlen(c), d, strlen(d)));
	/* Not even one body half in common: the bodies are random. */
	cr_assert_not(holds_piece_of(b, strlen(b), a + 5, 100));
	token_free(a);
	token_free(b);
	token_free(c);
	token_free(d);
}

Test(token, body_uses_the_whole_alphabet)
{
	char	 seen[128] = { 0 };
	char	*t;
	size_t	 i, n = 0;
	int	 k;

	/* 40 refresh bodies are 7560 draws: every one of 62 shows up. */
	for (k = 0; k < 40; k++) {
		t = token_new(TOKEN_REFRESH);
		for (i = 5; i < 194; i++)
			seen[(unsigned char)t[i] & 127] = 1;
		token_free(t);
	}
	for (i = 0; i < strlen(ALPHABET); i++)
		n += seen[(unsigned char)ALPHABET[i]];
	cr_assert_eq(n, 62, "only %zu of 62 characters drawn", n);
}

enum damage {
	DMG_NONE,
	DMG_BODY_CHAR,		/* one body character changed */
	DMG_CHECK_CHAR,		/* one checksum character changed */
	DMG_TRUNCATED,
	DMG_LONGER,
	DMG_PREFIX,
	DMG_PREFIX_OTHER_KIND,
	DMG_DASH,
	DMG_SPACE,
	DMG_HIGH_BYTE,
	DMG_NUL,
	DMG_SWAP,		/* two neighbours swapped */
};

struct damage_case {
	enum token_kind	 kind;
	enum damage	 how;
	int		 ok;
	char		 name[32];
};

ParameterizedTestParameters(token, wellformed_refuses_every_damage)
{
	static struct damage_case cases[] = {
		{ TOKEN_ACCESS, DMG_NONE, 1, "intact access" },
		{ TOKEN_REFRESH, DMG_NONE, 1, "intact refresh" },
		{ TOKEN_ACCESS, DMG_BODY_CHAR, 0, "body char" },
		{ TOKEN_REFRESH, DMG_BODY_CHAR, 0, "body char" },
		{ TOKEN_ACCESS, DMG_CHECK_CHAR, 0, "check char" },
		{ TOKEN_REFRESH, DMG_CHECK_CHAR, 0, "check char" },
		{ TOKEN_ACCESS, DMG_TRUNCATED, 0, "truncated" },
		{ TOKEN_REFRESH, DMG_TRUNCATED, 0, "truncated" },
		{ TOKEN_ACCESS, DMG_LONGER, 0, "one longer" },
		{ TOKEN_REFRESH, DMG_LONGER, 0, "one longer" },
		{ TOKEN_ACCESS, DMG_PREFIX, 0, "prefix hypx_" },
		{ TOKEN_ACCESS, DMG_PREFIX_OTHER_KIND, 0, "prefix hypr_" },
		{ TOKEN_REFRESH, DMG_PREFIX_OTHER_KIND, 0, "prefix hypa_" },
		{ TOKEN_ACCESS, DMG_DASH, 0, "dash" },
		{ TOKEN_ACCESS, DMG_SPACE, 0, "space" },
		{ TOKEN_REFRESH, DMG_HIGH_BYTE, 0, "byte 0xe9" },
		{ TOKEN_ACCESS, DMG_NUL, 0, "embedded NUL" },
		{ TOKEN_REFRESH, DMG_NUL, 0, "embedded NUL" },
		{ TOKEN_ACCESS, DMG_SWAP, 0, "swapped pair" },
	};

	return cr_make_param_array(struct damage_case, cases,
	    sizeof cases / sizeof cases[0]);
}

/* Replace c by another character of the alphabet. */
static char
other_char(char c)
{
	return c == 'A' ? 'B' : 'A';
}

/*
 * Each damaged token is placed at the very end of a token_alloc buffer,
 * which libsodium puts right before a guard page: reading one byte past
 * len would crash the test.
 */
ParameterizedTest(struct damage_case *c, token,
    wellformed_refuses_every_damage)
{
	char	 m[TOKEN_MAX_LEN + 8];
	char	*t, *guard, *p;
	size_t	 len;

	t = token_new(c->kind);
	len = strlen(t);
	memcpy(m, t, len);
	switch (c->how) {
	case DMG_NONE:
		break;
	case DMG_BODY_CHAR:
		m[40] = other_char(m[40]);
		break;
	case DMG_CHECK_CHAR:
		m[len - 1] = other_char(m[len - 1]);
		break;
	case DMG_TRUNCATED:
		len--;
		break;
	case DMG_LONGER:
		m[len++] = 'A';
		break;
	case DMG_PREFIX:
		m[3] = 'x';
		break;
	case DMG_PREFIX_OTHER_KIND:
		m[3] = m[3] == 'a' ? 'r' : 'a';
		break;
	case DMG_DASH:
		m[60] = '-';
		break;
	case DMG_SPACE:
		m[7] = ' ';
		break;
	case DMG_HIGH_BYTE:
		m[100] = (char)0xe9;
		break;
	case DMG_NUL:
		m[50] = '\0';
		break;
	case DMG_SWAP:
		/* Find two different neighbours and swap them. */
		for (p = m + 5; p[0] == p[1]; p++)
			;
		p[0] ^= p[1];
		p[1] ^= p[0];
		p[0] ^= p[1];
		break;
	}
	guard = token_alloc();
	p = guard + TOKEN_MAX_LEN + 1 - len;
	memcpy(p, m, len);
	cr_assert_eq(token_is_wellformed(p, len, c->kind), c->ok, "%s",
	    c->name);
	token_wipe(m, sizeof m);
	token_free(guard);
	token_free(t);
}

Test(token, wellformed_refuses_null_and_empty)
{
	cr_assert_not(token_is_wellformed(NULL, 120, TOKEN_ACCESS));
	cr_assert_not(token_is_wellformed("", 0, TOKEN_ACCESS));
	cr_assert_not(token_is_wellformed("hypa_", 5, TOKEN_ACCESS));
}

/* Constant-time comparison. */

enum variant {
	VAR_SAME,
	VAR_FIRST,
	VAR_LAST,
	VAR_SHORTER,
	VAR_LONGER,
	VAR_MIDDLE,
};

struct equal_case {
	enum variant	 how;
	int		 want;
	char		 name[24];
};

ParameterizedTestParameters(token, equal_is_exact)
{
	static struct equal_case cases[] = {
		{ VAR_SAME, 1, "same" },
		{ VAR_FIRST, 0, "first char differs" },
		{ VAR_LAST, 0, "last char differs" },
		{ VAR_MIDDLE, 0, "middle char differs" },
		{ VAR_SHORTER, 0, "one shorter" },
		{ VAR_LONGER, 0, "one longer" },
	};

	return cr_make_param_array(struct equal_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct equal_case *c, token, equal_is_exact)
{
	char	*a, *b;
	size_t	 alen, blen;

	a = token_new(TOKEN_REFRESH);
	b = token_dup(a);
	alen = blen = strlen(a);
	switch (c->how) {
	case VAR_SAME:
		break;
	case VAR_FIRST:
		b[0] = 'H';
		break;
	case VAR_LAST:
		b[blen - 1] = other_char(b[blen - 1]);
		break;
	case VAR_MIDDLE:
		b[100] = other_char(b[100]);
		break;
	case VAR_SHORTER:
		b[--blen] = '\0';
		break;
	case VAR_LONGER:
		alen--;		/* a is b's prefix: b is one longer */
		break;
	}
	cr_assert_eq(token_equal(a, alen, b, blen), c->want, "%s", c->name);
	cr_assert_eq(token_equal(b, blen, a, alen), c->want, "%s reversed",
	    c->name);
	token_free(a);
	token_free(b);
}

Test(token, equal_reads_past_a_nul_and_refuses_null)
{
	cr_assert_not(token_equal("a\0b", 3, "a\0c", 3),
	    "stopped at the NUL like strcmp");
	cr_assert(token_equal("a\0b", 3, "a\0b", 3));
	cr_assert_not(token_equal(NULL, 0, "", 0));
	cr_assert_not(token_equal("", 0, NULL, 0));
}

/* Secure buffers. */

Test(token, alloc_is_zeroed_and_dup_is_bounded)
{
	char	 longer[300];
	char	*t;
	size_t	 i;

	t = token_alloc();
	for (i = 0; i <= TOKEN_MAX_LEN; i++)
		cr_assert_eq(t[i], 0, "byte %zu not zeroed", i);
	token_free(t);

	memset(longer, 'Q', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	t = token_dup(longer);
	cr_assert_eq(strlen(t), TOKEN_MAX_LEN);
	token_free(t);

	t = token_dup("hypa_short");
	cr_assert_eq(strlen(t), 10);
	cr_assert(token_equal(t, strlen(t), "hypa_short", 10));
	token_free(t);
	token_free(NULL);
	token_key_free(NULL);
}

Test(token, wipe_zeroes_the_bytes)
{
	char	 buf[16];
	size_t	 i;

	memset(buf, 'z', sizeof buf);
	token_wipe(buf, 10);
	for (i = 0; i < 10; i++)
		cr_assert_eq(buf[i], 0);
	cr_assert_eq(buf[10], 'z', "wiped past n");
}

/* Key file. */

Test(token, key_file_is_created_0600_even_with_umask_000)
{
	struct hyp_error err;
	struct stat	 st;
	char		*d, *p;

	d = tdir;
	p = test_path(d, "key");
	umask(0);
	cr_assert_eq(token_key_create(p, &err), 0, "%s", err.msg);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert(S_ISREG(st.st_mode));
	cr_assert_eq(st.st_mode & 07777, 0600, "mode %04o",
	    (unsigned)(st.st_mode & 07777));
	/* One line: 44 base64 characters and a newline. */
	cr_assert_eq(st.st_size, 45);
	free(p);
}

Test(token, key_create_refuses_an_existing_file_and_keeps_it)
{
	struct hyp_error err;
	struct stat	 st;
	char		*d, *p;
	char		 buf[16];
	int		 fd;

	d = tdir;
	p = test_path(d, "key");
	test_write_file(p, "precious", 8, 0600);
	cr_assert_eq(token_key_create(p, &err), -1);
	cr_assert_eq(err.code, HYP_E_KEY);
	cr_assert_not_null(strstr(err.msg, p), "path not named: %s",
	    err.msg);
	cr_assert_not_null(strstr(err.msg, "exists"), "%s", err.msg);
	cr_assert_eq(stat(p, &st), 0, "the existing file was removed");
	fd = open(p, O_RDONLY);
	cr_assert_eq(read(fd, buf, sizeof buf), 8);
	cr_assert_eq(memcmp(buf, "precious", 8), 0, "existing file changed");
	close(fd);

	/* A second create over a real key is refused the same way. */
	free(p);
	p = test_path(d, "key2");
	cr_assert_eq(token_key_create(p, &err), 0, "%s", err.msg);
	cr_assert_eq(token_key_create(p, &err), -1);
	cr_assert_eq(err.code, HYP_E_KEY);
	free(p);
}

Test(token, key_create_does_not_follow_a_symlink)
{
	struct hyp_error err;
	struct stat	 st;
	char		*d, *p, *target;

	d = tdir;
	p = test_path(d, "key");
	target = test_path(d, "elsewhere");
	cr_assert_eq(symlink(target, p), 0);
	cr_assert_eq(token_key_create(p, &err), -1);
	cr_assert_eq(err.code, HYP_E_KEY);
	cr_assert_neq(stat(target, &st), 0, "the link target was created");
	free(p);
	free(target);
}

/* Modes that let group or others at the key. */
static const mode_t open_modes[] = { 0644, 0640, 0604, 0660, 0602 };

Test(token, key_load_refuses_a_file_open_to_others)
{
	struct hyp_error	 err;
	struct token_key	*k;
	char			*d, *p, *want;
	size_t			 i;

	d = tdir;
	p = test_path(d, "key");
	xasprintf(&want, "chmod 600 %s", p);
	cr_assert_eq(token_key_create(p, &err), 0, "%s", err.msg);
	for (i = 0; i < sizeof open_modes / sizeof open_modes[0]; i++) {
		cr_assert_eq(chmod(p, open_modes[i]), 0);
		k = token_key_load(p, &err);
		cr_assert_null(k, "mode %04o accepted",
		    (unsigned)open_modes[i]);
		cr_assert_eq(err.code, HYP_E_KEY);
		cr_assert_not_null(strstr(err.msg, want), "%s", err.msg);
	}
	cr_assert_eq(chmod(p, 0400), 0);
	k = token_key_load(p, &err);
	cr_assert_not_null(k, "mode 0400 refused: %s", err.msg);
	token_key_free(k);
	free(want);
	free(p);
}

Test(token, key_load_refuses_a_missing_file_naming_it)
{
	struct hyp_error	 err;
	struct token_key	*k;
	char			*d, *p;

	d = tdir;
	p = test_path(d, "absent");
	k = token_key_load(p, &err);
	cr_assert_null(k);
	cr_assert_eq(err.code, HYP_E_KEY);
	cr_assert_not_null(strstr(err.msg, p), "path not named: %s",
	    err.msg);
	free(p);
}

Test(token, key_load_refuses_a_symlink_and_a_directory)
{
	struct hyp_error	 err;
	char			*d, *p, *link, *sub;

	d = tdir;
	p = test_path(d, "key");
	link = test_path(d, "link");
	sub = test_path(d, "sub");
	cr_assert_eq(token_key_create(p, &err), 0, "%s", err.msg);
	cr_assert_eq(symlink(p, link), 0);
	cr_assert_null(token_key_load(link, &err), "followed a symlink");
	cr_assert_eq(err.code, HYP_E_KEY);
	cr_assert_not_null(strstr(err.msg, link), "%s", err.msg);
	cr_assert_eq(mkdir(sub, 0700), 0);
	cr_assert_null(token_key_load(sub, &err), "loaded a directory");
	cr_assert_eq(err.code, HYP_E_KEY);
	free(p);
	free(link);
	free(sub);
}

struct keyfile_case {
	char	 content[160];
	int	 len;		/* -1: strlen(content) */
	int	 ok;
	char	 name[32];
};

ParameterizedTestParameters(token, key_load_parses_strictly)
{
	static struct keyfile_case cases[] = {
		{ ZERO_KEY_B64 "\n", -1, 1, "one line" },
		{ ZERO_KEY_B64, -1, 1, "no final newline" },
		{ "", -1, 0, "empty" },
		{ "\n", -1, 0, "blank line" },
		{ "not a key at all\n", -1, 0, "garbage" },
		{ "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n", -1, 0,
		    "31 bytes" },
		{ "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", -1, 0,
		    "33 bytes" },
		{ "AAAAAAAAAAAAAAAAAAAAAA==\n", -1, 0, "16 bytes" },
		{ ZERO_KEY_B64 "\n" ZERO_KEY_B64 "\n", -1, 0, "two lines" },
		{ ZERO_KEY_B64 "\n\n", -1, 0, "trailing blank line" },
		{ ZERO_KEY_B64 "\r\n", -1, 0, "CRLF" },
		{ " " ZERO_KEY_B64 "\n", -1, 0, "leading space" },
		{ ZERO_KEY_B64 " \n", -1, 0, "trailing space" },
		{ "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-=\n", -1, 0,
		    "url-safe character" },
		{ "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", -1, 0,
		    "padding missing" },
		{ "AAAAAAAAAAAAAAAAAAAAA\0AAAAAAAAAAAAAAAAAAAAA=\n", 45, 0,
		    "NUL inside" },
	};

	return cr_make_param_array(struct keyfile_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct keyfile_case *c, token, key_load_parses_strictly)
{
	struct hyp_error	 err;
	struct token_key	*k;
	char			*d, *p;
	size_t			 len;

	len = c->len < 0 ? strlen(c->content) : (size_t)c->len;
	d = tdir;
	p = test_path(d, "key");
	test_write_file(p, c->content, len, 0600);
	hyp_error_clear(&err);
	k = token_key_load(p, &err);
	if (c->ok) {
		cr_assert_not_null(k, "%s: %s", c->name, err.msg);
	} else {
		cr_assert_null(k, "%s accepted", c->name);
		cr_assert_eq(err.code, HYP_E_KEY);
		cr_assert_not_null(strstr(err.msg, p), "%s: %s", c->name,
		    err.msg);
		cr_assert_null(strstr(err.msg, "AAAAAAAA"),
		    "%s: key text in the message", c->name);
	}
	token_key_free(k);
	free(p);
}

Test(token, key_file_round_trips_through_a_second_load)
{
	struct hyp_error	 err;
	struct token_key	*k1, *k2;
	unsigned char		*blob;
	char			*d, *p, *t, *back;
	size_t			 len;

	d = tdir;
	p = test_path(d, "key");
	cr_assert_eq(token_key_create(p, &err), 0, "%s", err.msg);
	k1 = token_key_load(p, &err);
	k2 = token_key_load(p, &err);
	cr_assert(k1 != NULL && k2 != NULL, "%s", err.msg);
	t = token_new(TOKEN_ACCESS);
	blob = token_seal(k1, "alice", "access_token", t, &len);
	back = token_open(k2, "alice", "access_token", blob, len, &err);
	cr_assert_not_null(back, "%s", err.msg);
	cr_assert(token_equal(back, strlen(back), t, strlen(t)));
	free(blob);
	token_free(back);
	token_free(t);
	token_key_free(k1);
	token_key_free(k2);
	free(p);
}

Test(token, two_created_keys_differ)
{
	struct hyp_error	 err;
	char			*d, *p1, *p2;
	char			 b1[64], b2[64];
	int			 fd;

	d = tdir;
	p1 = test_path(d, "k1");
	p2 = test_path(d, "k2");
	cr_assert_eq(token_key_create(p1, &err), 0, "%s", err.msg);
	cr_assert_eq(token_key_create(p2, &err), 0, "%s", err.msg);
	fd = open(p1, O_RDONLY);
	cr_assert_eq(read(fd, b1, sizeof b1), 45);
	close(fd);
	fd = open(p2, O_RDONLY);
	cr_assert_eq(read(fd, b2, sizeof b2), 45);
	close(fd);
	cr_assert_neq(memcmp(b1, b2, 44), 0, "the same key twice");
	free(p1);
	free(p2);
}

/* Encryption at rest. */

static const enum token_kind kinds[] = { TOKEN_ACCESS, TOKEN_REFRESH };

Test(token, seal_and_open_round_trip_both_kinds)
{
	struct hyp_error	 err;
	struct token_key	*k;
	unsigned char		*b1, *b2;
	char			*d, *t, *back;
	size_t			 i, l1, l2, tlen;

	d = tdir;
	k = test_key_new(d, "key");
	for (i = 0; i < 2; i++) {
		t = token_new(kinds[i]);
		tlen = strlen(t);
		b1 = token_seal(k, "alice", "refresh_token", t, &l1);
		b2 = token_seal(k, "alice", "refresh_token", t, &l2);
		cr_assert(b1 != NULL && b2 != NULL);
		cr_assert_eq(l1, 24 + tlen + 16, "blob length %zu", l1);
		cr_assert(l1 != l2 || memcmp(b1, b2, l1) != 0,
		    "same blob twice: the nonce is not random");
		cr_assert_not(holds_piece_of(b1, l1, t, tlen),
		    "token text in the blob");
		back = token_open(k, "alice", "refresh_token", b1, l1, &err);
		cr_assert_not_null(back, "%s", err.msg);
		cr_assert(token_equal(back, strlen(back), t, tlen),
		    "round trip changed the token");
		cr_assert(token_is_wellformed(back, strlen(back), kinds[i]));
		token_free(back);
		token_free(t);
		free(b1);
		free(b2);
	}
	token_key_free(k);
}

enum tamper {
	TMP_RECORD,
	TMP_COLUMN,
	TMP_NONCE_BYTE,
	TMP_CIPHER_BYTE,
	TMP_TAG_BYTE,
	TMP_TRUNCATED,
	TMP_EXTENDED,
	TMP_TOO_SHORT,
	TMP_EMPTY,
	TMP_OTHER_KEY,
};

struct tamper_case {
	enum tamper	 how;
	char		 name[32];
};

ParameterizedTestParameters(token, open_refuses_a_moved_or_altered_blob)
{
	static struct tamper_case cases[] = {
		{ TMP_RECORD, "another record" },
		{ TMP_COLUMN, "another column" },
		{ TMP_NONCE_BYTE, "nonce byte flipped" },
		{ TMP_CIPHER_BYTE, "ciphertext byte flipped" },
		{ TMP_TAG_BYTE, "tag byte flipped" },
		{ TMP_TRUNCATED, "one byte short" },
		{ TMP_EXTENDED, "one byte more" },
		{ TMP_TOO_SHORT, "shorter than nonce and tag" },
		{ TMP_EMPTY, "empty" },
		{ TMP_OTHER_KEY, "another key" },
	};

	return cr_make_param_array(struct tamper_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct tamper_case *c, token,
    open_refuses_a_moved_or_altered_blob)
{
	struct hyp_error	 err;
	struct token_key	*k, *other, *use;
	unsigned char		*blob, *copy;
	const char		*rec = "alice", *col = "access_token";
	char			*d, *t, *back;
	size_t			 len, n;

	d = tdir;
	k = test_key_new(d, "key");
	other = test_key_new(d, "other");
	t = token_new(TOKEN_ACCESS);
	blob = token_seal(k, "alice", "access_token", t, &len);
	copy = xmalloc(len + 1);
	memcpy(copy, blob, len);
	copy[len] = 0;
	n = len;
	use = k;
	switch (c->how) {
	case TMP_RECORD:
		rec = "bob";
		break;
	case TMP_COLUMN:
		col = "prev_access_token";
		break;
	case TMP_NONCE_BYTE:
		copy[3] ^= 0x01;
		break;
	case TMP_CIPHER_BYTE:
		copy[24 + 60] ^= 0x80;
		break;
	case TMP_TAG_BYTE:
		copy[len - 1] ^= 0x01;
		break;
	case TMP_TRUNCATED:
		n = len - 1;
		break;
	case TMP_EXTENDED:
		n = len + 1;
		break;
	case TMP_TOO_SHORT:
		n = 39;
		break;
	case TMP_EMPTY:
		n = 0;
		break;
	case TMP_OTHER_KEY:
		use = other;
		break;
	}
	hyp_error_clear(&err);
	back = token_open(use, rec, col, copy, n, &err);
	cr_assert_null(back, "%s: opened", c->name);
	cr_assert_eq(err.code, HYP_E_KEY);
	cr_assert_not_null(strstr(err.msg, "could not be decrypted"), "%s",
	    err.msg);
	cr_assert_not_null(strstr(err.msg, rec), "record not named: %s",
	    err.msg);
	cr_assert_not_null(strstr(err.msg, col), "column not named: %s",
	    err.msg);
	cr_assert_not(holds_piece_of(err.msg, strlen(err.msg), t, strlen(t)),
	    "token text in the message");

	/* The untouched blob still opens where it belongs. */
	back = token_open(k, "alice", "access_token", blob, len, &err);
	cr_assert_not_null(back, "%s", err.msg);
	token_free(back);
	free(copy);
	free(blob);
	token_free(t);
	token_key_free(k);
	token_key_free(other);
}

Test(token, key_check_tells_the_right_key_from_a_wrong_one)
{
	struct hyp_error	 err;
	struct token_key	*k, *other;
	unsigned char		*check, *sealed;
	char			*d, *t;
	size_t			 len, slen;

	d = tdir;
	k = test_key_new(d, "key");
	other = test_key_new(d, "other");
	check = token_key_check_new(k, &len);
	cr_assert_not_null(check);
	cr_assert_eq(token_key_verify(k, check, len, &err), 0, "%s",
	    err.msg);

	hyp_error_clear(&err);
	cr_assert_eq(token_key_verify(other, check, len, &err), -1);
	cr_assert_eq(err.code, HYP_E_KEY);
	cr_assert_str_eq(err.msg, "the key file does not match this database");

	cr_assert_eq(token_key_verify(k, check, len - 1, &err), -1);
	cr_assert_eq(token_key_verify(k, check, 0, &err), -1);
	check[len / 2] ^= 0x04;
	cr_assert_eq(token_key_verify(k, check, len, &err), -1);

	/* A token blob under the same key is no key check. */
	t = token_new(TOKEN_ACCESS);
	sealed = token_seal(k, "key-check", "x", t, &slen);
	cr_assert_eq(token_key_verify(k, sealed, slen, &err), -1);
	free(sealed);
	token_free(t);
	free(check);
	token_key_free(k);
	token_key_free(other);
}

/* Fingerprints and digests. */

Test(token, fingerprint_is_short_stable_hex_and_reveals_nothing)
{
	char	 fp1[TOKEN_FP_TEXT], fp2[TOKEN_FP_TEXT], fp3[TOKEN_FP_TEXT];
	char	*t, *u;
	size_t	 i;

	t = token_new(TOKEN_REFRESH);
	u = token_new(TOKEN_REFRESH);
	memset(fp1, 'x', sizeof fp1);
	cr_assert_eq(token_fingerprint(t, strlen(t), fp1), fp1);
	cr_assert_eq(strlen(fp1), 8);
	for (i = 0; i < 8; i++)
		cr_assert_not_null(strchr("0123456789abcdef", fp1[i]),
		    "not lowercase hex");
	token_fingerprint(t, strlen(t), fp2);
	cr_assert_str_eq(fp1, fp2, "not stable");
	token_fingerprint(u, strlen(u), fp3);
	cr_assert_str_neq(fp1, fp3, "two tokens, one fingerprint");
	cr_assert_not(holds_piece_of(t, strlen(t), fp1, 8),
	    "fingerprint is a piece of the token");
	token_free(t);
	token_free(u);
}

Test(token, digest_depends_on_token_and_key)
{
	struct token_key	*k, *other;
	unsigned char		 a[32], b[32], c[32], e[32];
	char			*d, *t, *u;

	d = tdir;
	k = test_key_new(d, "key");
	other = test_key_new(d, "other");
	t = token_new(TOKEN_REFRESH);
	u = token_new(TOKEN_REFRESH);
	token_digest(k, t, strlen(t), a);
	token_digest(k, t, strlen(t), b);
	token_digest(k, u, strlen(u), c);
	token_digest(other, t, strlen(t), e);
	cr_assert_eq(memcmp(a, b, 32), 0, "not stable");
	cr_assert_neq(memcmp(a, c, 32), 0, "two tokens, one digest");
	cr_assert_neq(memcmp(a, e, 32), 0, "digest ignores the key");
	token_free(t);
	token_free(u);
	token_key_free(k);
	token_key_free(other);
}

struct hide_case {
	char	 in[96];
	char	 want[96];
};

/* Token runs become the mark; what is around them stays. */
static struct hide_case hides[] = {
	{ "no token here", "no token here" },
	{ "hyp_a and hypa", "hyp_a and hypa" },
	{ "hypa_0123456789abcXYZ", TOKEN_HIDDEN },
	{ "domain 'hypa_Abc9' unknown", "domain '" TOKEN_HIDDEN "' unknown" },
	{ "HYPR_abc=1", TOKEN_HIDDEN "=1" },
	{ "x hypA_12 y Hypr_34 z", "x " TOKEN_HIDDEN " y " TOKEN_HIDDEN " z" },
	{ "hypa_", TOKEN_HIDDEN },
	{ "xhypr_q-r", "x" TOKEN_HIDDEN "-r" },
};

ParameterizedTestParameters(token, hide)
{
	return cr_make_param_array(struct hide_case, hides,
	    sizeof hides / sizeof hides[0]);
}

ParameterizedTest(struct hide_case *c, token, hide)
{
	char	 buf[96];

	strcpy(buf, c->in);
	cr_assert_str_eq(token_hide(buf, sizeof buf), c->want);
}

/* Cut to fit: still terminated, and no byte of the token is left. */
Test(token, hide_within_a_small_buffer)
{
	static const char	 raw[] = "ab " TOKEN_ACCESS_PREFIX;
	static const char	 hid[] = "ab " TOKEN_HIDDEN;
	char			 buf[sizeof hid + 4], *tok;
	size_t			 n;

	tok = token_new(TOKEN_ACCESS);
	for (n = 1; n <= sizeof buf; n++) {
		snprintf(buf, n, "ab %s", tok);
		token_hide(buf, n);
		/* Until the whole prefix fits, nothing of the token is in. */
		if (n - 1 < strlen(raw))
			cr_assert_eq(strncmp(buf, raw, n - 1), 0, "%zu", n);
		else
			cr_assert_eq(strncmp(buf, hid, n - 1), 0, "%zu", n);
		cr_assert_eq(strlen(buf), n - 1 < strlen(hid) ? n - 1 :
		    strlen(hid), "%zu", n);
	}
	token_free(tok);
}
