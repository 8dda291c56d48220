#!/usr/bin/python3
"""api_test.py - `khotin serve` end to end over HTTP: the JSON API, the
embedded page, the security headers and the refusals.

Usage: api_test.py KHOTIN_BINARY SOURCE_DIR

Imports SOURCE_DIR/fixtures/articles and tests/serve/fixtures (an article
full of HTML) into a temporary archive, serves it on a random loopback port
and checks every endpoint against the CLI. The server is always stopped,
the temporary folder always removed. Prints "N passed, M failed".
"""

import hashlib
import json
import os
import re
import signal
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import khtest  # noqa: E402
from khtest import q  # noqa: E402

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
XSS_HEADLINE = "Cảnh báo <script>alert(1)</script> trong bài viết thử nghiệm"


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    khotin, src = khtest.args_or_exit("KHOTIN_BINARY SOURCE_DIR", 2)
    rep = khtest.Report("serve_api")
    tmp = khtest.workdir()
    db = os.path.join(tmp, "demo.db")
    here = os.path.dirname(os.path.abspath(__file__))
    khtest.import_articles(khotin, db, os.path.join(src, "fixtures", "articles"),
                           os.path.join(here, "fixtures"))
    # a checkpointed archive: its main file must not change while served
    khtest.run([khotin, "--db", db, "optimize"], timeout=60)
    before = sha256(db)

    srv = khtest.Server(khotin, db, threads=4)
    try:
        run_checks(rep, srv, khotin, db, tmp, before)
    except Exception:  # noqa: BLE001 - reported as a failure
        rep.crashed()
    finally:
        srv.kill()
    return rep.finish()


def run_checks(rep, srv, khotin, db, tmp, before):
    try:
        url = srv.start()
        rep.check("ready line names a loopback URL", re.match(r"http://127\.0\.0\.1:\d+/$", url), url)
        check_page(rep, srv)
        check_search(rep, srv, khotin, db)
        check_articles(rep, srv, khotin, db)
        check_people(rep, srv, khotin, db)
        check_timeline(rep, srv)
        check_export(rep, srv, khotin, db)
        check_refusals(rep, srv)
        check_xss(rep, srv)
        check_concurrency(rep, srv)
        rc = srv.stop(signal.SIGTERM)
        rep.equal("SIGTERM: clean exit status 0", rc, 0)
        rep.check("SIGTERM: says stopped", b"stopped" in srv.stderr, srv.stderr[-300:])
    finally:
        srv.kill()

    rep.equal("the archive file is unchanged after serving", sha256(db), before)

    # SIGINT too, and a second server on a taken port fails cleanly
    srv = khtest.Server(khotin, db, threads=1)
    try:
        srv.start()
        r = srv.get("/api/stats")
        rep.equal("one thread: answers", r.status, 200)
        other = khtest.run([khotin, "--db", db, "serve", "--port", str(srv.port)], timeout=20)
        err = other.stderr.decode()
        rep.check("a taken port: exit 1 with a message", other.returncode == 1 and "in use" in err,
                  "rc=%d %r" % (other.returncode, err))
        rc = srv.stop(signal.SIGINT)
        rep.equal("SIGINT: clean exit status 0", rc, 0)
    finally:
        srv.kill()

    # no archive: refused before listening, and nothing is created
    missing = os.path.join(tmp, "missing.db")
    r = khtest.run([khotin, "--db", missing, "serve", "--port", "1"], timeout=20)
    rep.check("no archive: exit 1 with a message", r.returncode == 1 and r.stderr.strip(),
              "rc=%d %r" % (r.returncode, r.stderr))
    rep.check("no archive: no file created", not os.path.exists(missing), "created")


def check_page(rep, srv):
    r = srv.get("/")
    rep.equal("GET / status", r.status, 200)
    rep.equal("GET / type", r.header("Content-Type"), "text/html; charset=utf-8")
    for path in ("/", "/app.js", "/app.css", "/api/stats", "/nope"):
        rr = srv.get(path)
        rep.equal("CSP on %s" % path, rr.header("Content-Security-Policy"), CSP)
        rep.equal("nosniff on %s" % path, rr.header("X-Content-Type-Options"), "nosniff")
        rep.equal("no-referrer on %s" % path, rr.header("Referrer-Policy"), "no-referrer")
    html = r.body.decode("utf-8")
    rep.check("page: lang vi", '<html lang="vi">' in html, html[:200])
    rep.check("page: loads /app.js and /app.css",
              '<script src="/app.js"' in html and 'href="/app.css"' in html, "")
    rep.check("page: no inline script", not re.search(r"<script(?![^>]*\bsrc=)", html), "")
    rep.check("page: no inline style", not re.search(r"<style|\sstyle=", html), "")
    rep.check("page: no external assets", not re.search(r"(src|href)=\"(https?:)?//", html), "")
    js = srv.get("/app.js")
    rep.equal("app.js type", js.header("Content-Type"), "text/javascript; charset=utf-8")
    rep.check("app.js never uses innerHTML", b"innerHTML" not in js.body and b"outerHTML" not in js.body
              and b"insertAdjacentHTML" not in js.body and b"document.write" not in js.body, "")
    css = srv.get("/app.css")
    rep.equal("app.css type", css.header("Content-Type"), "text/css; charset=utf-8")
    rep.check("app.css: Vietnamese-friendly system fonts",
              b'"Segoe UI", Roboto, "Noto Sans"' in css.body, "")
    etag = js.header("ETag")
    rr = srv.get("/app.js", headers={"If-None-Match": etag or "x"})
    rep.equal("app.js: 304 with its ETag", rr.status, 304)
    rr = srv.get("/", method="HEAD")
    rep.check("HEAD /: 200 without a body", rr.status == 200 and rr.body == b"", rr.status)


def check_search(rep, srv, khotin, db):
    for query in ("dang", "an ninh mang", "\"an ninh mạng\"", "thuy*", "bong da OR dong dat"):
        r = srv.get("/api/search?" + q(q=query))
        rep.equal("search %r: 200" % query, r.status, 200)
        data = r.json()
        rc, ids, total, err = khtest.cli_search(khotin, db, query)
        rep.equal("search %r: ids as the CLI" % query, [h["id"] for h in data["hits"]], ids)
        rep.equal("search %r: total as the CLI" % query, data["total"], total)
        rep.equal("search %r: echo" % query, data["query"]["q"], query)

    data = srv.get("/api/search?" + q(q="dang", limit=50)).json()
    hit = data["hits"][0]
    for key in ("id", "headline", "date", "date_precision", "publisher", "url", "people",
                "snippet", "marks"):
        rep.check("hit has %s" % key, key in hit, sorted(hit))
    rep.check("people is a list", isinstance(hit["people"], list), hit["people"])
    bad = []
    nmarks = 0
    for h in data["hits"]:
        if "\x02" in h["snippet"] or "\x03" in h["snippet"]:
            bad.append("marker left in %d" % h["id"])
        for s, e in h["marks"]:
            nmarks += 1
            word = h["snippet"][s:e]
            if not (0 <= s < e <= len(h["snippet"])) or khtest.fold(word) != "dang":
                bad.append("%d: [%d,%d] %r" % (h["id"], s, e, word))
    rep.check("marks point at the matched words (code points)", not bad and nmarks > 0,
              "%s (%d marks)" % (bad[:5], nmarks))

    # paging and sorting as the CLI
    p2 = srv.get("/api/search?" + q(q="dang", limit=5, offset=5)).json()
    all10 = srv.get("/api/search?" + q(q="dang", limit=10)).json()
    rep.equal("offset pages", [h["id"] for h in p2["hits"]], [h["id"] for h in all10["hits"][5:]])
    bydate = srv.get("/api/search?" + q(q="dang", sort="date")).json()
    rc, ids, total, err = khtest.cli_search(khotin, db, "dang", sort="date")
    rep.equal("sort=date as --sort date", [h["id"] for h in bydate["hits"]], ids)
    folded = srv.get("/api/search?" + q(q="mạ", fold=1)).json()
    rc, ids, total, err = khtest.cli_search(khotin, db, "mạ", fold_all=True)
    rep.equal("fold=1 as --fold", ([h["id"] for h in folded["hits"]], folded["total"]), (ids, total))

    # from/to/person parameters become filters
    r = srv.get("/api/search?" + q(q="dang", **{"from": "2018", "to": "2018-12"})).json()
    rc, ids, total, err = khtest.cli_search(khotin, db, "from:2018 to:2018-12 dang")
    rep.equal("from/to params as from:/to:", ([h["id"] for h in r["hits"]], r["total"]), (ids, total))
    rep.check("from/to: dates in range", all(h["date"].startswith("2018") for h in r["hits"])
              and r["hits"], [h["date"] for h in r["hits"]])
    rep.equal("from/to: query as run", r["query"]["query"], "from:2018 to:2018-12 dang")
    r = srv.get("/api/search?" + q(person="dang thi hoa")).json()
    rc, ids, total, err = khtest.cli_search(khotin, db, 'person:"dang thi hoa"')
    rep.equal("person param as person:", ([h["id"] for h in r["hits"]], r["total"]), (ids, total))
    rep.check("person param finds her", r["total"] >= 1, r["total"])

    # URL decoding: + and %20, UTF-8 escapes, raw UTF-8
    a = srv.get("/api/search?q=an+ninh+mang").json()
    b = srv.get("/api/search?q=an%20ninh%20mang").json()
    rep.equal("'+' is a space", a["query"]["q"], "an ninh mang")
    rep.equal("'+' and %20 agree", [h["id"] for h in a["hits"]], [h["id"] for h in b["hits"]])
    c = srv.get("/api/search?q=%C4%91%E1%BA%B7ng").json()
    rep.equal("UTF-8 escapes decoded", c["query"]["q"], "đặng")
    raw = raw_get(srv, "/api/search?q=\u0111\u1eb7ng".encode("utf-8"))
    rep.check("raw UTF-8 in the target decoded", b'"q":"\xc4\x91\xe1\xba\xb7ng"' in raw, raw[:200])
    e = srv.get("/api/search?q=a%2Bb+c%26d%3De").json()
    rep.equal("escaped + & = kept", e["query"]["q"], "a+b c&d=e")

    # warnings are echoed
    w = srv.get("/api/search?" + q(q='"an ninh')).json()
    rep.check("unbalanced quote: warning echoed", "quote" in w["query"]["warning"], w["query"])
    w = srv.get("/api/search?" + q(q='"an ninh', **{"from": "2017"})).json()
    rep.check("unbalanced quote with a filter: still a filter", w["query"]["query"].startswith("from:2017 ")
              and "quote" in w["query"]["warning"], w["query"])

    # bad queries and parameters: 400 with a message, never 500
    for target in ("/api/search?q=", "/api/search", "/api/search?q=%21%21%21", "/api/search?q=OR",
                   "/api/search?" + q(q="person:"), "/api/search?" + q(q="-bong"),
                   "/api/search?" + q(q="dang", limit="abc"), "/api/search?" + q(q="dang", limit=0),
                   "/api/search?" + q(q="dang", limit=100000),
                   "/api/search?" + q(q="dang", offset=-1), "/api/search?" + q(q="dang", sort="x"),
                   "/api/search?" + q(q="dang", fold="maybe"),
                   "/api/search?" + q(q="dang", **{"from": "2017-1"}),
                   "/api/search?" + q(q="dang", **{"from": "2017-13"}),
                   "/api/search?" + q(q="dang", to="2017 OR x"),
                   "/api/search?" + q(q="dang", person='a"b'),
                   "/api/search?q=%FF", "/api/search?q=%ZZ", "/api/search?q=a%00b",
                   "/api/timeline?" + q(q="dang", by="year"), "/api/timeline?q=",
                   "/api/export.csv?q=", "/api/people?" + q(limit=-1)):
        r = srv.get(target)
        ok = r.status == 400 and r.header("Content-Type", ) == "application/json; charset=utf-8"
        msg = ""
        try:
            msg = r.json().get("error", "")
        except Exception:
            ok = False
        rep.check("400 for %s" % target, ok and msg and not re.search(r"sql|fts5|syntax error", msg, re.I),
                  "%d %r" % (r.status, r.body[:200]))


def raw_get(srv, target_bytes):
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    try:
        s.sendall(b"GET " + target_bytes + b" HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n"
                  % srv.port)
        chunks = []
        while True:
            c = s.recv(65536)
            if not c:
                break
            chunks.append(c)
        return b"".join(chunks)
    finally:
        s.close()


def check_articles(rep, srv, khotin, db):
    data = srv.get("/api/search?" + q(q="thuy dien hoa binh")).json()
    aid = data["hits"][0]["id"]
    r = srv.get("/api/articles/%d" % aid)
    rep.equal("article: 200", r.status, 200)
    a = r.json()
    for key in ("id", "headline", "lead", "body", "paragraphs", "date", "date_precision", "publisher",
                "url", "author", "source_path", "agencies", "people"):
        rep.check("article has %s" % key, key in a, sorted(a))
    show = khtest.run([khotin, "--db", db, "show", str(aid)], timeout=30).stdout.decode()
    fields = {}
    for line in show.splitlines():
        k, _, v = line.partition(": ")
        fields.setdefault(k, []).append(v)
    rep.equal("article: headline as show", a["headline"], fields["headline"][0])
    rep.equal("article: date as show", a["date"], fields["date"][0])
    rep.equal("article: publisher as show", a["publisher"], fields["publisher"][0])
    rep.equal("article: body paragraphs as show", a["paragraphs"], fields.get("body", []))
    rep.equal("article: people as show", [p["name"] for p in a["people"]],
              [p.split(" | ")[0] for p in fields.get("person", [])])
    rep.equal("article: quotes as show", [(p["name"], p["quote"]) for p in a["people"] if p["quote"]],
              [tuple(x.split(" | ", 1)) for x in fields.get("quote", [])])
    rep.equal("article: source path as show", a["source_path"], fields["imported_from"][0])
    for target in ("/api/articles/999999", "/api/articles/0", "/api/articles/abc", "/api/articles/",
                   "/api/articles/1x", "/api/articles/-1", "/api/articles/99999999999999999999"):
        r = srv.get(target)
        rep.check("404 for %s" % target, r.status == 404 and "error" in r.json(), r.status)


def check_people(rep, srv, khotin, db):
    r = srv.get("/api/people?" + q(q="dang thi hoa"))
    rep.equal("people: 200", r.status, 200)
    people = r.json()["people"]
    rep.check("people: finds Đặng Thị Hoà", any(p["name"] == "Đặng Thị Hoà" for p in people), people)
    everyone = srv.get("/api/people?" + q(limit=500)).json()["people"]
    cli = khtest.run([khotin, "--db", db, "people", "--csv", "--limit", "500"], timeout=30)
    import csv
    import io
    rows = list(csv.reader(io.StringIO(cli.stdout.decode("utf-8-sig"))))[1:]
    rep.equal("people: same list as `khotin people --csv`", [(p["id"], p["name"]) for p in everyone],
              [(int(x[0]), x[1]) for x in rows])
    hoa = next(p for p in people if p["name"] == "Đặng Thị Hoà")
    for target in ("/api/people/%d" % hoa["id"], "/api/people/%d?" % hoa["id"] + q(name="dang thi hoa")):
        r = srv.get(target)
        rep.equal("person %s: 200" % target, r.status, 200)
        p = r.json()
        rep.equal("person: name", p["name"], "Đặng Thị Hoà")
        cli = khtest.run([khotin, "--db", db, "quotes", "--csv", "Đặng Thị Hoà"], timeout=30)
        rows = list(csv.reader(io.StringIO(cli.stdout.decode("utf-8-sig"))))[1:]
        rep.equal("person: quotes as `khotin quotes`", [(x["article_id"], x["quote"]) for x in p["quotes"]],
                  [(int(x[4]), x[2]) for x in rows if x[0] == "Đặng Thị Hoà"])
        rep.check("person: articles and timeline", p["article_total"] >= 1 and p["timeline"]
                  and p["timeline"]["total"] == p["article_total"], p.get("timeline"))
    for target in ("/api/people/99999999", "/api/people/abc", "/api/people/99999999?name=dang"):
        r = srv.get(target)
        rep.check("404 for %s" % target, r.status == 404 and "error" in r.json(), r.status)


def check_timeline(rep, srv):
    for by in ("month", "week", "day"):
        r = srv.get("/api/timeline?" + q(q="dang", by=by))
        rep.equal("timeline by %s: 200" % by, r.status, 200)
        t = r.json()
        total = srv.get("/api/search?" + q(q="dang")).json()["total"]
        rep.equal("timeline by %s: buckets + undated = total" % by,
                  sum(b["count"] for b in t["buckets"]) + t["undated"], total)
        pat = {"month": r"^\d{4}-\d\d$", "week": r"^\d{4}-W\d\d$", "day": r"^\d{4}-\d\d-\d\d$"}[by]
        rep.check("timeline by %s: periods" % by, all(re.match(pat, b["period"]) for b in t["buckets"])
                  and t["buckets"] == sorted(t["buckets"], key=lambda b: b["period"]), t["buckets"][:3])
    t = srv.get("/api/timeline?" + q(q="dang", **{"from": "2018", "to": "2018"})).json()
    rep.check("timeline: from/to applied", t["undated"] == 0 and all(b["period"].startswith("2018")
              for b in t["buckets"]), t)


def check_export(rep, srv, khotin, db):
    for query in ("dang", "dong dat OR bong da"):
        r = srv.get("/api/export.csv?" + q(q=query))
        rep.equal("export %r: 200" % query, r.status, 200)
        rep.equal("export: type", r.header("Content-Type"), "text/csv; charset=utf-8")
        rep.equal("export: disposition", r.header("Content-Disposition"), 'attachment; filename="khotin.csv"')
        cli = khtest.run([khotin, "--db", db, "export", "--", query], timeout=60)
        rep.check("export %r: same bytes as `khotin export`" % query, r.body == cli.stdout and r.body,
                  "%d vs %d bytes" % (len(r.body), len(cli.stdout)))
    r = srv.get("/api/export.csv?" + q(q="dang", bom=0, limit=3, sort="date"))
    cli = khtest.run([khotin, "--db", db, "export", "--no-bom", "--limit", "3", "--sort", "date", "dang"],
                     timeout=60)
    rep.equal("export with bom=0 limit sort as the CLI", r.body, cli.stdout)


def check_refusals(rep, srv):
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        r = srv.get("/api/search?q=dang", method=method, body=b"x=1" if method != "OPTIONS" else None)
        rep.check("%s: 405 with Allow" % method, r.status == 405 and r.header("Allow") == "GET, HEAD",
                  "%d %r" % (r.status, r.header("Allow")))
    r = srv.get("/api/search?q=dang", body=b"abc")
    rep.equal("GET with a body: 413", r.status, 413)
    long = "/api/search?q=" + "a" * 9000
    r = srv.get(long)
    rep.equal("9000-byte target: 414", r.status, 414)
    r = srv.get("/api/search?q=" + "a" * 8000)
    rep.check("8000-byte target: answered", r.status in (200, 400), r.status)
    for path in ("/index.html", "/etc/passwd", "/../etc/passwd", "/app.js/", "/api", "/api/",
                 "/api/nope", "/API/search?q=dang", "/favicon.ico", "/src/web/app.js"):
        r = srv.get(path)
        rep.check("404 for %s" % path, r.status == 404 and "error" in r.json(), r.status)
    r = srv.get("/api/stats", headers={"Host": "evil.example:80"})
    rep.equal("foreign Host header: 403", r.status, 403)
    r = srv.get("/api/stats", headers={"Host": "localhost:%d" % srv.port})
    rep.equal("localhost Host header: 200", r.status, 200)
    # a slow client does not block others
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    s.sendall(b"GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    r = srv.get("/api/stats")
    rep.equal("a half-sent request does not block others", r.status, 200)
    s.close()


def check_xss(rep, srv):
    r = srv.get("/api/search?" + q(q="alert"))
    data = r.json()
    rep.check("xss: found", data["total"] >= 1, data)
    hit = next((h for h in data["hits"] if h["headline"] == XSS_HEADLINE), None)
    rep.check("xss: headline is the literal text as data", hit is not None, [h["headline"] for h in data["hits"]])
    rep.equal("xss: JSON type", r.header("Content-Type"), "application/json; charset=utf-8")
    rep.check("xss: no raw </script> in the JSON", b"</script>" not in r.body, r.body[:300])
    if hit:
        a = srv.get("/api/articles/%d" % hit["id"])
        art = a.json()
        rep.check("xss: article body is literal text",
                  "<img src=x onerror=alert(2)>" in art["body"] and "</p></div>" in art["body"], art["body"])
        rep.check("xss: quote is literal text",
                  any("<script>alert(3)</script>" in p["quote"] for p in art["people"]), art["people"])
        rep.check("xss: no raw </script> in the article JSON", b"</script>" not in a.body, "")
        rep.equal("xss: article nosniff", a.header("X-Content-Type-Options"), "nosniff")


def check_concurrency(rep, srv):
    errors = []
    queries = ["dang", "an ninh mang", "bong da", "thuy*", "hoa binh", "tang truong", "dong dat"]

    def worker(i):
        for k in range(15):
            query = queries[(i + k) % len(queries)]
            try:
                r = srv.get("/api/search?" + q(q=query))
                if r.status != 200:
                    errors.append((query, r.status))
            except Exception as e:  # noqa: BLE001
                errors.append((query, repr(e)))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    rep.check("8 parallel clients x 15 searches: no failure", not errors, errors[:5])
    rep.check("8 parallel clients: in time", time.time() - t0 < 60, time.time() - t0)
    # keep-alive: several requests on one connection
    import http.client
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    statuses = []
    for _ in range(3):
        c.request("GET", "/api/search?q=dang")
        resp = c.getresponse()
        resp.read()
        statuses.append((resp.status, resp.getheader("Connection")))
    c.close()
    rep.check("keep-alive: 3 requests on one connection", all(s == 200 for s, _ in statuses)
              and all((h or "").lower() != "close" for _, h in statuses), statuses)


if __name__ == "__main__":
    sys.exit(main())
