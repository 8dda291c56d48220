#!/usr/bin/python3
"""csv_roundtrip.py - check that 'khotin export' CSV round-trips exactly.

Usage: csv_roundtrip.py KHOTIN_BINARY SOURCE_DIR

Builds a temporary archive from SOURCE_DIR/fixtures/articles (plus
SOURCE_DIR/../shared/seeds when present), exports several queries and reads
every CSV back twice: with Python's csv module (default and strict=True) and
with a small independent RFC 4180 reader. Each row is compared with the
stored article, read with plain SELECTs on the `articles` table.

Standard library only. Prints one line per check ("ok - ..." or
"not ok - ...: reason") and a final "N passed, M failed"; exits 1 on failure.
"""

import csv
import io
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

HEADER = ["id", "date", "headline", "publisher", "url", "people", "snippet"]
BOM = b"\xef\xbb\xbf"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ELLIPSIS = "\u2026"

# (label, query, what the query must hit). Queries are khotin's language.
QUERIES = [
    ("an_ninh_mang", "an ninh mang", None),
    ("dong_dat_or_bong_da", "dong dat OR bong da", None),
    ("tang_truong", "tang truong", None),
    # fixture 04: headline "+7,46% tăng trưởng GDP quý III, ..."
    ("headline_plus", "GDP quy", "+"),
    # fixture 05: body paragraph "-5 độ C là nhiệt độ thấp nhất ... Fansipan"
    ("snippet_minus", "fansipan", "-"),
    # fixture 12: body paragraph "=HYPERLINK là một trong những hàm ..."
    ("snippet_equals", "hyperlink", None),
]


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, reason=""):
        if ok:
            print("ok - %s" % name)
            self.passed += 1
        else:
            print("not ok - %s: %s" % (name, reason))
            self.failed += 1
        sys.stdout.flush()
        return ok


def neutralise(value):
    """What a stored value must look like in the CSV."""
    if value and value.startswith(FORMULA_START):
        return "'" + value
    return value


def run(khotin, args, env):
    return subprocess.run([khotin] + args, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env)


def rfc4180_records(text):
    """Independent reader. Returns (records, problems): records are lists of
    fields; problems lists terminators that are not CRLF, stray quotes, etc."""
    records, problems = [], []
    field, record = [], []
    i, n = 0, len(text)
    in_quotes = False
    at_field_start = True
    while i < n:
        c = text[i]
        if in_quotes:
            if c == '"':
                if i + 1 < n and text[i + 1] == '"':
                    field.append('"')
                    i += 2
                    continue
                in_quotes = False
                i += 1
                if i < n and text[i] not in ',\r':
                    problems.append("character %r after a closing quote at %d"
                                    % (text[i], i))
                continue
            field.append(c)
            i += 1
            continue
        if c == '"':
            if not at_field_start:
                problems.append("quote inside an unquoted field at %d" % i)
            in_quotes = True
            at_field_start = False
            i += 1
            continue
        if c == ",":
            record.append("".join(field))
            field = []
            at_field_start = True
            i += 1
            continue
        if c == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                record.append("".join(field))
                records.append(record)
                field, record = [], []
                at_field_start = True
                i += 2
                continue
            problems.append("bare CR outside quotes at %d" % i)
            i += 1
            continue
        if c == "\n":
            problems.append("record ended by LF without CR at %d" % i)
            record.append("".join(field))
            records.append(record)
            field, record = [], []
            at_field_start = True
            i += 1
            continue
        field.append(c)
        at_field_start = False
        i += 1
    if in_quotes:
        problems.append("unterminated quoted field at end of file")
    if field or record:
        problems.append("last record does not end with CRLF")
        record.append("".join(field))
        records.append(record)
    return records, problems


def collapse(s):
    return " ".join(s.split())


def main():
    if len(sys.argv) != 3:
        print("usage: csv_roundtrip.py KHOTIN_BINARY SOURCE_DIR", file=sys.stderr)
        return 2
    khotin = os.path.abspath(sys.argv[1])
    src = os.path.abspath(sys.argv[2])
    fixtures = os.path.join(src, "fixtures", "articles")
    seeds = os.path.normpath(os.path.join(src, "..", "shared", "seeds"))
    env = dict(os.environ)
    env.pop("KHOTIN_DB", None)
    rep = Report()

    if not rep.check("setup_binary", os.access(khotin, os.X_OK),
                     "%s is not an executable" % khotin):
        print("%d passed, %d failed" % (rep.passed, rep.failed))
        return 1
    if not rep.check("setup_fixtures", os.path.isdir(fixtures),
                     "no fixtures folder at %s" % fixtures):
        print("%d passed, %d failed" % (rep.passed, rep.failed))
        return 1

    with tempfile.TemporaryDirectory(prefix="khotin-csv.") as tmp:
        db = os.path.join(tmp, "x.db")
        sources = [fixtures]
        if os.path.isdir(seeds):
            sources.append(seeds)
        else:
            print("# note: shared seeds not found at %s; using the fixtures only"
                  % seeds)
        for s in sources:
            p = run(khotin, ["--db", db, "import", s], env)
            rep.check("import %s" % os.path.basename(s.rstrip("/")),
                      p.returncode == 0,
                      "exit %d: %s" % (p.returncode,
                                       p.stderr.decode("utf-8", "replace")[:300]))

        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
        con.text_factory = bytes  # compare raw stored bytes

        def stored(article_id):
            row = con.execute(
                "SELECT id, headline, publisher, url, pub_date, people, "
                "lead, body FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                return None
            dec = [v.decode("utf-8") if isinstance(v, bytes) else v for v in row]
            return {"id": dec[0], "headline": dec[1], "publisher": dec[2],
                    "url": dec[3] or "", "date": dec[4] or "", "people": dec[5],
                    "lead": dec[6], "body": dec[7],
                    "raw": row}

        neutralised_seen = []
        vietnamese_seen = 0
        d_stroke_seen = 0

        for label, query, want_first in QUERIES:
            out = os.path.join(tmp, label + ".csv")
            p = run(khotin, ["--db", db, "export", "--output", out, "--", query], env)
            err = p.stderr.decode("utf-8", "replace")
            if not rep.check("%s: export exits 0" % label, p.returncode == 0,
                             "exit %d: %s" % (p.returncode, err[:300])):
                continue
            m = re.search(r"wrote (\d+) rows \(of (\d+) matches\)", err)
            if not rep.check("%s: 'wrote N rows (of T matches)' on stderr" % label,
                             m is not None, "stderr was %r" % err[:300]):
                continue
            n_rows, total = int(m.group(1)), int(m.group(2))
            rep.check("%s: N <= T and N > 0" % label,
                      0 < n_rows <= total, "N=%d T=%d" % (n_rows, total))

            # total agrees with 'search'
            ps = run(khotin, ["--db", db, "search", "--limit", "1", "--", query], env)
            ms = re.search(r"(\d+) of (\d+) matching articles",
                           ps.stderr.decode("utf-8", "replace"))
            rep.check("%s: T equals the search total" % label,
                      ms is not None and int(ms.group(2)) == total,
                      "search said %r, export said %d"
                      % (ms.group(0) if ms else ps.stderr[:200], total))

            with open(out, "rb") as f:
                raw = f.read()
            rep.check("%s: starts with the UTF-8 BOM" % label,
                      raw.startswith(BOM), "first bytes %r" % raw[:8])
            try:
                text = raw[len(BOM):].decode("utf-8") if raw.startswith(BOM) \
                    else raw.decode("utf-8")
            except UnicodeDecodeError as e:
                rep.check("%s: valid UTF-8" % label, False, str(e))
                continue

            # independent reader: CRLF terminators, quoting
            records, problems = rfc4180_records(text)
            rep.check("%s: every record ends with CRLF, RFC 4180 quoting" % label,
                      not problems, "; ".join(problems[:3]))

            # csv module, default and strict
            with open(out, encoding="utf-8-sig", newline="") as f:
                rows = list(csv.reader(f))
            try:
                with open(out, encoding="utf-8-sig", newline="") as f:
                    strict_rows = list(csv.reader(f, strict=True))
                strict_err = None
            except csv.Error as e:
                strict_rows, strict_err = None, str(e)
            rep.check("%s: csv strict=True parses" % label, strict_err is None,
                      strict_err or "")
            rep.check("%s: strict, default and RFC 4180 readers agree" % label,
                      strict_rows == rows and records == rows,
                      "strict==default: %s, rfc4180==default: %s"
                      % (strict_rows == rows, records == rows))

            if not rep.check("%s: header" % label, rows and rows[0] == HEADER,
                             "got %r" % (rows[0] if rows else None)):
                continue
            data = rows[1:]
            rep.check("%s: row count equals 'wrote N rows'" % label,
                      len(data) == n_rows, "%d rows in CSV, stderr said %d"
                      % (len(data), n_rows))
            rep.check("%s: 7 fields per row" % label,
                      all(len(r) == 7 for r in data),
                      "lengths %r" % sorted({len(r) for r in data}))

            mismatches = []
            unsafe = []
            first_chars = []
            ids = []
            for r in data:
                if len(r) != 7:
                    continue
                for cell in r:
                    if cell.startswith(FORMULA_START):
                        unsafe.append(cell[:40])
                try:
                    aid = int(r[0])
                except ValueError:
                    mismatches.append("id %r is not a number" % r[0])
                    continue
                ids.append(aid)
                st = stored(aid)
                if st is None:
                    mismatches.append("id %d not in the archive" % aid)
                    continue
                for col, key in ((1, "date"), (2, "headline"), (3, "publisher"),
                                 (4, "url"), (5, "people")):
                    want = neutralise(st[key])
                    if r[col] != want:
                        mismatches.append("id %d %s: csv %r != expected %r"
                                          % (aid, key, r[col], want))
                    elif r[col] != st[key]:
                        neutralised_seen.append("%s id %d %s %r"
                                                % (label, aid, key, r[col][:20]))
                    # byte-exact: the CSV bytes equal the stored bytes
                    raw_stored = st["raw"][{"headline": 1, "publisher": 2,
                                            "url": 3, "date": 4,
                                            "people": 5}[key]] or b""
                    if isinstance(raw_stored, bytes):
                        want_bytes = (b"'" + raw_stored) if r[col] != st[key] \
                            else raw_stored
                        if r[col].encode("utf-8") != want_bytes:
                            mismatches.append("id %d %s: bytes differ" % (aid, key))
                    if any(ord(ch) > 127 for ch in r[col]):
                        vietnamese_seen += 1
                    if "đ" in r[col] or "Đ" in r[col]:
                        d_stroke_seen += 1
                # snippet: plain text taken from the article
                snip = r[6]
                if snip.startswith("'") and snip[1:].startswith(FORMULA_START):
                    neutralised_seen.append("%s id %d snippet %r"
                                            % (label, aid, snip[:20]))
                    first_chars.append(snip[1])
                    snip = snip[1:]
                core = snip.strip(ELLIPSIS).strip()
                hay = [collapse(st["headline"]), collapse(st["lead"]),
                       collapse(st["body"]), collapse(st["people"])]
                if not core or not any(collapse(core) in h for h in hay):
                    mismatches.append("id %d snippet %r is not text of the article"
                                      % (aid, snip[:60]))
            rep.check("%s: fields equal the stored values" % label,
                      not mismatches, "; ".join(mismatches[:3]))
            rep.check("%s: no cell starts with = + - @ unneutralised" % label,
                      not unsafe, "cells %r" % unsafe[:3])
            rep.check("%s: ids are distinct" % label, len(ids) == len(set(ids)),
                      "ids %r" % ids)
            if want_first:
                rep.check("%s: a '%s' cell was neutralised" % (label, want_first),
                          any(c.startswith("'" + want_first) for r in data for c in r),
                          "no cell starting with \"'%s\" in %r"
                          % (want_first, data[:2]))

        rep.check("at least one neutralised cell seen", bool(neutralised_seen),
                  "no stored value starting with = + - @ was exported")
        if neutralised_seen:
            print("# neutralised: %s" % "; ".join(neutralised_seen[:5]))
        rep.check("Vietnamese text round-trips (non-ASCII and đ/Đ cells seen)",
                  vietnamese_seen > 0 and d_stroke_seen > 0,
                  "non-ASCII cells: %d, cells with đ/Đ: %d"
                  % (vietnamese_seen, d_stroke_seen))

        # --no-bom to stdout: same CSV minus the BOM
        p = run(khotin, ["--db", db, "export", "--no-bom", "an ninh mang"], env)
        p2 = run(khotin, ["--db", db, "export", "an ninh mang"], env)
        rep.check("--no-bom on stdout: no BOM, otherwise identical",
                  p.returncode == 0 and not p.stdout.startswith(BOM)
                  and p.stdout.startswith(b"id,") and BOM + p.stdout == p2.stdout,
                  "exit %d, first bytes %r vs %r"
                  % (p.returncode, p.stdout[:6], p2.stdout[:6]))
        con.close()

    print("%d passed, %d failed" % (rep.passed, rep.failed))
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
