/*
 * bind.c: between a libform field's buffer and the text a field holds.
 * A one-line buffer is the text padded with blanks; a list field's
 * buffer is its rows run together, each padded to the field's width, so
 * that one entry a row edits as one entry a line.
 *
 * Invariants: conversion goes character by character, never splitting a
 * multibyte character; a list line wider than the field is refused
 * rather than wrapped into the next entry.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "widget.h"

/* 1 if a typed character may go into a field (ASCII-only or not). */
int
bind_accepts(int ascii_only, wchar_t wc)
{
	if (wc < 0x20 || wc == 0x7f)
		return (0);
	if (ascii_only)
		return (wc < 0x7f);
	return (wc < 0x7f || (wc >= 0xa0 && iswprint((wint_t)wc)));
}

static char *
trim(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return (xstrndup(s, n));
}

/* Bytes taken by the next count characters of s (fewer at its end). */
static size_t
bind_span(const char *s, int count)
{
	mbstate_t ps;
	size_t	 off = 0, k;

	memset(&ps, 0, sizeof ps);
	while (count-- > 0 && s[off] != '\0') {
		k = mbrtowc(NULL, s + off, MB_CUR_MAX, &ps);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&ps, 0, sizeof ps);
			k = 1;
		}
		off += k;
	}
	return (off);
}

/*
 * The text of a field's buffer: trimmed for one line; for a list, one
 * line a row, trailing blanks and trailing empty rows dropped. Caller
 * frees.
 */
char *
bind_buffer_text(const char *buf, int cols, int is_list)
{
	char	*out, *row;
	size_t	 olen = 0, k, n;

	if (!is_list || cols < 1)
		return (trim(buf, strlen(buf)));
	out = xcalloc(1, strlen(buf) + 2);
	while (*buf != '\0') {
		k = bind_span(buf, cols);
		n = k;
		while (n > 0 && buf[n - 1] == ' ')
			n--;
		row = xstrndup(buf, n);
		memcpy(out + olen, row, n);
		olen += n;
		out[olen++] = '\n';
		free(row);
		buf += k;
	}
	while (olen > 0 && out[olen - 1] == '\n')
		olen--;
	out[olen] = '\0';
	return (out);
}

/* Lines in text: entries of a list ("" is one empty line). */
int
bind_count_lines(const char *s)
{
	int	 n = 1;

	for (; *s != '\0'; s++) {
		if (*s == '\n')
			n++;
	}
	return (n);
}

/* Display width of the widest line. */
size_t
bind_longest_line(const char *s)
{
	const char *nl;
	char	*line;
	size_t	 w, max = 0;

	for (;;) {
		nl = strchr(s, '\n');
		line = xstrndup(s, nl != NULL ? (size_t)(nl - s) : strlen(s));
		w = text_width(line);
		free(line);
		if (w > max)
			max = w;
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	return (max);
}

/*
 * The buffer for a field cols wide showing text, and in *rows how many
 * rows it takes. NULL when a list line is wider than the field. Caller
 * frees.
 */
char *
bind_text_buffer(const char *text, int cols, int is_list, int *rows)
{
	const char *s = text, *nl;
	char	*out, *line;
	size_t	 olen = 0, cap, n, w;
	int	 pad;

	*rows = 1;
	if (!is_list)
		return (xstrdup(text));
	if (cols < 1 || bind_longest_line(text) > (size_t)cols)
		return (NULL);
	*rows = bind_count_lines(text);
	cap = strlen(text) + (size_t)*rows * (size_t)cols + 1;
	out = xcalloc(1, cap);
	for (;;) {
		nl = strchr(s, '\n');
		n = nl != NULL ? (size_t)(nl - s) : strlen(s);
		line = xstrndup(s, n);
		w = text_width(line);
		memcpy(out + olen, line, n);
		olen += n;
		free(line);
		for (pad = cols - (int)w; pad > 0; pad--)
			out[olen++] = ' ';
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	out[olen] = '\0';
	return (out);
}
