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
 * next entry; a list field's buffer holds one cell a character (one
 * that would take another number shows as '?') and its rows are counted
 * in cells, so a stray wide character never shifts or loses the lines
 * after it; a paste is checked whole before any of it goes in.
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

/*
 * Cells a character takes in a libform field: two for a wide one, one
 * for any other (field_buffer gives a wide character once, for its two
 * cells).
 */
static int
bind_cells(wchar_t wc)
{
	return (wcwidth(wc) == 2 ? 2 : 1);
}

/* Bytes of s that fill a row cols cells wide (fewer at its end). */
static size_t
bind_span(const char *s, int cols)
{
	mbstate_t ps;
	size_t	 off = 0, k;
	wchar_t	 wc;
	int	 used = 0, w;

	memset(&ps, 0, sizeof ps);
	while (used < cols && s[off] != '\0') {
		k = mbrtowc(&wc, s + off, MB_CUR_MAX, &ps);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&ps, 0, sizeof ps);
			k = 1;
			wc = L'?';
		}
		if ((w = bind_cells(wc)) > cols - used && used > 0)
			break;
		used += w;
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

/*
 * Copy the n bytes of one list line to out, one cell a character: libform
 * does not edit a wide character in a field of several rows (deleting
 * one loses the rows after it), nor does a control character, a byte
 * that is no character or one of no width take one cell. Each of those
 * becomes '?', which no list entry takes either, so the line stays
 * refused until the admin types it anew; a tab or CR, a blank around
 * entries, becomes ' '. Returns the cells, or -1 past cols.
 */
static int
bind_put_line(char *out, size_t *olen, const char *s, size_t n, int cols)
{
	mbstate_t ps;
	size_t	 off = 0, k;
	wchar_t	 wc;
	int	 used = 0;

	memset(&ps, 0, sizeof ps);
	for (; off < n; off += k, used++) {
		k = mbrtowc(&wc, s + off, n - off, &ps);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&ps, 0, sizeof ps);
			k = 1;
			wc = 0;
		}
		if (wc == L'\t' || wc == L'\r')
			out[(*olen)++] = ' ';
		else if (wc < 0x20 || wc == 0x7f || wcwidth(wc) != 1)
			out[(*olen)++] = '?';
		else {
			memcpy(out + *olen, s + off, k);
			*olen += k;
		}
	}
	return (used > cols ? -1 : used);
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
	char	*out;
	size_t	 olen = 0, cap, n;
	int	 w;

	*rows = 1;
	if (!is_list)
		return (xstrdup(text));
	if (cols < 1)
		return (NULL);
	*rows = bind_count_lines(text);
	cap = strlen(text) + (size_t)*rows * (size_t)cols + 1;
	out = xcalloc(1, cap);
	for (;;) {
		nl = strchr(s, '\n');
		n = nl != NULL ? (size_t)(nl - s) : strlen(s);
		if ((w = bind_put_line(out, &olen, s, n, cols)) < 0) {
			free(out);
			return (NULL);
		}
		for (; w < cols; w++)
			out[olen++] = ' ';
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	out[olen] = '\0';
	return (out);
}

/* Cells of line `line` (0 the first) of a list's text; 0 past its end. */
int
bind_line_width(const char *text, int line)
{
	const char *nl;
	char	*row;
	size_t	 n, olen = 0;
	int	 w;

	for (; line > 0; line--) {
		if ((nl = strchr(text, '\n')) == NULL)
			return (0);
		text = nl + 1;
	}
	n = strcspn(text, "\n");
	row = xcalloc(1, n + 1);
	w = bind_put_line(row, &olen, text, n, INT_MAX);
	free(row);
	return (w);
}

/* Cells of the widest line of a list's text, as its field shows it. */
size_t
bind_longest_line(const char *s)
{
	int	 i, n = bind_count_lines(s), w, max = 0;

	for (i = 0; i < n; i++) {
		if ((w = bind_line_width(s, i)) > max)
			max = w;
	}
	return ((size_t)max);
}

/*
 * What a paste puts into a field, as characters: a tab becomes a blank,
 * CR LF and a lone CR a line break, and a one-line field drops the line
 * breaks at the end. Returns a new string of *n characters (caller
 * frees), or NULL when the paste holds a character the field does not
 * take: *bad is then that character ('\n' for a line break into a
 * one-line field) and *line its line in the paste, 0 the first.
 */
wchar_t *
bind_paste(const char *in, int is_list, int ascii_only, size_t *n,
    wchar_t *bad, int *line)
{
	wchar_t	*out, wc;
	size_t	 used, k = 0;

	out = xcalloc(strlen(in) + 1, sizeof *out);
	*line = 0;
	for (; *in != '\0'; in += used) {
		if (bind_decode(in, strlen(in), &wc, &used) == 0) {
			wc = TK_RAW_BYTE((unsigned char)*in);
			used = 1;
		}
		if (wc == L'\r' && in[used] == '\n')
			used++;
		if (wc == L'\r')
			wc = L'\n';
		else if (wc == L'\t')
			wc = L' ';
		if (wc != L'\n' && !bind_accepts(ascii_only, wc))
			goto refuse;
		out[k++] = wc;
	}
	while (!is_list && k > 0 && out[k - 1] == L'\n')
		k--;
	out[k] = L'\0';
	for (used = 0; !is_list && used < k; used++) {
		if (out[used] == L'\n') {
			wc = L'\n';
			k = used;
			goto refuse;
		}
	}
	*n = k;
	return (out);
refuse:
	*bad = wc;
	for (used = 0; used < k; used++)
		*line += out[used] == L'\n';
	free(out);
	return (NULL);
}

/*
 * The widest line a list line gets from pasting p (n characters, from
 * bind_paste) where the cursor has `before` cells of its line before it
 * and `after` after it; its line in the paste in *line, 0 the first.
 */
int
bind_paste_widest(const wchar_t *p, size_t n, int before, int after,
    int *line)
{
	size_t	 i;
	int	 w = before, max = -1, at = 0;

	*line = 0;
	for (i = 0; i <= n; i++) {
		if (i < n && p[i] != L'\n') {
			w += bind_cells(p[i]);
			continue;
		}
		if (i == n)
			w += after;
		if (w > max) {
			max = w;
			*line = at;
		}
		w = 0;
		at++;
	}
	return (max);
}
