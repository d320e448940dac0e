# goodiebag — `make` installs missing Debian packages, builds the program and
# the book (build/goodiebag.epub, build/goodiebag.pdf); `make test` also runs
# every test and ends with "N passed, N failed".

CC ?= cc
# Build on every core unless the caller chose (make -jN, or -j1).
ifeq (,$(filter -j% --jobs%,$(MAKEFLAGS)))
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif
PKGS := libcmark-gfm libxml-2.0 libzip cairo harfbuzz harfbuzz-subset freetype2 libunibreak yaml-0.1 libutf8proc
# librsvg: its header at build time, the library loaded when a book has SVG (src/draw/svg.h)
SVG_PKG := librsvg-2.0
WARN := -Wall -Wextra -Wpedantic -Wshadow -Wconversion $(if $(CI),-Werror)
OPT ?= -O2 -g
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE -Isrc $(OPT) $(WARN) $(EXTRA_CFLAGS) $(shell pkg-config --cflags $(PKGS) $(SVG_PKG) 2>/dev/null)
# libraries without a pkg-config file (cmark-gfm-extensions, libhyphen, libjpeg) and the system's
OTHER_LIBS := -lcmark-gfm-extensions -lhyphen -ljpeg -lz -lm -pthread -ldl
LDLIBS_ALL = $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(OTHER_LIBS)

# Debian packages: to build, and (TEST_DEBS) to run the tests.
BUILD_DEBS := gcc make pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev libxml2-dev libzip-dev libcairo2-dev \
  libharfbuzz-dev libfreetype-dev libhyphen-dev hyphen-nl hyphen-en-us libunibreak-dev libyaml-dev libutf8proc-dev librsvg2-dev zlib1g-dev libjpeg62-turbo-dev
TEST_DEBS := epubcheck qpdf poppler-utils chromium valgrind clang libclang-rt-14-dev nodejs time

SRCS := $(filter-out src/main.c,$(wildcard src/*.c src/*/*.c))
HDRS := $(wildcard src/*.h src/*/*.h)
OBJS := $(SRCS:src/%.c=build/obj/%.o)
BOOK_SRC := $(wildcard chapters/*) $(wildcard styles/*) $(wildcard fonts/*)

.PHONY: all deps test-deps test bench fuzz clean book asan cairo118
all: deps goodiebag book

# Install what is missing: as root directly, else through sudo, else print
# the exact command and stop.
define install_missing
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "goodiebag needs these Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing || \
	    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; } || exit 1; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
	    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing || \
	    { sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; } || exit 1; \
	  else \
	    echo "Run as root:  apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi
endef

deps:
	$(call install_missing,$(BUILD_DEBS))

test-deps: deps
	$(call install_missing,$(TEST_DEBS))

build/obj/%.o: src/%.c $(HDRS) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

goodiebag: build/obj/main.o $(OBJS)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

book: build/goodiebag.epub

build/goodiebag.epub: goodiebag $(BOOK_SRC)
	./goodiebag build chapters -o build

# Unit tests: tests/test_*.c, each linked with the library objects.
TESTS := $(patsubst tests/%.c,build/tests/%,$(wildcard tests/test_*.c))
build/tests/%: tests/%.c $(OBJS) tests/harness.h
	@mkdir -p build/tests
	$(CC) $(CFLAGS_ALL) -Isrc -o $@ $< $(OBJS) $(LDLIBS_ALL)

# The same program and unit tests built with AddressSanitizer and
# UndefinedBehaviorSanitizer: `make test` runs the whole suite with both.
ASAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
ASAN_OBJS := $(SRCS:src/%.c=build/asan/obj/%.o)
ASAN_TESTS := $(patsubst tests/%.c,build/asan/tests/%,$(wildcard tests/test_*.c))
build/asan/obj/%.o: src/%.c $(HDRS) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(ASAN_FLAGS) -c $< -o $@
build/asan/goodiebag: build/asan/obj/main.o $(ASAN_OBJS)
	$(CC) $(CFLAGS_ALL) $(ASAN_FLAGS) -o $@ $^ $(LDLIBS_ALL)
build/asan/tests/%: tests/%.c $(ASAN_OBJS) tests/harness.h
	@mkdir -p build/asan/tests
	$(CC) $(CFLAGS_ALL) $(ASAN_FLAGS) -Isrc -o $@ $< $(ASAN_OBJS) $(LDLIBS_ALL)
asan: build/asan/goodiebag $(ASAN_TESTS)

# The same program against cairo 1.18 (Debian 13's, what current distributions
# ship): `make cairo118` fetches and builds it into CAIRO118_PREFIX
# (tests/cairo118.sh), `make build/cairo118/goodiebag` links against it (rpath);
# tests/t_cairo118.sh then runs the PDF and accessibility tests with it.
CAIRO118_PREFIX ?= /work/cairo118/prefix
C118_PC = PKG_CONFIG_PATH=$(CAIRO118_PREFIX)/lib/pkgconfig pkg-config
C118_CFLAGS = -std=c11 -D_GNU_SOURCE -Isrc $(OPT) $(WARN) $(EXTRA_CFLAGS) -I$(CAIRO118_PREFIX)/include/cairo \
  $(shell $(C118_PC) --cflags $(PKGS) $(SVG_PKG) 2>/dev/null)
C118_LDLIBS = -L$(CAIRO118_PREFIX)/lib -Wl,-rpath,$(CAIRO118_PREFIX)/lib $(shell $(C118_PC) --libs $(PKGS) 2>/dev/null) \
  $(OTHER_LIBS)
C118_OBJS := $(SRCS:src/%.c=build/cairo118/obj/%.o)
build/cairo118/obj/%.o: src/%.c $(HDRS) | deps
	@test -f $(CAIRO118_PREFIX)/lib/pkgconfig/cairo.pc || { echo "no cairo 1.18 in $(CAIRO118_PREFIX): make cairo118"; exit 1; }
	@mkdir -p $(@D)
	$(CC) $(C118_CFLAGS) -c $< -o $@
build/cairo118/goodiebag: build/cairo118/obj/main.o $(C118_OBJS)
	$(CC) $(C118_CFLAGS) -o $@ $^ $(C118_LDLIBS)
cairo118:
	sh tests/cairo118.sh $(CAIRO118_PREFIX)

test: all test-deps $(TESTS) asan build/fuzz/fuzz_build
	@bash tests/run

bench: all
	@bash tests/bench

clean:
	rm -rf build goodiebag

# Fuzzing (issue: robustness): libFuzzer + ASan + UBSan on the whole build.
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE $(FUZZ_FLAGS) $(shell pkg-config --cflags $(PKGS) $(SVG_PKG) 2>/dev/null) -Isrc
FUZZ_OBJS := $(SRCS:src/%.c=build/fuzz/obj/%.o)
build/fuzz/obj/%.o: src/%.c $(HDRS) | deps
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -c $< -o $@
build/fuzz/fuzz_build: tests/fuzz/fuzz_build.c $(FUZZ_OBJS) $(HDRS) | deps
	@mkdir -p build/fuzz
	clang $(FUZZ_CFLAGS) tests/fuzz/fuzz_build.c $(FUZZ_OBJS) -o $@ $(LDLIBS_ALL)

fuzz: build/fuzz/fuzz_build
	@mkdir -p build/fuzz/corpus build/fuzz/crashes
	@cp -n tests/fuzz/corpus/* build/fuzz/corpus/ 2>/dev/null || true
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp \
	  build/fuzz/fuzz_build -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
	  -artifact_prefix=build/fuzz/crashes/ -print_final_stats=1 build/fuzz/corpus
