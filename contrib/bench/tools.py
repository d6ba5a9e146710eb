#!/usr/bin/env python3
"""Helpers of contrib/bench/run.sh that are awkward in a shell.

    tools.py coldstart NGINX PREFIX URL MARKER
        start nginx (it daemonizes), then poll URL every 5 ms until it
        answers 200 with MARKER in the body; print the milliseconds from
        the start of nginx to that answer
    tools.py fetch-all HOST PORT PREFIX POSTS_DIR
        ask once for the page of every post in POSTS_DIR (SLUG.md), over
        four keep-alive connections; print "requests non-200"
    tools.py edit POSTS_DIR SLUGS_FILE SECONDS
        rewrite one post a second (the next slug of SLUGS_FILE, in turn):
        the body gains a line, the front matter stays; written beside the
        post as a dotfile, then renamed over it, as editors and git do;
        print how many edits were made; the posts are put back at the end
    tools.py saved URL POSTS_DIR COUNT
        COUNT times: a new post, dated now, written beside POSTS_DIR's
        posts as a dotfile and renamed into place; then poll every 2 ms
        until its page (URL + SLUG/) answers 200 and the index (URL) links
        to it; the post is removed again, and the next comes a second
        later; print the median and the largest of those times, in ms
    tools.py status FILE FIELD
        FIELD of the first cache zone in a blog_status JSON document
    tools.py big-feed DIR
        write into DIR twenty posts of about 100 KB of prose each (the
        feed, which holds the twenty newest in full, is about 2 MB) and
        one post of a few words, "small.md", older than the others

Python 3 standard library only.
"""

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time


def http_get(hostname, port, path):
    """(status, body) of one GET on a new connection; (0, b"") if none"""
    try:
        c = http.client.HTTPConnection(hostname, int(port), timeout=5)
        c.request("GET", path)
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, body
    except OSError:
        return 0, b""


def coldstart(nginx, prefix, url, marker):
    host, rest = url.split("//", 1)[1].split("/", 1)
    hostname, port = host.split(":")
    path = "/" + rest
    marker = marker.encode()

    t0 = time.monotonic()
    subprocess.run([nginx, "-p", prefix, "-c", "conf/nginx.conf"],
                   check=True)
    deadline = t0 + 120
    while time.monotonic() < deadline:
        status, body = http_get(hostname, port, path)
        if status == 200 and marker in body:
            print("%.0f" % ((time.monotonic() - t0) * 1000))
            return 0
        time.sleep(0.005)
    print("no 200 with %r from %s within 120 s" % (marker, url),
          file=sys.stderr)
    return 1


def fetch_all(host, port, prefix, posts_dir):
    slugs = sorted(f[:-3] for f in os.listdir(posts_dir) if f.endswith(".md"))
    bad = [0]
    lock = threading.Lock()

    def worker(part):
        c = http.client.HTTPConnection(host, int(port), timeout=30)
        for slug in part:
            c.request("GET", "%s%s/" % (prefix, slug))
            r = c.getresponse()
            r.read()
            if r.status != 200:
                with lock:
                    bad[0] += 1
        c.close()

    threads = [threading.Thread(target=worker, args=(slugs[i::4],))
               for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(len(slugs), bad[0])
    return 0


def edit(posts_dir, slugs_file, seconds):
    slugs = [s.strip() for s in open(slugs_file) if s.strip()]
    originals = {}
    edits = 0

    def write(slug, text):
        path = os.path.join(posts_dir, slug + ".md")
        tmp = os.path.join(posts_dir, ".%s.md.tmp" % slug)
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.rename(tmp, path)

    # stopped early, the posts still go back to what they were
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    start = time.monotonic()
    try:
        while time.monotonic() - start < float(seconds):
            slug = slugs[edits % len(slugs)]
            if slug not in originals:
                with open(os.path.join(posts_dir, slug + ".md"),
                          encoding="utf-8") as f:
                    originals[slug] = f.read()
            write(slug, originals[slug] + "\nEdited, time %d.\n" % edits)
            edits += 1
            # the next edit one second after this one's planned time
            time.sleep(max(0.0, start + edits - time.monotonic()))
    finally:
        for slug, text in originals.items():
            write(slug, text)
    print(edits)
    return 0


def saved(url, posts_dir, count):
    host, rest = url.split("//", 1)[1].split("/", 1)
    hostname, port = host.split(":")
    index = "/" + rest
    took = []

    for n in range(int(count)):
        slug = "saved-%d-%d" % (os.getpid(), n)
        page = "%s%s/" % (index, slug)
        path = os.path.join(posts_dir, slug + ".md")
        tmp = os.path.join(posts_dir, ".%s.md.tmp" % slug)
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("---\ntitle: Saved %d\ndate: %s\n---\nA saved post.\n"
                    % (n, time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                        time.gmtime(time.time() - 1))))
        t0 = time.monotonic()
        os.rename(tmp, path)
        seen_page = seen_index = False
        while time.monotonic() - t0 < 30:
            if not seen_page:
                seen_page = http_get(hostname, port, page)[0] == 200
            if not seen_index:
                body = http_get(hostname, port, index)[1]
                seen_index = page.encode() in body
            if seen_page and seen_index:
                break
            time.sleep(0.002)
        took.append((time.monotonic() - t0) * 1000)
        os.unlink(path)
        if not (seen_page and seen_index):
            print("%s did not show within 30 s" % page, file=sys.stderr)
            return 1
        time.sleep(1)
    took.sort()
    print("%.0f %.0f" % (took[len(took) // 2], took[-1]))
    return 0


def status(path, field):
    try:
        doc = json.load(open(path))
        print(doc["caches"][0][field])
    except (OSError, ValueError, KeyError, IndexError):
        print("n/a")
    return 0


def big_feed(directory):
    os.makedirs(directory, exist_ok=True)
    x = 7
    for n in range(1, 21):
        words = []
        size = 0
        while size < 100 * 1000:
            x = (x * 1103515245 + 12345) % 2147483648
            word = "".join(chr(97 + (x >> s) % 26)
                           for s in range(8, 8 + 3 * (2 + x % 7), 3))
            words.append(word + (".\n\n" if x % 13 == 0 else " "))
            size += len(word) + 1
        with open(os.path.join(directory, "long-%02d.md" % n), "w") as f:
            f.write("---\ntitle: Long post %d\ndate: 2024-02-%02d\n---\n"
                    % (n, n))
            f.write("".join(words))
    with open(os.path.join(directory, "small.md"), "w") as f:
        f.write("---\ntitle: Small\ndate: 2024-01-01\n---\nA few words.\n")
    return 0


def main(argv):
    commands = {"coldstart": (coldstart, 4), "fetch-all": (fetch_all, 4),
                "edit": (edit, 3), "saved": (saved, 3),
                "status": (status, 2),
                "big-feed": (big_feed, 1)}
    if len(argv) < 2 or argv[1] not in commands \
            or len(argv) - 2 != commands[argv[1]][1]:
        print(__doc__, file=sys.stderr)
        return 2
    return commands[argv[1]][0](*argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
