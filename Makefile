# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# advisor: `make deps` installs what is missing, `make` builds, `make test` tests.

OUTPUT := .output
CLANG ?= clang
LLVM_STRIP ?= llvm-strip
BPFTOOL ?= bpftool
CC ?= cc
PKG_CONFIG ?= pkg-config
PREFIX ?= /usr/local
DESTDIR ?=
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux

ARCH := $(shell uname -m | sed 's/x86_64/x86/; s/aarch64/arm64/')
LIBS_PC := libbpf libelf libdw zlib json-c libseccomp
VERSION := $(shell git describe --always --dirty --tags 2>/dev/null || echo unknown)

WERROR := $(if $(filter true,$(CI)),-Werror,)
CFLAGS ?= -O2 -g
CFLAGS += -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers $(WERROR) \
	-std=gnu11 -D_GNU_SOURCE -I$(OUTPUT) -I. -DADVISOR_VERSION='"$(VERSION)"' \
	$(shell $(PKG_CONFIG) --cflags $(LIBS_PC) 2>/dev/null) $(EXTRA_CFLAGS)
LDLIBS += $(shell $(PKG_CONFIG) --libs $(LIBS_PC) 2>/dev/null) -lm
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -Wall $(WERROR) -I$(OUTPUT) -I.

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

BPF_SRCS := $(wildcard bpf/*.bpf.c)
SKELS := $(patsubst bpf/%.bpf.c,$(OUTPUT)/%.skel.h,$(BPF_SRCS))
LIB_SRCS := $(filter-out advisor/main.c,$(wildcard advisor/*.c probes/*.c reports/*.c))
LIB_OBJS := $(patsubst %.c,$(OUTPUT)/obj/%.o,$(LIB_SRCS))
MAIN_OBJ := $(OUTPUT)/obj/advisor/main.o
UNIT_SRCS := $(wildcard tests/unit/*.c)
INTEG_SRCS := $(wildcard tests/integration/*.c)
WORKLOAD_SRCS := $(wildcard tests/workloads/*.c)
WORKLOADS := $(patsubst tests/workloads/%.c,$(OUTPUT)/workloads/%,$(WORKLOAD_SRCS)) \
	$(OUTPUT)/workloads/callsites-fp

DEB_PACKAGES := make clang llvm bpftool libbpf-dev libelf-dev libdw-dev zlib1g-dev libjson-c-dev \
	libseccomp-dev libcriterion-dev pkg-config python3 python3-jsonschema strace linux-perf \
	chromium iproute2 git libclang-rt-dev libxml2-utils qemu-system-x86 busybox-static cpio kmod e2fsprogs \
	fio nodejs golang-go golang-github-haya14busa-go-sarif-dev

# keep the BPF objects: the skeletons embed them, and rebuilding is slow
.SECONDARY:

.PHONY: all deps test test-unit test-cli test-browser test-integration test-loaded test-kernels demo bench bounds install clean test-asan

BIN ?= bin/advisor

all: $(BIN)

# Installs the Debian packages that are missing; does nothing when all are there.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

$(OUTPUT) $(OUTPUT)/obj/advisor $(OUTPUT)/obj/probes $(OUTPUT)/obj/reports $(OUTPUT)/workloads:
	$(Q)mkdir -p $@

# vmlinux.h comes from the running kernel's BTF: CO-RE relocates the
# programs on other kernels at load time.
$(OUTPUT)/vmlinux.h: | $(OUTPUT)
	$(call msg,VMLINUX,$@)
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

# The DWARF that -g adds (two thirds of each object) goes: libbpf needs only
# .BTF and .BTF.ext, and the skeletons would embed it in bin/advisor.
$(OUTPUT)/%.bpf.o: bpf/%.bpf.c bpf/abi.h $(wildcard bpf/*.bpf.h) $(OUTPUT)/vmlinux.h | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp
	$(Q)$(LLVM_STRIP) -g $@.tmp -o $@ && rm $@.tmp

$(OUTPUT)/%.skel.h: $(OUTPUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $*_bpf > $@.tmp && mv $@.tmp $@

$(OUTPUT)/obj/%.o: %.c $(wildcard advisor/*.h probes/*.h reports/*.h bpf/abi.h) $(SKELS) \
		| $(OUTPUT)/obj/advisor $(OUTPUT)/obj/probes $(OUTPUT)/obj/reports
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

# the report's schema is built into the reader of saved reports
$(OUTPUT)/obj/advisor/document_read.o: reports/schema/report-1.json

$(OUTPUT)/libadvisor.a: $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(OUTPUT)/libadvisor.a
	$(Q)mkdir -p $(dir $(BIN))
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(OUTPUT)/workloads/%: tests/workloads/%.c tests/workloads/truth.h | $(OUTPUT)/workloads
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -g -Wall -D_GNU_SOURCE $< -o $@ -lpthread -lm

# callsites again with frame pointers: --stacks walks them in the kernel (the default
# build above is Debian's, without them: the DWARF unwind in user space is needed there)
$(OUTPUT)/workloads/callsites-fp: tests/workloads/callsites.c tests/workloads/truth.h | $(OUTPUT)/workloads
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -g -fno-omit-frame-pointer -Wall -D_GNU_SOURCE $< -o $@ -lpthread -lm

$(OUTPUT)/unit-tests: $(UNIT_SRCS) $(OUTPUT)/libadvisor.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(UNIT_SRCS) $(OUTPUT)/libadvisor.a $(LDLIBS) -lcriterion -o $@

$(OUTPUT)/integration-tests: $(INTEG_SRCS) $(wildcard tests/integration/*.h) $(OUTPUT)/libadvisor.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(INTEG_SRCS) $(OUTPUT)/libadvisor.a $(LDLIBS) -lcriterion -o $@

test-unit: $(OUTPUT)/unit-tests
	$(OUTPUT)/unit-tests --jobs 1

test-cli: $(BIN) $(WORKLOADS)
	tests/cli/run.sh $(BIN)
	tests/cli/gates.sh $(BIN) $(OUTPUT)/workloads
	tests/cli/stacks.sh $(BIN)

test-integration: $(BIN) $(WORKLOADS) $(OUTPUT)/integration-tests
	ADVISOR=$(CURDIR)/$(BIN) WORKLOADS=$(CURDIR)/$(OUTPUT)/workloads \
		tests/integration/suite.sh $(OUTPUT)/integration-tests --jobs 1

# The integration suite with a CPU hog on every CPU beside it (a busy shared machine)
test-loaded: $(BIN) $(WORKLOADS) $(OUTPUT)/integration-tests
	ADVISOR=$(CURDIR)/$(BIN) WORKLOADS=$(CURDIR)/$(OUTPUT)/workloads \
		tests/integration/loaded.sh $(OUTPUT)/integration-tests --jobs 1

# The measurement tests inside stock kernels booted under qemu (tests/kernels/boot.sh):
# each KERNELS entry is a Debian kernel series, its newest amd64 package is used.
KERNELS ?= 6.1
test-kernels: $(BIN) $(WORKLOADS) $(OUTPUT)/integration-tests
	@for k in $(KERNELS); do tests/kernels/boot.sh "$$k" || exit 1; done

# The HTML report in a real headless browser: a hostile sample page, and a real report.
test-browser: $(OUTPUT)/unit-tests $(BIN) $(WORKLOADS)
	HTML_SAMPLE_OUT=$(OUTPUT)/sample.html $(OUTPUT)/unit-tests --filter 'html/*' >/dev/null
	tests/browser/check_page.sh $(OUTPUT)/sample.html "<script>document.title='PWNED'</script>"
	$(BIN) run -q -o $(OUTPUT)/demo.json -o $(OUTPUT)/demo.html -- $(OUTPUT)/workloads/demo 1
	$(BIN) report $(OUTPUT)/demo.json -o $(OUTPUT)/demo-again.html
	cmp $(OUTPUT)/demo.html $(OUTPUT)/demo-again.html
	tests/browser/check_page.sh $(OUTPUT)/demo.html

# everything CI runs: the tests, the measurement tests inside Debian 12's stock kernel, again
# under ASan + UBSan, and a bounded fuzz of the report reader
test: test-unit test-cli test-browser test-integration test-kernels test-asan fuzz

# ASan + UBSan over the unit, CLI and integration tests (BIN= keeps the binaries apart)
test-asan:
	$(MAKE) OUTPUT=.output-asan BIN=.output-asan/advisor \
		EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
		test-unit test-cli test-integration

demo: $(BIN) $(WORKLOADS)
	$(BIN) run -o demo-report.json -o demo-report.html -- $(OUTPUT)/workloads/demo
	@echo "wrote demo-report.json and demo-report.html"

bench: $(BIN) $(WORKLOADS)
	tests/bench/bench.sh $(BIN) $(OUTPUT)/workloads

bounds: $(BIN) $(WORKLOADS)
	tests/bench/bounds.sh $(BIN) $(OUTPUT)/workloads

install: $(BIN)
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/sbin/advisor
	install -D -m 0644 doc/advisor.8 $(DESTDIR)$(PREFIX)/share/man/man8/advisor.8
	install -D -m 0644 doc/advisor.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/advisor

clean:
	rm -rf $(OUTPUT) .output-asan bin demo-report.json demo-report.html

# test-scale-full: the scale tests at full size (100,000 processes, 10-minute run); not in CI
test-scale-full: $(BIN) $(WORKLOADS) $(OUTPUT)/integration-tests
	ADVISOR_SCALE=full ADVISOR=$(CURDIR)/$(BIN) WORKLOADS=$(CURDIR)/$(OUTPUT)/workloads \
		$(OUTPUT)/integration-tests --jobs 1 --filter 'scale/*'

# make fuzz: libFuzzer over the report reader for FUZZ_SECONDS (60)
include tests/fuzz/fuzz.mk
