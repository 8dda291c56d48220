#!/usr/bin/python3
"""gold_check.py - check hand-written gold files against their articles.

    scripts/gold_check.py GOLD_DIR [--corpus DIR]

For every GOLD_DIR/*.gold (format in docs/annotation.md): UTF-8 in NFC, known
records, a 'file:' naming an existing corpus article, persons with
'quoted|mentioned', every quote speaker a person recorded as quoted, every
quote start at most 10 words and found verbatim (case, punctuation and
spacing aside) in the article, every person name, role, title, source and
byline found in the article. Prints one line per problem (file:line: what)
and exits 1 when there is any; 0 when all files are clean; 2 when it cannot
run. It reads gold files and articles only, never khotin's output.
"""
import glob
import os
import re
import sys
import unicodedata


def words(s):
    """Lower-case words of letters and digits joined by one space."""
    s = unicodedata.normalize("NFC", s).lower()
    return " ".join(re.sub(r"[^\w]+", " ", s).split())


def main(argv):
    if len(argv) < 2 or argv[1].startswith("-"):
        print("usage: gold_check.py GOLD_DIR [--corpus DIR]", file=sys.stderr)
        return 2
    gold_dir = argv[1]
    corpus = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "..", "..", "shared", "corpus")
    if len(argv) == 4 and argv[2] == "--corpus":
        corpus = argv[3]
    elif len(argv) != 2:
        print("usage: gold_check.py GOLD_DIR [--corpus DIR]", file=sys.stderr)
        return 2
    if not os.path.isdir(corpus):
        print("gold_check: %s: corpus not found; give it with --corpus DIR" % corpus,
              file=sys.stderr)
        return 77
    files = sorted(glob.glob(os.path.join(gold_dir, "*.gold")))
    if not files:
        print("gold_check: %s: no .gold files" % gold_dir, file=sys.stderr)
        return 2
    problems = 0

    def bad(path, ln, what):
        nonlocal problems
        problems += 1
        print("%s:%d: %s" % (path, ln, what))

    for path in files:
        try:
            raw = open(path, encoding="utf-8").read()
        except (OSError, UnicodeDecodeError) as e:
            bad(path, 0, "unreadable: %s" % e)
            continue
        text = None
        persons = {}
        quoted_with_quote = set()
        for ln, line in enumerate(raw.split("\n"), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if unicodedata.normalize("NFC", line) != line:
                bad(path, ln, "not in NFC")
            key, sep, value = line.partition(":")
            if not sep:
                bad(path, ln, "not a record")
                continue
            fields = [f.strip() for f in value.split("|")]
            if key == "file":
                apath = os.path.join(corpus, value.strip())
                try:
                    text = words(open(apath, encoding="utf-8").read())
                except (OSError, UnicodeDecodeError) as e:
                    bad(path, ln, "article unreadable: %s" % e)
            elif text is None:
                bad(path, ln, "a record before 'file:'")
            elif key == "person":
                if len(fields) < 2 or fields[1] not in ("quoted", "mentioned"):
                    bad(path, ln, "expected 'person: NAME | quoted|mentioned | ROLE | TITLE'")
                    continue
                persons[words(fields[0])] = fields[1]
                for what, f in zip(("name", "role", "title"), fields[:1] + fields[2:4]):
                    if f and words(f) not in text and words(f).replace(" ", "") not in text.replace(" ", ""):
                        bad(path, ln, "%s '%s' not in the article" % (what, f))
            elif key == "quote":
                if len(fields) != 2 or not fields[0] or not fields[1]:
                    bad(path, ln, "expected 'quote: SPEAKER or ? | FIRST WORDS'")
                    continue
                speaker, start = fields
                if speaker != "?":
                    status = persons.get(words(speaker))
                    if status is None:
                        bad(path, ln, "speaker '%s' has no person: record before it" % speaker)
                    elif status != "quoted":
                        bad(path, ln, "speaker '%s' is recorded as mentioned" % speaker)
                    quoted_with_quote.add(words(speaker))
                # words as written: space-separated tokens with a letter or digit
                n = sum(1 for t in start.split() if re.search(r"\w", t))
                if n > 10:
                    bad(path, ln, "quote start has %d words (at most 10)" % n)
                if words(start) not in text:
                    bad(path, ln, "quote start not in the article: %s" % start)
            elif key in ("source", "byline"):
                if not value.strip():
                    bad(path, ln, "empty '%s:'" % key)
                elif words(value) not in text:
                    bad(path, ln, "%s '%s' not in the article" % (key, value.strip()))
            else:
                bad(path, ln, "unknown record '%s:'" % key)
        if text is None:
            bad(path, 0, "no 'file:' record")
    print("gold_check: %d files, %d problems" % (len(files), problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
