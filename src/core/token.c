/*
 * token.c: tokens, the at-rest key and every other use of libsodium.
 *
 * This is the only file that includes <sodium.h>. Token format:
 *
 *   prefix ("hypa_" or "hypr_") || body || check
 *
 * The body is base62 [0-9A-Za-z] drawn with randombytes_uniform(62): 109
 * characters for an access token, 189 for a refresh token. The check is
 * the first 4 bytes of the keyless 32-byte BLAKE2b (crypto_generichash)
 * of prefix and body, read as a big-endian 32-bit number and written as
 * exactly 6 base62 digits, most significant first, zero-padded.
 *
 * Invariants: token text is only ever held in sodium_malloc'd memory
 * (token_alloc) and is wiped on release; token bytes are compared with
 * sodium_memcmp only; no message written here contains a token or key.
 * At rest a token is nonce || XChaCha20-Poly1305 ciphertext with the
 * additional data "hyptokens/1/<record>/<column>", so a blob moved to
 * another record or column does not open. Column names hold no '/'.
 *
 * The key file is one line: the padded base64 (original alphabet) of 32
 * random bytes, then a newline; mode 0600, never replaced once written.
 */
#include "hyp-token.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#define TOKEN_ALPHABET \
	"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
#define TOKEN_BASE		62

#define TOKEN_NONCE_LEN	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TOKEN_TAG_LEN	crypto_aead_xchacha20poly1305_ietf_ABYTES

/* Additional data prefix and the fixed text of the key-check blob. */
#define TOKEN_AD_VERSION	"hyptokens/1/"
#define TOKEN_CHECK_AD		"hyptokens/1/key-check"
#define TOKEN_CHECK_TEXT	"hyptokens key check: this key opens this file"

/* Key of the log fingerprint: public, it only separates the domain. */
#define TOKEN_FP_LABEL		"hyptokens/fingerprint/1"

/* Key file: base64 of TOKEN_KEY_LEN bytes and a newline; read bound. */
#define TOKEN_KEY_B64_LEN \
	(sodium_base64_ENCODED_LEN(TOKEN_KEY_LEN, \
	    sodium_base64_VARIANT_ORIGINAL) - 1)
#define TOKEN_KEY_FILE_MAX	128

#define TOKEN_STR(s)		((s) != NULL ? (s) : "")

#define TOKEN_KEY_FORM \
	"expected one line of base64 holding 32 bytes"

struct token_key {
	unsigned char	 key[TOKEN_KEY_LEN];
};

static void	*token_secure_alloc(size_t);
static size_t	 token_len_of(enum token_kind);
static const char *token_prefix_of(enum token_kind);
static void	 token_check_digits(const char *, size_t,
		    char [TOKEN_CHECK_LEN]);
static int	 token_in_alphabet(unsigned char);
static unsigned char *token_seal_ad(const struct token_key *,
		    const unsigned char *, size_t, const unsigned char *,
		    size_t, size_t *);
static int	 token_open_ad(const struct token_key *,
		    const unsigned char *, size_t, const unsigned char *,
		    size_t, unsigned char *, size_t, size_t *);
static char	*token_ad_new(const char *, const char *, size_t *);
static int	 token_write_all(int, const char *, size_t);
static void	 token_sync_parent(const char *);

/* Initialise libsodium. */
int
token_init(struct hyp_error *err)
{
	if (sodium_init() < 0)
		return hyp_error_set(err, HYP_E_KEY,
		    "cannot initialise libsodium");
	return 0;
}

/*
 * sodium_malloc needs an initialised library; sodium_init is idempotent
 * and thread-safe, so call it here too rather than trust the caller.
 * Running out of secure memory is treated like xmalloc failing.
 */
static void *
token_secure_alloc(size_t n)
{
	void	*p;

	if (sodium_init() < 0 || (p = sodium_malloc(n)) == NULL)
		abort();
	sodium_memzero(p, n);
	return p;
}

/* Zeroed secure buffer for token text. */
char *
token_alloc(void)
{
	return token_secure_alloc(TOKEN_MAX_LEN + 1);
}

/* Secure copy of at most TOKEN_MAX_LEN characters. */
char *
token_dup(const char *s)
{
	char	*t;
	size_t	 n;

	t = token_alloc();
	if (s != NULL) {
		n = strnlen(s, TOKEN_MAX_LEN);
		memcpy(t, s, n);
	}
	return t;
}

/* Wipe and release a token buffer. */
void
token_free(char *t)
{
	if (t != NULL)
		sodium_free(t);
}

/* Wipe n bytes. */
void
token_wipe(void *p, size_t n)
{
	if (p != NULL && n > 0)
		sodium_memzero(p, n);
}

static size_t
token_len_of(enum token_kind kind)
{
	switch (kind) {
	case TOKEN_ACCESS:
		return TOKEN_ACCESS_LEN;
	case TOKEN_REFRESH:
		return TOKEN_REFRESH_LEN;
	}
	return 0;
}

static const char *
token_prefix_of(enum token_kind kind)
{
	switch (kind) {
	case TOKEN_ACCESS:
		return TOKEN_ACCESS_PREFIX;
	case TOKEN_REFRESH:
		return TOKEN_REFRESH_PREFIX;
	}
	return NULL;
}

/* The 6 check digits of the first n characters (prefix and body). */
static void
token_check_digits(const char *s, size_t n, char out[TOKEN_CHECK_LEN])
{
	unsigned char	 h[crypto_generichash_BYTES];
	uint32_t	 v;
	int		 i;

	crypto_generichash(h, sizeof h, (const unsigned char *)s, n,
	    NULL, 0);
	v = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 |
	    (uint32_t)h[2] << 8 | (uint32_t)h[3];
	for (i = TOKEN_CHECK_LEN - 1; i >= 0; i--) {
		out[i] = TOKEN_ALPHABET[v % TOKEN_BASE];
		v /= TOKEN_BASE;
	}
	sodium_memzero(h, sizeof h);
}

/* Mint a new random token. */
char *
token_new(enum token_kind kind)
{
	const char	*prefix;
	size_t		 len, i;
	char		*t;

	if ((prefix = token_prefix_of(kind)) == NULL)
		return NULL;
	len = token_len_of(kind);
	t = token_alloc();
	memcpy(t, prefix, TOKEN_PREFIX_LEN);
	for (i = TOKEN_PREFIX_LEN; i < len - TOKEN_CHECK_LEN; i++)
		t[i] = TOKEN_ALPHABET[randombytes_uniform(TOKEN_BASE)];
	token_check_digits(t, len - TOKEN_CHECK_LEN,
	    t + len - TOKEN_CHECK_LEN);
	t[len] = '\0';
	return t;
}

static int
token_in_alphabet(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

/* Length, prefix, alphabet and checksum; reads exactly len bytes. */
int
token_is_wellformed(const char *s, size_t len, enum token_kind kind)
{
	const char	*prefix;
	char		 check[TOKEN_CHECK_LEN];
	size_t		 i;
	int		 ok;

	prefix = token_prefix_of(kind);
	if (s == NULL || prefix == NULL || len != token_len_of(kind))
		return 0;
	for (i = 0; i < TOKEN_PREFIX_LEN; i++) {
		if (s[i] != prefix[i])
			return 0;
	}
	for (i = TOKEN_PREFIX_LEN; i < len; i++) {
		if (!token_in_alphabet((unsigned char)s[i]))
			return 0;	/* also an embedded NUL */
	}
	token_check_digits(s, len - TOKEN_CHECK_LEN, check);
	ok = sodium_memcmp(check, s + len - TOKEN_CHECK_LEN,
	    TOKEN_CHECK_LEN) == 0;
	sodium_memzero(check, sizeof check);
	return ok;
}

/* Constant-time equality; a length mismatch is not a secret. */
int
token_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	if (a == NULL || b == NULL || alen != blen)
		return 0;
	if (alen == 0)
		return 1;
	return sodium_memcmp(a, b, alen) == 0;
}

static int
token_write_all(int fd, const char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == 0)
			errno = EIO;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Make the new directory entry durable; best effort. */
static void
token_sync_parent(const char *path)
{
	const char	*slash;
	char		*dir;
	int		 fd;

	slash = strrchr(path, '/');
	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Create a key file holding a fresh random key, mode 0600. */
int
token_key_create(const char *path, struct hyp_error *err)
{
	unsigned char	*key = NULL;
	char		*line = NULL;
	size_t		 b64size;
	int		 fd, rc = -1, created = 0, saved;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1) {
		if (errno == EEXIST)
			hyp_error_set(err, HYP_E_KEY, "key file %s already "
			    "exists; refusing to replace a key", path);
		else
			hyp_error_set(err, HYP_E_KEY,
			    "cannot create key file %s: %s", path,
			    strerror(errno));
		goto out;
	}
	created = 1;

	/* The umask may have cleared bits of 0600 but never added any. */
	if (fchmod(fd, 0600) == -1) {
		hyp_error_set(err, HYP_E_KEY, "cannot set mode 0600 on key "
		    "file %s: %s", path, strerror(errno));
		goto out;
	}

	key = token_secure_alloc(TOKEN_KEY_LEN);
	b64size = sodium_base64_ENCODED_LEN(TOKEN_KEY_LEN,
	    sodium_base64_VARIANT_ORIGINAL);
	line = token_secure_alloc(b64size + 1);
	randombytes_buf(key, TOKEN_KEY_LEN);
	sodium_bin2base64(line, b64size, key, TOKEN_KEY_LEN,
	    sodium_base64_VARIANT_ORIGINAL);
	line[b64size - 1] = '\n';

	if (token_write_all(fd, line, b64size) == -1 || fsync(fd) == -1) {
		hyp_error_set(err, HYP_E_KEY, "cannot write key file %s: %s",
		    path, strerror(errno));
		goto out;
	}
	saved = close(fd);
	fd = -1;
	if (saved == -1) {
		hyp_error_set(err, HYP_E_KEY, "cannot write key file %s: %s",
		    path, strerror(errno));
		goto out;
	}
	token_sync_parent(path);
	rc = 0;

out:
	if (fd != -1)
		close(fd);
	if (rc == -1 && created)
		unlink(path);	/* ours (O_EXCL): leave no half key */
	if (key != NULL)
		sodium_free(key);
	if (line != NULL)
		sodium_free(line);
	return rc;
}

/* Load and check the key file. */
struct token_key *
token_key_load(const char *path, struct hyp_error *err)
{
	struct token_key	*tk = NULL;
	struct stat		 st;
	unsigned char		*bin = NULL;
	char			*buf = NULL;
	const char		*end;
	size_t			 n = 0, b64len, binlen;
	ssize_t			 r;
	int			 fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ELOOP)
			hyp_error_set(err, HYP_E_KEY, "key file %s is a "
			    "symbolic link; refusing it", path);
		else
			hyp_error_set(err, HYP_E_KEY,
			    "cannot open key file %s: %s", path,
			    strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) == -1) {
		hyp_error_set(err, HYP_E_KEY, "cannot stat key file %s: %s",
		    path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		hyp_error_set(err, HYP_E_KEY,
		    "key file %s is not a regular file", path);
		goto out;
	}
	if ((st.st_mode & 077) != 0) {
		hyp_error_set(err, HYP_E_KEY, "key file %s is open to group "
		    "or others (mode %04o); run: chmod 600 %s", path,
		    (unsigned)(st.st_mode & 07777), path);
		goto out;
	}

	/* Read at most the bound: a longer file is refused below. */
	buf = token_secure_alloc(TOKEN_KEY_FILE_MAX + 1);
	while (n < TOKEN_KEY_FILE_MAX) {
		r = read(fd, buf + n, TOKEN_KEY_FILE_MAX - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			hyp_error_set(err, HYP_E_KEY,
			    "cannot read key file %s: %s", path,
			    strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}

	/* Exactly one line: base64 text, then an optional final newline. */
	b64len = n;
	if (b64len > 0 && buf[b64len - 1] == '\n')
		b64len--;
	bin = token_secure_alloc(TOKEN_KEY_FILE_MAX);
	if (b64len != TOKEN_KEY_B64_LEN || memchr(buf, '\n', b64len) != NULL ||
	    sodium_base642bin(bin, TOKEN_KEY_FILE_MAX, buf, b64len, NULL,
	    &binlen, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != buf + b64len || binlen != TOKEN_KEY_LEN) {
		hyp_error_set(err, HYP_E_KEY, "key file %s is not a valid key "
		    "(" TOKEN_KEY_FORM ")", path);
		goto out;
	}

	tk = token_secure_alloc(sizeof *tk);
	memcpy(tk->key, bin, TOKEN_KEY_LEN);
	sodium_mprotect_readonly(tk);

out:
	if (fd != -1)
		close(fd);
	if (buf != NULL)
		sodium_free(buf);
	if (bin != NULL)
		sodium_free(bin);
	return tk;
}

/* Wipe and release the key; NULL is accepted. */
void
token_key_free(struct token_key *tk)
{
	if (tk != NULL)
		sodium_free(tk);
}

/* "hyptokens/1/<record>/<column>"; caller frees. */
static char *
token_ad_new(const char *record, const char *column, size_t *len)
{
	char	*ad;

	*len = (size_t)xasprintf(&ad, TOKEN_AD_VERSION "%s/%s",
	    TOKEN_STR(record), TOKEN_STR(column));
	return ad;
}

/* nonce || ciphertext of m under ad; malloc'd. */
static unsigned char *
token_seal_ad(const struct token_key *tk, const unsigned char *ad,
    size_t adlen, const unsigned char *m, size_t mlen, size_t *outlen)
{
	unsigned char		*blob;
	unsigned long long	 clen;

	blob = xmalloc(TOKEN_NONCE_LEN + mlen + TOKEN_TAG_LEN);
	randombytes_buf(blob, TOKEN_NONCE_LEN);
	crypto_aead_xchacha20poly1305_ietf_encrypt(blob + TOKEN_NONCE_LEN,
	    &clen, m, mlen, ad, adlen, NULL, blob, tk->key);
	*outlen = TOKEN_NONCE_LEN + (size_t)clen;
	return blob;
}

/* Verify and decrypt into out (room for outmax); 0 or -1. */
static int
token_open_ad(const struct token_key *tk, const unsigned char *ad,
    size_t adlen, const unsigned char *blob, size_t len, unsigned char *out,
    size_t outmax, size_t *mlen)
{
	unsigned long long	 n;

	/* Bound the sizes before any work: the tag, and out's room. */
	if (blob == NULL || len < TOKEN_NONCE_LEN + TOKEN_TAG_LEN ||
	    len - TOKEN_NONCE_LEN - TOKEN_TAG_LEN > outmax)
		return -1;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, &n, NULL,
	    blob + TOKEN_NONCE_LEN, len - TOKEN_NONCE_LEN, ad, adlen, blob,
	    tk->key) != 0)
		return -1;
	*mlen = (size_t)n;
	return 0;
}

/* Encrypt token text for one record and column. */
unsigned char *
token_seal(const struct token_key *tk, const char *record,
    const char *column, const char *token, size_t *outlen)
{
	unsigned char	*blob;
	char		*ad;
	size_t		 adlen, tlen;

	if (tk == NULL || token == NULL)
		return NULL;
	tlen = strnlen(token, TOKEN_MAX_LEN + 1);
	if (tlen > TOKEN_MAX_LEN)
		return NULL;	/* token_open would refuse it */
	ad = token_ad_new(record, column, &adlen);
	blob = token_seal_ad(tk, (unsigned char *)ad, adlen,
	    (const unsigned char *)token, tlen, outlen);
	free(ad);
	return blob;
}

/* Decrypt a blob sealed for this record and column. */
char *
token_open(const struct token_key *tk, const char *record,
    const char *column, const unsigned char *blob, size_t len,
    struct hyp_error *err)
{
	char	*t, *ad;
	size_t	 adlen, mlen = 0;
	int	 rc = -1;

	if (tk == NULL) {
		hyp_error_set(err, HYP_E_KEY, "no key loaded to decrypt the "
		    "stored token of record %s column %s", TOKEN_STR(record),
		    TOKEN_STR(column));
		return NULL;
	}
	t = token_alloc();
	ad = token_ad_new(record, column, &adlen);
	if (token_open_ad(tk, (unsigned char *)ad, adlen, blob, len,
	    (unsigned char *)t, TOKEN_MAX_LEN, &mlen) == 0 &&
	    memchr(t, '\0', mlen) == NULL)
		rc = 0;
	free(ad);
	if (rc == -1) {
		token_free(t);
		hyp_error_set(err, HYP_E_KEY, "the stored token of record %s "
		    "column %s could not be decrypted (wrong key file, or the "
		    "value was moved or altered)", TOKEN_STR(record),
		    TOKEN_STR(column));
		return NULL;
	}
	return t;
}

/* Seal the fixed check text. */
unsigned char *
token_key_check_new(const struct token_key *tk, size_t *outlen)
{
	if (tk == NULL)
		return NULL;
	return token_seal_ad(tk, (const unsigned char *)TOKEN_CHECK_AD,
	    strlen(TOKEN_CHECK_AD), (const unsigned char *)TOKEN_CHECK_TEXT,
	    strlen(TOKEN_CHECK_TEXT), outlen);
}

/* 0 if the blob opens under this key and holds the check text. */
int
token_key_verify(const struct token_key *tk, const unsigned char *blob,
    size_t len, struct hyp_error *err)
{
	unsigned char	 out[sizeof TOKEN_CHECK_TEXT];
	size_t		 mlen = 0;
	int		 ok;

	if (tk == NULL)
		return hyp_error_set(err, HYP_E_KEY,
		    "the key file does not match this database");
	ok = token_open_ad(tk, (const unsigned char *)TOKEN_CHECK_AD,
	    strlen(TOKEN_CHECK_AD), blob, len, out, sizeof out, &mlen) == 0 &&
	    mlen == strlen(TOKEN_CHECK_TEXT) &&
	    sodium_memcmp(out, TOKEN_CHECK_TEXT, mlen) == 0;
	sodium_memzero(out, sizeof out);
	if (!ok)
		return hyp_error_set(err, HYP_E_KEY,
		    "the key file does not match this database");
	return 0;
}

/* 8 hex digits of a keyed hash: safe for logs, not reversible. */
char *
token_fingerprint(const char *s, size_t len, char *buf)
{
	unsigned char	 h[crypto_generichash_BYTES_MIN];

	crypto_generichash(h, sizeof h, (const unsigned char *)s, len,
	    (const unsigned char *)TOKEN_FP_LABEL, strlen(TOKEN_FP_LABEL));
	sodium_bin2hex(buf, TOKEN_FP_TEXT, h, 4);
	sodium_memzero(h, sizeof h);
	return buf;
}

/* BLAKE2b-256 of s keyed with the at-rest key. */
void
token_digest(const struct token_key *tk, const char *s, size_t len,
    unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)s, len, tk->key,
	    TOKEN_KEY_LEN);
}

/* Base64 of a token for the terminal's clipboard (OSC 52). */
int
token_base64(const char *s, size_t len, char *out, size_t outlen)
{
	if (outlen == 0)
		return -1;
	out[0] = '\0';
	if (outlen < sodium_base64_ENCODED_LEN(len,
	    sodium_base64_VARIANT_ORIGINAL))
		return -1;
	sodium_bin2base64(out, outlen, (const unsigned char *)s, len,
	    sodium_base64_VARIANT_ORIGINAL);
	return 0;
}

/* The first token prefix in s, in any case, or NULL. */
static char *
token_find_prefix(char *s)
{
	char	*a, *r;

	a = strcasestr(s, TOKEN_ACCESS_PREFIX);
	r = strcasestr(s, TOKEN_REFRESH_PREFIX);
	if (a == NULL || (r != NULL && r < a))
		return r;
	return a;
}

char *
token_hide(char *buf, size_t len)
{
	static const char	 mark[] = TOKEN_HIDDEN;
	char			*p = buf, *end;
	size_t			 tail, room;

	if (len == 0)
		return buf;
	while ((p = token_find_prefix(p)) != NULL) {
		end = p + TOKEN_PREFIX_LEN;
		while ((*end >= '0' && *end <= '9') ||
		    (*end >= 'A' && *end <= 'Z') ||
		    (*end >= 'a' && *end <= 'z'))
			end++;
		room = len - (size_t)(p - buf);
		if (room <= sizeof mark) {
			/* No room for the rest: the mark, cut, ends it. */
			hyp_strlcpy(p, mark, room);
			break;
		}
		tail = strlen(end) + 1;
		if (sizeof mark - 1 + tail > room)
			tail = room - (sizeof mark - 1);
		memmove(p + sizeof mark - 1, end, tail);
		p[sizeof mark - 1 + tail - 1] = '\0';
		memcpy(p, mark, sizeof mark - 1);
		p += sizeof mark - 1;
	}
	return buf;
}
