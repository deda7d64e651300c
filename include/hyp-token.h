/*
 * hyp-token.h: tokens and every other secret (SPEC section 5).
 * The only module that calls libsodium.
 *
 * Token format (both kinds): a 5-character type prefix, a random body of
 * base62 characters [0-9A-Za-z], and a 6-character base62 checksum of
 * prefix and body (keyless BLAKE2b, 32 bits). Base62 survives copy,
 * paste and double-click selection; the checksum lets a mistyped or
 * truncated token be refused before any lookup.
 *
 *   access:  "hypa_" + 109 random + 6 checksum = 120 characters
 *   refresh: "hypr_" + 189 random + 6 checksum = 200 characters
 *
 * Token text lives in sodium_malloc'd memory (guarded, locked where the
 * system allows, wiped on free): get it with token_new() or token_alloc()
 * and release it with token_free().
 */
#ifndef HYP_TOKEN_H
#define HYP_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "hyp-util.h"

#define TOKEN_ACCESS_LEN	120
#define TOKEN_REFRESH_LEN	200
#define TOKEN_MAX_LEN		200
#define TOKEN_ACCESS_PREFIX	"hypa_"
#define TOKEN_REFRESH_PREFIX	"hypr_"
#define TOKEN_PREFIX_LEN	5
#define TOKEN_CHECK_LEN		6
/* Fingerprint text: 8 hex digits of a keyed hash, safe for logs. */
#define TOKEN_FP_TEXT		9

#define TOKEN_KEY_LEN		32

enum token_kind {
	TOKEN_ACCESS,
	TOKEN_REFRESH,
};

/* Initialise libsodium; call once before anything else here. 0 or -1. */
int	 token_init(struct hyp_error *);

/* Secure buffer of TOKEN_MAX_LEN + 1 bytes, zeroed. Never NULL. */
char	*token_alloc(void);
/* Mint a new random token of that kind; caller frees with token_free(). */
char	*token_new(enum token_kind);
/* Secure copy of s (at most TOKEN_MAX_LEN characters). */
char	*token_dup(const char *);
/* Wipe and release; NULL is accepted. */
void	 token_free(char *);

/*
 * Well-formed: right length for the kind, right prefix, base62 body,
 * matching checksum. Returns 1 or 0; runs no lookup.
 */
int	 token_is_wellformed(const char *, size_t len, enum token_kind);

/*
 * Constant-time equality of two tokens: lengths compared first (a length
 * is not secret), then sodium_memcmp over the bytes. 1 if equal.
 */
int	 token_equal(const char *, size_t, const char *, size_t);

/* Wipe n bytes (sodium_memzero). */
void	 token_wipe(void *, size_t);

#define TOKEN_HIDDEN	"[token not shown]"

/*
 * Make text fit to show where a token may have been typed by mistake:
 * every run that starts with a token prefix (any case) and goes on in
 * the token alphabet becomes TOKEN_HIDDEN, in place, within len bytes
 * (cut at the end if it must grow). Returns buf.
 */
char	*token_hide(char *buf, size_t len);

/*
 * The at-rest key, read from the key file. Kept in secure memory.
 */
struct token_key;

/*
 * Create a key file with a fresh random key: O_CREAT|O_EXCL, mode 0600,
 * whatever the umask. Refuses if the file exists. 0 or -1 (HYP_E_KEY).
 */
int	 token_key_create(const char *path, struct hyp_error *);
/*
 * Load the key from path. Refuses a file that is missing, not a regular
 * file, readable by group or others, or not a well-formed key.
 * Returns NULL with HYP_E_KEY and a message naming the path.
 */
struct token_key *token_key_load(const char *path, struct hyp_error *);
void	 token_key_free(struct token_key *);

/*
 * Encrypt token text for the database, bound to a record and column:
 * XChaCha20-Poly1305 with additional data "hyptokens/1/<record>/<column>".
 * Returns a malloc'd blob (nonce || ciphertext) and its length in *outlen;
 * NULL only for a NULL key or token, or a token over TOKEN_MAX_LEN.
 */
unsigned char *token_seal(const struct token_key *, const char *record,
	    const char *column, const char *token, size_t *outlen);
/*
 * Decrypt a blob made by token_seal for the same record and column.
 * Returns a secure buffer (token_free) or NULL with HYP_E_KEY when the
 * blob was made with another key, record or column, or was altered.
 */
char	*token_open(const struct token_key *, const char *record,
	    const char *column, const unsigned char *, size_t,
	    struct hyp_error *);

/*
 * A key-check blob: seal a fixed text so a wrong key is detected before
 * any token is read. token_key_verify returns 0 if the key matches.
 */
unsigned char *token_key_check_new(const struct token_key *, size_t *);
int	 token_key_verify(const struct token_key *, const unsigned char *,
	    size_t, struct hyp_error *);

/*
 * Short non-reversible fingerprint for logs and audit rows: first 4 bytes
 * of BLAKE2b keyed with a fixed label, as 8 hex digits.
 */
char	*token_fingerprint(const char *, size_t, char *);

/*
 * Keyed digest (BLAKE2b-256 under the at-rest key) for the retired
 * refresh-token table: lets a replayed old token be recognised. Not for
 * display.
 */
void	 token_digest(const struct token_key *, const char *, size_t,
	    unsigned char out[32]);

/*
 * Standard base64 (RFC 4648 alphabet, padded) of len bytes into out, NUL
 * terminated: for the console's OSC 52 clipboard write. Returns 0, or -1
 * when outlen is too small (out is then left empty).
 */
int	 token_base64(const char *, size_t, char *out, size_t outlen);

#endif
