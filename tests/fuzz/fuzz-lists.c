/*
 * fuzz-lists.c: field_parse for Domain Enabled Modules (checked against
 * the shipped catalogue of share/) and Block These Functions.
 *
 * The first byte picks the field, the rest is the text typed. A model
 * written here predicts the outcome and the canonical text: entries
 * split at newlines and commas, '#' comments cut, blanks trimmed, module
 * names from a-z, 0-9, '_' and '-' and in the catalogue, function names
 * from A-Z, a-z, 0-9, '_', '.' and '-', 1 to 64 characters, duplicates
 * dropped (function names without regard to case), at most
 * POLICY_LIST_MAX entries. Besides: the canonical text parses again to
 * itself and is taken by field_set, and in the effective policy every
 * blocked name is blocked in any case and every enabled module served.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "hyp-policy.h"

static struct policy_catalog *fuzz_cat;

struct model {
	char		**v;
	size_t		  n;
	int		  bad;
	int		  dups;
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct hyp_error err;

	fuzz_cat = policy_catalog_load(fuzz_share_dir(), &err);
	if (fuzz_cat == NULL)
		fuzz_fail("catalogue: %s", err.msg);
	return 0;
}

static void
model_clear(struct model *m)
{
	size_t	 i;

	for (i = 0; i < m->n; i++)
		free(m->v[i]);
	free(m->v);
}

static int
model_is_name(enum hyp_field f, const char *s)
{
	const char	*set;
	size_t		 len = strlen(s);

	if (f == FIELD_MODULES)
		set = "abcdefghijklmnopqrstuvwxyz0123456789_-";
	else
		set = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789_.-";
	return len >= 1 && len <= POLICY_NAME_MAX && strspn(s, set) == len;
}

static void
model_add(enum hyp_field f, const struct policy_catalog *cat,
    struct model *m, const char *s, size_t len)
{
	char	*e;
	size_t	 i;
	int	 same;

	while (len > 0 && strchr(" \t\r", *s) != NULL) {
		s++;
		len--;
	}
	while (len > 0 && strchr(" \t\r", s[len - 1]) != NULL)
		len--;
	if (len == 0)
		return;
	e = xstrndup(s, len);
	if (!model_is_name(f, e) || (f == FIELD_MODULES && cat != NULL &&
	    policy_module_find(cat, e) == NULL)) {
		m->bad = 1;
		free(e);
		return;
	}
	for (i = 0; i < m->n; i++) {
		same = f == FIELD_MODULES ? strcmp(m->v[i], e) == 0 :
		    strcasecmp(m->v[i], e) == 0;
		if (same) {
			m->dups = 1;
			free(e);
			return;
		}
	}
	m->v = xrealloc(m->v, (m->n + 1) * sizeof *m->v);
	m->v[m->n++] = e;
}

static void
model_build(enum hyp_field f, const struct policy_catalog *cat,
    struct model *m, const char *in)
{
	const char	*line, *nl, *p, *end, *comma, *hash;

	memset(m, 0, sizeof *m);
	for (line = in; line != NULL; line = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		end = nl != NULL ? nl : line + strlen(line);
		if ((hash = memchr(line, '#', (size_t)(end - line))) != NULL)
			end = hash;
		for (p = line; p <= end; p = comma + 1) {
			comma = memchr(p, ',', (size_t)(end - p));
			if (comma == NULL)
				comma = end;
			model_add(f, cat, m, p, (size_t)(comma - p));
		}
	}
}

static char *
model_join(const struct model *m)
{
	char	*out = xstrdup(""), *next;
	size_t	 i;

	for (i = 0; i < m->n; i++) {
		xasprintf(&next, "%s%s%s", out, i > 0 ? "\n" : "", m->v[i]);
		free(out);
		out = next;
	}
	return out;
}

/* The record resolved with out in field f: each entry takes effect. */
static void
fuzz_check_effective(enum hyp_field f, const char *out,
    const struct model *m)
{
	struct policy_effective	 eff;
	struct hyp_record	 rec;
	struct hyp_error	 err;
	char			 name[POLICY_NAME_MAX + 1];
	size_t			 i, j;

	memset(&rec, 0, sizeof rec);
	hyp_strlcpy(rec.domain, "fuzz.example.com", sizeof rec.domain);
	hyp_strlcpy(rec.purpose, "api", sizeof rec.purpose);
	rec.token_life_hours = 1;
	rec.access_until = 1;
	FUZZ_ASSERT(field_set(&rec, f, out, &err) == 0, "field_set refused "
	    "canonical text: %s", err.msg);
	FUZZ_ASSERT(policy_effective_init(&eff, &rec, fuzz_cat, &err) == 0,
	    "effective policy refused: %s", err.msg);
	for (i = 0; i < m->n; i++) {
		if (f == FIELD_BLOCKED) {
			for (j = 0; m->v[i][j] != '\0'; j++)
				name[j] = (char)toupper(
				    (unsigned char)m->v[i][j]);
			name[j] = '\0';
			FUZZ_ASSERT(policy_is_blocked(&eff, m->v[i]) &&
			    policy_is_blocked(&eff, name), "'%s' is not "
			    "blocked in every case", m->v[i]);
			continue;
		}
		for (j = 0; j < eff.nmodules; j++) {
			if (strcmp(eff.modules[j], m->v[i]) == 0)
				break;
		}
		FUZZ_ASSERT(j < eff.nmodules, "module '%s' not enabled",
		    m->v[i]);
	}
	policy_effective_clear(&eff);
	record_clear(&rec);
}

static void
fuzz_check_field(enum hyp_field f, const char *in,
    const struct policy_catalog *cat)
{
	struct hyp_error err;
	struct model	 m;
	char		*out = NULL, *again = NULL, *want, warn[256];
	int		 rc, expect;

	model_build(f, cat, &m, in);
	expect = !m.bad && m.n <= POLICY_LIST_MAX;
	hyp_error_clear(&err);
	rc = field_parse(f, in, 0, cat, &out, warn, sizeof warn, &err);
	FUZZ_ASSERT(rc == (expect ? 0 : -1), "field %d%s: field_parse "
	    "returned %d, the model expects %s: %s", (int)f, cat != NULL ?
	    " with catalogue" : "", rc, expect ? "success" : "refusal",
	    err.msg);
	if (rc == -1) {
		FUZZ_ASSERT(out == NULL && err.code == HYP_E_INVALID &&
		    err.msg[0] != '\0' && !fuzz_has_control(err.msg),
		    "refusal without a printable reason");
		model_clear(&m);
		return;
	}
	want = model_join(&m);
	FUZZ_ASSERT(strcmp(out, want) == 0, "field %d: canonical text "
	    "differs from the model's", (int)f);
	FUZZ_ASSERT((warn[0] != '\0') == m.dups, "duplicate warning %d, "
	    "duplicates %d", warn[0] != '\0', m.dups);
	FUZZ_ASSERT(field_parse(f, out, 0, cat, &again, warn, sizeof warn,
	    &err) == 0, "canonical text refused: %s", err.msg);
	FUZZ_ASSERT(strcmp(again, out) == 0 && warn[0] == '\0',
	    "canonical text is not a fixed point");
	if (cat != NULL)
		fuzz_check_effective(f, out, &m);
	free(again);
	free(want);
	free(out);
	model_clear(&m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum hyp_field	 f;
	char		*in;

	if (size == 0)
		return 0;
	f = data[0] & 1 ? FIELD_BLOCKED : FIELD_MODULES;
	in = fuzz_string(data + 1, size - 1);
	fuzz_check_field(f, in, fuzz_cat);
	if (f == FIELD_MODULES)
		fuzz_check_field(f, in, NULL);
	free(in);
	return 0;
}
