# hyptokens: console, daemon and their shared core library.
# Plain GNU make. `make V=1` shows full commands; CI=true adds -Werror.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
SBINDIR	?= $(PREFIX)/sbin
SHAREDIR ?= $(PREFIX)/share/hyptokens
MANDIR	?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc/hyptokens
DESTDIR	?=

CC	?= cc
B	:= build

PKGS	:= ncursesw formw menuw sqlite3 libsodium libevent libevent_pthreads \
	   jansson
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CRIT_LIBS  = $(shell pkg-config --libs criterion 2>/dev/null)

WARN	:= -Wall -Wextra -Wformat=2 -Wshadow -Wpointer-arith -Wsign-compare \
	   -Wcast-qual -Wstrict-prototypes -Wmissing-prototypes \
	   -Wmissing-declarations -Wno-unused-parameter
ifeq ($(CI),true)
WARN	+= -Werror
endif
OPT	?= -O2
DEBUG	?= -g
STD	:= -std=c11 -D_GNU_SOURCE
ifeq ($(SANITIZE),1)
DEBUG	+= -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all
B	:= build-san
endif
FINAL_CFLAGS = $(STD) $(WARN) $(OPT) $(DEBUG) -Iinclude -I$(B) \
	   -I/usr/include/iniparser $(PKG_CFLAGS) \
	   -DHYP_VERSION='"$(VERSION)"' \
	   -MMD -MP $(CFLAGS)
FINAL_LDFLAGS = $(DEBUG) $(LDFLAGS)
LIBS	= $(PKG_LIBS) -liniparser -lpthread $(LDLIBS)

VERSION	:= 0.1.0

CORE_SRCS := \
	src/core/config.c \
	src/core/ipv4.c \
	src/core/log.c \
	src/core/policy.c \
	src/core/proto.c \
	src/core/status.c \
	src/core/store.c \
	src/core/time.c \
	src/core/token.c \
	src/core/util.c

CLI_SRCS := \
	src/cli/cmd-edit.c \
	src/cli/cmd-setup.c \
	src/cli/cmd-view.c \
	src/cli/main.c

TUI_SRCS := \
	src/tui/actions.c \
	src/tui/bind.c \
	src/tui/canvas.c \
	src/tui/chrome.c \
	src/tui/dialog.c \
	src/tui/edit.c \
	src/tui/entry.c \
	src/tui/formview.c \
	src/tui/keybar.c \
	src/tui/layout.c \
	src/tui/osc52.c \
	src/tui/paint.c \
	src/tui/panel.c \
	src/tui/screen-list.c \
	src/tui/screen-record.c \
	src/tui/tui.c \
	src/tui/words.c

DAEMON_SRCS := \
	src/daemon/auth.c \
	src/daemon/canon.c \
	src/daemon/control.c \
	src/daemon/evlog.c \
	src/daemon/flood.c \
	src/daemon/http.c \
	src/daemon/hyptokensd.c \
	src/daemon/metrics.c \
	src/daemon/refresh.c \
	src/daemon/state.c \
	src/daemon/tenant.c

TESTS := \
	test-config \
	test-daemon-auth \
	test-daemon-canon \
	test-daemon-evlog \
	test-daemon-flood \
	test-ipv4 \
	test-policy \
	test-proto \
	test-store \
	test-time \
	test-token \
	test-tui-bind \
	test-tui-list \
	test-tui-osc52 \
	test-tui-widgets \
	test-util

SCHEMA	:= $(sort $(wildcard share/schema/*.sql))

CORE_OBJS   := $(CORE_SRCS:%.c=$(B)/%.o) $(B)/schema.o
CLI_OBJS    := $(CLI_SRCS:%.c=$(B)/%.o) $(TUI_SRCS:%.c=$(B)/%.o)
DAEMON_OBJS := $(DAEMON_SRCS:%.c=$(B)/%.o)
TEST_BINS   := $(TESTS:%=$(B)/tests/%)
PROGS	    := $(B)/hyptokens $(B)/hyptokensd

ifeq ($(V),1)
Q :=
QCC = 
QLD = 
else
Q := @
QCC = @printf '  CC      %s\n' $@;
QLD = @printf '  LD      %s\n' $@;
endif

.PHONY: all deps check test run install clean bench layering

all: $(PROGS)

deps:
	@sh tools/deps.sh

# Two-step so that pkg-config sees packages that deps just installed.
# A short pass of every fuzz target, then every test twice: as built for
# users, then under AddressSanitizer and UndefinedBehaviorSanitizer, where
# any report fails the run.
test:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory fuzz-check
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory check SANITIZE=1

check: all $(TEST_BINS) layering
	@SANITIZE=$(SANITIZE) sh tests/run.sh $(B)

run:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	@sh tools/demo.sh $(B)

bench:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	@sh bench/run.sh $(B)

# The layers of STYLE.md: curses only in src/tui, SQL only in the store,
# libsodium only in the token module, HTTP only in the daemon.
layering:
	@sh tools/layering.sh

$(B)/libhypcore.a: $(CORE_OBJS)
	$(Q)printf '  AR      %s\n' $@; rm -f $@; ar rcs $@ $^

$(B)/hyptokens: $(CLI_OBJS) $(B)/libhypcore.a
	$(QLD)$(CC) $(FINAL_LDFLAGS) -o $@ $^ $(LIBS)

$(B)/hyptokensd: $(DAEMON_OBJS) $(B)/libhypcore.a
	$(QLD)$(CC) $(FINAL_LDFLAGS) -o $@ $^ $(LIBS)

# The console's tests link its objects too (the model and widgets need no
# terminal); an archive so that each test pulls in only what it uses.
$(B)/libhyptui.a: $(TUI_SRCS:%.c=$(B)/%.o)
	$(Q)printf '  AR      %s\n' $@; rm -f $@; ar rcs $@ $^

$(B)/tests/test-tui-%: tests/test-tui-%.c $(B)/libhyptui.a $(B)/libhypcore.a
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(FINAL_CFLAGS) $(FINAL_LDFLAGS) -Isrc/tui -o $@ $< \
	    $(B)/libhyptui.a $(B)/libhypcore.a $(CRIT_LIBS) $(LIBS)

$(B)/tests/%: tests/%.c $(B)/libhypcore.a
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(FINAL_CFLAGS) $(FINAL_LDFLAGS) -o $@ $< \
	    $(B)/libhypcore.a $(CRIT_LIBS) $(LIBS)

# Daemon tests link the daemon's objects except the one holding main().
DAEMON_TEST_OBJS := $(filter-out $(B)/src/daemon/hyptokensd.o,$(DAEMON_OBJS))

$(B)/tests/test-daemon-%: tests/test-daemon-%.c $(DAEMON_TEST_OBJS) \
    $(B)/libhypcore.a
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(FINAL_CFLAGS) $(FINAL_LDFLAGS) -o $@ $< \
	    $(DAEMON_TEST_OBJS) $(B)/libhypcore.a $(CRIT_LIBS) $(LIBS)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(FINAL_CFLAGS) -c -o $@ $<

# Installation paths compiled in; rewritten only when PREFIX or SHAREDIR
# change, so that `make install PREFIX=/usr` rebuilds what depends on them.
$(B)/paths.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#define SHAREDIR "%s"\n' '$(SHAREDIR)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(B)/src/core/config.o $(B)/tests/test-config: $(B)/paths.h

.PHONY: FORCE
FORCE:

# The schema migrations are compiled in, so a binary can create its
# database without share/ being installed.
$(B)/schema.c: $(SCHEMA) tools/embed.sh
	@mkdir -p $(dir $@)
	$(Q)sh tools/embed.sh $(SCHEMA) > $@

$(B)/schema.o: $(B)/schema.c
	$(QCC)$(CC) $(FINAL_CFLAGS) -c -o $@ $<

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) \
	    $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SHAREDIR)/nginx \
	    $(DESTDIR)$(SHAREDIR)/systemd $(DESTDIR)$(SHAREDIR)/schema
	install -m 0755 $(B)/hyptokens $(DESTDIR)$(BINDIR)/hyptokens
	install -m 0755 $(B)/hyptokensd $(DESTDIR)$(SBINDIR)/hyptokensd
	install -m 0644 share/purposes.ini share/modules.ini \
	    $(DESTDIR)$(SHAREDIR)/
	install -m 0644 $(SCHEMA) $(DESTDIR)$(SHAREDIR)/schema/
	install -m 0644 hyptokens.ini.example $(DESTDIR)$(SHAREDIR)/
	install -m 0644 share/man/man1/hyptokens.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 share/man/man8/hyptokensd.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 share/nginx/hyptokens.conf $(DESTDIR)$(SHAREDIR)/nginx/
	sed 's|/usr/local/sbin/|$(SBINDIR)/|' share/systemd/hyptokensd@.service \
	    > $(DESTDIR)$(SHAREDIR)/systemd/hyptokensd@.service

clean:
	rm -rf build build-san

# ---------------------------------------------------------------------------
# Fuzzing (issue 5). The libFuzzer targets of tests/fuzz, built with clang
# into build-fuzz/ with AddressSanitizer and UBSan; the core and the daemon
# objects are compiled with coverage (fuzzer-no-link) into archives of
# their own. `make fuzz` runs every target FUZZ_SECONDS (default 20) on a
# private copy of its seed corpus (tests/fuzz/corpus is never written);
# `make fuzz-check` is the short pass for CI, 5 seconds a target. A crash,
# a leak, a sanitizer report or a violated property fails the run and its
# input is kept in build-fuzz/findings/<target>/.

FUZZ_B		:= build-fuzz
FUZZ_CC		?= clang
FUZZ_SECONDS	?= 20
FUZZ_SAN	:= -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer
# clang warns where gcc does not (-Wformat-nonliteral on a va_list, some
# maybe-uninitialized paths): the gcc build is the -Werror gate, not this.
FUZZ_CFLAGS	= $(STD) $(filter-out -Werror,$(WARN)) -O1 -g $(FUZZ_SAN) \
		   -Iinclude -I$(FUZZ_B) -I/usr/include/iniparser \
		   $(PKG_CFLAGS) -DHYP_VERSION='"$(VERSION)"' -MMD -MP

FUZZ_TARGETS := \
	canon \
	header \
	ini \
	ipv4 \
	lists \
	proto \
	time \
	token \
	whitelist

FUZZ_BINS	 := $(FUZZ_TARGETS:%=$(FUZZ_B)/fuzz-%)
FUZZ_OBJS	 := $(FUZZ_TARGETS:%=$(FUZZ_B)/tests/fuzz/fuzz-%.o) \
		    $(FUZZ_B)/tests/fuzz/fuzz.o
FUZZ_CORE_OBJS	 := $(CORE_SRCS:%.c=$(FUZZ_B)/%.o) $(FUZZ_B)/schema.o
FUZZ_DAEMON_OBJS := $(filter-out $(FUZZ_B)/src/daemon/hyptokensd.o, \
		    $(DAEMON_SRCS:%.c=$(FUZZ_B)/%.o))

.PHONY: fuzz fuzz-check fuzz-build clean-fuzz
.SECONDARY: $(FUZZ_OBJS)

# Two-step, as for test: deps installs clang and its runtime first.
fuzz:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_B) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-check:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_B) 5 $(FUZZ_TARGETS)

fuzz-build: $(FUZZ_BINS)

$(FUZZ_B)/libhypcore.a: $(FUZZ_CORE_OBJS)
	$(Q)printf '  AR      %s\n' $@; rm -f $@; ar rcs $@ $^

$(FUZZ_B)/libhypd.a: $(FUZZ_DAEMON_OBJS)
	$(Q)printf '  AR      %s\n' $@; rm -f $@; ar rcs $@ $^

$(FUZZ_BINS): $(FUZZ_B)/fuzz-%: $(FUZZ_B)/tests/fuzz/fuzz-%.o \
    $(FUZZ_B)/tests/fuzz/fuzz.o $(FUZZ_B)/libhypd.a $(FUZZ_B)/libhypcore.a
	$(QLD)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LIBS)

$(FUZZ_B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(QCC)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

# The installation paths, as for the plain build.
$(FUZZ_B)/paths.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#define SHAREDIR "%s"\n' '$(SHAREDIR)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(FUZZ_B)/src/core/config.o: $(FUZZ_B)/paths.h

$(FUZZ_B)/schema.c: $(SCHEMA) tools/embed.sh
	@mkdir -p $(dir $@)
	$(Q)sh tools/embed.sh $(SCHEMA) > $@

$(FUZZ_B)/schema.o: $(FUZZ_B)/schema.c
	$(QCC)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

clean: clean-fuzz

clean-fuzz:
	rm -rf $(FUZZ_B)

-include $(shell find $(FUZZ_B) -name '*.d' 2>/dev/null)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
