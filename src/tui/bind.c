/*
 * bind.c: between the terminal, a libform field's buffer and the text a
 * field holds. Bytes typed become whole characters (bind_decode); a
 * one-line buffer is the text padded with blanks; a list field's buffer
 * is its rows run together, each padded to the field's width, so that
 * one entry a row edits as one entry a line.
 *
 * Invariants: conversion goes character by character, never splitting a
 * multibyte character; a byte that starts no character is handed on as
 * a byte of its own (TK_RAW_BYTE), never dropped with what follows it; a
 * list line wider than the field is refused rather than wrapped into the
 * next entry.
 */
#include <limits.h>
#include <stdio.h>
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

/*
 * The character that the n bytes at b begin with, in the locale: 1 with
 * it in *wc and its length in *used; 0 when b holds only the start of
 * one (more bytes needed); -1 when b[0] starts none, *wc then being
 * TK_RAW_BYTE(b[0]) and *used 1, the bytes after it to be decoded anew.
 */
int
bind_decode(const char *b, size_t n, wchar_t *wc, size_t *used)
{
	mbstate_t ps;
	size_t	 k;

	*used = 0;
	if (n == 0)
		return (0);
	memset(&ps, 0, sizeof ps);
	k = mbrtowc(wc, b, n, &ps);
	if (k == (size_t)-2)
		return (0);
	if (k == (size_t)-1 || (k == 0 && b[0] != '\0') ||
	    TK_IS_RAW_BYTE(*wc)) {
		*wc = TK_RAW_BYTE((unsigned char)b[0]);
		*used = 1;
		return (-1);
	}
	*used = k == 0 ? 1 : k;
	return (1);
}

/*
 * A character for a message: itself when it prints, "byte 0xC3" for a
 * byte that is no character, else its code point. Returns buf.
 */
char *
bind_describe(wchar_t wc, char *buf, size_t len)
{
	char	 mb[MB_LEN_MAX + 1];
	mbstate_t ps;
	size_t	 k;

	if (TK_IS_RAW_BYTE(wc)) {
		snprintf(buf, len, "byte 0x%02X", (unsigned int)(wc & 0xff));
		return (buf);
	}
	memset(&ps, 0, sizeof ps);
	k = iswprint((wint_t)wc) ? wcrtomb(mb, wc, &ps) : (size_t)-1;
	if (k == (size_t)-1 || k > MB_LEN_MAX)
		snprintf(buf, len, "U+%04X", (unsigned int)wc);
	else {
		mb[k] = '\0';
		snprintf(buf, len, "%s", mb);
	}
	return (buf);
}

/*
 * Words for the lines of a list field that its rows do not show, in
 * width columns at most: "+2 above, +3 below", "+3 more below", shorter
 * forms when narrow. "" when nothing is hidden. Returns buf.
 */
char *
bind_more_words(int above, int below, int width, char *buf, size_t len)
{
	char	 forms[3][64];
	int	 i;

	buf[0] = '\0';
	if (above <= 0 && below <= 0)
		return (buf);
	if (above > 0 && below > 0)
		snprintf(forms[0], sizeof forms[0], "+%d above, +%d below",
		    above, below);
	else
		snprintf(forms[0], sizeof forms[0], "+%d more %s",
		    above + below, above > 0 ? "above" : "below");
	snprintf(forms[1], sizeof forms[1], "+%d more", above + below);
	snprintf(forms[2], sizeof forms[2], "+%d", above + below);
	for (i = 0; i < 3; i++) {
		if ((int)strlen(forms[i]) <= width || i == 2) {
			snprintf(buf, len, "%s", forms[i]);
			break;
		}
	}
	return (buf);
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
