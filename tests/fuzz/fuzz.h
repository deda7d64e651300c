/*
 * fuzz.h: what the libFuzzer targets of tests/fuzz share.
 *
 * Each target feeds one input path of the product with arbitrary bytes
 * and checks properties that must hold for every input, not only that
 * nothing crashed. A violated property prints one line naming the target
 * and the property, then aborts, so that libFuzzer keeps the input as a
 * crash artifact. Messages never hold token text.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* The entry points libFuzzer calls; Initialize is optional. */
int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	 LLVMFuzzerInitialize(int *, char ***);

/* Report a violated property and abort(). */
void	 fuzz_fail(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#define FUZZ_ASSERT(cond, ...) do {					\
	if (!(cond))							\
		fuzz_fail(__VA_ARGS__);					\
} while (0)

/* NUL-terminated copy of the input, cut at its first NUL; caller frees. */
char	*fuzz_string(const uint8_t *, size_t);
/*
 * A private folder for this process, made once (under $FUZZ_TMPDIR, else
 * $TMPDIR, else /tmp) and removed with its files at exit. Borrowed.
 */
const char *fuzz_tmpdir(void);
/* s with every byte outside 0x20..0x7e as \xNN, cut to fit buf. */
const char *fuzz_show(const char *, char *, size_t);
/* 1 if s holds a byte below 0x20 or 0x7f. */
int	 fuzz_has_control(const char *);
/* The folder of the shipped catalogues: $FUZZ_SHARE, else "share". */
const char *fuzz_share_dir(void);

#endif
