/*
 * tui-curses.h: the console's curses side, for the few files that paint
 * on the terminal or drive libform (paint.c, formview.c, tui.c). Every
 * other console file draws on a canvas and stays free of curses.
 */
#ifndef TUI_CURSES_H
#define TUI_CURSES_H

#include <curses.h>

#include "widget.h"

/* paint.c */
int	 paint_colour_wanted(void);
void	 paint_init(int colour);
attr_t	 paint_attr(enum tui_role);
chtype	 paint_field_attr(enum tui_role);
void	 paint_canvas(WINDOW *, const struct canvas *);

#endif
