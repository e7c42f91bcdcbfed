#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Checks what headless chromium made of an advisor HTML report.

usage: check_dom.py PAGE.html DOM.html NETLOG.json CHROMIUM.log [HOSTILE]

PAGE is the report as written, DOM the page after chromium ran it
(--dump-dom), NETLOG chromium's --log-net-log, CHROMIUM.log its stderr with
--enable-logging=stderr. HOSTILE, when given, is a string the target's name
or argv held: it must show as text. Prints one line; exit 0 on pass, 1 on
failure.
"""
import base64
import hashlib
import json
import re
import sys
from html.parser import HTMLParser

MODELS = ("async", "multithreading", "multiprocessing", "inconclusive")


class Dom(HTMLParser):
    """Collects what the checks need: elements, text, ids, tree nodes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, attrs) in document order
        self.text = []  # text outside script and style
        self.title = ""
        self.ids = {}  # id -> text inside it, for a few ids
        self._stack = []  # open elements being collected by id
        self._in = None  # "title", "script" or "style"
        self._body = False  # SVG titles in the body are tooltips

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "body":
            self._body = True
        if tag in ("title", "script", "style"):
            self._in = tag
        if a.get("id") in ("verdict-model", "decision-tree", "gates-head", "repeat"):
            self._stack.append([a["id"], tag, 0])
            self.ids[a["id"]] = ""
        for s in self._stack:
            if s[1] == tag:
                s[2] += 1

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None
        for s in list(self._stack):
            if s[1] == tag:
                s[2] -= 1
                if s[2] == 0:
                    self._stack.remove(s)

    def handle_data(self, data):
        if self._in == "title" and not self._body:
            self.title += data
        if self._in in ("script", "style"):
            return
        self.text.append(data)
        for s in self._stack:
            self.ids[s[0]] += data


def fail(reason):
    print("check_page: FAIL: " + reason)
    sys.exit(1)


def check_csp_hash(page):
    """The CSP must allow exactly the page's own scripts, by hash."""
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    if not csp:
        fail("no Content-Security-Policy meta tag")
    policy = csp.group(1)
    if "default-src 'none'" not in policy:
        fail("the CSP does not start from default-src 'none'")
    if re.search(r"https?:|\*", policy):
        fail("the CSP allows remote loads: " + policy)
    for body in re.findall(r"<script>(.*?)</script>", page, re.S):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        if "'sha256-%s'" % digest not in policy:
            fail("the CSP does not allow the page's own script (sha256-%s)" % digest)


def check_network(netlog_path):
    """Requests the page started carry its origin; chromium's own do not."""
    try:
        with open(netlog_path, encoding="utf-8") as f:
            log = json.load(f)
    except (OSError, ValueError) as e:
        fail("cannot read the net log: %s" % e)
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    for e in log.get("events", []):
        if names.get(e.get("type")) != "URL_REQUEST_START_JOB":
            continue
        p = e.get("params", {})
        if "url" in p and p.get("initiator") != "not an origin":
            fail("the page requested %s" % p["url"][:120])


def check_console(log_path):
    with open(log_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if "Content Security Policy" in line or "Content-Security-Policy" in line:
                fail("CSP violation: " + line.strip()[-160:])


def main(argv):
    if len(argv) not in (5, 6):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    page_path, dom_path, netlog_path, log_path = argv[1:5]
    hostile = argv[5] if len(argv) == 6 else ""
    with open(page_path, encoding="utf-8") as f:
        page = f.read()
    with open(dom_path, encoding="utf-8") as f:
        dom_text = f.read()

    dom = Dom()
    dom.feed(dom_text)
    dom.close()

    scripts = [a for t, a in dom.tags if t == "script"]
    if "PWNED" in dom.title:
        fail("a script from the target ran (title %r)" % dom.title)
    if len(scripts) != 1:
        fail("%d script elements in the DOM, the page has one" % len(scripts))
    check_csp_hash(page)
    html_attrs = next((a for t, a in dom.tags if t == "html"), {})
    if html_attrs.get("data-js") != "on":
        fail("the page's own script did not run (CSP hash or JavaScript)")

    model = dom.ids.get("verdict-model", "").strip()
    if model not in MODELS:
        fail("no verdict in the DOM (verdict-model %r)" % model)
    if "decision-tree" not in dom.ids:
        fail("no decision tree (id=decision-tree) in the DOM")
    nodes = [a for t, a in dom.tags if t == "g" and "node" in a.get("class", "").split()]
    if len(nodes) < 5:
        fail("the decision tree has %d nodes" % len(nodes))
    taken = {a.get("data-model") for a in nodes if "taken" in a.get("class", "").split()}
    taken.discard(None)
    if model == "inconclusive":
        if taken:
            fail("an inconclusive verdict highlights %s" % ", ".join(sorted(taken)))
    elif taken != {model}:
        fail("the tree highlights %s, the verdict is %s" % (sorted(taken), model))

    # the gates section, when a gate ran or the command was repeated (issue 9)
    if 'id="gates"' in page:
        head = " ".join(dom.ids.get("gates-head", "").split())
        if head and not re.fullmatch(r"\W*Gates (passed|FAILED) \(\d+ of \d+\)", head):
            fail("the gates headline reads %r" % head)
        if not head and "repeat" not in dom.ids:
            fail("a gates section with neither a headline nor repeated runs")
        if "FAILED" in head and not any(
            t == "tr" and "failed" in a.get("class", "").split() for t, a in dom.tags
        ):
            fail("the gates failed but no rule is shown failing")

    if hostile:
        text = "".join(dom.text)
        if hostile not in text:
            fail("the hostile name %r is not shown as text" % hostile)
        if re.search(r"[<&]", hostile) and hostile in dom_text:
            fail("the hostile name %r is in the DOM as markup" % hostile)

    check_network(netlog_path)
    check_console(log_path)
    print("check_page: ok: verdict %s, tree drawn, no request, no foreign script" % model)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
