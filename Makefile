# Builds ngx_http_blog_module against the nginx installed on this machine
# (Debian's nginx-dev), out of tree, the way Debian's own module packages
# are built, so the result loads into Debian's nginx with load_module.
#
#   make          build/ngx_http_blog_module.so, build/mod_blog.so (Apache
#                 httpd's module) and build/blog-check
#   make apache   build/mod_blog.so alone
#   make deps     install the Debian packages the build and tests need
#   make test     unit tests, then the integration tests against real nginx
#                 and Apache httpd
#   make fuzz     each libFuzzer target of the core (t/fuzz/) for
#                 FUZZ_SECONDS (60) seconds, two at a time; FUZZ_TARGETS
#                 picks some ("post date"); build/fuzz/ keeps what fails
#   make demo     serve contrib/example on http://127.0.0.1:8080/blog/
#   make deb      build/deb/libnginx-mod-http-blog_*.deb and
#                 libapache2-mod-blog_*.deb (contrib/debian)
#   make test-deb install each package, serve a post with it, purge it
#   make bench    build/bench.md: the module against nginx's static module
#                 (cached post, cached index, gzip), a render per request,
#                 cold start against Hugo, memory per post and p99 under
#                 edits; wrk on 127.0.0.1, one nginx worker count for all,
#                 under 10 minutes on 2 cores (contrib/bench/README.md);
#                 installs wrk and hugo first, as make deps does; then
#                 rows 8-11 and 18 of make bench-scale
#   make bench-apache    row 19 alone: mod_blog in Apache httpd against
#                        httpd's own static file of the same bytes
#   make bench-scale     100,000 posts in 500 folders with 2 and 8 workers:
#                        cold start, idle CPU, worker memory, p99 of
#                        cached pages under a save a second, a new post's
#                        time to show
#   make bench-highlight blog_highlight alone, the core at -O2: a typical
#                        2 KB Rust block, then hostile blocks of 64 KB and
#                        1 MB in each language (BENCH_HL_SIZES in bytes)
#   make bench-first-scan  the first scan of bench-scale's posts, the core
#                        at -O2, and its steps per file in one thread: the
#                        least a first start's reading takes
#   make test-asan       the integration suite with the module built with
#                        ASan and UBSan (build/asan/), nginx under their
#                        preloaded runtimes; fails on any report of theirs
#                        that involves the module (contrib/test/asan.sh)
#   make test-valgrind   the integration suite with nginx as one process
#                        under valgrind memcheck (module in build/valgrind/);
#                        fails on errors and definite leaks of the module
#                        (contrib/test/valgrind.sh, valgrind.supp)
#   make test-load       t/load/*.t: wrk against nginx while posts change,
#                        nginx reloads, workers are killed, the zone is too
#                        small; deploys by git, rsync and a link swap;
#                        reloads with 100,000 posts (LOAD_SCALE_POSTS);
#                        LOAD_SECONDS=N sets each run's length [60]

SHELL := /bin/bash

NGINX_SRC ?= /usr/share/nginx/src
NGINX ?= /usr/sbin/nginx
BUILD := build
MODULE := $(BUILD)/ngx_http_blog_module.so
APXS ?= apxs
APACHE_MODULE := $(BUILD)/mod_blog.so
APACHE_SRCS := $(wildcard ngx_blog_module/apache/*.c)
COMMA := ,

CORE_SRCS := $(wildcard ngx_blog_module/core/*.c)
CORE_CXX_SRCS := $(wildcard ngx_blog_module/core/*.cpp)
HIGHLIGHT_DIR := ngx_blog_module/core/highlight
HIGHLIGHT_LANGS := $(wildcard $(HIGHLIGHT_DIR)/*.lang) \
    ngx_blog_module/core/blog_files.sh
GLUE_SRCS := $(wildcard ngx_blog_module/nginx/*.c)
HEADERS := $(wildcard ngx_blog_module/*/*.h)
UNIT_SRCS := $(wildcard t/unit/test_*.c)
UNIT_BINS := $(patsubst t/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))

WARN := -Wall -Wextra -Werror -Wno-unused-parameter
DEB_CFLAGS = $(shell dpkg-buildflags --get CFLAGS 2>/dev/null)
DEB_CPPFLAGS = $(shell dpkg-buildflags --get CPPFLAGS 2>/dev/null)
DEB_LDFLAGS = $(shell dpkg-buildflags --get LDFLAGS 2>/dev/null)
CC_OPT = $(DEB_CFLAGS) -fPIC $(DEB_CPPFLAGS) $(WARN)
LD_OPT = $(DEB_LDFLAGS) -fPIC

CORE_LIBS := -lcmark-gfm-extensions -lcmark-gfm -lyaml -ljansson -lpcre2-8 \
    -lmd -lz -lbrotlienc -lsource-highlight -lstdc++
# position-independent: mod_blog.so links the same objects.  The package
# builds them with Debian's build flags instead (contrib/debian/rules).
CORE_OPT ?= -g -O1
CORE_CXX_OPT ?= -g -O1
UNIT_CFLAGS := -std=gnu99 $(CORE_OPT) -fPIC $(WARN) -Ingx_blog_module/core
UNIT_CXXFLAGS := $(CORE_CXX_OPT) -fPIC $(WARN) -Ingx_blog_module/core

DEB_PACKAGES := make gcc dpkg-dev nginx nginx-dev libcmark-gfm-dev \
    libcmark-gfm-extensions-dev libyaml-dev libjansson-dev libpcre2-dev \
    libmd-dev zlib1g-dev \
    libsource-highlight-dev libbrotli-dev brotli \
    libcmocka-dev libtest-base-perl libhttp-tiny-perl libyaml-libyaml-perl \
    python3-feedparser libxml2-utils chromium fonts-dejavu-core \
    default-jre-headless build-essential debhelper \
    clang libclang-rt-14-dev valgrind wrk faketime rsync git \
    apache2 apache2-dev
BENCH_PACKAGES := wrk hugo curl python3 libnginx-mod-http-brotli-static

.PHONY: all deps npm-deps bench-deps test unit integration fuzz demo deb test-deb \
    bench bench-scale bench-highlight bench-first-scan test-asan \
    test-valgrind test-load clean \
    apache bench-apache

CHECK := $(BUILD)/blog-check

all: $(MODULE) $(CHECK) $(APACHE_MODULE)

# install_packages LIST: apt-get install those of LIST that are missing
define install_packages
	@missing=; \
	for p in $(1); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
	        | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	    echo "missing Debian packages; as root run:"; \
	    echo "    apt-get update && apt-get install$$missing"; \
	    exit 1; \
	fi; \
	echo "installing$$missing"; \
	apt-get update -q && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -q --no-install-recommends $$missing
endef

# npm, for the test tools in t/tools/: the machine's own Node.js when it has
# one (its npm is not a Debian package), else Debian's
deps:
	$(call install_packages,$(DEB_PACKAGES))
	@command -v npm >/dev/null || $(MAKE) --no-print-directory npm-deps

npm-deps:
	$(call install_packages,npm)

bench-deps:
	$(call install_packages,$(BENCH_PACKAGES))

# configure runs where nginx-dev put it and writes only into the build
# folder, as Debian's own build of nginx modules does.
$(BUILD)/objs/Makefile: config
	@test -f $(NGINX_SRC)/conf_flags || { \
	    echo "no nginx source tree at $(NGINX_SRC): run make deps"; \
	    exit 1; }
	rm -rf $(BUILD)/objs
	mkdir -p $(BUILD)
	cd $(NGINX_SRC) && . ./conf_flags && ./configure \
	    "$${NGX_CONF_FLAGS[@]}" \
	    --with-cc-opt="$(CC_OPT)" --with-ld-opt="$(LD_OPT)" \
	    --add-dynamic-module="$(CURDIR)" \
	    --builddir="$(CURDIR)/$(BUILD)/objs" > "$(CURDIR)/$(BUILD)/configure.log" \
	    || { tail -n 20 "$(CURDIR)/$(BUILD)/configure.log"; exit 1; }

THEME_FILES := $(filter-out templates/README.md,$(wildcard templates/*)) \
    $(wildcard templates/shortcodes/*)
THEME_C := $(BUILD)/objs/ngx_http_blog_theme.c

$(THEME_C): $(BUILD)/objs/Makefile $(THEME_FILES) \
           ngx_blog_module/core/blog_files.sh
	sh ngx_blog_module/core/blog_files.sh blog_theme_builtin templates $@

# the language definitions configure wrote, again when one changes
HIGHLIGHT_C := $(BUILD)/objs/blog_highlight_lang.c

$(HIGHLIGHT_C): $(BUILD)/objs/Makefile $(HIGHLIGHT_LANGS)
	sh ngx_blog_module/core/blog_files.sh blog_highlight_builtin \
	    $(HIGHLIGHT_DIR) $@

$(MODULE): $(BUILD)/objs/Makefile $(THEME_C) $(HIGHLIGHT_C) $(CORE_SRCS) \
           $(CORE_CXX_SRCS) $(GLUE_SRCS) $(HEADERS)
	$(MAKE) -s -f "$(CURDIR)/$(BUILD)/objs/Makefile" -C $(NGINX_SRC) modules
	cp $(BUILD)/objs/ngx_http_blog_module.so $@

CORE_OBJS := $(patsubst ngx_blog_module/core/%.c,$(BUILD)/core/%.o,$(CORE_SRCS))
CORE_OBJS += $(CORE_CXX_SRCS:ngx_blog_module/core/%.cpp=$(BUILD)/core/%.o) \
    $(BUILD)/core/blog_highlight_lang.o
CORE_LIB := $(BUILD)/libblogcore.a

$(BUILD)/core/%.o: ngx_blog_module/core/%.c $(HEADERS)
	@mkdir -p $(BUILD)/core
	$(CC) $(UNIT_CFLAGS) -c -o $@ $<

$(BUILD)/core/%.o: ngx_blog_module/core/%.cpp $(HEADERS)
	@mkdir -p $(BUILD)/core
	$(CXX) $(UNIT_CXXFLAGS) -c -o $@ $<

$(BUILD)/core/blog_highlight_lang.c: $(HIGHLIGHT_LANGS)
	@mkdir -p $(BUILD)/core
	sh ngx_blog_module/core/blog_files.sh blog_highlight_builtin \
	    $(HIGHLIGHT_DIR) $@

$(BUILD)/core/blog_highlight_lang.o: $(BUILD)/core/blog_highlight_lang.c \
                                     $(HEADERS)
	$(CC) $(UNIT_CFLAGS) -c -o $@ $<

$(CORE_LIB): $(CORE_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/unit/%: t/unit/%.c t/unit/unit.h $(CORE_LIB)
	@mkdir -p $(BUILD)/unit
	$(CC) $(UNIT_CFLAGS) -It/unit -o $@ $< $(CORE_LIB) $(CORE_LIBS) -lcmocka

# blog-check knows the built-in theme's shortcodes
CHECK_THEME_C := $(BUILD)/core/blog_theme_builtin.c

$(CHECK_THEME_C): $(THEME_FILES) ngx_blog_module/core/blog_files.sh
	@mkdir -p $(BUILD)/core
	sh ngx_blog_module/core/blog_files.sh blog_theme_builtin templates $@

$(CHECK): ngx_blog_module/cli/blog_check.c $(CHECK_THEME_C) $(HEADERS) \
          $(CORE_LIB)
	$(CC) -std=gnu99 -O2 $(WARN) -Ingx_blog_module/core -o $@ $< \
	    $(CHECK_THEME_C) $(CORE_LIB) $(CORE_LIBS)

# mod_blog, Apache httpd's module over the same core, built by apxs in a
# copy of its sources (apxs writes its objects beside them)
apache: $(APACHE_MODULE)

$(APACHE_MODULE): $(APACHE_SRCS) ngx_blog_module/apache/mod_blog.h \
                  $(CHECK_THEME_C) $(CORE_LIB)
	rm -rf $(BUILD)/apache && mkdir -p $(BUILD)/apache
	cp $(APACHE_SRCS) ngx_blog_module/apache/mod_blog.h $(CHECK_THEME_C) \
	    $(BUILD)/apache/
	cd $(BUILD)/apache && $(APXS) -c -o mod_blog.la \
	    -Wc,-std=gnu99 $(addprefix -Wc$(COMMA),$(WARN)) \
	    -I$(CURDIR)/ngx_blog_module/core *.c $(CURDIR)/$(CORE_LIB) \
	    $(CORE_LIBS) > build.log 2>&1 || { cat build.log; exit 1; }
	cp $(BUILD)/apache/.libs/mod_blog.so $@

# The test tools t/tools/package-lock.json pins, from the npm registry:
# axe-core, which t/070-browser.t runs in each page it checks, and the Nu
# Html Checker, which t/071-html-validator.t runs on Debian's Java (no
# install scripts: vnu-jar's would fetch a Java of its own)
AXE := $(BUILD)/npm/node_modules/axe-core/axe.min.js
VNU := $(BUILD)/npm/node_modules/vnu-jar/build/dist/vnu.jar
TEST_TOOLS := $(AXE) $(VNU)

$(TEST_TOOLS) &: t/tools/package.json t/tools/package-lock.json
	@mkdir -p $(BUILD)/npm
	cp t/tools/package.json t/tools/package-lock.json $(BUILD)/npm/
	cd $(BUILD)/npm && npm ci --no-audit --no-fund --ignore-scripts
	touch $(TEST_TOOLS)

unit: deps $(UNIT_BINS)
	CMOCKA_MESSAGE_OUTPUT=TAP prove --exec '' $(UNIT_BINS)

# the blocks of every case file again against Apache httpd's mod_blog, each
# block's nginx configuration as httpd's (t/lib/Test/Blog.pm says how),
# and the hostile URL, content and symlink cases; the harness's own tests
# are nginx's
APACHE_CASES = $(filter-out t/000-%,$(shell grep -l run_tests t/*.t)) \
    t/084-faults.t t/085-first-index.t t/090-hostile-urls.t \
    t/091-hostile-content.t t/093-symlink-swap.t t/094-replaced-file.t

integration: deps $(MODULE) $(CHECK) $(APACHE_MODULE) $(TEST_TOOLS)
	prove -I t/lib -r t/
	TEST_BLOG_SERVER=apache prove -I t/lib $(APACHE_CASES)

test: deps
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) integration

FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=

fuzz: deps
	t/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# as root, the workers run as root too: nobody may not enter the clone
DEMO_USER = $(shell [ "$$(id -u)" = 0 ] && echo "user $$(id -un);")
DEMO_LISTEN ?= 127.0.0.1:8080

demo: deps
	$(MAKE) all
	@rm -rf $(BUILD)/demo && mkdir -p $(BUILD)/demo/logs $(BUILD)/demo/conf
	@sed -e 's|@MODULE@|$(CURDIR)/$(MODULE)|' \
	     -e 's|@CONTENT@|$(CURDIR)/contrib/example|' \
	     -e "s|@USER@|$(DEMO_USER)|" \
	     -e 's|@LISTEN@|$(DEMO_LISTEN)|' \
	     contrib/demo/nginx.conf > $(BUILD)/demo/conf/nginx.conf
	$(NGINX) -t -q -p $(CURDIR)/$(BUILD)/demo -c conf/nginx.conf
	@echo "serving the example blog on http://$(DEMO_LISTEN)/blog/ (Ctrl-C stops it)"
	$(NGINX) -p $(CURDIR)/$(BUILD)/demo -c conf/nginx.conf

deb: deps
	contrib/debian/build.sh

test-deb: deps
	BLOG_TEST_DEB=1 prove -I t/lib t/110-deb.t t/111-deb-apache.t

# BENCH_SECONDS (5) and the other BENCH_* of contrib/bench/run.sh pass
# through the environment.
bench: deps bench-deps
	$(MAKE) all
	bash contrib/bench/run.sh

# rows 8-11 alone: 100,000 posts, 2 and 8 workers (BENCH_SCALE_* pass)
bench-scale: deps bench-deps
	$(MAKE) all
	bash contrib/bench/scale.sh

# row 19 alone: mod_blog in Apache httpd against httpd's static files
bench-apache: deps bench-deps
	$(MAKE) all
	bash contrib/bench/apache.sh

BENCH_HL := $(BUILD)/bench-highlight
BENCH_HL_OBJS := $(CORE_CXX_SRCS:ngx_blog_module/core/%.cpp=$(BUILD)/bench/%.o)
BENCH_HL_SIZES ?=

$(BUILD)/bench/%.o: ngx_blog_module/core/%.cpp $(HEADERS)
	@mkdir -p $(BUILD)/bench
	$(CXX) -O2 $(WARN) -Ingx_blog_module/core -c -o $@ $<

$(BENCH_HL): contrib/bench/highlight.c $(CORE_SRCS) $(BENCH_HL_OBJS) \
             $(BUILD)/core/blog_highlight_lang.c $(HEADERS)
	$(CC) -std=gnu99 -O2 $(WARN) -Ingx_blog_module/core -o $@ \
	    contrib/bench/highlight.c $(CORE_SRCS) \
	    $(BUILD)/core/blog_highlight_lang.c $(BENCH_HL_OBJS) $(CORE_LIBS)

bench-highlight: deps $(BENCH_HL)
	$(BENCH_HL) $(BENCH_HL_SIZES)

# a first scan of bench-scale's posts, and its steps per file, the core
# at -O2
BENCH_FS := $(BUILD)/bench-first-scan

$(BENCH_FS): contrib/bench/first-scan.c $(CORE_SRCS) $(BENCH_HL_OBJS) \
             $(BUILD)/core/blog_highlight_lang.c $(HEADERS)
	$(CC) -std=gnu99 -O2 $(WARN) -Ingx_blog_module/core -o $@ \
	    contrib/bench/first-scan.c $(CORE_SRCS) \
	    $(BUILD)/core/blog_highlight_lang.c $(BENCH_HL_OBJS) $(CORE_LIBS) \
	    -lpthread

bench-first-scan: deps $(BENCH_FS)
	$(BENCH_FS) "$$(BENCH_SCALE_ONLY_POSTS=1 bash contrib/bench/scale.sh)"

# Test builds of the module, each in its own folder with its own configure.
# -z nodelete: nginx unloads modules at exit, which would hide the names
# of the module's functions in reports and the roots of its once-per-
# process objects (they would look leaked).  No _FORTIFY_SOURCE: its
# checked copies hide the accesses from the sanitizers and valgrind.
TEST_CC_OPT = -g -O1 -fno-omit-frame-pointer -fPIC $(WARN)
ASAN_FLAGS := -fsanitize=address,undefined
ASAN_MODULE := $(BUILD)/asan/ngx_http_blog_module.so
VALGRIND_MODULE := $(BUILD)/valgrind/ngx_http_blog_module.so

$(ASAN_MODULE): $(CORE_SRCS) $(CORE_CXX_SRCS) $(HIGHLIGHT_LANGS) \
                $(GLUE_SRCS) $(HEADERS) config
	$(MAKE) BUILD=$(BUILD)/asan \
	    CC_OPT="$(TEST_CC_OPT) $(ASAN_FLAGS)" \
	    LD_OPT="-fPIC $(ASAN_FLAGS) -Wl,-z,nodelete" $@

$(VALGRIND_MODULE): $(CORE_SRCS) $(CORE_CXX_SRCS) $(HIGHLIGHT_LANGS) \
                    $(GLUE_SRCS) $(HEADERS) config
	$(MAKE) BUILD=$(BUILD)/valgrind \
	    CC_OPT="$(TEST_CC_OPT)" LD_OPT="-fPIC -Wl,-z,nodelete" $@

test-asan: deps
	$(MAKE) $(ASAN_MODULE) $(CHECK) $(TEST_TOOLS)
	contrib/test/asan.sh $(ASAN_MODULE)

test-valgrind: deps
	$(MAKE) $(VALGRIND_MODULE) $(CHECK)
	contrib/test/valgrind.sh $(VALGRIND_MODULE)

LOAD_SECONDS ?= 60

test-load: deps
	$(MAKE) $(MODULE)
	TEST_BLOG_LOAD=1 LOAD_SECONDS=$(LOAD_SECONDS) prove -I t/lib --timer t/load/

clean:
	rm -rf $(BUILD)
