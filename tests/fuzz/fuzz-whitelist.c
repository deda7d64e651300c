/*
 * fuzz-whitelist.c: field_parse(FIELD_WHITELIST) on arbitrary text.
 *
 * A small model of SPEC section 4 written here (entries split at
 * newlines and commas, '#' comments cut, spaces, tabs and CRs trimmed,
 * empty entries dropped, duplicates of a block dropped) predicts the
 * outcome and the canonical text. Properties besides: the canonical
 * text parses again to itself; every line passes cidr_parse and the
 * whole passes ipv4_list_parse and field_set; at most POLICY_LIST_MAX
 * entries; "" (every address allowed) only for a field left blank.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "hyp-policy.h"

struct model {
	char		**text;		/* unique entries, first spelling */
	unsigned int	 *addr, *prefix;
	size_t		  n;
	int		  bad;		/* an entry cidr_parse refuses */
	int		  dups;
	size_t		  entries;	/* non-empty entries seen */
};

static void
model_clear(struct model *m)
{
	size_t	 i;

	for (i = 0; i < m->n; i++)
		free(m->text[i]);
	free(m->text);
	free(m->addr);
	free(m->prefix);
}

static void
model_add(struct model *m, const char *s, size_t len)
{
	char		*e;
	unsigned int	 addr, prefix;
	size_t		 i;

	while (len > 0 && strchr(" \t\r", *s) != NULL) {
		s++;
		len--;
	}
	while (len > 0 && strchr(" \t\r", s[len - 1]) != NULL)
		len--;
	if (len == 0)
		return;
	m->entries++;
	e = xstrndup(s, len);
	if (cidr_parse(e, &addr, &prefix, NULL) == -1) {
		m->bad = 1;
		free(e);
		return;
	}
	for (i = 0; i < m->n; i++) {
		if (m->addr[i] == addr && m->prefix[i] == prefix) {
			m->dups = 1;
			free(e);
			return;
		}
	}
	m->text = xrealloc(m->text, (m->n + 1) * sizeof *m->text);
	m->addr = xrealloc(m->addr, (m->n + 1) * sizeof *m->addr);
	m->prefix = xrealloc(m->prefix, (m->n + 1) * sizeof *m->prefix);
	m->text[m->n] = e;
	m->addr[m->n] = addr;
	m->prefix[m->n] = prefix;
	m->n++;
}

static void
model_build(struct model *m, const char *in)
{
	const char	*line, *nl, *p, *end, *comma, *hash;

	memset(m, 0, sizeof *m);
	for (line = in; line != NULL; line = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		end = nl != NULL ? nl : line + strlen(line);
		hash = memchr(line, '#', (size_t)(end - line));
		if (hash != NULL)
			end = hash;
		for (p = line; p <= end; p = comma + 1) {
			comma = memchr(p, ',', (size_t)(end - p));
			if (comma == NULL)
				comma = end;
			model_add(m, p, (size_t)(comma - p));
		}
	}
}

static char *
model_join(const struct model *m)
{
	char	*out = xstrdup(""), *next;
	size_t	 i;

	for (i = 0; i < m->n; i++) {
		xasprintf(&next, "%s%s%s", out, i > 0 ? "\n" : "",
		    m->text[i]);
		free(out);
		out = next;
	}
	return out;
}

/* What must hold of any canonical whitelist text. */
static void
fuzz_check_canonical(const char *out)
{
	struct hyp_error err;
	struct hyp_record rec;
	struct ipv4_list list;
	const char	*p, *nl;
	char		*again, *line, warn[256];
	unsigned int	 addr, prefix;
	size_t		 lines = 0;

	FUZZ_ASSERT(field_parse(FIELD_WHITELIST, out, 0, NULL, &again, warn,
	    sizeof warn, &err) == 0, "canonical text refused: %s", err.msg);
	FUZZ_ASSERT(strcmp(again, out) == 0, "canonical text not a fixed "
	    "point");
	FUZZ_ASSERT(warn[0] == '\0', "canonical text gets a warning: %s",
	    warn);
	free(again);

	for (p = out; *out != '\0' && p != NULL;
	    p = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		line = nl != NULL ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		FUZZ_ASSERT(cidr_parse(line, &addr, &prefix, &err) == 0,
		    "canonical line refused: %s", err.msg);
		free(line);
		lines++;
	}
	FUZZ_ASSERT(lines <= POLICY_LIST_MAX, "%zu entries", lines);
	FUZZ_ASSERT(ipv4_list_parse(out, &list, &err) == 0,
	    "ipv4_list_parse refused canonical text: %s", err.msg);
	FUZZ_ASSERT(list.n == lines, "list of %zu for %zu lines", list.n,
	    lines);
	FUZZ_ASSERT(lines > 0 || ipv4_list_allows(&list, 0x08080808),
	    "empty list refuses an address");
	ipv4_list_clear(&list);

	memset(&rec, 0, sizeof rec);
	FUZZ_ASSERT(field_set(&rec, FIELD_WHITELIST, out, &err) == 0,
	    "field_set refused canonical text: %s", err.msg);
	FUZZ_ASSERT(strcmp(rec.whitelist, out) == 0, "field_set changed it");
	record_clear(&rec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hyp_error err;
	struct model	 m;
	char		*in, *out = NULL, *want, warn[256];
	int		 rc, blank, expect;

	in = fuzz_string(data, size);
	model_build(&m, in);
	blank = in[strspn(in, " \t\r\n")] == '\0';
	expect = !m.bad && m.n <= POLICY_LIST_MAX && (m.n > 0 || blank);

	hyp_error_clear(&err);
	rc = field_parse(FIELD_WHITELIST, in, 0, NULL, &out, warn,
	    sizeof warn, &err);
	FUZZ_ASSERT(rc == (expect ? 0 : -1), "field_parse returned %d, the "
	    "model expects %s (%zu entries, bad %d): %s", rc, expect ?
	    "success" : "refusal", m.n, m.bad, err.msg);
	if (rc == 0) {
		want = model_join(&m);
		FUZZ_ASSERT(strcmp(out, want) == 0, "canonical text differs "
		    "from the model's");
		FUZZ_ASSERT(out[0] != '\0' || blank, "a value with content "
		    "became the empty whitelist");
		FUZZ_ASSERT((warn[0] != '\0') == m.dups, "duplicate warning "
		    "%d, duplicates %d", warn[0] != '\0', m.dups);
		fuzz_check_canonical(out);
		free(want);
	} else {
		FUZZ_ASSERT(out == NULL, "output left on refusal");
		FUZZ_ASSERT(err.code == HYP_E_INVALID && err.msg[0] != '\0' &&
		    !fuzz_has_control(err.msg), "refusal without a printable "
		    "reason");
	}
	free(out);
	model_clear(&m);
	free(in);
	return 0;
}
