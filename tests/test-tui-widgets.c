/*
 * test-tui-widgets.c: the console's generic widgets without a terminal:
 * the canvas, the key bar, the line entry, the dialog (and a help box
 * that scrolls), the list panel and the form layout at the sizes the
 * console must work at.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "widget.h"

static void
utf8(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	glyphs_init(1);
}

TestSuite(canvas, .init = utf8);
TestSuite(entry, .init = utf8);
TestSuite(dialog, .init = utf8);
TestSuite(panel, .init = utf8);
TestSuite(layout, .init = utf8);

static struct tui_key
key(enum tui_keycode code, wchar_t ch)
{
	struct tui_key k = { .code = code, .ch = ch };

	return (k);
}

static void
type(struct entry *e, const wchar_t *s)
{
	struct tui_key k;

	for (; *s != L'\0'; s++) {
		k = key(TK_CHAR, *s);
		entry_key(e, &k);
	}
}

Test(canvas, text_is_clipped_with_a_mark_and_never_past_the_edge)
{
	struct canvas c;
	char	*row;

	canvas_init(&c, 2, 10);
	cr_assert_eq(canvas_put(&c, 0, 2, -1, ROLE_NORMAL, "abcdefghijkl"), 8);
	row = canvas_row(&c, 0);
	cr_assert_str_eq(row, "  abcdefg\xe2\x80\xa6");
	free(row);
	canvas_put(&c, 1, 0, 4, ROLE_NORMAL, "abcd");
	row = canvas_row(&c, 1);
	cr_assert_str_eq(row, "abcd", "text that fits is not marked");
	free(row);
	canvas_clear(&c);
}

Test(canvas, a_wide_character_is_never_cut_in_half)
{
	struct canvas c;
	char	*row;

	canvas_init(&c, 1, 5);
	/* U+4E2D is two columns wide: two fit in 4, the third cannot */
	canvas_put(&c, 0, 0, 5, ROLE_NORMAL,
	    "\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad");
	row = canvas_row(&c, 0);
	cr_assert_str_eq(row, "\xe4\xb8\xad\xe4\xb8\xad\xe2\x80\xa6");
	free(row);
	canvas_clear(&c);
}

Test(canvas, bytes_that_are_not_text_show_as_question_marks)
{
	struct canvas c;
	char	*row;

	canvas_init(&c, 1, 10);
	canvas_put(&c, 0, 0, -1, ROLE_NORMAL, "a\xff" "b\033c");
	row = canvas_row(&c, 0);
	cr_assert_str_eq(row, "a?b?c");
	free(row);
	canvas_clear(&c);
}

Test(canvas, wrapping_breaks_at_spaces_and_newlines)
{
	char	**l;
	int	 n;

	n = text_wrap("one two three\nfour", 8, &l);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(l[0], "one two");
	cr_assert_str_eq(l[1], "three");
	cr_assert_str_eq(l[2], "four");
	text_lines_free(l, n);
	n = text_wrap("abcdefghij", 4, &l);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(l[2], "ij");
	text_lines_free(l, n);
}

TestSuite(keybar, .init = utf8);

/* The list's hints, the most useful first. */
static const struct keyhint keybar_list[] = {
	{ "Enter", "Open" }, { "/", "Filter" }, { "?", "Help" },
	{ "F5/^G", "Regenerate" }, { "F8/^X", "Delete" },
	{ "r", "Reload" }, { "q", "Quit" },
};

static char *
keybar_row(int cols)
{
	struct canvas c;
	char	*row;

	canvas_init(&c, 1, cols);
	keybar_draw(&c, 0, keybar_list,
	    sizeof keybar_list / sizeof keybar_list[0]);
	row = canvas_row(&c, 0);
	canvas_clear(&c);
	return (row);
}

Test(keybar, eighty_columns_show_every_key_with_its_other_name)
{
	char	*row = keybar_row(80);

	cr_assert_not_null(strstr(row, "F5/^G Regenerate"), "%s", row);
	cr_assert_not_null(strstr(row, "F8/^X Delete"), "%s", row);
	cr_assert_not_null(strstr(row, "q Quit"), "%s", row);
	free(row);
}

Test(keybar, sixty_columns_keep_help_and_the_function_keys)
{
	char	*row = keybar_row(60);

	cr_assert_not_null(strstr(row, "/ Filter"), "%s", row);
	cr_assert_not_null(strstr(row, "? Help"), "%s", row);
	cr_assert_not_null(strstr(row, "F5"), "%s", row);
	cr_assert_not_null(strstr(row, "F8"), "%s", row);
	cr_assert_not_null(strstr(row, "Delete"), "%s", row);
	cr_assert_null(strstr(row, "\xe2\x80\xa6"), "none cut: %s", row);
	free(row);
}

Test(entry, typing_and_backspace_take_whole_characters)
{
	struct entry e;
	struct tui_key bs = key(TK_BACKSPACE, 0);
	char	*s;

	entry_init(&e, 64, 0);
	type(&e, L"Z\x00fcrich-API");
	s = entry_text(&e);
	cr_assert_str_eq(s, "Z\xc3\xbcrich-API", "stored as typed, UTF-8");
	free(s);
	entry_set(&e, "Z\xc3\xbc");
	entry_key(&e, &bs);
	s = entry_text(&e);
	cr_assert_str_eq(s, "Z", "backspace removes the whole ü");
	free(s);
}

Test(entry, an_ascii_entry_refuses_other_characters_and_says_so)
{
	struct entry e;
	struct tui_key euro = key(TK_CHAR, 0x20ac);
	char	*s;

	entry_init(&e, 64, 1);
	type(&e, L"ab");
	cr_assert_eq(entry_key(&e, &euro), TUI_DRAW);
	cr_assert_eq(e.refused, 1);
	s = entry_text(&e);
	cr_assert_str_eq(s, "ab");
	free(s);
}

Test(entry, a_full_entry_refuses_more)
{
	struct entry e;
	char	*s;

	entry_init(&e, 3, 0);
	type(&e, L"abcd");
	cr_assert_eq(e.refused, 1);
	s = entry_text(&e);
	cr_assert_str_eq(s, "abc");
	free(s);
}

static void
confirm(struct dialog *d, const char *guard)
{
	dialog_init(d, "Delete api.example.com", "This cannot be undone.");
	dialog_add_button(d, "Delete", 0);
	dialog_add_button(d, "Cancel", 1);
	dialog_set_cancel(d, 1);
	if (guard != NULL)
		dialog_require(d, 0, guard);
}

Test(dialog, enter_alone_answers_cancel)
{
	struct dialog d;
	struct tui_key enter = key(TK_ENTER, 0);

	confirm(&d, NULL);
	cr_assert(dialog_key(&d, &enter) & TUI_CLOSE);
	cr_assert_eq(d.answer, 1);
	dialog_clear(&d);
}

Test(dialog, escape_answers_cancel)
{
	struct dialog d;
	struct tui_key esc = key(TK_ESC, 0);

	confirm(&d, "api.example.com");
	cr_assert(dialog_key(&d, &esc) & TUI_CLOSE);
	cr_assert_eq(d.answer, 1);
	dialog_clear(&d);
}

Test(dialog, delete_stays_off_until_the_domain_is_typed)
{
	struct dialog d;
	struct tui_key enter = key(TK_ENTER, 0), tab = key(TK_TAB, 0);

	confirm(&d, "api.example.com");
	cr_assert_eq(dialog_is_enabled(&d, 0), 0);
	type(&d.entry, L"api.example.co");
	cr_assert_eq(dialog_key(&d, &enter) & TUI_CLOSE, 0);
	cr_assert_eq(d.answer, -1);
	cr_assert_neq(d.note[0], '\0', "a note says what to type");
	dialog_key(&d, &tab);
	cr_assert_eq(d.focus, 1, "Tab skips the Delete that is off");
	dialog_key(&d, &tab);
	cr_assert_eq(d.focus, -1);
	type(&d.entry, L"m");
	cr_assert(dialog_is_enabled(&d, 0));
	cr_assert_eq(dialog_key(&d, &enter) & TUI_CLOSE, 0,
	    "Enter in the entry only moves to Delete");
	cr_assert_eq(d.focus, 0);
	cr_assert(dialog_key(&d, &enter) & TUI_CLOSE);
	cr_assert_eq(d.answer, 0);
	dialog_clear(&d);
}

Test(dialog, arrows_stop_at_the_last_button)
{
	struct dialog d;
	struct tui_key right = key(TK_RIGHT, 0), enter = key(TK_ENTER, 0);

	dialog_init(&d, "Unsaved changes", "Save them?");
	dialog_add_button(&d, "Save", 0);
	dialog_add_button(&d, "Discard", 0);
	dialog_add_button(&d, "Cancel", 1);
	dialog_set_cancel(&d, 2);
	dialog_key(&d, &right);
	dialog_key(&d, &enter);
	cr_assert_eq(d.answer, 2, "Right from Cancel must not wrap to Save");
	dialog_clear(&d);
}

Test(dialog, it_fits_the_smallest_screen_and_draws_its_buttons)
{
	struct dialog d;
	struct canvas c;
	int	 h, w, cy, cx;

	confirm(&d, "api.example.com");
	dialog_size(&d, 16, 60, &h, &w);
	cr_assert_leq(w, 58);
	cr_assert_leq(h, 14);
	canvas_init(&c, h, w);
	dialog_draw(&d, &c, &cy, &cx);
	cr_assert_eq(canvas_find(&c, "( Delete )", NULL, NULL), 0,
	    "a button that is off has no brackets");
	cr_assert_eq(canvas_find(&c, "[ Cancel ]", NULL, NULL), 0);
	cr_assert_geq(cy, 0, "the cursor is in the entry");
	canvas_clear(&c);
	dialog_clear(&d);
}

/* A help box of many keys, as the form's, on the smallest screen. */
static const struct keyhint many_keys[] = {
	{ "K01", "first" }, { "K02", "two" }, { "K03", "three" },
	{ "K04", "four" }, { "K05", "five" }, { "K06", "six" },
	{ "K07", "seven" }, { "K08", "eight" }, { "K09", "nine" },
	{ "K10", "ten" }, { "K11", "eleven" }, { "K12", "twelve" },
	{ "K13", "thirteen" }, { "K14", "fourteen" }, { "K15", "fifteen" },
	{ "K16", "sixteen" }, { "K17", "seventeen" }, { "K18", "last" },
};

static void
help_box(struct dialog *d, size_t n)
{
	dialog_init(d, "Keys", "");
	d->keys = many_keys;
	d->nkeys = n;
	dialog_add_button(d, "Close", 1);
	dialog_set_cancel(d, 0);
}

static int
help_shows(struct dialog *d, int lines, int cols, const char *text)
{
	struct canvas c;
	int	 h, w, cy, cx, found;

	dialog_size(d, lines, cols, &h, &w);
	canvas_init(&c, h, w);
	dialog_draw(d, &c, &cy, &cx);
	found = canvas_find(&c, text, NULL, NULL) == 0;
	canvas_clear(&c);
	return (found);
}

Test(dialog, a_help_box_taller_than_the_screen_scrolls_with_the_arrows)
{
	struct dialog d;
	struct tui_key pgdn = key(TK_PGDN, 0), end = key(TK_END, 0),
	    up = key(TK_UP, 0), home = key(TK_HOME, 0), x = key(TK_CHAR, 'x');

	help_box(&d, 18);
	cr_assert(help_shows(&d, 16, 60, "K01"));
	cr_assert_not(help_shows(&d, 16, 60, "K18"), "cut at 60x16");
	cr_assert(help_shows(&d, 16, 60, "of 18; Up Down PgUp PgDn scroll"),
	    "it says there is more and how to see it");
	cr_assert_eq(dialog_key(&d, &pgdn) & TUI_CLOSE, 0,
	    "a page key scrolls, it does not close");
	cr_assert_not(help_shows(&d, 16, 60, "K01"));
	cr_assert(help_shows(&d, 16, 60, "K10"));
	dialog_key(&d, &end);
	cr_assert(help_shows(&d, 16, 60, "K18"));
	cr_assert(help_shows(&d, 16, 60, "of 18"));
	dialog_key(&d, &end);
	cr_assert(help_shows(&d, 16, 60, "K18"), "End stays at the end");
	dialog_key(&d, &up);
	cr_assert_not(help_shows(&d, 16, 60, "K18"));
	dialog_key(&d, &home);
	cr_assert(help_shows(&d, 16, 60, "K01"));
	cr_assert(dialog_key(&d, &x) & TUI_CLOSE, "another key closes it");
	dialog_clear(&d);
}

Test(dialog, a_help_box_that_fits_says_nothing_of_scrolling)
{
	struct dialog d;
	struct tui_key down = key(TK_DOWN, 0);

	help_box(&d, 3);
	cr_assert(help_shows(&d, 24, 80, "K03"));
	cr_assert_not(help_shows(&d, 24, 80, "scroll"));
	dialog_key(&d, &down);
	cr_assert(help_shows(&d, 24, 80, "K01"), "nothing to scroll");
	dialog_clear(&d);
}

static int
even(size_t i, void *arg)
{
	return (i % 2 == 0);
}

Test(panel, moving_keeps_the_selection_in_view)
{
	struct panel p;
	struct tui_key down = key(TK_DOWN, 0), end = key(TK_END, 0),
	    pgup = key(TK_PGUP, 0), home = key(TK_HOME, 0);
	int	 i;

	panel_init(&p);
	panel_set_rows(&p, 100, NULL, NULL);
	panel_set_height(&p, 10);
	for (i = 0; i < 12; i++)
		panel_key(&p, &down);
	cr_assert_eq(panel_selected(&p), 12);
	cr_assert(p.top <= p.sel && p.sel < p.top + 10);
	panel_key(&p, &end);
	cr_assert_eq(panel_selected(&p), 99);
	cr_assert_eq(p.top, 90);
	panel_key(&p, &pgup);
	cr_assert(p.top <= p.sel && p.sel < p.top + 10);
	panel_key(&p, &home);
	cr_assert_eq(panel_selected(&p), 0);
	cr_assert_eq(p.top, 0);
	panel_clear(&p);
}

Test(panel, a_filter_keeps_the_selected_row_when_it_still_shows)
{
	struct panel p;

	panel_init(&p);
	panel_set_rows(&p, 10, NULL, NULL);
	panel_select(&p, 4);
	panel_set_rows(&p, 10, even, NULL);
	cr_assert_eq(p.nshown, 5);
	cr_assert_eq(panel_selected(&p), 4);
	panel_set_rows(&p, 0, NULL, NULL);
	cr_assert_eq(panel_selected(&p), SIZE_MAX);
	panel_clear(&p);
}

/* A form like the record's: sections, values, fields, lists, buttons. */
static size_t
sample(struct litem *it)
{
	static const struct {
		enum litem_kind kind;
		int rows, want_w, min_w;
	} s[] = {
		{ LI_SECTION, 1, 0, 0 },
		{ LI_TEXT, 1, 0, 0 },
		{ LI_TEXT, 1, 19, 0 },
		{ LI_SECTION, 1, 0, 0 },
		{ LI_FIELD, 1, 10, 0 },
		{ LI_FIELD, 1, 20, 0 },
		{ LI_FIELD, 4, 20, 19 },
		{ LI_FIELD, 3, 26, 27 },
		{ LI_SECTION, 1, 0, 0 },
		{ LI_ACTION, 1, 0, 0 },
		{ LI_BUTTONS, 1, 0, 0 },
	};
	size_t	 i, n = sizeof s / sizeof s[0];

	for (i = 0; i < n; i++) {
		memset(&it[i], 0, sizeof it[i]);
		it[i].kind = s[i].kind;
		it[i].rows = s[i].rows;
		it[i].want_w = s[i].want_w;
		it[i].min_w = s[i].min_w;
	}
	return (n);
}

ParameterizedTestParameters(layout, every_box_fits_and_nothing_overlaps)
{
	static int widths[] = { 60, 61, 79, 80, 100, 200 };

	return cr_make_param_array(int, widths,
	    sizeof widths / sizeof widths[0]);
}

ParameterizedTest(int *cols, layout, every_box_fits_and_nothing_overlaps)
{
	struct litem it[16];
	size_t	 n, i;
	int	 total, y = 0;

	n = sample(it);
	total = layout_form(it, n, *cols);
	for (i = 0; i < n; i++) {
		cr_assert_geq(it[i].y, y, "item %zu starts after the last", i);
		y = it[i].y + it[i].h;
		if (it[i].kind == LI_SECTION || it[i].kind == LI_BUTTONS)
			continue;
		cr_assert_leq(it[i].lx + it[i].lw, it[i].vx - 1, "label/value");
		/* a field's closing bracket is at vx + vw */
		cr_assert_lt(it[i].vx + it[i].vw, *cols, "value fits, %zu", i);
		if (it[i].hw > 0) {
			cr_assert_leq(it[i].hx + it[i].hw, *cols);
			if (it[i].hy == it[i].y)
				cr_assert_gt(it[i].hx, it[i].vx + it[i].vw,
				    "hint after the value");
		}
		if (it[i].kind == LI_FIELD)
			cr_assert(it[i].narrow || it[i].vw >= it[i].min_w);
	}
	cr_assert_eq(total, y);
}

Test(layout, an_80_column_form_keeps_hints_beside_the_fields)
{
	struct litem it[16];
	size_t	 n;

	n = sample(it);
	layout_form(it, n, 80);
	cr_assert_eq(it[4].hy, it[4].y);
	cr_assert_eq(it[5].hy, it[5].y);
	cr_assert_eq(it[6].h, 4, "a list field takes its rows");
	cr_assert_eq(it[7].vw, 27, "a list grows to its longest entry");
	cr_assert_eq(it[10].y, it[9].y + 2, "one blank row before buttons");
}

Test(layout, a_narrow_form_moves_hints_below_not_over_the_fields)
{
	struct litem it[16];
	size_t	 n;

	n = sample(it);
	layout_form(it, n, 60);
	cr_assert_eq(it[5].hy, it[5].y + 1);
	cr_assert_eq(it[5].h, 2);
}

Test(layout, a_field_that_cannot_get_its_width_is_marked_narrow)
{
	struct litem it[1];

	memset(it, 0, sizeof it);
	it[0].kind = LI_FIELD;
	it[0].rows = 3;
	it[0].want_w = 20;
	it[0].min_w = 65;
	layout_form(it, 1, 80);
	cr_assert(it[0].narrow);
	layout_form(it, 1, 120);
	cr_assert_eq(it[0].narrow, 0);
}

Test(layout, a_value_can_grow_up_to_two_columns_short_of_the_edge)
{
	struct litem it[1];

	memset(it, 0, sizeof it);
	it[0].kind = LI_FIELD;
	it[0].rows = 3;
	it[0].want_w = 26;
	it[0].min_w = 50;
	layout_form(it, 1, 80);
	cr_assert_eq(layout_value_max(&it[0], 80), 50);
	cr_assert_eq(it[0].narrow, 0);
	cr_assert_eq(it[0].vw, 50);
	it[0].min_w = 51;
	layout_form(it, 1, 80);
	cr_assert(it[0].narrow);
}

static int
paste(struct entry *e, const char *text)
{
	struct tui_key k = { .code = TK_PASTE, .text = text };

	return (entry_key(e, &k));
}

Test(entry, a_paste_is_taken_whole_without_its_line_break)
{
	struct entry e;
	char	*s;

	entry_init(&e, 64, 1);
	cr_assert_eq(paste(&e, "api.example.com\r"), TUI_DRAW);
	cr_assert_eq(e.refused, 0);
	s = entry_text(&e);
	cr_assert_str_eq(s, "api.example.com");
	free(s);
}

Test(entry, a_paste_the_entry_would_not_take_typed_goes_in_not_at_all)
{
	struct entry e;
	char	*s;

	entry_init(&e, 8, 1);
	paste(&e, "ab");
	paste(&e, "c\xe2\x82\xac");
	cr_assert(e.refused, "a euro sign in an ASCII entry");
	paste(&e, "c\nd");
	cr_assert(e.refused, "two lines");
	paste(&e, "cdefgh!");
	cr_assert(e.refused, "more than the entry holds");
	s = entry_text(&e);
	cr_assert_str_eq(s, "ab");
	free(s);
}
