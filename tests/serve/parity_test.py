#!/usr/bin/python3
"""parity_test.py - the API answers exactly like the CLI.

Usage: parity_test.py KHOTIN_BINARY SOURCE_DIR

Builds an archive from SOURCE_DIR/fixtures/articles, the shared seeds and
the shared news corpus (SOURCE_DIR/../shared/corpus/vietnews/txt, when
present), serves it, and for 20 queries compares the ids and their order of
/api/search?q=QUERY&limit=20 with `khotin search QUERY --limit 20`, and the
API's total with the CLI's "N of T matching articles" line. Prints
"N passed, M failed".
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import khtest  # noqa: E402

QUERIES = [
    "dang",                          # unaccented: every accented form
    "an ninh mang",                  # several words, phrase boost
    "Hà Nội",                        # typed with diacritics
    "mưa lũ",
    "\"an ninh mạng\"",              # phrase
    "\"thanh pho ho chi minh\"",
    "thuy*",                         # prefix
    "kinh te*",
    "bong da OR dong dat",           # OR
    "bong da OR the thao",
    "viet nam -trung",               # exclusion
    "cong an -\"ha noi\"",
    "person:trump",                  # person filter
    "person:\"nguyen xuan phuc\"",
    "source:reuters",                # publisher or agency
    "from:2018 to:2018-12 dang",     # dates
    "from:2017-07 to:2017-07-31",
    "tai nan giao thong",
    "thu tuong",
    "mua",                           # short word, exact-first boost
]


def main():
    khotin, src = khtest.args_or_exit("KHOTIN_BINARY SOURCE_DIR", 2)
    rep = khtest.Report("serve_cli_parity")
    tmp = khtest.workdir()
    db = os.path.join(tmp, "parity.db")
    paths = [os.path.join(src, "fixtures", "articles")]
    for extra in (os.path.join(src, "..", "shared", "seeds"),
                  os.path.join(src, "..", "shared", "corpus", "vietnews", "txt")):
        if os.path.isdir(extra):
            paths.append(extra)
    print("# archive from: %s" % ", ".join(paths))
    khtest.import_articles(khotin, db, *paths)
    srv = khtest.Server(khotin, db)
    try:
        srv.start()
        rep.equal("20 queries", len(QUERIES), 20)
        nonempty = 0
        for query in QUERIES:
            r = srv.get("/api/search?" + khtest.q(q=query, limit=20))
            if not rep.equal("%s: status 200" % query, r.status, 200):
                continue
            data = r.json()
            rc, ids, total, err = khtest.cli_search(khotin, db, query, limit=20)
            rep.equal("%s: CLI exit 0" % query, rc, 0)
            api_ids = [h["id"] for h in data["hits"]]
            rep.equal("%s: ids and order" % query, api_ids, ids)
            rep.equal("%s: total (CLI: %s of %s)" % (query, len(ids), total), data["total"], total)
            rep.equal("%s: count" % query, data["count"], len(ids))
            nonempty += 1 if ids else 0
        rep.check("most queries find something", nonempty >= 15, "%d of 20 found hits" % nonempty)
        # a bad query: the CLI's usage error is the API's 400, same message
        bad = "bong OR"
        r = srv.get("/api/search?" + khtest.q(q=bad))
        rc, ids, total, err = khtest.cli_search(khotin, db, bad)
        rep.check("bad query: 400 and CLI exit 2 with the same message",
                  r.status == 400 and rc == 2 and r.json()["error"] in err,
                  "%d %r / %d %r" % (r.status, r.body[:200], rc, err))
        rep.equal("server stops cleanly", srv.stop(), 0)
    except Exception:  # noqa: BLE001 - reported as a failure
        rep.crashed()
    finally:
        srv.kill()
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
