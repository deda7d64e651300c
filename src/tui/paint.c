/*
 * paint.c: a canvas onto a curses window, and the attribute of each role.
 * Every role has a monochrome form (bold, reverse, underline, dim) that
 * tells it apart without colour; colour is added on top only when the
 * terminal has it and NO_COLOR is not set.
 */
#include <stdlib.h>

#include "tui-curses.h"

static int	 paint_colour;

/* 0 when NO_COLOR is set to anything but "" (no-color.org). */
int
paint_colour_wanted(void)
{
	const char *s = getenv("NO_COLOR");

	return (s == NULL || *s == '\0');
}

static attr_t
paint_mono(enum tui_role role)
{
	switch (role) {
	case ROLE_TITLE:
	case ROLE_HEADER:
	case ROLE_WARN:
		return (A_BOLD);
	case ROLE_SELECTED:
	case ROLE_KEY:
	case ROLE_FOCUS:
		return (A_REVERSE);
	case ROLE_FIELD:
		return (A_UNDERLINE);
	case ROLE_HINT:
	case ROLE_BUTTON_OFF:
		return (A_DIM);
	case ROLE_ERROR:
		return (A_BOLD | A_UNDERLINE);
	case ROLE_DANGER:
		return (A_BOLD | A_REVERSE);
	case ROLE_BUTTON_FOCUS:
		return (A_BOLD | A_REVERSE);
	default:
		return (A_NORMAL);
	}
}

static short
paint_fg(enum tui_role role)
{
	switch (role) {
	case ROLE_TITLE:
	case ROLE_HEADER:
	case ROLE_RULE:
		return (COLOR_CYAN);
	case ROLE_FIELD:
		return (COLOR_CYAN);
	case ROLE_ERROR:
	case ROLE_DANGER:
		return (COLOR_RED);
	case ROLE_WARN:
		return (COLOR_YELLOW);
	case ROLE_GOOD:
		return (COLOR_GREEN);
	case ROLE_HINT:
		return (COLOR_BLUE);
	default:
		return (-1);
	}
}

/* Set up colour pairs (one per role) when colour is to be used. */
void
paint_init(int colour)
{
	int	 r;

	paint_colour = colour && has_colors();
	if (!paint_colour)
		return;
	start_color();
	use_default_colors();
	for (r = 1; r < ROLE_COUNT; r++)
		init_pair((short)r, paint_fg(r), -1);
}

/* The attribute of a role, colour pair included. */
attr_t
paint_attr(enum tui_role role)
{
	attr_t	 a = paint_mono(role);

	if (paint_colour && role != ROLE_NORMAL && paint_fg(role) != -1)
		a |= COLOR_PAIR(role);
	return (a);
}

/* The same, for libform's field attributes. */
chtype
paint_field_attr(enum tui_role role)
{
	return ((chtype)paint_attr(role));
}

/* Copy the canvas onto the window, leaving holes alone. */
void
paint_canvas(WINDOW *win, const struct canvas *c)
{
	const struct cell *cell;
	cchar_t	 cc;
	wchar_t	 wch[2];
	attr_t	 a;
	short	 pair;
	int	 y, x;

	for (y = 0; y < c->h; y++) {
		for (x = 0; x < c->w; x++) {
			cell = &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
			if (cell->flags & (CELL_HOLE | CELL_WIDE_TAIL))
				continue;
			a = paint_attr(cell->role);
			pair = (short)PAIR_NUMBER(a);
			wch[0] = cell->ch;
			wch[1] = L'\0';
			setcchar(&cc, wch, a & ~A_COLOR, pair, NULL);
			mvwadd_wch(win, y, x, &cc);
		}
	}
}
