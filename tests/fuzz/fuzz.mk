# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Fuzzing the saved-report reader with libFuzzer (clang, ASan + UBSan).
# Included by the top Makefile, whose OUTPUT, LIB_SRCS, SKELS, LIBS_PC,
# PKG_CONFIG and CLANG it uses.
#
#   make fuzz                    FUZZ_SECONDS (default 60) of fuzzing; fails on a crash
#   make fuzz FUZZ_SECONDS=3600  a longer session
#
# New inputs go to $(OUTPUT)/fuzz/corpus, crashes to $(OUTPUT)/fuzz/crash-*;
# tests/fuzz/corpus holds the seeds (reports written by advisor). Replay a
# crash with: $(OUTPUT)/fuzz/fuzz_report_read $(OUTPUT)/fuzz/crash-<sha1>

FUZZ_SECONDS ?= 60
FUZZ_CC ?= $(CLANG)
FUZZ_DIR := $(OUTPUT)/fuzz
FUZZ_BIN := $(FUZZ_DIR)/fuzz_report_read
FUZZ_SANITIZE := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -g -O1 $(FUZZ_SANITIZE) -std=gnu11 -D_GNU_SOURCE -I$(OUTPUT) -I. \
	$(shell $(PKG_CONFIG) --cflags $(LIBS_PC) 2>/dev/null)
FUZZ_LDLIBS := $(shell $(PKG_CONFIG) --libs $(LIBS_PC) 2>/dev/null) -lm

.PHONY: fuzz

# the whole library, so that the reader's helpers come along wherever they live
$(FUZZ_BIN): tests/fuzz/fuzz_report_read.c $(LIB_SRCS) $(wildcard advisor/*.h probes/*.h \
		reports/*.h bpf/abi.h) | $(SKELS)
	$(Q)mkdir -p $(FUZZ_DIR)
	$(call msg,FUZZ-CC,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/fuzz_report_read.c $(LIB_SRCS) $(FUZZ_LDLIBS) -o $@

$(FUZZ_DIR)/report.dict: reports/schema/report-1.json tests/fuzz/make_dict.py
	$(Q)mkdir -p $(FUZZ_DIR)
	$(Q)python3 tests/fuzz/make_dict.py $< > $@.tmp && mv $@.tmp $@

fuzz: $(FUZZ_BIN) $(FUZZ_DIR)/report.dict
	$(Q)mkdir -p $(FUZZ_DIR)/corpus
	$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -dict=$(FUZZ_DIR)/report.dict \
		-artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_DIR)/corpus tests/fuzz/corpus
