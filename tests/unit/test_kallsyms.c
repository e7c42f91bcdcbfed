// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* probes/kallsyms.c: the kernel's text symbols, parsed and looked up. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "probes/kallsyms.h"

static struct kallsyms *parse(const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct kallsyms *k;

	cr_assert(f);
	k = kallsyms_parse(f);
	fclose(f);
	cr_assert(k);
	return k;
}

static const char *at(const struct kallsyms *k, __u64 addr, const char **mod)
{
	const char *n = kallsyms_lookup(k, addr, mod);

	return n ? n : "(none)";
}

Test(kallsyms, names_the_function_at_or_below_an_address_with_its_module)
{
	const char *mod = "unset";
	/* unsorted, with data symbols between, a module's symbol and a weak one */
	struct kallsyms *k = parse("ffffffff81002000 T schedule\n"
				   "ffffffff81001000 t __schedule\n"
				   "ffffffff81001800 D some_data\n"
				   "ffffffffc0001000 t ext4_read\t[ext4]\n"
				   "ffffffff81003000 W weak_fn\n"
				   "ffffffff81004000 b bss_thing\n");

	cr_expect_str_eq(at(k, 0xffffffff81001000, &mod), "__schedule");
	cr_expect_str_eq(mod, "");
	cr_expect_str_eq(at(k, 0xffffffff81001900, NULL), "__schedule", "data symbols are not code");
	cr_expect_str_eq(at(k, 0xffffffff81002abc, NULL), "schedule");
	cr_expect_str_eq(at(k, 0xffffffff81003001, NULL), "weak_fn");
	cr_expect_str_eq(at(k, 0xffffffffc0001010, &mod), "ext4_read");
	cr_expect_str_eq(mod, "ext4");
	cr_expect_str_eq(at(k, 0xffffffff81000fff, NULL), "(none)", "below every symbol");
	kallsyms_free(k);
}

Test(kallsyms, hidden_addresses_name_nothing_and_bad_lines_are_skipped)
{
	/* kptr_restrict: every address 0 */
	struct kallsyms *k = parse("0000000000000000 T schedule\n0000000000000000 T read\n");

	cr_expect_null(kallsyms_lookup(k, 0xffffffff81002000, NULL));
	cr_expect_null(kallsyms_lookup(k, 0, NULL));
	kallsyms_free(k);

	k = parse("garbage\nffffffff81000000 T\nffffffff81000000 TT x\nffffffff81000000 T \n"
		  "ffffffff81000000 T good");
	cr_expect_str_eq(at(k, 0xffffffff81000010, NULL), "good");
	kallsyms_free(k);

	k = parse("");
	cr_expect_null(kallsyms_lookup(k, 1, NULL));
	kallsyms_free(k);
	cr_expect_null(kallsyms_lookup(NULL, 1, NULL));
}

Test(kallsyms, this_kernel_s_table_names_schedule, .timeout = 30)
{
	struct kallsyms *k = kallsyms_load();
	FILE *f = fopen("/proc/kallsyms", "r");
	unsigned long long addr = 0;
	char line[512], name[256], type;

	cr_assert(k && f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) == 3 && !strcmp(name, "schedule"))
			break;
	fclose(f);
	if (!addr) {
		kallsyms_free(k);
		cr_skip_test("kernel addresses hidden here (kptr_restrict)");
	}
	cr_expect_str_eq(at(k, addr, NULL), "schedule");
	kallsyms_free(k);
}
