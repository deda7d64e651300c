/*
 * tui.c: the console's screen manager and key loop. It keeps a stack of
 * layers (screens and, over them, dialogs), lays them out for the
 * terminal's size, paints them bottom to top, reads one key at a time
 * and acts on the effects the top layer's handler returns.
 *
 * Invariants: a resize is handled here and never handed to a layer as a
 * key, so it can neither be typed into a field nor answer a question;
 * bytes are read one at a time and made into characters here
 * (bind_decode), so a byte that is no character in the locale reaches
 * the layer as a refused byte and what follows it is kept, where
 * wget_wch would drop the rest of the burst; a paste the terminal
 * brackets reaches the layer whole, as one key, and bracketed paste is
 * off whenever the shell has the terminal; a terminal that cannot
 * address the cursor is refused before anything is drawn; below
 * TUI_MIN_LINES x TUI_MIN_COLS only a notice is shown and keys are not
 * taken; a clipboard write goes to the terminal after doupdate, so
 * curses never sees it; the terminal is restored on every way out: a
 * normal quit, SIGTERM, SIGHUP, SIGINT or SIGQUIT (a flag, checked at
 * least once a second), and a crash or abort (endwin, then the signal
 * again); flow control is off while the console runs, so Ctrl-S cannot
 * freeze the screen.
 */
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "hyp-time.h"
#include "hyp-token.h"
#include "tui-curses.h"
#include "tui.h"

#define TUI_LAYERS	16
#define TUI_TICK_MS	500
#define TUI_BYTE_MS	50	/* wait for the rest of a character */
#define TUI_AHEAD	(MB_LEN_MAX + 2)
#define TUI_PASTE_MS	2000	/* longest pause inside a paste */

/* Private key codes for the marks around a paste (define_key). */
#define TUI_KEY_PASTE	(KEY_MAX + 1)
#define TUI_KEY_PASTED	(KEY_MAX + 2)

struct tui {
	const struct hyp_config *cfg;
	struct store	*st;
	const struct policy_catalog *cat;
	const char	*db_label;

	struct layer	*layers[TUI_LAYERS];
	int		 n;
	int		 need_layout;
	int		 small;
	int		 quit;

	char		 status[1024];
	int		 status_role;
	int		 status_rows;
	int		 utf8;
	enum osc52_mux	 mux;
	char		 clip[OSC52_MAX];
	size_t		 cliplen;

	int		 ahead[TUI_AHEAD];	/* read, not yet used */
	int		 nahead;
};

static volatile sig_atomic_t tui_signal;
static int	 tui_curses_on;

static void	 tui_paste_mode(int);

/* A new layer around a screen's or dialog's data (full: a screen). */
struct layer *
layer_new(const struct layer_ops *ops, void *data, int full)
{
	struct layer *l;

	l = xcalloc(1, sizeof *l);
	l->ops = ops;
	l->data = data;
	l->full = full;
	l->cury = l->curx = -1;
	return (l);
}

static void
layer_free(struct layer *l)
{
	if (l->win != NULL)
		delwin(l->win);
	canvas_clear(&l->canvas);
	if (l->ops->free != NULL)
		l->ops->free(l);
	free(l);
}

/* Set the status line: the outcome of the last action, in words. */
void
tui_status(struct tui *t, int role, const char *fmt, ...)
{
	va_list	 ap;

	char	**lines;
	int	 n;

	va_start(ap, fmt);
	vsnprintf(t->status, sizeof t->status, fmt, ap);
	va_end(ap);
	t->status_role = role;
	n = text_wrap(t->status, COLS - 2, &lines);
	text_lines_free(lines, n);
	if (n < CHROME_STATUS_MIN)
		n = CHROME_STATUS_MIN;
	if (n > CHROME_STATUS_MAX)
		n = CHROME_STATUS_MAX;
	if (n != t->status_rows) {
		t->status_rows = n;
		t->need_layout = 1;
	}
}

/* Status rows the screens leave at the bottom. */
int
tui_status_rows(struct tui *t)
{
	return (t->status_rows);
}

/* The status text and its role. */
const char *
tui_status_get(struct tui *t, int *role)
{
	*role = t->status_role;
	return (t->status);
}

/* 1 when no screen is over l: it is what the admin sees. */
int
tui_is_shown(struct tui *t, const struct layer *l)
{
	int	 i;

	for (i = t->n - 1; i >= 0 && t->layers[i] != l; i--) {
		if (t->layers[i]->full)
			return (0);
	}
	return (i >= 0);
}

/* Put a layer on top (taken over). */
void
tui_push(struct tui *t, struct layer *l)
{
	if (l == NULL)
		return;
	if (t->n == TUI_LAYERS) {
		layer_free(l);
		return;
	}
	t->layers[t->n++] = l;
	t->need_layout = 1;
}

/*
 * Frame data for the terminal's clipboard, to be written after the next
 * refresh. NULL drops a pending write. Returns the bytes to be written,
 * or -1.
 */
ssize_t
tui_clip(struct tui *t, const char *data, size_t len)
{
	ssize_t	 n;

	token_wipe(t->clip, sizeof t->clip);
	t->cliplen = 0;
	if (data == NULL)
		return (0);
	n = osc52_build(t->mux, data, len, t->clip, sizeof t->clip);
	if (n > 0)
		t->cliplen = (size_t)n;
	return (n);
}

/* Accessors for the screens. */
struct store *
tui_store(struct tui *t)
{
	return (t->st);
}

const struct policy_catalog *
tui_catalog(struct tui *t)
{
	return (t->cat);
}

const struct hyp_config *
tui_config(struct tui *t)
{
	return (t->cfg);
}

const char *
tui_db_label(struct tui *t)
{
	return (t->db_label != NULL ? t->db_label : "");
}

int
tui_osc52_mux(struct tui *t)
{
	return (t->mux);
}

/* Remove a layer wherever it is in the stack. */
static void
tui_remove(struct tui *t, struct layer *l)
{
	int	 i;

	for (i = 0; i < t->n; i++) {
		if (t->layers[i] != l)
			continue;
		memmove(&t->layers[i], &t->layers[i + 1],
		    (size_t)(t->n - i - 1) * sizeof *t->layers);
		t->n--;
		layer_free(l);
		return;
	}
}

static void
tui_layout(struct tui *t)
{
	struct layer *l;
	int	 i;

	t->need_layout = 0;
	t->small = LINES < TUI_MIN_LINES || COLS < TUI_MIN_COLS;
	if (t->small)
		return;
	for (i = 0; i < t->n; i++) {
		l = t->layers[i];
		l->ops->layout(l, t, LINES, COLS);
		if (l->win != NULL)
			delwin(l->win);
		l->win = newwin(l->h, l->w, l->y, l->x);
		canvas_clear(&l->canvas);
		canvas_init(&l->canvas, l->h, l->w);
	}
}

static void
tui_paint_small(void)
{
	char	 need[256], **lines;
	int	 n, i;

	werase(stdscr);
	snprintf(need, sizeof need, "The terminal is %dx%d; hyptokens needs "
	    "%dx%d. Make it larger: nothing typed is lost. (Ctrl-C leaves "
	    "without saving.)", COLS, LINES, TUI_MIN_COLS, TUI_MIN_LINES);
	n = text_wrap(need, COLS, &lines);
	for (i = 0; i < n && i < LINES; i++)
		mvaddnstr(i, 0, lines[i], COLS);
	text_lines_free(lines, n);
	curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
}

/* Paint from the topmost screen up, then write any clipboard sequence. */
static void
tui_render(struct tui *t)
{
	struct layer *l;
	int	 i, base = 0, cursor;

	if (t->small) {
		tui_paint_small();
		return;
	}
	for (i = 0; i < t->n; i++) {
		if (t->layers[i]->full)
			base = i;
	}
	for (i = base; i < t->n; i++) {
		l = t->layers[i];
		if (l->win == NULL)
			continue;
		l->cury = l->curx = -1;
		canvas_erase(&l->canvas, ROLE_NORMAL);
		l->ops->draw(l, t);
		paint_canvas(l->win, &l->canvas);
		if (l->cury >= 0)
			wmove(l->win, l->cury, l->curx);
		wnoutrefresh(l->win);
		if (l->ops->paint != NULL)
			l->ops->paint(l, t);
	}
	cursor = t->n > 0 && t->layers[t->n - 1]->cury != -1;
	curs_set(cursor ? 1 : 0);
	doupdate();
	if (t->cliplen > 0) {
		fflush(stdout);
		osc52_write(STDOUT_FILENO, t->clip, t->cliplen);
		token_wipe(t->clip, sizeof t->clip);
		t->cliplen = 0;
	}
}

/* A curses key code (KEY_*), in the console's codes. */
static void
tui_key_code(int wc, struct tui_key *k)
{
	switch (wc) {
	case KEY_RESIZE:
		k->code = TK_RESIZE;
		return;
	case KEY_UP:
		k->code = TK_UP;
		return;
	case KEY_DOWN:
		k->code = TK_DOWN;
		return;
	case KEY_LEFT:
		k->code = TK_LEFT;
		return;
	case KEY_RIGHT:
		k->code = TK_RIGHT;
		return;
	case KEY_PPAGE:
		k->code = TK_PGUP;
		return;
	case KEY_NPAGE:
		k->code = TK_PGDN;
		return;
	case KEY_HOME:
		k->code = TK_HOME;
		return;
	case KEY_END:
		k->code = TK_END;
		return;
	case KEY_BACKSPACE:
		k->code = TK_BACKSPACE;
		return;
	case KEY_DC:
		k->code = TK_DELETE;
		return;
	case KEY_BTAB:
		k->code = TK_BTAB;
		return;
	case KEY_ENTER:
		k->code = TK_ENTER;
		return;
	}
	if (wc >= KEY_F(1) && wc <= KEY_F(12)) {
		k->code = TK_FKEY;
		k->ch = (wchar_t)(wc - KEY_F0);
	}
}

/* An ASCII byte, in the console's codes. */
static void
tui_key_ascii(int wc, struct tui_key *k)
{
	switch (wc) {
	case 27:
		k->code = TK_ESC;
		return;
	case '\t':
		k->code = TK_TAB;
		return;
	case '\r':
	case '\n':
		k->code = TK_ENTER;
		return;
	case 127:
	case 8:
		k->code = TK_BACKSPACE;
		return;
	}
	if (wc < 32) {
		k->code = TK_CTRL;
		k->ch = (wchar_t)('a' + wc - 1);
		return;
	}
	k->code = TK_CHAR;
	k->ch = (wchar_t)wc;
}

/* The next byte or key code: one read ahead first, else from curses. */
static int
tui_getch(struct tui *t, int ms)
{
	int	 c;

	if (t->nahead > 0) {
		c = t->ahead[0];
		memmove(&t->ahead[0], &t->ahead[1],
		    (size_t)--t->nahead * sizeof t->ahead[0]);
		return (c);
	}
	if (ms != TUI_TICK_MS)
		wtimeout(stdscr, ms);
	c = wgetch(stdscr);
	if (ms != TUI_TICK_MS)
		wtimeout(stdscr, TUI_TICK_MS);
	return (c);
}

/* Give back what was read ahead, to be read first and in order. */
static void
tui_ungetch(struct tui *t, const int *c, int n)
{
	if (n <= 0 || t->nahead + n > TUI_AHEAD)
		return;
	memmove(&t->ahead[n], &t->ahead[0],
	    (size_t)t->nahead * sizeof t->ahead[0]);
	memcpy(&t->ahead[0], c, (size_t)n * sizeof *c);
	t->nahead += n;
}

/* The last paste, kept until the next key is read, then wiped. */
static char	 tui_pasted[TK_PASTE_MAX + 1];
static size_t	 tui_npasted;

/*
 * The bytes of a paste, up to the terminal's end mark, as one TK_PASTE
 * key: the screens decide what a tab or a line break in it means, and
 * nothing in it acts as a key. A key curses made of an escape sequence
 * in it is dropped; a NUL becomes DEL, which no field takes, so it is
 * refused with the paste. A paste over TK_PASTE_MAX is not passed on.
 */
static void
tui_read_paste(struct tui *t, struct tui_key *k)
{
	size_t	 n = 0;
	int	 c, over = 0;

	for (;;) {
		c = tui_getch(t, TUI_PASTE_MS);
		if (c == ERR || c == TUI_KEY_PASTED)
			break;
		if (c == KEY_RESIZE)
			t->need_layout = 1;
		if (c > 0xff)
			continue;
		if (n == TK_PASTE_MAX)
			over = 1;
		else
			tui_pasted[n++] = c == 0 ? 0x7f : (char)c;
	}
	tui_pasted[n] = '\0';
	tui_npasted = n;
	if (over) {
		tui_status(t, ROLE_ERROR, "Not pasted: a paste holds at most "
		    "%d bytes; nothing of it went in.", TK_PASTE_MAX);
		return;
	}
	k->code = TK_PASTE;
	k->text = tui_pasted;
}

/*
 * One key. Bytes that are not ASCII are gathered until they make a
 * character (bind_decode); a byte that starts none comes as a refused
 * byte of its own, and the bytes after it are read again. A paste the
 * terminal bracketed comes whole (tui_read_paste).
 */
static void
tui_read_key(struct tui *t, struct tui_key *k)
{
	char	 mb[MB_LEN_MAX];
	int	 c, back[MB_LEN_MAX + 1], nback = 0, rc, later = ERR;
	size_t	 n = 0, used, i;
	wchar_t	 wc;

	k->code = TK_NONE;
	k->ch = 0;
	k->text = NULL;
	if (tui_npasted > 0) {
		token_wipe(tui_pasted, tui_npasted);
		tui_npasted = 0;
	}
	if ((c = tui_getch(t, TUI_TICK_MS)) == ERR)
		return;
	if (c == TUI_KEY_PASTE) {
		tui_read_paste(t, k);
		return;
	}
	if (c > 0xff) {
		tui_key_code(c, k);
		return;
	}
	if (c < 0x80) {
		tui_key_ascii(c, k);
		return;
	}
	mb[n++] = (char)c;
	for (;;) {
		rc = bind_decode(mb, n, &wc, &used);
		if (rc != 0 || n == sizeof mb)
			break;
		if ((c = tui_getch(t, TUI_BYTE_MS)) == ERR)
			break;
		if (c > 0xff) {		/* a key in the middle: keep it */
			later = c;
			break;
		}
		mb[n++] = (char)c;
	}
	if (rc == 0) {			/* cut short: the first byte alone */
		wc = TK_RAW_BYTE((unsigned char)mb[0]);
		used = 1;
	}
	k->code = TK_CHAR;
	k->ch = wc;
	for (i = used; i < n; i++)
		back[nback++] = (unsigned char)mb[i];
	if (later != ERR)
		back[nback++] = later;
	tui_ungetch(t, back, nback);
}

/* Act on what a layer's key handler returned. */
static void
tui_apply(struct tui *t, struct layer *l, int r)
{
	struct layer *below = NULL;
	int	 i;

	if (r & TUI_QUIT)
		t->quit = 1;
	if (r & TUI_LAYOUT)
		t->need_layout = 1;
	if (!(r & TUI_CLOSE))
		return;
	if (r & TUI_CLOSE_BELOW) {
		for (i = 1; i < t->n; i++) {
			if (t->layers[i] == l)
				below = t->layers[i - 1];
		}
	}
	tui_remove(t, l);
	if (below != NULL)
		tui_remove(t, below);
	if (t->n > 0 && t->layers[t->n - 1]->ops->resume != NULL)
		t->layers[t->n - 1]->ops->resume(t->layers[t->n - 1], t);
	t->need_layout = 1;
}

static void
tui_loop(struct tui *t)
{
	struct tui_key k;
	struct layer *top;
	int	 r, i;

	while (!t->quit && t->n > 0 && tui_signal == 0) {
		if (t->need_layout)
			tui_layout(t);
		tui_render(t);
		tui_read_key(t, &k);
		if (tui_signal != 0)
			break;
		if (k.code == TK_RESIZE ||
		    (k.code == TK_CTRL && k.ch == 'l')) {
			clearok(curscr, TRUE);
			t->need_layout = 1;
			continue;
		}
		if (k.code == TK_NONE) {
			for (i = 0; i < t->n; i++) {
				top = t->layers[i];
				if (top->ops->tick != NULL)
					top->ops->tick(top, t);
			}
			continue;
		}
		if (t->small)
			continue;
		top = t->layers[t->n - 1];
		r = top->ops->key(top, t, &k);
		tui_apply(t, top, r);
	}
}

static void
tui_on_signal(int sig)
{
	tui_signal = sig;
}

/* A crash: give the terminal back, then die of the same signal. */
static void
tui_on_fatal(int sig)
{
	tui_paste_mode(0);
	if (tui_curses_on && !isendwin())
		endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
tui_at_exit(void)
{
	if (tui_curses_on && !isendwin())
		endwin();
}

static void
tui_signals(void)
{
	struct sigaction sa;
	static const int stop[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT };
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL,
	    SIGABRT };
	size_t	 i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = tui_on_signal;
	for (i = 0; i < sizeof stop / sizeof stop[0]; i++)
		sigaction(stop[i], &sa, NULL);
	sa.sa_handler = tui_on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
	atexit(tui_at_exit);
}

/*
 * 1 when the terminal can address the cursor, as every screen needs; a
 * dumb or printing terminal cannot. Asked of the terminal description
 * once curses has it, before anything is drawn.
 */
static int
tui_can_address(void)
{
	char	*cup = tigetstr("cup");

	return (cup != NULL && cup != (char *)-1);
}

/*
 * Function keys as other terminals send them, for a terminal description
 * that lacks them: PuTTY's and rxvt's F1-F4, the SS3 F1-F4, the Linux
 * console's F1-F5, and the VT220 F5-F12 (not in vt100's).
 */
static void
tui_define_fkeys(void)
{
	static const struct {
		const char	*seq;
		int		 fkey;
	} alt[] = {
		{ "\033[11~", 1 }, { "\033[12~", 2 }, { "\033[13~", 3 },
		{ "\033[14~", 4 }, { "\033OP", 1 }, { "\033OQ", 2 },
		{ "\033OR", 3 }, { "\033OS", 4 }, { "\033[[A", 1 },
		{ "\033[[B", 2 }, { "\033[[C", 3 }, { "\033[[D", 4 },
		{ "\033[[E", 5 }, { "\033[15~", 5 }, { "\033[17~", 6 },
		{ "\033[18~", 7 }, { "\033[19~", 8 }, { "\033[20~", 9 },
		{ "\033[21~", 10 }, { "\033[23~", 11 }, { "\033[24~", 12 },
	};
	size_t	 i;

	for (i = 0; i < sizeof alt / sizeof alt[0]; i++) {
		if (key_defined(alt[i].seq) == 0)
			define_key(alt[i].seq, KEY_F(alt[i].fkey));
	}
}

/*
 * cbreak() leaves the terminal's flow control on: Ctrl-S would stop all
 * output until Ctrl-Q, and the console would look hung. Off in the
 * program's mode, recorded with def_prog_mode so that a resume after
 * Ctrl-Z keeps it off; endwin brings back the shell's mode, flow control
 * and all.
 */
static void
tui_flow_off(void)
{
	struct termios tio;

	if (tcgetattr(STDIN_FILENO, &tio) == 0) {
		tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
		tcsetattr(STDIN_FILENO, TCSADRAIN, &tio);
	}
	def_prog_mode();
}

static volatile sig_atomic_t tui_paste_on;
static struct sigaction tui_tstp_curses;

/* Bracketed paste on or off (mode 2004); safe in a signal handler. */
static void
tui_paste_mode(int on)
{
	static const char on_seq[] = "\033[?2004h", off_seq[] = "\033[?2004l";
	ssize_t	 n;

	if (on == tui_paste_on)
		return;
	tui_paste_on = on;
	n = write(STDOUT_FILENO, on ? on_seq : off_seq, sizeof on_seq - 1);
	(void)n;
}

static void
tui_paste_off(void)
{
	tui_paste_mode(0);
}

/*
 * Ctrl-Z: curses' handler gives the shell its terminal back and stops
 * the process; around it, bracketed paste goes off for the shell and on
 * again for the console (the shell may have turned it off meanwhile).
 */
static void
tui_on_tstp(int sig)
{
	int	 saved = errno;

	tui_paste_mode(0);
	tui_tstp_curses.sa_handler(sig);
	tui_paste_mode(1);
	errno = saved;
}

/*
 * Ask the terminal to bracket what is pasted, and read its marks as two
 * keys of our own, so that a tab or a line break in a paste can never
 * move the focus or answer a question. Off again on every way out: at
 * exit, on a crash (tui_on_fatal) and while stopped by Ctrl-Z.
 */
static void
tui_paste_start(void)
{
	struct sigaction sa;

	define_key("\033[200~", TUI_KEY_PASTE);
	define_key("\033[201~", TUI_KEY_PASTED);
	tui_paste_mode(1);
	atexit(tui_paste_off);
	if (sigaction(SIGTSTP, NULL, &tui_tstp_curses) != 0 ||
	    (tui_tstp_curses.sa_flags & SA_SIGINFO) ||
	    tui_tstp_curses.sa_handler == SIG_DFL ||
	    tui_tstp_curses.sa_handler == SIG_IGN)
		return;
	sa = tui_tstp_curses;
	sa.sa_handler = tui_on_tstp;
	sigaction(SIGTSTP, &sa, NULL);
}

static int
tui_start(struct tui *t, SCREEN **scr)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "hyptokens: the console needs a terminal; "
		    "for scripts use a subcommand (list, show, set ...)\n");
		return (-1);
	}
	setlocale(LC_CTYPE, "");
	t->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	glyphs_init(t->utf8);
	tui_signals();
	if ((*scr = newterm(NULL, stdout, stdin)) == NULL) {
		fprintf(stderr, "hyptokens: cannot use terminal type %s\n",
		    getenv("TERM") != NULL ? getenv("TERM") : "(unset)");
		return (-1);
	}
	tui_curses_on = 1;
	if (!tui_can_address()) {
		endwin();
		delscreen(*scr);
		*scr = NULL;
		tui_curses_on = 0;
		fprintf(stderr, "hyptokens: terminal type %s cannot move the "
		    "cursor, which the console needs; set TERM to the "
		    "terminal's type (such as xterm-256color), or use a "
		    "subcommand (list, show, set ...)\n",
		    getenv("TERM") != NULL ? getenv("TERM") : "(unset)");
		return (-1);
	}
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	tui_flow_off();
	keypad(stdscr, TRUE);
	tui_define_fkeys();
	tui_paste_start();
	wtimeout(stdscr, TUI_TICK_MS);
	paint_init(paint_colour_wanted());
	curs_set(0);
	wnoutrefresh(stdscr);
	return (0);
}

/* The console on an open store; see tui.h. */
int
tui_main(const struct hyp_config *cfg, struct store *st,
    const struct policy_catalog *cat, const char *db_label)
{
	struct tui *t;
	SCREEN	*scr = NULL;
	int	 status = 0;

	t = xcalloc(1, sizeof *t);
	t->cfg = cfg;
	t->st = st;
	t->cat = cat;
	t->db_label = db_label;
	t->status_rows = CHROME_STATUS_MIN;
	t->mux = osc52_mux_detect(getenv("TMUX"), getenv("STY"));
	if (tui_start(t, &scr) != 0) {
		status = 1;
		goto out;
	}
	tui_status(t, ROLE_NORMAL, "Enter opens a record; ? or F1 lists the "
	    "keys.");
	tui_push(t, screen_list_new(t));
	tui_loop(t);
	if (tui_signal != 0)
		status = 128 + tui_signal;
out:
	while (t->n > 0)
		tui_remove(t, t->layers[t->n - 1]);
	if (tui_curses_on) {
		endwin();
		delscreen(scr);
		tui_curses_on = 0;
	}
	token_wipe(t->clip, sizeof t->clip);
	free(t);
	return (status);
}
