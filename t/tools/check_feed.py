#!/usr/bin/python3
"""Reads a feed on stdin and prints, as JSON, what feedparser (the parser
behind many feed readers) makes of it:

    {"bozo": false, "bozo_exception": null, "version": "atom10",
     "title": ..., "updated": ...,
     "entries": [{"title": ..., "link": ..., "updated": ..., "summary": ...,
                  "content": ...}]}

bozo is true when feedparser had to work around a broken feed; the test
that runs this decides what the answer must be.  Needs python3-feedparser.
"""

import json
import sys

import feedparser


def entry(e):
    content = e.get("content")

    return {
        "title": e.get("title"),
        "link": e.get("link"),
        "updated": e.get("updated"),
        "summary": e.get("summary"),
        "content": content[0].get("value") if content else None,
    }


def main():
    parsed = feedparser.parse(sys.stdin.buffer.read())

    json.dump({
        "bozo": bool(parsed.bozo),
        "bozo_exception": (str(parsed.get("bozo_exception"))
                           if parsed.bozo else None),
        "version": parsed.get("version"),
        "title": parsed.feed.get("title"),
        "updated": parsed.feed.get("updated"),
        "entries": [entry(e) for e in parsed.entries],
    }, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
