/*
 * fuzz-token.c: token_is_wellformed and token_equal on arbitrary bytes.
 *
 * The input is handed over in a buffer of exactly its length, so ASan
 * reports any read past len. Properties: a token is accepted only with
 * the length of its kind, its prefix and every byte in [0-9A-Za-z]; a
 * token minted here is accepted, and the same token with any byte
 * changed (the input says which and to what) is refused; token_equal of
 * a value with itself or a copy is 1, with a shorter or changed copy 0.
 * No failure message shows token bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "hyp-token.h"

static char	*fuzz_minted[2];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct hyp_error err;

	if (token_init(&err) == -1)
		fuzz_fail("token_init: %s", err.msg);
	fuzz_minted[TOKEN_ACCESS] = token_new(TOKEN_ACCESS);
	fuzz_minted[TOKEN_REFRESH] = token_new(TOKEN_REFRESH);
	return 0;
}

static int
fuzz_in_alphabet(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

/* What acceptance implies, from the format of hyp-token.h alone. */
static void
fuzz_check_raw(const char *s, size_t len, enum token_kind kind)
{
	const char	*prefix;
	size_t		 want, i;

	if (!token_is_wellformed(s, len, kind))
		return;
	want = kind == TOKEN_ACCESS ? TOKEN_ACCESS_LEN : TOKEN_REFRESH_LEN;
	prefix = kind == TOKEN_ACCESS ? TOKEN_ACCESS_PREFIX :
	    TOKEN_REFRESH_PREFIX;
	FUZZ_ASSERT(len == want, "kind %d accepted with length %zu",
	    (int)kind, len);
	FUZZ_ASSERT(memcmp(s, prefix, TOKEN_PREFIX_LEN) == 0,
	    "kind %d accepted with another prefix", (int)kind);
	for (i = TOKEN_PREFIX_LEN; i < len; i++)
		FUZZ_ASSERT(fuzz_in_alphabet((unsigned char)s[i]),
		    "kind %d accepted with byte 0x%02x at %zu", (int)kind,
		    (unsigned char)s[i], i);
}

static void
fuzz_check_equal(const char *s, size_t len)
{
	char	*copy;

	copy = malloc(len > 0 ? len : 1);
	memcpy(copy, s, len);
	FUZZ_ASSERT(token_equal(s, len, s, len) == 1, "a value of %zu bytes "
	    "differs from itself", len);
	FUZZ_ASSERT(token_equal(s, len, copy, len) == 1, "a value of %zu "
	    "bytes differs from its copy", len);
	if (len > 0) {
		FUZZ_ASSERT(token_equal(s, len, copy, len - 1) == 0,
		    "a value equals its copy less one byte");
		copy[len / 2] ^= 0x01;
		FUZZ_ASSERT(token_equal(s, len, copy, len) == 0,
		    "a value equals a copy with a changed byte");
	}
	FUZZ_ASSERT(token_equal(NULL, 0, s, len) == 0, "NULL equals a value");
	free(copy);
}

/*
 * A minted token changed at input-chosen places: refused when anything
 * changed, accepted otherwise.
 */
static void
fuzz_check_mutated(const uint8_t *data, size_t size)
{
	enum token_kind	 kind = data[0] & 1 ? TOKEN_REFRESH : TOKEN_ACCESS;
	size_t		 len, i, at, cut;
	char		*t;
	int		 changed = 0, ok;

	len = kind == TOKEN_ACCESS ? TOKEN_ACCESS_LEN : TOKEN_REFRESH_LEN;
	t = malloc(len);
	memcpy(t, fuzz_minted[kind], len);
	for (i = 1; i + 1 < size; i += 2) {
		at = data[i] % len;
		if (t[at] != (char)data[i + 1])
			changed = 1;
		t[at] = (char)data[i + 1];
	}
	if (changed)
		changed = memcmp(t, fuzz_minted[kind], len) != 0;
	cut = data[0] >> 1 & 3;		/* also try it cut short */
	ok = token_is_wellformed(t, len, kind);
	FUZZ_ASSERT(ok == !changed, "kind %d: %s token %s", (int)kind,
	    changed ? "changed" : "minted", ok ? "accepted" : "refused");
	FUZZ_ASSERT(!token_is_wellformed(t, len, kind == TOKEN_ACCESS ?
	    TOKEN_REFRESH : TOKEN_ACCESS), "token accepted as the other kind");
	if (cut > 0)
		FUZZ_ASSERT(!token_is_wellformed(t, len - cut, kind),
		    "token accepted %zu bytes short", cut);
	fuzz_check_raw(t, len, kind);
	free(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	s = malloc(size > 0 ? size : 1);
	memcpy(s, data, size);
	fuzz_check_raw(s, size, TOKEN_ACCESS);
	fuzz_check_raw(s, size, TOKEN_REFRESH);
	fuzz_check_equal(s, size);
	free(s);
	if (size > 0)
		fuzz_check_mutated(data, size);
	return 0;
}
