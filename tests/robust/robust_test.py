#!/usr/bin/python3
"""robust_test.py - robustness tests for the khotin command line.

Usage: robust_test.py KHOTIN_BINARY SOURCE_DIR

The corpus is SOURCE_DIR/../shared/corpus/vietnews/txt (1,500 plain-text
articles, two of them duplicates of others); the test fails at once with a
clear message when it is missing.

Checks:
  1. SIGKILL safety: 'khotin import --batch 50' of a large folder (the corpus
     plus copies with a changed first line, ~10 s of import) is killed with
     SIGKILL at 20 seeded random moments, always on the same archive: once
     while it is created, then mostly at a random delay after each run's
     first commit (so the kills are spread over the whole import), sometimes
     while it re-scans the articles already stored. After each kill 'khotin
     check' passes, PRAGMA integrity_check is ok, no link points nowhere, no
     article is half-stored (each has its full-text document, as many person
     links as names in its people column, and the same fields and agencies
     as in a clean import of the same folder), and the count never
     decreases. A final uninterrupted import gives exactly the clean count
     and the same articles, with the same people, as the clean import.
  2. Two importers at once on one archive (overlapping halves of the corpus)
     while a third process searches in a loop; also two importers creating
     a new archive at the same moment.
  3. A read-only archive (another user, 0644 / 0444 files, folder writable or
     not): search, check and stats work, import fails with a clear message,
     the archive is unchanged.
  4. A locked archive (a writer holding BEGIN EXCLUSIVE longer than khotin's
     10 s busy timeout): import fails with a message saying it is locked and
     what to do, nothing is stored, searches still work; a shorter lock is
     waited for.
  5. Not an archive: another SQLite database, text files: refused untouched.
  6. A newer schema (user_version 99): every command refuses, naming both
     versions, and leaves the file untouched.

Standard library only. Prints "ok - NAME" or "not ok - NAME: why" per check
and a final "N passed, M failed"; exits 1 on any failure. Set ROBUST_SEED to
replay other kill moments (default 20261127).
"""

import hashlib
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import urllib.parse

KILLS = 20
IMPORT_SECONDS = 10.0  # aim: the large folder takes ~10 s to import
MAX_COPIES = 8         # the corpus plus up to 7 changed copies (12,000 files)
BATCH = "50"
LOCK_HOLD = 13.0      # seconds; khotin's busy timeout is 10 s
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


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

    def skip(self, name, why):
        print("ok - %s # skip: %s" % (name, why))
        self.passed += 1
        sys.stdout.flush()

    def note(self, text):
        print("# %s" % text)
        sys.stdout.flush()


R = Report()
KHOTIN = None
ENV = {k: v for k, v in os.environ.items() if k != "KHOTIN_DB"}


# ------------------------------------------------------------------ helpers

class Result:
    def __init__(self, rc, out, err, secs):
        self.rc, self.out, self.err, self.secs = rc, out, err, secs

    def text(self):
        return (self.out + "\n" + self.err).strip()

    def brief(self):
        t = self.text().replace("\n", " | ")
        return "exit %s, output: %s" % (self.rc, t[:400] if t else "(none)")


def run(args, timeout=180, user=None, binary=None):
    """Run khotin (args after the binary); returns a Result (rc -999 on timeout)."""
    cmd = [binary or KHOTIN] + list(args)
    if user:
        cmd = NOBODY + cmd
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=timeout, env=ENV)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        rc, out, err = -999, e.stdout or b"", (e.stderr or b"") + b" [timed out]"
    return Result(rc, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
                  time.monotonic() - t0)


def fold(s):
    s = unicodedata.normalize("NFD", s)
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    return s.replace("đ", "d").replace("Đ", "d").casefold()


def vn_collation(a, b):
    """Stand-in for khotin's ICU collations (primary strength: case and
    diacritics ignored), enough for SQLite to read and check the indexes."""
    a, b = fold(a), fold(b)
    return (a > b) - (a < b)


def connect(path, mode="ro"):
    """Plain SQLite connection (no khotin tokenizer: articles_fts is never
    queried). mode: 'ro', 'rw' or 'immutable' (touches no file at all)."""
    q = "?immutable=1" if mode == "immutable" else "?mode=%s" % mode
    c = sqlite3.connect("file:%s%s" % (urllib.parse.quote(path), q), uri=True,
                        isolation_level=None, timeout=30)
    c.create_collation("vn_nocase", vn_collation)
    c.create_collation("vi", vn_collation)
    return c


def scalar(path, sql, mode="ro"):
    c = connect(path, mode)
    try:
        return c.execute(sql).fetchone()[0]
    finally:
        c.close()


def file_digest(*paths):
    h = hashlib.sha256()
    for p in paths:
        h.update(p.encode() + b"\0")
        if os.path.exists(p):
            with open(p, "rb") as f:
                h.update(f.read())
        else:
            h.update(b"<absent>")
    return h.hexdigest()


def size_or_zero(path):
    """Size of a file that another process may delete at any moment (the
    -wal file goes away when the importer closes the archive)."""
    try:
        return os.path.getsize(path)
    except FileNotFoundError:
        return 0


def archive_digest(path):
    """The archive's bytes: the file and its write-ahead log (an absent or
    empty log is the same: nothing pending)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    h.update(b"\0wal\0")
    if os.path.exists(path + "-wal"):
        with open(path + "-wal", "rb") as f:
            h.update(f.read())
    return h.hexdigest()


def integrity(path):
    """PRAGMA integrity_check, as a list of problems ([] when ok)."""
    c = None
    try:
        c = connect(path)
        rows = [r[0] for r in c.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.Error as e:
        return ["integrity_check failed: %s" % e]
    finally:
        if c:
            c.close()
    return [] if rows == ["ok"] else rows


def link_problems(path):
    """Plain-SQL consistency: links pointing nowhere, duplicates, articles
    missing from (or extra in) the full-text index's document table."""
    c = connect(path)
    probs = []
    try:
        queries = [
            ("person links to missing articles",
             "SELECT count(*) FROM article_people WHERE article_id NOT IN (SELECT id FROM articles)"),
            ("person links to missing people",
             "SELECT count(*) FROM article_people WHERE person_id NOT IN (SELECT id FROM people)"),
            ("agency links to missing articles",
             "SELECT count(*) FROM article_agencies WHERE article_id NOT IN (SELECT id FROM articles)"),
            ("agency links to missing agencies",
             "SELECT count(*) FROM article_agencies WHERE agency_id NOT IN (SELECT id FROM agencies)"),
            ("people named in no article",
             "SELECT count(*) FROM people WHERE id NOT IN (SELECT person_id FROM article_people)"),
            ("duplicate articles (same content hash)",
             "SELECT count(*) - count(DISTINCT content_hash) FROM articles"),
            ("articles without a full-text document",
             "SELECT count(*) FROM articles WHERE id NOT IN (SELECT id FROM articles_fts_docsize)"),
            ("full-text documents without an article",
             "SELECT count(*) FROM articles_fts_docsize WHERE id NOT IN (SELECT id FROM articles)"),
        ]
        for what, sql in queries:
            n = c.execute(sql).fetchone()[0]
            if n:
                probs.append("%d %s" % (n, what))
        # every article has as many person links as names in its people column
        n = c.execute(
            "SELECT count(*) FROM articles a WHERE "
            "(CASE WHEN a.people = '' THEN 0 ELSE "
            " length(a.people) - length(replace(a.people, '; ', ';')) + 1 END) "
            "<> (SELECT count(*) FROM article_people ap WHERE ap.article_id = a.id)").fetchone()[0]
        if n:
            probs.append("%d articles whose person links do not match their people" % n)
    except sqlite3.Error as e:
        probs.append("SQL error: %s" % e)
    finally:
        c.close()
    return probs


def article_digests(path):
    """content_hash -> (core, people, source_path): a digest of the stored
    fields except the people, with the agency links; the people column and
    person links (by folded name); the file it came from."""
    c = connect(path)
    try:
        people = {}
        for aid, key, role, quoted, quote, pos in c.execute(
                "SELECT ap.article_id, p.name_key, ap.role, ap.quoted, ap.quote, ap.position "
                "FROM article_people ap JOIN people p ON p.id = ap.person_id"):
            people.setdefault(aid, []).append((pos, key, role, quoted, quote))
        agencies = {}
        for aid, name, pos in c.execute(
                "SELECT aa.article_id, g.name, aa.position FROM article_agencies aa "
                "JOIN agencies g ON g.id = aa.agency_id"):
            agencies.setdefault(aid, []).append((pos, fold(name)))
        out = {}
        for row in c.execute(
                "SELECT id, content_hash, headline, lead, body, coalesce(pub_date, ''), "
                "date_precision, publisher, coalesce(url, ''), author, source_path, people "
                "FROM articles"):
            aid = row[0]
            core = hashlib.sha256(repr(row[1:11]).encode())
            core.update(repr(sorted(agencies.get(aid, []))).encode())
            out[row[1]] = (core.hexdigest(), (row[11], tuple(sorted(people.get(aid, [])))),
                           row[10])
        return out
    finally:
        c.close()


def digest_differences(got, want):
    """Why two article_digests() maps differ ('' when they do not)."""
    missing = set(want) - set(got)
    extra = set(got) - set(want)
    core = [h for h in got if h in want and got[h][0] != want[h][0]]
    ppl = [h for h in got if h in want and got[h][0] == want[h][0] and got[h][1] != want[h][1]]
    why = []
    if missing:
        why.append("%d articles missing" % len(missing))
    if extra:
        why.append("%d articles not in a clean import" % len(extra))
    if core:
        why.append("%d articles with other fields or agencies (e.g. %s)"
                   % (len(core), got[core[0]][2]))
    if ppl:
        ex = ppl[0]
        why.append("%d articles with other people than in a clean import, e.g. %s: "
                   "here '%s', clean '%s'" % (len(ppl), got[ex][2], got[ex][1][0], want[ex][1][0]))
    return "; ".join(why)


def search_hits(res):
    """Number of matching articles a 'khotin search' reported (-1: none said)."""
    m = re.search(r"\d+ of (\d+) matching", res.text())
    return int(m.group(1)) if m else -1


def khotin_check(db):
    r = run(["--db", db, "check"])
    return r.rc == 0 and re.search(r"\bok\b", r.out) is not None, r


def summary_count(db):
    return scalar(db, "SELECT count(*) FROM articles")


# --------------------------------------------------------------- 1. SIGKILL

def make_big_folder(corpus, folder, copies):
    names = sorted(n for n in os.listdir(corpus) if n.endswith(".txt"))
    for k in range(copies):
        d = os.path.join(folder, "c%02d" % k)
        os.makedirs(d)
        for n in names:
            with open(os.path.join(corpus, n), "rb") as f:
                data = f.read()
            if k:
                # a distinct first line (the headline): a new article
                i = data.find(b"\n")
                if i < 0:
                    i = len(data)
                head = data[:i].rstrip(b"\r")
                data = head + (" (bản lưu %d)" % k).encode() + data[i:]
            with open(os.path.join(d, n), "wb") as f:
                f.write(data)
    return len(names) * copies


def test_sigkill(tmp, corpus, t_corpus):
    t_start = time.monotonic()
    folder = os.path.join(tmp, "big")
    # as many copies as give ~10 s of import on this machine (fewer on a
    # slow or busy one, so that the whole test stays within its time)
    copies = max(3, min(MAX_COPIES, int(IMPORT_SECONDS / max(t_corpus, 0.1))))
    nfiles = make_big_folder(corpus, folder, copies)
    ref = os.path.join(tmp, "kill-ref.db")
    imp = ["import", "--quiet", "--batch", BATCH, folder]
    r = run(["--db", ref] + imp, timeout=600)
    t_import = r.secs
    if not R.check("sigkill: uninterrupted reference import of %d files" % nfiles,
                   r.rc == 0, r.brief()):
        return
    r2 = run(["--db", ref] + imp, timeout=600)
    t_skip = r2.secs
    total = summary_count(ref)
    R.check("sigkill: re-import of a complete archive adds nothing",
            r2.rc == 0 and summary_count(ref) == total and "%d already present" % nfiles in r2.err,
            r2.brief())
    R.note("reference: %d files -> %d articles; import %.1f s, re-import (all present) %.1f s"
           % (nfiles, total, t_import, t_skip))
    ref_digests = article_digests(ref)

    seed = int(os.environ.get("ROBUST_SEED", "20261127"))
    rng = random.Random(seed)
    R.note("kill moments: seed %d" % seed)
    db = os.path.join(tmp, "kill.db")
    errlog = os.path.join(tmp, "kill-stderr.txt")
    prev = 0
    live_kills = 0
    wal = db + "-wal"
    write_window = 2.0 * t_import / KILLS  # ~1/KILLS of the articles per run
    for i in range(1, KILLS + 1):
        stored = prev
        # Where to kill. Run 1: while the archive is being created. Then,
        # mostly while writing: a seeded random delay after this
        # run's first commit (the -wal file grows), so that over the 20 runs
        # the kills are spread over the whole import; sometimes while it is
        # still skipping the articles already stored (a transaction is open).
        if i == 1:
            phase, at = "while creating", rng.uniform(0.0, 0.15)
        elif rng.random() < 0.2 and stored:
            phase = "in the re-scan window"
            at = rng.uniform(0.03, 0.97) * t_skip * stored / max(total, 1)
        else:
            phase, at = "while writing", rng.uniform(0.0, write_window)
        wal0 = size_or_zero(wal)
        with open(errlog, "wb") as ef:
            p = subprocess.Popen([KHOTIN, "--db", db] + imp, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=ef, env=ENV)
            t0 = time.monotonic()
            if phase == "while writing":
                # wait for this run's first commit
                while (p.poll() is None and time.monotonic() - t0 < 300
                       and size_or_zero(wal) <= wal0):
                    time.sleep(0.002)
                t0 = time.monotonic()
            while time.monotonic() - t0 < at and p.poll() is None:
                time.sleep(min(0.01, max(0.0, at - (time.monotonic() - t0))))
            alive = p.poll() is None
            if alive:
                p.send_signal(signal.SIGKILL)
            p.wait()
        live_kills += alive
        why = []
        if not alive and p.returncode != 0:
            with open(errlog, encoding="utf-8", errors="replace") as f:
                why.append("import ended by itself with exit %d: %s" % (p.returncode, f.read()[-300:]))
        if not os.path.exists(db):
            # killed before the archive was created: nothing to check
            R.check("sigkill %2d %s, at %.2f s: before the archive existed" % (i, phase, at), not why,
                    "; ".join(why))
            continue
        ok, cr = khotin_check(db)
        if not ok:
            why.append("khotin check: " + cr.brief())
        try:
            probs = integrity(db)
            if probs:
                why.append("PRAGMA integrity_check: %s" % "; ".join(probs[:5]))
            why += link_problems(db)
            count = summary_count(db)
            digests = article_digests(db)
        except sqlite3.Error as e:
            why.append("reading the archive: %s" % e)
            count, digests = prev, {}
        if count < prev:
            why.append("article count went down: %d -> %d" % (prev, count))
        # every stored article is whole: the same fields and agencies as in a
        # clean import (its people links match its own people column: above)
        half = [h for h, d in digests.items() if h not in ref_digests or ref_digests[h][0] != d[0]]
        if half:
            why.append("%d articles differ from a clean import (half-stored?), e.g. %s"
                       % (len(half), digests[half[0]][2]))
        R.check("sigkill %2d %s, at %.2f s%s (%s): %d -> %d articles, archive consistent"
                % (i, phase, at, " after the first commit" if phase == "while writing" else "",
                   "killed" if alive else "had finished", prev, count),
                not why, "; ".join(why))
        prev = max(prev, count)
    R.check("sigkill: most kills hit a running import", live_kills >= KILLS // 2,
            "only %d of %d kills found the import still running" % (live_kills, KILLS))
    # the final, uninterrupted run completes the archive
    r = run(["--db", db] + imp, timeout=600)
    R.check("sigkill: final import exits 0", r.rc == 0, r.brief())
    count = summary_count(db)
    R.check("sigkill: final count is exactly the clean count (%d)" % total, count == total,
            "got %d articles" % count)
    ok, cr = khotin_check(db)
    R.check("sigkill: final khotin check", ok, cr.brief())
    probs = integrity(db) + link_problems(db)
    R.check("sigkill: final integrity and links", not probs, "; ".join(probs[:5]))
    digests = article_digests(db)
    R.check("sigkill: final archive stores the same articles, with the same people, "
            "as a clean import", digests == ref_digests,
            digest_differences(digests, ref_digests))
    R.note("sigkill: %d of %d kills hit a running import; %.1f s" %
           (live_kills, KILLS, time.monotonic() - t_start))
    shutil.rmtree(folder, ignore_errors=True)
    for suffix in ("", "-wal", "-shm"):
        for p in (db, ref):
            if os.path.exists(p + suffix):
                os.remove(p + suffix)


# ------------------------------------------------------- 2. two importers

def copy_files(corpus, names, folder):
    os.makedirs(folder)
    for n in names:
        shutil.copyfile(os.path.join(corpus, n), os.path.join(folder, n))


def two_importers(db, a, b, timeout=180):
    """Start both importers at once; returns their Results (secs: from the
    common start to each one's exit)."""
    procs, logs = [], []
    t0 = time.monotonic()
    for k, folder in enumerate((a, b)):
        log = tempfile.TemporaryFile()
        logs.append(log)
        procs.append(subprocess.Popen(
            [KHOTIN, "--db", db, "import", "--quiet", "--batch", BATCH, folder],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=ENV))
    ended = [None, None]
    while None in ended and time.monotonic() - t0 < timeout:
        for k, p in enumerate(procs):
            if ended[k] is None and p.poll() is not None:
                ended[k] = time.monotonic() - t0
        time.sleep(0.005)
    results = []
    for k, p in enumerate(procs):
        note = b""
        if ended[k] is None:
            p.kill()
            note = b" [timed out]"
            ended[k] = time.monotonic() - t0
        p.wait()
        logs[k].seek(0)
        err = logs[k].read() + note
        logs[k].close()
        results.append(Result(p.returncode, "", err.decode("utf-8", "replace"), ended[k]))
    return results


def test_two_importers(tmp, corpus, clean_total):
    names = sorted(n for n in os.listdir(corpus) if n.endswith(".txt"))
    n = len(names)
    half_a = names[: n * 3 // 5]          # 60 %
    half_b = names[n * 2 // 5:]           # 60 %: 20 % overlap
    a = os.path.join(tmp, "half-a")
    b = os.path.join(tmp, "half-b")
    copy_files(corpus, half_a, a)
    copy_files(corpus, half_b, b)
    empty = os.path.join(tmp, "empty")
    os.makedirs(empty, exist_ok=True)

    db = os.path.join(tmp, "two.db")
    r = run(["--db", db, "import", "--quiet", empty])
    if not R.check("two importers: create the archive", r.rc == 0, r.brief()):
        return
    searches = []
    running = threading.Event()
    running.set()

    def search_loop():
        while running.is_set() or len(searches) < 20:
            live = running.is_set()
            s = run(["--db", db, "search", "ha noi"], timeout=60)
            searches.append((s, live))

    th = threading.Thread(target=search_loop)
    th.start()
    ra, rb = two_importers(db, a, b)
    running.clear()
    th.join()
    R.check("two importers: first exits 0", ra.rc == 0, ra.brief())
    R.check("two importers: second exits 0", rb.rc == 0, rb.brief())
    R.note("importers took %.1f s and %.1f s" % (ra.secs, rb.secs))
    count = summary_count(db)
    R.check("two importers: count equals a clean import of the union (%d)" % clean_total,
            count == clean_total, "got %d" % count)
    dup = scalar(db, "SELECT count(*) - count(DISTINCT content_hash) FROM articles")
    R.check("two importers: no duplicates", dup == 0, "%d duplicate rows" % dup)
    ok, cr = khotin_check(db)
    R.check("two importers: khotin check", ok, cr.brief())
    probs = link_problems(db)
    R.check("two importers: links consistent", not probs, "; ".join(probs))
    bad = [s for s, _ in searches if s.rc != 0]
    during = sum(1 for _, live in searches if live)
    R.check("two importers: %d searches meanwhile (%d during the imports) all exit 0"
            % (len(searches), during),
            len(searches) >= 20 and not bad,
            "%d of %d failed, first: %s" % (len(bad), len(searches), bad[0].brief() if bad else ""))

    # two importers creating a new archive at the same moment
    fails = []
    for attempt in range(3):
        db2 = os.path.join(tmp, "two-new-%d.db" % attempt)
        ra, rb = two_importers(db2, a, b)
        for who, res in (("first", ra), ("second", rb)):
            if res.rc != 0:
                fails.append("attempt %d, %s importer: %s" % (attempt + 1, who, res.brief()))
        if os.path.exists(db2):
            cnt = summary_count(db2)
            if not fails and cnt != clean_total:
                fails.append("attempt %d: %d articles, expected %d" % (attempt + 1, cnt, clean_total))
        if fails:
            break
    R.check("two importers creating a new archive at once both exit 0 (3 tries)",
            not fails, "; ".join(fails))


# ---------------------------------------------------------- 3. read-only

READONLY_MSG = re.compile(r"read-only|readonly|permission|cannot write|not writable", re.I)


def test_readonly(tmp, corpus):
    if not shutil.which("setpriv"):
        R.skip("read-only archive", "setpriv is not installed")
        return
    if os.geteuid() != 0:
        R.skip("read-only archive", "needs root to run commands as another user")
        return
    base = os.path.join(tmp, "ro")
    os.makedirs(base)
    os.chmod(tmp, 0o755)
    os.chmod(base, 0o755)
    binary = KHOTIN  # the copy in the temporary folder, mode 0755
    probe = subprocess.run(NOBODY + [binary, "--version"], capture_output=True, env=ENV)
    if probe.returncode != 0:
        R.skip("read-only archive", "the unprivileged user cannot run %s: %s"
               % (binary, probe.stderr.decode(errors="replace").strip()))
        return
    names = sorted(n for n in os.listdir(corpus) if n.endswith(".txt"))
    db = os.path.join(base, "ro.db")
    r = run(["--db", db, "import", "--quiet"] + [os.path.join(corpus, n) for n in names[:30]])
    if not R.check("read-only: build the archive", r.rc == 0, r.brief()):
        return
    newfile = os.path.join(base, "new.txt")
    shutil.copyfile(os.path.join(corpus, names[-1]), newfile)
    os.chmod(newfile, 0o644)
    count0 = scalar(db, "SELECT count(*) FROM articles", mode="immutable")

    def remove_side_files():
        for s in ("-wal", "-shm"):
            if os.path.exists(db + s):
                os.remove(db + s)

    def state_644():
        remove_side_files()
        os.chmod(base, 0o755)
        os.chmod(db, 0o644)

    def state_644_wal():
        state_644()
        # a search by the owner leaves the -wal and -shm files behind
        run(["--db", db, "search", "ha noi"])
        for s in ("-wal", "-shm"):
            if os.path.exists(db + s):
                os.chmod(db + s, 0o644)

    def state_444():
        remove_side_files()
        os.chmod(base, 0o755)
        os.chmod(db, 0o444)

    def state_444_dir_writable():
        remove_side_files()
        os.chmod(base, 0o1777)
        os.chmod(db, 0o444)

    states = [
        ("0644 file, folder 0755", state_644),
        ("0644 file with -wal/-shm, folder 0755", state_644_wal),
        ("0444 file, folder 0755", state_444),
        ("0444 file, folder writable", state_444_dir_writable),
    ]
    for label, setup in states:
        setup()
        digest = archive_digest(db)
        name = "read-only (%s)" % label
        s = run(["--db", db, "search", "ha noi"], user=True, binary=binary)
        R.check(name + ": search works", s.rc == 0 and search_hits(s) > 0, s.brief())
        i = run(["--db", db, "import", "--quiet", newfile], user=True, binary=binary)
        R.check(name + ": import exits 1 saying the archive is read-only",
                i.rc == 1 and READONLY_MSG.search(i.err) is not None, i.brief())
        c = run(["--db", db, "check"], user=True, binary=binary)
        R.check(name + ": check works (exit 0, ok)",
                c.rc == 0 and re.search(r"\bok\b", c.out) is not None, c.brief())
        st = run(["--db", db, "stats"], user=True, binary=binary)
        R.check(name + ": stats works", st.rc == 0 and "articles" in st.out, st.brief())
        after = archive_digest(db)
        count = scalar(db, "SELECT count(*) FROM articles",
                       mode="immutable" if not os.path.exists(db + "-wal")
                       or os.path.getsize(db + "-wal") == 0 else "ro")
        R.check(name + ": archive unchanged", after == digest and count == count0,
                "bytes %s, %d articles (was %d)" %
                ("same" if after == digest else "changed", count, count0))
    os.chmod(base, 0o755)


# ------------------------------------------------------------- 4. locked

LOCKED_MSG = re.compile(r"locked|busy", re.I)
ADVICE_MSG = re.compile(r"wait|try again|later|retry", re.I)


def small_archive(tmp, corpus, name, n=30):
    names = sorted(x for x in os.listdir(corpus) if x.endswith(".txt"))
    db = os.path.join(tmp, name)
    r = run(["--db", db, "import", "--quiet"] + [os.path.join(corpus, x) for x in names[:n]])
    return db, r, names


def test_locked(tmp, corpus):
    db, r, names = small_archive(tmp, corpus, "locked.db")
    if not R.check("locked: build the archive", r.rc == 0, r.brief()):
        return
    newfile = os.path.join(tmp, "locked-new.txt")
    shutil.copyfile(os.path.join(corpus, names[-1]), newfile)
    count0 = summary_count(db)

    lock = connect(db, "rw")
    lock.execute("BEGIN EXCLUSIVE")
    t0 = time.monotonic()
    p = subprocess.Popen([KHOTIN, "--db", db, "import", "--quiet", newfile],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=ENV)
    time.sleep(1.0)
    s = run(["--db", db, "search", "ha noi"], timeout=30)
    try:
        out, err = p.communicate(timeout=max(0.1, LOCK_HOLD - (time.monotonic() - t0)))
        waited = time.monotonic() - t0
        still = False
    except subprocess.TimeoutExpired:
        still = True
        waited = time.monotonic() - t0
    lock.execute("ROLLBACK")
    lock.close()
    if still:
        out, err = p.communicate(timeout=60)
    ri = Result(p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
                waited)
    R.check("locked: search works while a writer holds the lock",
            s.rc == 0 and search_hits(s) > 0, s.brief())
    R.check("locked: import gives up within %.0f s" % LOCK_HOLD, not still,
            "still waiting after %.1f s (then: %s)" % (waited, ri.brief()))
    R.check("locked: import exits non-zero saying the archive is locked and what to do",
            ri.rc not in (0, -999) and LOCKED_MSG.search(ri.err) is not None
            and ADVICE_MSG.search(ri.err) is not None, ri.brief())
    R.check("locked: import waited for the busy timeout before giving up",
            still or waited >= 8.0, "gave up after %.1f s" % waited)
    R.note("locked: import gave up after %.1f s" % waited)
    count = summary_count(db)
    stored = scalar(db, "SELECT count(*) FROM articles WHERE source_path LIKE '%%locked-new.txt'")
    R.check("locked: nothing stored", count == count0 and stored == 0,
            "%d articles (was %d), %d rows for the file" % (count, count0, stored))
    ok, cr = khotin_check(db)
    R.check("locked: archive consistent afterwards", ok, cr.brief())

    # a lock shorter than the busy timeout is waited for
    lock = connect(db, "rw")
    lock.execute("BEGIN EXCLUSIVE")
    p = subprocess.Popen([KHOTIN, "--db", db, "import", "--quiet", newfile],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=ENV)
    time.sleep(3.0)
    lock.execute("ROLLBACK")
    lock.close()
    try:
        out, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    rr = Result(p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), 0)
    count = summary_count(db)
    R.check("locked: a 3 s lock is waited for, then the import succeeds",
            rr.rc == 0 and count == count0 + 1, "%s; %d articles (was %d)" % (rr.brief(), count, count0))


# --------------------------------------------------------- 5. not an archive

def test_not_archive(tmp, corpus):
    names = sorted(n for n in os.listdir(corpus) if n.endswith(".txt"))
    article = os.path.join(corpus, names[0])
    other = os.path.join(tmp, "other-app.db")
    c = sqlite3.connect(other)
    c.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    c.execute("INSERT INTO notes(text) VALUES ('ghi chú của ứng dụng khác')")
    c.commit()
    c.close()
    text = os.path.join(tmp, "notes.txt")
    with open(text, "w", encoding="utf-8") as f:
        f.write("Đây là một tệp văn bản, không phải kho tin.\n" * 40)
    short = os.path.join(tmp, "short.txt")
    with open(short, "w", encoding="utf-8") as f:
        f.write("xin chào\n")
    art = os.path.join(tmp, "article-as-db.txt")
    shutil.copyfile(article, art)
    cases = [("another SQLite database", other), ("a text file", text),
             ("a short text file", short), ("an article file", art)]
    for label, path in cases:
        before = file_digest(path)
        r = run(["--db", path, "import", "--quiet", article])
        R.check("not an archive (%s): import refused" % label,
                r.rc not in (0, -999) and re.search(r"not a khotin archive", r.err) is not None,
                r.brief())
        s = run(["--db", path, "search", "ha noi"])
        R.check("not an archive (%s): search refused" % label,
                s.rc not in (0, -999) and re.search(r"not a khotin archive", s.err) is not None,
                s.brief())
        side = [p for p in (path + "-wal", path + "-shm", path + "-journal") if os.path.exists(p)]
        R.check("not an archive (%s): file byte-identical, no files added" % label,
                file_digest(path) == before and not side,
                "changed" if file_digest(path) != before else "left %s" % side)


# ----------------------------------------------------------- 6. newer schema

def test_newer_schema(tmp, corpus):
    db, r, names = small_archive(tmp, corpus, "good.db", n=10)
    if not R.check("newer schema: build the archive", r.rc == 0, r.brief()):
        return
    current = scalar(db, "PRAGMA user_version")
    newer = os.path.join(tmp, "newer.db")
    shutil.copyfile(db, newer)
    c = connect(newer, "rw")
    c.execute("PRAGMA user_version = 99")
    c.close()
    for s in ("-wal", "-shm"):
        if os.path.exists(newer + s):
            os.remove(newer + s)
    if not R.check("newer schema: user_version set to 99",
                   scalar(newer, "PRAGMA user_version", mode="immutable") == 99, ""):
        return
    before = file_digest(newer)
    backup = os.path.join(tmp, "newer-backup.db")
    commands = [
        ["import", "--quiet", os.path.join(corpus, names[-1])],
        ["search", "ha noi"],
        ["export", "ha noi"],
        ["show", "1"],
        ["people"],
        ["quotes", "nguyen"],
        ["stats"],
        ["check"],
        ["check", "--repair"],
        ["backup", backup],
        ["optimize"],
        ["delete", "1"],
    ]
    for args in commands:
        res = run(["--db", newer] + args)
        name = "newer schema: %s" % " ".join(args[:1] if args[0] != "check" else args)
        msg_ok = (re.search(r"\b99\b", res.err) is not None
                  and re.search(r"\b%d\b" % current, res.err) is not None)
        R.check(name + " refuses, naming versions 99 and %d" % current,
                res.rc not in (0, -999) and msg_ok, res.brief())
        after = file_digest(newer)
        R.check(name + " leaves the file unchanged",
                after == before and not os.path.exists(backup),
                "file changed" if after != before else "created %s" % backup)


# -------------------------------------------------------------------- main

def main():
    global KHOTIN
    if len(sys.argv) != 3:
        print("usage: robust_test.py KHOTIN_BINARY SOURCE_DIR", file=sys.stderr)
        return 2
    KHOTIN = os.path.abspath(sys.argv[1])
    source = os.path.abspath(sys.argv[2])
    corpus = os.path.normpath(os.path.join(source, "..", "shared", "corpus", "vietnews", "txt"))
    t_all = time.monotonic()
    if not os.access(KHOTIN, os.X_OK):
        R.check("khotin binary", False, "%s is not an executable" % KHOTIN)
        print("%d passed, %d failed" % (R.passed, R.failed))
        return 1
    if not os.path.isdir(corpus) or not any(n.endswith(".txt") for n in os.listdir(corpus)):
        R.check("corpus", False, "the test corpus is missing: expected the articles in %s "
                "(SOURCE_DIR/../shared/corpus/vietnews/txt)" % corpus)
        print("%d passed, %d failed" % (R.passed, R.failed))
        return 1
    tmp = tempfile.mkdtemp(prefix="khotin-robust-")
    try:
        # run a copy: the same binary for the whole run, even if the build
        # changes meanwhile, and one another user can run (test 3)
        os.makedirs(os.path.join(tmp, "bin"))
        KHOTIN = shutil.copy2(KHOTIN, os.path.join(tmp, "bin", "khotin"))
        os.chmod(os.path.join(tmp, "bin"), 0o755)
        os.chmod(KHOTIN, 0o755)
        # the clean count of the corpus, the expected total of test 2
        clean = os.path.join(tmp, "clean.db")
        r = run(["--db", clean, "import", "--quiet", "--batch", BATCH, corpus])
        if not R.check("clean import of the corpus", r.rc == 0, r.brief()):
            return 1
        t_corpus = r.secs
        clean_total = summary_count(clean)
        R.note("corpus: %d files -> %d articles" % (
            sum(1 for n in os.listdir(corpus) if n.endswith(".txt")), clean_total))
        for name, fn, args in [
                ("sigkill", test_sigkill, (tmp, corpus, t_corpus)),
                ("two importers", test_two_importers, (tmp, corpus, clean_total)),
                ("read-only", test_readonly, (tmp, corpus)),
                ("locked", test_locked, (tmp, corpus)),
                ("not an archive", test_not_archive, (tmp, corpus)),
                ("newer schema", test_newer_schema, (tmp, corpus))]:
            t0 = time.monotonic()
            try:
                fn(*args)
            except Exception as e:  # a crash of the test itself is a failure
                import traceback
                traceback.print_exc()
                R.check(name, False, "the test raised %s: %s" % (type(e).__name__, e))
            R.note("%s: %.1f s" % (name, time.monotonic() - t0))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    R.note("total %.1f s" % (time.monotonic() - t_all))
    print("%d passed, %d failed" % (R.passed, R.failed))
    return 1 if R.failed else 0


if __name__ == "__main__":
    sys.exit(main())
