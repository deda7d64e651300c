/*
 * tui.h: the console's private header, one section per source file as in
 * tmux.h: the entry point, and the parts that know records and tokens
 * (OSC 52 copy, words, the edit model, actions, the two screens). The
 * generic widgets are in widget.h; the curses side (painting, the key
 * loop) in tui-curses.h. Nothing declared here needs curses.
 */
#ifndef TUI_H
#define TUI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <wchar.h>

#include "hyp-config.h"
#include "hyp-policy.h"
#include "hyp-status.h"
#include "hyp-store.h"
#include "hyp-util.h"
#include "widget.h"

/* tui.c */

/*
 * The console: list and form screens on the open store, until the admin
 * quits or a signal stops it. Returns the process exit status: 0, 1 when
 * the terminal could not be used, 128 + signal when stopped by one.
 */
int	 tui_main(const struct hyp_config *, struct store *,
	    const struct policy_catalog *, const char *db_label);

/* Queue a clipboard write, done after the next screen refresh. */
ssize_t	 tui_clip(struct tui *, const char *data, size_t len);
struct store *tui_store(struct tui *);
const struct policy_catalog *tui_catalog(struct tui *);
const struct hyp_config *tui_config(struct tui *);
const char *tui_db_label(struct tui *);
int	 tui_osc52_mux(struct tui *);

/* osc52.c */

enum osc52_mux {
	OSC52_PLAIN,
	OSC52_TMUX,
	OSC52_SCREEN,
};

/* Longest framed write for a TOKEN_MAX_LEN token, all framings. */
#define OSC52_MAX	2048
#define OSC52_SCREEN_CHUNK 76

enum osc52_mux osc52_mux_detect(const char *tmux, const char *sty);
ssize_t	 osc52_frame(enum osc52_mux, const char *b64, size_t, char *,
	    size_t);
ssize_t	 osc52_build(enum osc52_mux, const char *data, size_t, char *,
	    size_t);
int	 osc52_write(int fd, const char *, size_t);
void	 osc52_describe(enum osc52_mux, size_t sent, char *, size_t);

/* words.c */

char	*words_span(int64_t seconds, char *, size_t);
char	*words_access(int64_t until, int64_t now, char *, size_t);
char	*words_last(int64_t when, int64_t now, char *, size_t);
char	*words_mask(const char *token, char *, size_t);
int	 words_is_unsecured(const struct policy_catalog *, const char *);
char	*words_purpose(const struct policy_catalog *, const char *purpose,
	    char *, size_t);

/* edit.c */

/*
 * The record being edited: the record as loaded, the canonical text of
 * each editable field at load (the `old` of a save), the text as typed,
 * and each field's verdict. Edits stay here across relayouts.
 *
 * A field whose stored value storage could not read (rec.invalid names
 * its column) is shown empty, never as the stand-in value the struct
 * holds; unread[] says why, and the field is saved once typed into even
 * when the text equals the stand-in. A field into which a character was
 * typed that it does not take keeps refused[] (what was refused) until
 * its text is cleared: its value lost something, so it blocks the save.
 * In a list the mark is on the line the character was typed into
 * (refused_line[], which follows it as lines come and go above it) and
 * goes once that line is cleared; refusals on two lines mark the whole
 * list (refused_line[] -1, as for a one-line field).
 */
struct edit {
	struct hyp_record rec;
	char		*base[FIELD_COUNT];
	char		*text[FIELD_COUNT];
	char		 note[FIELD_COUNT][256];
	int		 bad[FIELD_COUNT];	/* note is a refusal */
	int		 moved[FIELD_COUNT];	/* base moved under it */
	char		 unread[FIELD_COUNT][160];	/* why, or "" */
	int		 touched[FIELD_COUNT];	/* typed into (unread) */
	char		 refused[FIELD_COUNT][128];	/* what, or "" */
	int		 refused_line[FIELD_COUNT];	/* 0 first; -1 all */
	int		 au_auto;	/* Access Until follows the hours */
	int		 au_wait;	/* it would, but the hours are bad */
	char		 client[64];	/* SSH client, for a warning */
};

void	 edit_init(struct edit *, const struct hyp_record *);
void	 edit_set_client(struct edit *);
void	 edit_clear(struct edit *);
int	 edit_set_text(struct edit *, enum hyp_field, const char *,
	    int64_t now);
void	 edit_refuse(struct edit *, enum hyp_field, const char *what);
void	 edit_refuse_line(struct edit *, enum hyp_field, int line,
	    const char *what);
int	 edit_check(struct edit *, enum hyp_field, int64_t now,
	    const struct policy_catalog *);
int	 edit_is_dirty(const struct edit *);
int	 edit_field_is_dirty(const struct edit *, enum hyp_field);
int	 edit_collect(struct edit *, int64_t now,
	    const struct policy_catalog *, struct store_edit *, char **canon,
	    size_t *, enum hyp_field *bad);
void	 edit_rebase(struct edit *, const struct hyp_record *);
void	 edit_hint(const struct edit *, enum hyp_field,
	    const struct policy_catalog *, int64_t now, char *, size_t);

/* actions.c */

int	 actions_signal(const char *socket, int cmd, const char *domain,
	    char *, size_t);
int	 actions_regenerate(struct tui *, const char *domain,
	    struct hyp_record *);
int	 actions_delete(struct tui *, const char *domain);

/* screen-list.c */

struct list_cols {
	int		 mark;
	int		 domain;
	int		 purpose;
	int		 user;
	int		 access;
	int		 alive;
	int		 last;
};

/* Widest text of the records, for the columns (list_need_add). */
struct list_need {
	int		 domain;
	int		 purpose;
	int		 user;
};

struct layer *screen_list_new(struct tui *);
void	 list_need_add(struct list_need *, const struct hyp_record *);
void	 list_columns(int cols, const struct list_need *,
	    struct list_cols *);
int	 list_is_refused(const struct hyp_record *,
	    const struct policy_catalog *);
void	 list_draw_row(struct canvas *, int y, const struct list_cols *,
	    const struct hyp_record *, const struct policy_catalog *,
	    int64_t now, int interval, int selected);
int	 list_match(const struct hyp_record *, const char *filter);

/* screen-record.c */

struct layer *screen_record_new(struct tui *, const char *domain);

/* dialogs both screens ask (screen-list.c) */
void	 ask_regenerate(struct tui *, const char *domain, dialog_done_cb,
	    void *);
void	 ask_delete(struct tui *, const char *domain, dialog_done_cb,
	    void *);

#endif
