/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Text that came from the target or from a saved report (comm, argv, paths,
 * messages) is data: this is the one place that makes it valid UTF-8 and
 * escapes it for each output. Invalid bytes become U+FFFD everywhere; so do
 * the C1 controls and the bidi overrides (U+202A..U+202E, U+2066..U+2069)
 * that can make a name read backwards on a page or in a review.
 */
#ifndef ADVISOR_REPORTS_TEXT_H
#define ADVISOR_REPORTS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* U+FFFD as UTF-8 */
#define TEXT_REPLACEMENT "\xef\xbf\xbd"

/*
 * Length of the well-formed UTF-8 sequence at s (at most left bytes, RFC
 * 3629: no overlong forms, surrogates or code points past U+10FFFF) with its
 * code point in *cp, or 0 when there is none. ASCII is a sequence of 1.
 */
size_t text_utf8_decode(const unsigned char *s, size_t left, unsigned int *cp);

/* A C1 control or a bidi override or isolate: shown as U+FFFD. */
bool text_is_hidden_control(unsigned int cp);

/*
 * A copy of s (at most len bytes, stopping at a NUL) that is valid UTF-8:
 * each byte that is not part of a well-formed sequence becomes U+FFFD.
 * Returns NULL when out of memory; caller frees with free().
 */
char *text_utf8_sanitize(const char *s, size_t len);

/*
 * s (at most len bytes, stopping at a NUL) as HTML text that is also safe in
 * a quoted attribute: & < > " ' become entities, C0 controls other than tab
 * and newline become their Control Pictures (U+2400..), hidden controls and
 * invalid bytes U+FFFD.
 */
void text_html_escape_n(FILE *f, const char *s, size_t len);
void text_html_escape(FILE *f, const char *s);

/*
 * s as XML 1.0 text, or with attr as an attribute value (tab, newline and
 * carriage return kept as character references): characters XML cannot
 * carry (C0 controls, U+FFFE, U+FFFF), hidden controls and invalid bytes
 * become U+FFFD.
 */
void text_xml_escape(FILE *f, const char *s, bool attr);

/*
 * s as inert Markdown (CommonMark) that stays in its table cell or line:
 * ASCII punctuation that Markdown or inline HTML gives a meaning to is
 * backslash-escaped, controls become spaces, hidden controls U+FFFD.
 */
void text_md_escape(FILE *f, const char *s);

/*
 * s (at most len bytes) for a terminal: C0 controls and DEL become '?', so
 * no escape sequence reaches it; C1 controls, bidi overrides and invalid
 * bytes become U+FFFD as everywhere.
 */
void text_terminal_put(FILE *f, const char *s, size_t len);

#endif /* ADVISOR_REPORTS_TEXT_H */
