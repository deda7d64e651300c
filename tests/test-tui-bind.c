/*
 * test-tui-bind.c: the form's bindings without a terminal: bytes typed
 * into characters, libform buffer to text and back, which characters a
 * field takes, the words for hidden list lines, and the edit model
 * (hours moving Access Until, what a save carries, conflicts kept apart,
 * values storage could not read, fields that lost a typed character).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "hyp-time.h"
#include "tui.h"

static void
utf8(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	glyphs_init(1);
}

TestSuite(bind, .init = utf8);
TestSuite(edit, .init = utf8);

struct buf_case {
	char		 buf[128];
	int		 cols;
	int		 is_list;
	char		 want[128];
};

ParameterizedTestParameters(bind, buffer_text_is_trimmed_and_split_by_rows)
{
	static struct buf_case cases[] = {
		{ "24        ", 10, 0, "24" },
		{ "  24      ", 10, 0, "24" },
		{ "          ", 10, 0, "" },
		{ "+12h                ", 20, 0, "+12h" },
		{ "10.0.0.0/8192.0.2.10", 10, 1, "10.0.0.0/8\n192.0.2.10" },
		/* a blank row between entries stays, trailing ones go */
		{ "a   " "    " "b   " "    " "    ", 4, 1, "a\n\nb" },
		{ "    " "    ", 4, 1, "" },
		/* leading spaces of an entry are kept for field_parse */
		{ " 10.0.0.1 " "          ", 10, 1, " 10.0.0.1" },
		{ "Zürich    ", 10, 0, "Zürich" },
		{ "Zürich" "ab    ", 6, 1, "Zürich\nab" },
	};

	return cr_make_param_array(struct buf_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct buf_case *c, bind,
    buffer_text_is_trimmed_and_split_by_rows)
{
	char	*got = bind_buffer_text(c->buf, c->cols, c->is_list);

	cr_assert_str_eq(got, c->want);
	free(got);
}

Test(bind, a_list_becomes_rows_padded_to_the_field_width)
{
	char	*buf;
	int	 rows = 0;

	buf = bind_text_buffer("a\nbb\n\nccc", 4, 1, &rows);
	cr_assert_str_eq(buf, "a   bb      ccc ");
	cr_assert_eq(rows, 4);
	free(buf);
	buf = bind_text_buffer("", 4, 1, &rows);
	cr_assert_str_eq(buf, "    ");
	cr_assert_eq(rows, 1);
	free(buf);
}

Test(bind, list_text_survives_the_round_trip_through_a_buffer)
{
	const char *text = "10.0.0.0/8\n192.0.2.10\n127.0.0.1";
	char	*buf, *back;
	int	 rows;

	buf = bind_text_buffer(text, 20, 1, &rows);
	back = bind_buffer_text(buf, 20, 1);
	cr_assert_str_eq(back, text);
	free(buf);
	free(back);
}

Test(bind, a_line_wider_than_the_field_is_refused_not_wrapped)
{
	int	 rows;

	cr_assert_null(bind_text_buffer("short\nmuch-too-long-entry", 10, 1,
	    &rows));
}

Test(bind, widths_and_counts_of_lines)
{
	cr_assert_eq(bind_count_lines(""), 1);
	cr_assert_eq(bind_count_lines("a\nb\nc"), 3);
	cr_assert_eq(bind_longest_line("ab\nabcd\nabc"), 4);
	cr_assert_eq(bind_longest_line("Zürich"), 6);
}

struct accept_case {
	int		 ascii_only;
	int		 ch;
	int		 want;
};

ParameterizedTestParameters(bind, ascii_fields_refuse_every_other_character)
{
	static struct accept_case cases[] = {
		{ 1, 'a', 1 }, { 1, '~', 1 }, { 1, ' ', 1 }, { 1, '0', 1 },
		{ 1, 0xfc, 0 },		/* ü */
		{ 1, 0x20ac, 0 },	/* € */
		{ 1, '\t', 0 }, { 1, 0x7f, 0 }, { 1, 0x1b, 0 },
		{ 0, 'a', 1 }, { 0, 0xfc, 1 }, { 0, 0x20ac, 1 },
		{ 0, '\n', 0 }, { 0, 0x9b, 0 },	/* C1 control */
		/* a byte that is no character, in any field */
		{ 1, 0xdcc3, 0 }, { 0, 0xdcc3, 0 }, { 0, 0xdcff, 0 },
	};

	return cr_make_param_array(struct accept_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct accept_case *c, bind,
    ascii_fields_refuse_every_other_character)
{
	cr_assert_eq(bind_accepts(c->ascii_only, (wchar_t)c->ch), c->want,
	    "U+%04X ascii_only=%d", c->ch, c->ascii_only);
}

struct decode_case {
	char		 locale[16];
	char		 bytes[8];
	int		 n;
	int		 rc;
	int		 wc;
	int		 used;
};

ParameterizedTestParameters(bind,
    bytes_become_whole_characters_or_one_refused_byte)
{
	static struct decode_case cases[] = {
		{ "C.UTF-8", "A", 1, 1, 'A', 1 },
		{ "C.UTF-8", "\xc3\xbc", 2, 1, 0xfc, 2 },		/* ü */
		{ "C.UTF-8", "\xe2\x82\xac", 3, 1, 0x20ac, 3 },	/* € */
		{ "C.UTF-8", "\xc3", 1, 0, 0, 0 },	/* more to come */
		{ "C.UTF-8", "\xe2\x82", 2, 0, 0, 0 },
		/* the first byte alone, the rest to be read again */
		{ "C.UTF-8", "\xc3" "A", 2, -1, 0xdcc3, 1 },
		{ "C.UTF-8", "\xff", 1, -1, 0xdcff, 1 },
		{ "C.UTF-8", "\xbc", 1, -1, 0xdcbc, 1 },
		/* LANG=C: no byte above 0x7f is a character */
		{ "C", "A", 1, 1, 'A', 1 },
		{ "C", "\xc3", 1, -1, 0xdcc3, 1 },
		{ "C", "\xbc", 1, -1, 0xdcbc, 1 },
	};

	return cr_make_param_array(struct decode_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct decode_case *c, bind,
    bytes_become_whole_characters_or_one_refused_byte)
{
	wchar_t	 wc = 0;
	size_t	 used = 99;
	int	 rc;

	cr_assert_not_null(setlocale(LC_CTYPE, c->locale));
	rc = bind_decode(c->bytes, (size_t)c->n, &wc, &used);
	cr_assert_eq(rc, c->rc, "%s: rc %d", c->locale, rc);
	if (rc != 0) {
		cr_assert_eq(wc, (wchar_t)c->wc, "U+%04X", (unsigned)wc);
		cr_assert_eq(used, (size_t)c->used);
	}
	if (rc < 0)
		cr_assert(TK_IS_RAW_BYTE(wc));
}

Test(bind, a_refused_character_is_named_in_words)
{
	char	 buf[32];

	cr_assert_str_eq(bind_describe(TK_RAW_BYTE(0xc3), buf, sizeof buf),
	    "byte 0xC3");
	cr_assert_str_eq(bind_describe(0xfc, buf, sizeof buf), "\xc3\xbc");
	cr_assert_str_eq(bind_describe(0x1b, buf, sizeof buf), "U+001B",
	    "a control character is not written to the terminal");
	setlocale(LC_CTYPE, "C");
	cr_assert_str_eq(bind_describe(0xfc, buf, sizeof buf), "U+00FC");
}

struct more_case {
	int		 above, below, width;
	char		 want[32];
};

ParameterizedTestParameters(bind, hidden_list_lines_are_counted_in_words)
{
	static struct more_case cases[] = {
		{ 0, 0, 30, "" },
		{ 0, -2, 30, "" },
		{ 0, 3, 30, "+3 more below" },
		{ 2, 0, 30, "+2 more above" },
		{ 2, 3, 30, "+2 above, +3 below" },
		{ 2, 3, 9, "+5 more" },
		{ 0, 3, 9, "+3 more" },
		{ 0, 3, 4, "+3" },
		{ 0, 12, 1, "+12" },
	};

	return cr_make_param_array(struct more_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct more_case *c, bind,
    hidden_list_lines_are_counted_in_words)
{
	char	 buf[64];

	bind_more_words(c->above, c->below, c->width, buf, sizeof buf);
	cr_assert_str_eq(buf, c->want);
}

/* The edit model over a record loaded as the store would give it. */
#define NOW	1751371200	/* 2025-07-01 12:00:00 UTC */

static void
make_record(struct hyp_record *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->user_name, sizeof r->user_name, "webapi");
	snprintf(r->domain, sizeof r->domain, "api.example.com");
	snprintf(r->purpose, sizeof r->purpose, "api");
	r->token_life_hours = 1;
	r->access_until = NOW + 3600;
	r->refresh_mode = REFRESH_ROTATE;
	r->whitelist = xstrdup("");
	r->modules = xstrdup("");
	r->blocked = xstrdup("");
	r->version = 7;
}

static void
edit_start(struct edit *e)
{
	struct hyp_record r;

	make_record(&r);
	edit_init(e, &r);
	record_clear(&r);
}

Test(edit, nothing_typed_means_nothing_to_save)
{
	struct edit e;
	struct store_edit ed[FIELD_COUNT];
	char	*canon[FIELD_COUNT];
	enum hyp_field bad = FIELD_COUNT;
	size_t	 n = 99;

	edit_start(&e);
	cr_assert_eq(edit_is_dirty(&e), 0);
	cr_assert_eq(edit_collect(&e, NOW, NULL, ed, canon, &n, &bad), 0);
	cr_assert_eq(n, 0);
	edit_clear(&e);
}

Test(edit, changing_the_hours_moves_access_until_to_now_plus_hours)
{
	struct edit e;
	int	 mask;

	edit_start(&e);
	mask = edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "24", NOW);
	cr_assert_eq(mask, 1 << FIELD_ACCESS_UNTIL);
	/* NOW + 24 h = 2025-07-02 12:00:00 UTC */
	cr_assert_str_eq(e.text[FIELD_ACCESS_UNTIL], "2025-07-02 12:00:00");
	cr_assert(edit_field_is_dirty(&e, FIELD_ACCESS_UNTIL));
	edit_clear(&e);
}

Test(edit, hours_back_to_the_loaded_value_restore_access_until)
{
	struct edit e;

	edit_start(&e);
	edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "24", NOW);
	edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "1", NOW + 5);
	cr_assert_str_eq(e.text[FIELD_ACCESS_UNTIL], "2025-07-01 13:00:00");
	cr_assert_eq(edit_is_dirty(&e), 0);
	edit_clear(&e);
}

Test(edit, hours_that_do_not_parse_leave_access_until_alone)
{
	struct edit e;

	edit_start(&e);
	cr_assert_eq(edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "0", NOW), 0);
	cr_assert_eq(edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "2x", NOW), 0);
	cr_assert_str_eq(e.text[FIELD_ACCESS_UNTIL], "2025-07-01 13:00:00");
	edit_clear(&e);
}

Test(edit, a_save_after_an_hours_change_carries_both_with_loaded_olds)
{
	struct edit e;
	struct store_edit ed[FIELD_COUNT];
	char	*canon[FIELD_COUNT];
	enum hyp_field bad = FIELD_COUNT;
	size_t	 n, i;
	int	 seen = 0;

	edit_start(&e);
	edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "24", NOW);
	/* saved 90 s later: Access Until is now + 24 h at the save */
	cr_assert_eq(edit_collect(&e, NOW + 90, NULL, ed, canon, &n, &bad),
	    0);
	cr_assert_eq(n, 2);
	for (i = 0; i < n; i++) {
		if (ed[i].field == FIELD_TOKEN_LIFE_HOURS) {
			cr_assert_str_eq(ed[i].old, "1");
			cr_assert_str_eq(ed[i].new, "24");
			seen |= 1;
		}
		if (ed[i].field == FIELD_ACCESS_UNTIL) {
			cr_assert_str_eq(ed[i].old, "2025-07-01 13:00:00");
			cr_assert_str_eq(ed[i].new, "2025-07-02 12:01:30");
			seen |= 2;
		}
	}
	cr_assert_eq(seen, 3);
	for (i = 0; i < FIELD_COUNT; i++)
		free(canon[i]);
	edit_clear(&e);
}

Test(edit, access_until_typed_by_hand_wins_over_the_hours)
{
	struct edit e;
	struct store_edit ed[FIELD_COUNT];
	char	*canon[FIELD_COUNT];
	enum hyp_field bad;
	size_t	 n, i;

	edit_start(&e);
	edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "24", NOW);
	edit_set_text(&e, FIELD_ACCESS_UNTIL, "2025-08-01T00:00:00Z", NOW);
	cr_assert_eq(e.au_auto, 0);
	cr_assert_eq(edit_collect(&e, NOW + 90, NULL, ed, canon, &n, &bad),
	    0);
	for (i = 0; i < n; i++) {
		if (ed[i].field == FIELD_ACCESS_UNTIL)
			cr_assert_str_eq(ed[i].new, "2025-08-01 00:00:00");
	}
	for (i = 0; i < FIELD_COUNT; i++)
		free(canon[i]);
	edit_clear(&e);
}

Test(edit, a_refused_value_blocks_the_save_and_names_its_field)
{
	struct edit e;
	struct store_edit ed[FIELD_COUNT];
	char	*canon[FIELD_COUNT];
	enum hyp_field bad = FIELD_COUNT;
	size_t	 n = 99;

	edit_start(&e);
	edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "24", NOW);
	edit_set_text(&e, FIELD_WHITELIST, "010.0.0.1", NOW);
	cr_assert_eq(edit_collect(&e, NOW, NULL, ed, canon, &n, &bad), -1);
	cr_assert_eq(bad, FIELD_WHITELIST);
	cr_assert_eq(n, 0);
	cr_assert(e.bad[FIELD_WHITELIST]);
	cr_assert_not_null(strstr(e.note[FIELD_WHITELIST], "10.0.0.1"),
	    "the reason says what to write instead");
	edit_clear(&e);
}

Test(edit, a_list_with_stray_spaces_and_blank_lines_is_saved_trimmed)
{
	struct edit e;
	struct store_edit ed[FIELD_COUNT];
	char	*canon[FIELD_COUNT];
	enum hyp_field bad;
	size_t	 n, i;

	edit_start(&e);
	edit_set_text(&e, FIELD_WHITELIST, "  10.0.0.0/8 \n\n 192.0.2.10  \n",
	    NOW);
	cr_assert_eq(edit_collect(&e, NOW, NULL, ed, canon, &n, &bad), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(ed[0].field, FIELD_WHITELIST);
	cr_assert_str_eq(ed[0].old, "");
	cr_assert_str_eq(ed[0].new, "10.0.0.0/8\n192.0.2.10");
	for (i = 0; i < FIELD_COUNT; i++)
		free(canon[i]);
	edit_clear(&e);
}

Test(edit, a_value_typed_equal_to_the_stored_one_is_not_an_edit)
{
	struct edit e;
	struct store_edit ed[FIELD_COUNT];
	char	*canon[FIELD_COUNT];
	enum hyp_field bad;
	size_t	 n;

	edit_start(&e);
	edit_set_text(&e, FIELD_REFRESH_MODE, " rotate ", NOW);
	cr_assert_eq(edit_collect(&e, NOW, NULL, ed, canon, &n, &bad), 0);
	cr_assert_eq(n, 0);
	edit_clear(&e);
}

Test(edit, a_newer_record_keeps_edits_and_takes_the_rest)
{
	struct edit e;
	struct hyp_record newer;

	edit_start(&e);
	edit_set_text(&e, FIELD_MAX_POSTS, "80", NOW);
	make_record(&newer);
	newer.max_posts = 70;		/* another admin */
	newer.session_timeout = 15;	/* another admin, untyped field */
	newer.keep_alive = NOW;		/* the daemon */
	edit_rebase(&e, &newer);
	record_clear(&newer);
	cr_assert_str_eq(e.text[FIELD_MAX_POSTS], "80", "typed text stays");
	cr_assert_str_eq(e.base[FIELD_MAX_POSTS], "70", "old is the newer");
	cr_assert_str_eq(e.text[FIELD_SESSION_TIMEOUT], "15");
	cr_assert_eq(edit_field_is_dirty(&e, FIELD_SESSION_TIMEOUT), 0);
	cr_assert_eq(e.rec.keep_alive, NOW);
	cr_assert_eq(edit_check(&e, FIELD_MAX_POSTS, NOW, NULL), 0);
	cr_assert_not_null(strstr(e.note[FIELD_MAX_POSTS], "70"),
	    "the form says what the database holds now");
	edit_clear(&e);
}

Test(edit, a_whitelist_without_the_admins_address_gets_a_warning)
{
	struct edit e;

	edit_start(&e);
	snprintf(e.client, sizeof e.client, "192.0.2.99");
	edit_set_text(&e, FIELD_WHITELIST, "10.0.0.0/8", NOW);
	cr_assert_eq(edit_check(&e, FIELD_WHITELIST, NOW, NULL), 0);
	cr_assert_eq(e.bad[FIELD_WHITELIST], 0, "a warning, not a refusal");
	cr_assert_not_null(strstr(e.note[FIELD_WHITELIST], "192.0.2.99"));
	edit_set_text(&e, FIELD_WHITELIST, "10.0.0.0/8\n192.0.2.0/24", NOW);
	cr_assert_eq(edit_check(&e, FIELD_WHITELIST, NOW, NULL), 0);
	cr_assert_str_eq(e.note[FIELD_WHITELIST], "");
	edit_clear(&e);
}

Test(edit, the_hint_shows_the_reason_without_repeating_the_label)
{
	struct edit e;
	char	 hint[256];

	edit_start(&e);
	edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "0", NOW);
	cr_assert_eq(edit_check(&e, FIELD_TOKEN_LIFE_HOURS, NOW, NULL), -1);
	edit_hint(&e, FIELD_TOKEN_LIFE_HOURS, NULL, NOW, hint, sizeof hint);
	cr_assert_eq(strncmp(hint, "refused: ", 9), 0, "hint: %s", hint);
	cr_assert_null(strstr(hint, "Generated Token Life"), "hint: %s",
	    hint);
	edit_clear(&e);
}

/* As storage loads a record whose column it could not read. */
static void
edit_start_unread(struct edit *e, const char *invalid)
{
	struct hyp_record r;

	make_record(&r);
	snprintf(r.invalid, sizeof r.invalid, "%s", invalid);
	if (strncmp(invalid, "access_until_utc", 16) == 0)
		r.access_until = 0;	/* the stand-in storage leaves */
	edit_init(e, &r);
	record_clear(&r);
}

struct unread_case {
	char		 invalid[96];
	int		 field;
	char		 stored[16];
};

ParameterizedTestParameters(edit,
    an_unread_stored_value_shows_empty_and_why)
{
	static struct unread_case cases[] = {
		{ "refresh_token_mode holds 'sometimes', not rotate or fixed",
		    FIELD_REFRESH_MODE, "sometimes" },
		{ "access_until_utc holds 'tomorrow', not a number",
		    FIELD_ACCESS_UNTIL, "tomorrow" },
		{ "max_posts_per_ip_per_minute holds 'lots', not a number",
		    FIELD_MAX_POSTS, "lots" },
	};

	return cr_make_param_array(struct unread_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct unread_case *c, edit,
    an_unread_stored_value_shows_empty_and_why)
{
	struct edit e;
	char	 hint[256];

	edit_start_unread(&e, c->invalid);
	cr_assert_str_eq(e.text[c->field], "", "no stand-in is shown");
	cr_assert_eq(edit_is_dirty(&e), 0, "nothing typed, nothing to save");
	cr_assert_eq(edit_check(&e, c->field, NOW, NULL), -1);
	cr_assert(e.bad[c->field]);
	edit_hint(&e, c->field, NULL, NOW, hint, sizeof hint);
	cr_assert_not_null(strstr(hint, c->stored), "hint: %s", hint);
	edit_clear(&e);
}

Test(edit, a_value_typed_over_an_unread_one_is_saved_even_equal_to_the_stand_in)
{
	struct edit e;
	struct store_edit ed[FIELD_COUNT];
	char	*canon[FIELD_COUNT];
	enum hyp_field bad = FIELD_COUNT;
	size_t	 n = 0, i;

	edit_start_unread(&e, "refresh_token_mode holds 'sometimes', not "
	    "rotate or fixed");
	edit_set_text(&e, FIELD_REFRESH_MODE, "rotate", NOW);
	cr_assert(edit_field_is_dirty(&e, FIELD_REFRESH_MODE));
	cr_assert_eq(edit_check(&e, FIELD_REFRESH_MODE, NOW, NULL), 0);
	cr_assert_eq(edit_collect(&e, NOW, NULL, ed, canon, &n, &bad), 0);
	cr_assert_eq(n, 1, "the column is written to repair it");
	cr_assert_eq(ed[0].field, FIELD_REFRESH_MODE);
	cr_assert_str_eq(ed[0].new, "rotate");
	/* old is what storage gives for the column, as a save compares */
	cr_assert_str_eq(ed[0].old, "rotate");
	for (i = 0; i < FIELD_COUNT; i++)
		free(canon[i]);
	edit_clear(&e);
}

Test(edit, an_unread_field_left_alone_does_not_stop_other_saves)
{
	struct edit e;
	struct store_edit ed[FIELD_COUNT];
	char	*canon[FIELD_COUNT];
	enum hyp_field bad = FIELD_COUNT;
	size_t	 n = 0, i;

	edit_start_unread(&e, "max_posts_per_ip_per_minute holds 'lots', "
	    "not a number");
	edit_set_text(&e, FIELD_SESSION_TIMEOUT, "30", NOW);
	cr_assert_eq(edit_collect(&e, NOW, NULL, ed, canon, &n, &bad), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(ed[0].field, FIELD_SESSION_TIMEOUT);
	for (i = 0; i < FIELD_COUNT; i++)
		free(canon[i]);
	edit_clear(&e);
}

Test(edit, hours_typed_over_an_unread_access_until_give_it_a_time)
{
	struct edit e;
	struct store_edit ed[FIELD_COUNT];
	char	*canon[FIELD_COUNT];
	enum hyp_field bad = FIELD_COUNT;
	size_t	 n = 0, i;
	int	 seen = 0;

	edit_start_unread(&e, "access_until_utc holds 'tomorrow', not a "
	    "number");
	edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "2", NOW);
	cr_assert_str_eq(e.text[FIELD_ACCESS_UNTIL], "2025-07-01 14:00:00");
	cr_assert_eq(edit_collect(&e, NOW, NULL, ed, canon, &n, &bad), 0);
	for (i = 0; i < n; i++) {
		if (ed[i].field == FIELD_ACCESS_UNTIL) {
			cr_assert_str_eq(ed[i].new, "2025-07-01 14:00:00");
			seen = 1;
		}
	}
	cr_assert(seen, "Access Until is written with the hours");
	for (i = 0; i < FIELD_COUNT; i++)
		free(canon[i]);
	edit_clear(&e);
}

Test(edit, a_field_that_lost_a_typed_character_blocks_the_save_until_cleared)
{
	struct edit e;
	struct store_edit ed[FIELD_COUNT];
	char	*canon[FIELD_COUNT];
	enum hyp_field bad = FIELD_COUNT;
	size_t	 n = 99, i;

	edit_start(&e);
	/* Zürich-API typed: ü refused, the rest taken */
	edit_set_text(&e, FIELD_BLOCKED, "Z", NOW);
	edit_refuse(&e, FIELD_BLOCKED, "a character this field does not "
	    "take was typed here: \xc3\xbc");
	edit_set_text(&e, FIELD_BLOCKED, "Zrich-API", NOW);
	cr_assert_eq(edit_check(&e, FIELD_BLOCKED, NOW, NULL), -1,
	    "Zrich-API is a valid name, but not what was typed");
	cr_assert_not_null(strstr(e.note[FIELD_BLOCKED], "\xc3\xbc"));
	cr_assert_eq(edit_collect(&e, NOW, NULL, ed, canon, &n, &bad), -1);
	cr_assert_eq(bad, FIELD_BLOCKED);
	cr_assert_eq(n, 0);
	/* moving about in it changes nothing */
	edit_set_text(&e, FIELD_BLOCKED, "Zrich-API", NOW);
	cr_assert_eq(edit_collect(&e, NOW, NULL, ed, canon, &n, &bad), -1);
	/* cleared, then typed again cleanly */
	edit_set_text(&e, FIELD_BLOCKED, "", NOW);
	cr_assert_str_eq(e.refused[FIELD_BLOCKED], "");
	edit_set_text(&e, FIELD_BLOCKED, "Zurich-API", NOW);
	cr_assert_eq(edit_check(&e, FIELD_BLOCKED, NOW, NULL), 0);
	cr_assert_eq(edit_collect(&e, NOW, NULL, ed, canon, &n, &bad), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(ed[0].new, "Zurich-API");
	for (i = 0; i < FIELD_COUNT; i++)
		free(canon[i]);
	edit_clear(&e);
}

Test(edit, a_lost_character_blocks_the_save_even_when_the_text_is_unchanged)
{
	struct edit e;
	struct store_edit ed[FIELD_COUNT];
	char	*canon[FIELD_COUNT];
	enum hyp_field bad = FIELD_COUNT;
	size_t	 n;

	edit_start(&e);
	/* \xe2\x82\xac typed after the 1 of the hours */
	edit_refuse(&e, FIELD_TOKEN_LIFE_HOURS, "a character this field "
	    "does not take was typed here: \xe2\x82\xac");
	cr_assert_eq(edit_collect(&e, NOW, NULL, ed, canon, &n, &bad), -1);
	cr_assert_eq(bad, FIELD_TOKEN_LIFE_HOURS);
	edit_clear(&e);
}

Test(edit, hours_out_of_range_leave_no_half_typed_time_in_access_until)
{
	struct edit e;
	char	 hint[256];

	edit_start(&e);
	edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "8", NOW);
	edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "87", NOW);
	edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "876", NOW);
	/* NOW + 876 h = 2025-08-07 00:00:00 UTC */
	cr_assert_str_eq(e.text[FIELD_ACCESS_UNTIL], "2025-08-07 00:00:00");
	cr_assert_eq(edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "8761", NOW),
	    1 << FIELD_ACCESS_UNTIL);
	cr_assert_str_eq(e.text[FIELD_ACCESS_UNTIL], "2025-07-01 13:00:00",
	    "what was loaded, not the time of 876 h");
	edit_hint(&e, FIELD_ACCESS_UNTIL, NULL, NOW, hint, sizeof hint);
	cr_assert_str_eq(hint, "hours out of range");
	cr_assert_eq(edit_field_is_dirty(&e, FIELD_ACCESS_UNTIL), 0);
	edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "876", NOW);
	cr_assert_str_eq(e.text[FIELD_ACCESS_UNTIL], "2025-08-07 00:00:00");
	edit_hint(&e, FIELD_ACCESS_UNTIL, NULL, NOW, hint, sizeof hint);
	cr_assert_null(strstr(hint, "out of range"), "hint: %s", hint);
	edit_clear(&e);
}

Test(edit, hours_typed_out_of_range_at_once_say_so_by_access_until)
{
	struct edit e;
	char	 hint[256];

	edit_start(&e);
	edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "", NOW);
	edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "0", NOW);
	cr_assert_str_eq(e.text[FIELD_ACCESS_UNTIL], "2025-07-01 13:00:00");
	edit_hint(&e, FIELD_ACCESS_UNTIL, NULL, NOW, hint, sizeof hint);
	cr_assert_str_eq(hint, "hours out of range");
	edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "1", NOW);
	edit_hint(&e, FIELD_ACCESS_UNTIL, NULL, NOW, hint, sizeof hint);
	cr_assert_null(strstr(hint, "hours"), "back to its own words: %s",
	    hint);
	edit_clear(&e);
}

struct hours_case {
	char		 hours[32];
	char		 words[16];	/* in both the refusal and the hint */
};

ParameterizedTestParameters(edit,
    the_hours_and_access_until_name_the_same_problem)
{
	static struct hours_case cases[] = {
		{ "-5", "out of range" },
		{ "0", "out of range" },
		{ "8761", "out of range" },
		{ "99999999999999999999", "out of range" },
		{ " 9000 ", "out of range" },
		{ "010", "plain decimal" },
		{ "24h", "plain decimal" },
		{ "1e3", "plain decimal" },
	};

	return cr_make_param_array(struct hours_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct hours_case *c, edit,
    the_hours_and_access_until_name_the_same_problem)
{
	struct edit e;
	char	 hint[256];

	edit_start(&e);
	edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, c->hours, NOW);
	cr_assert_eq(edit_check(&e, FIELD_TOKEN_LIFE_HOURS, NOW, NULL), -1);
	cr_assert_not_null(strstr(e.note[FIELD_TOKEN_LIFE_HOURS], c->words),
	    "'%s': %s", c->hours, e.note[FIELD_TOKEN_LIFE_HOURS]);
	edit_hint(&e, FIELD_ACCESS_UNTIL, NULL, NOW, hint, sizeof hint);
	cr_assert_not_null(strstr(hint, c->words), "'%s': %s", c->hours,
	    hint);
	edit_clear(&e);
}

struct warn_case {
	int		 field;
	char		 text[32];
	char		 label[32];
};

ParameterizedTestParameters(edit, a_warning_does_not_repeat_its_label)
{
	static struct warn_case cases[] = {
		{ FIELD_MAX_POSTS, "501", "Max Posts per IP per Minute" },
		{ FIELD_ACCESS_UNTIL, "2020-01-01 00:00:00",
		    "Access Until UTC" },
	};

	return cr_make_param_array(struct warn_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct warn_case *c, edit,
    a_warning_does_not_repeat_its_label)
{
	struct edit e;

	edit_start(&e);
	edit_set_text(&e, c->field, c->text, NOW);
	cr_assert_eq(edit_check(&e, c->field, NOW, NULL), 0);
	cr_assert_eq(strncmp(e.note[c->field], "warning: ", 9), 0, "%s",
	    e.note[c->field]);
	cr_assert_null(strstr(e.note[c->field], c->label), "%s",
	    e.note[c->field]);
	edit_clear(&e);
}

Test(edit, access_until_typed_by_hand_stays_when_the_hours_go_bad)
{
	struct edit e;

	edit_start(&e);
	edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "24", NOW);
	edit_set_text(&e, FIELD_ACCESS_UNTIL, "2025-08-01 00:00:00", NOW);
	cr_assert_eq(edit_set_text(&e, FIELD_TOKEN_LIFE_HOURS, "0", NOW), 0);
	cr_assert_str_eq(e.text[FIELD_ACCESS_UNTIL], "2025-08-01 00:00:00");
	cr_assert_eq(e.au_wait, 0);
	edit_clear(&e);
}

Test(edit, an_access_until_past_the_year_9999_is_shown_empty_and_why)
{
	struct edit e;
	struct hyp_record r;
	char	 hint[256];

	make_record(&r);
	r.access_until = 99999999999999LL;	/* read, but no time */
	edit_init(&e, &r);
	record_clear(&r);
	cr_assert_str_eq(e.text[FIELD_ACCESS_UNTIL], "");
	cr_assert_eq(edit_check(&e, FIELD_ACCESS_UNTIL, NOW, NULL), -1);
	edit_hint(&e, FIELD_ACCESS_UNTIL, NULL, NOW, hint, sizeof hint);
	cr_assert_not_null(strstr(hint, "99999999999999"), "hint: %s", hint);
	edit_set_text(&e, FIELD_ACCESS_UNTIL, "+1h", NOW);
	cr_assert_eq(edit_check(&e, FIELD_ACCESS_UNTIL, NOW, NULL), 0);
	edit_clear(&e);
}

/* A wide character takes two cells of a libform row, given once. */
Test(bind, a_wide_character_in_a_list_row_shifts_no_row_after_it)
{
	/* １０.0.0.2 is ten cells: two full-width digits and six more */
	char	*got;

	got = bind_buffer_text("10.0.0.1  \xef\xbc\x91\xef\xbc\x90.0.0.2"
	    "10.0.0.3  ", 10, 1);
	cr_assert_str_eq(got, "10.0.0.1\n\xef\xbc\x91\xef\xbc\x90.0.0.2\n"
	    "10.0.0.3");
	free(got);
}

Test(bind, a_list_buffer_holds_one_cell_a_character)
{
	char	*buf;
	int	 rows;

	/* libform cannot edit a wide character in a field of rows */
	buf = bind_text_buffer("10.0.0.1\n\xef\xbc\x91\xef\xbc\x90.0.0.2\n"
	    "\tx", 10, 1, &rows);
	cr_assert_str_eq(buf, "10.0.0.1  ??.0.0.2   x        ");
	cr_assert_eq(rows, 3);
	free(buf);
	cr_assert_eq(bind_longest_line("ab\n\xef\xbc\x91\xef\xbc\x90"), 2);
}

Test(bind, the_width_of_one_line_of_a_list)
{
	cr_assert_eq(bind_line_width("ab\n\nabcd", 0), 2);
	cr_assert_eq(bind_line_width("ab\n\nabcd", 1), 0);
	cr_assert_eq(bind_line_width("ab\n\nabcd", 2), 4);
	cr_assert_eq(bind_line_width("ab\n\nabcd", 3), 0);
	cr_assert_eq(bind_line_width("Z\xc3\xbcrich", 0), 6);
}

struct paste_case {
	char		 in[64];
	int		 is_list;
	int		 ascii_only;
	wchar_t		 want[64];	/* or L"" and bad, line */
	wchar_t		 bad;
	int		 line;
};

ParameterizedTestParameters(bind, a_paste_is_taken_whole_or_refused)
{
	static struct paste_case cases[] = {
		/* the newcomer's paste: a tab is a blank, CR LF one break */
		{ "10.0.0.0/8\r\n\t192.0.2.10\r\n", 1, 1,
		    L"10.0.0.0/8\n 192.0.2.10\n", 0, 0 },
		{ "a\rb", 1, 1, L"a\nb", 0, 0 },
		{ "12\n", 0, 1, L"12", 0, 0 },
		{ "12\r\r", 0, 1, L"12", 0, 0 },
		{ "Z\xc3\xbcrich", 0, 0, L"Z\x00fcrich", 0, 0 },
		{ "1\n2", 0, 1, L"", L'\n', 0 },
		{ "10.0.0.1\n\xef\xbc\x91", 1, 1, L"", 0xff11, 1 },
		{ "Z\xc3\xbcrich", 1, 1, L"", 0xfc, 0 },
		{ "a\x0f", 1, 1, L"", 0x0f, 0 },
		{ "a\xc3", 1, 1, L"", TK_RAW_BYTE(0xc3), 0 },
	};

	return cr_make_param_array(struct paste_case, cases,
	    sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct paste_case *c, bind,
    a_paste_is_taken_whole_or_refused)
{
	wchar_t	*got, bad = 0;
	size_t	 n = 99;
	int	 line = -1;

	got = bind_paste(c->in, c->is_list, c->ascii_only, &n, &bad, &line);
	if (c->want[0] == L'\0') {
		cr_assert_null(got, "'%s' is refused", c->in);
		cr_assert_eq(bad, c->bad, "'%s': %x", c->in, (unsigned)bad);
		cr_assert_eq(line, c->line, "'%s': line %d", c->in, line);
		return;
	}
	cr_assert_not_null(got, "'%s' is taken", c->in);
	cr_assert_eq(n, wcslen(c->want));
	cr_assert(wcscmp(got, c->want) == 0, "'%s': '%ls'", c->in, got);
	free(got);
}

Test(bind, the_widest_line_a_paste_makes_counts_the_text_around_it)
{
	int	 line = -1;

	/* "x|yy" with "ab\ncdefg" pasted at |: "xab", "cdefgyy" */
	cr_assert_eq(bind_paste_widest(L"ab\ncdefg", 8, 1, 2, &line), 7);
	cr_assert_eq(line, 1);
	cr_assert_eq(bind_paste_widest(L"abc", 3, 2, 4, &line), 9);
	cr_assert_eq(line, 0);
	cr_assert_eq(bind_paste_widest(L"", 0, 3, 0, &line), 3);
}

Test(edit, a_character_refused_in_a_list_marks_its_line_until_cleared)
{
	struct edit e;
	struct store_edit ed[FIELD_COUNT];
	char	*canon[FIELD_COUNT];
	enum hyp_field bad = FIELD_COUNT;
	size_t	 n = 99, i;

	edit_start(&e);
	/* 10.0.0.1, Enter, then １０.0.0.2: both digits refused */
	edit_set_text(&e, FIELD_WHITELIST, "10.0.0.1", NOW);
	edit_refuse_line(&e, FIELD_WHITELIST, 1, "a character this field "
	    "does not take was typed here: \xef\xbc\x91 (ASCII only)");
	edit_refuse_line(&e, FIELD_WHITELIST, 1, "another");
	edit_set_text(&e, FIELD_WHITELIST, "10.0.0.1\n.0.0.2", NOW);
	cr_assert_not_null(strstr(e.note[FIELD_WHITELIST], "IP v4 Whitelist, "
	    "line 2: a character"), "%s", e.note[FIELD_WHITELIST]);
	cr_assert_eq(edit_collect(&e, NOW, NULL, ed, canon, &n, &bad), -1);
	cr_assert_eq(bad, FIELD_WHITELIST);
	/* put right without clearing: still what lost the characters */
	edit_set_text(&e, FIELD_WHITELIST, "10.0.0.1\n10.0.0.2", NOW);
	cr_assert_eq(edit_collect(&e, NOW, NULL, ed, canon, &n, &bad), -1);
	/* that line cleared (^A ^K), the first one kept, typed again */
	edit_set_text(&e, FIELD_WHITELIST, "10.0.0.1", NOW);
	cr_assert_str_eq(e.refused[FIELD_WHITELIST], "");
	edit_set_text(&e, FIELD_WHITELIST, "10.0.0.1\n10.0.0.2", NOW);
	cr_assert_eq(edit_collect(&e, NOW, NULL, ed, canon, &n, &bad), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(ed[0].new, "10.0.0.1\n10.0.0.2");
	for (i = 0; i < FIELD_COUNT; i++)
		free(canon[i]);
	edit_clear(&e);
}

Test(edit, the_mark_follows_its_line_as_lines_come_and_go_above_it)
{
	struct edit e;
	enum hyp_field f = FIELD_BLOCKED;

	edit_start(&e);
	edit_set_text(&e, f, "a\nb\nXrich", NOW);
	edit_refuse_line(&e, f, 2, "lost");
	edit_set_text(&e, f, "b\nXrich", NOW);
	cr_assert_eq(e.refused_line[f], 1);
	cr_assert_not_null(strstr(e.note[f], "line 2: lost"));
	edit_set_text(&e, f, "new\nb\nXrich", NOW);
	cr_assert_eq(e.refused_line[f], 2);
	edit_set_text(&e, f, "new\nb\nXrich-API", NOW);
	cr_assert_eq(e.refused_line[f], 2);
	cr_assert_not_null(strstr(e.note[f], "line 3: lost"));
	/* lines below it come and go: it stays */
	edit_set_text(&e, f, "new\nb\nXrich-API\nc", NOW);
	cr_assert_eq(e.refused_line[f], 2);
	edit_set_text(&e, f, "new\nb\n\nc", NOW);
	cr_assert_str_eq(e.refused[f], "", "emptied, it has lost nothing");
	edit_clear(&e);
}

Test(edit, refusals_on_two_lines_mark_the_whole_list)
{
	struct edit e;
	enum hyp_field f = FIELD_BLOCKED;

	edit_start(&e);
	edit_set_text(&e, f, "Xrich\nb\nYrich", NOW);
	edit_refuse_line(&e, f, 0, "lost");
	edit_refuse_line(&e, f, 2, "lost too");
	cr_assert_eq(e.refused_line[f], -1);
	cr_assert_not_null(strstr(e.note[f], "lost; ^U clears the field"));
	edit_set_text(&e, f, "b\nYrich", NOW);
	cr_assert_str_neq(e.refused[f], "");
	edit_set_text(&e, f, "", NOW);
	cr_assert_str_eq(e.refused[f], "");
	edit_clear(&e);
}
