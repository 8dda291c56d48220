#!/usr/bin/python3
"""load_test.py - `khotin serve` under load while an import writes.

Usage: load_test.py KHOTIN_BINARY SOURCE_DIR [REQUESTS]

On loopback only, bounded in count and time:
  1. an archive with SOURCE_DIR/fixtures/articles is served (4 threads);
  2. `khotin import` of SOURCE_DIR/../shared/corpus/vietnews/txt starts in
     another process (then imports of renamed copies of it, so that writes
     go on until the load ends);
  3. 8 concurrent clients send REQUESTS (default 1,000) searches;
  4. steps 1-2 again on a fresh archive, and one client sends the same
     searches in the same order;
  no request may fail (every answer 200 with its JSON), the imports must
  succeed, and the server must stop cleanly.
Prints p50/p95/max latency and throughput for 8 clients and for 1 client,
then "N passed, M failed". Skips (exit 77) when the corpus is missing.
"""

import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import khtest  # noqa: E402

DEADLINE_S = 240        # the whole test
REQUEST_TIMEOUT_S = 30  # one request
CLIENTS = 8
QUERIES = [
    "cong an", "ha noi", "donald trump", "person:trump", "tai nan giao thong", "kinh te*",
    "\"thanh pho ho chi minh\"", "viet nam -trung", "bong da OR the thao", "Hà Nội",
    "benh vien", "hoc sinh", "chinh phu", "thu tuong", "mưa lũ", "xe may", "dang",
    "an ninh mang", "from:2018 to:2019 gia", "giao duc", "tham nhung", "trung quoc",
    "my OR nga", "bao", "nguoi dan", "thoi tiet", "gia vang", "dong dat", "thuy*",
    "source:reuters", "doanh nghiep", "\"an ninh mạng\"", "nong dan", "covid", "dich benh",
    "cau thu", "hlv", "tphcm", "quoc hoi", "dien"
]


class Client(threading.Thread):
    """Takes request numbers from a shared counter until `total` are sent."""

    def __init__(self, port, plan, counter, lock, deadline, importing):
        super().__init__(daemon=True)
        self.importing = importing  # callable: is an import process running?
        self.during_import = 0
        self.port = port
        self.plan = plan
        self.counter = counter
        self.lock = lock
        self.deadline = deadline
        self.latencies = []
        self.failures = []
        self.conn = None

    def next_index(self):
        with self.lock:
            i = self.counter[0]
            if i >= len(self.plan):
                return None
            self.counter[0] += 1
            return i

    def run(self):
        while time.time() < self.deadline:
            i = self.next_index()
            if i is None:
                break
            target = self.plan[i]
            if self.importing():
                self.during_import += 1
            t0 = time.perf_counter()
            try:
                status, body = self.get(target)
                dt = time.perf_counter() - t0
                if status != 200:
                    self.failures.append((target, status, body[:200]))
                    continue
                data = json.loads(body)
                if "hits" not in data or "total" not in data:
                    self.failures.append((target, "bad JSON", body[:200]))
                    continue
                self.latencies.append(dt)
            except Exception as e:  # noqa: BLE001 - a failed request
                self.failures.append((target, "exception", repr(e)))
                self.close()
        self.close()

    def get(self, target):
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                       timeout=REQUEST_TIMEOUT_S)
            try:
                self.conn.request("GET", target)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # the server closed an idle keep-alive connection: reconnect
                # once; a request that was not answered is not retried twice
                self.close()
                if attempt:
                    raise
        raise RuntimeError("unreachable")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def percentile(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    k = (len(v) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def run_phase(port, plan, nclients, deadline, importing):
    counter = [0]
    lock = threading.Lock()
    clients = [Client(port, plan, counter, lock, deadline, importing) for _ in range(nclients)]
    t0 = time.perf_counter()
    for c in clients:
        c.start()
    for c in clients:
        c.join(max(1, deadline - time.time() + 5))
    elapsed = time.perf_counter() - t0
    lat = [x for c in clients for x in c.latencies]
    fails = [x for c in clients for x in c.failures]
    during = sum(c.during_import for c in clients)
    return lat, fails, elapsed, counter[0], during


class Importer(threading.Thread):
    """Imports the corpus, then renamed copies of it, until stopped."""

    def __init__(self, khotin, db, corpus, tmp, max_rounds=6):
        super().__init__(daemon=True)
        self.khotin = khotin
        self.db = db
        self.corpus = corpus
        self.tmp = tmp
        self.max_rounds = max_rounds
        self.stop_flag = threading.Event()
        self.results = []  # (round, returncode, summary line)
        self.proc = None
        self.running = threading.Event()
        self.first_done = None  # time the import of the corpus itself ended
        self.lock = threading.Lock()

    def variant(self, k):
        """The corpus with every headline suffixed: new articles, not duplicates."""
        d = os.path.join(self.tmp, "variant-%d" % k)
        os.makedirs(d)
        for name in sorted(os.listdir(self.corpus)):
            if not name.endswith(".txt"):
                continue
            with open(os.path.join(self.corpus, name), "rb") as f:
                data = f.read()
            head, sep, rest = data.partition(b"\n")
            with open(os.path.join(d, name), "wb") as f:
                f.write(head.rstrip(b"\r") + (" (bản %d)" % k).encode("utf-8") + sep + rest)
        return d

    def run(self):
        path = self.corpus
        for k in range(self.max_rounds):
            if self.stop_flag.is_set():
                break
            env = dict(os.environ)
            env.pop("KHOTIN_DB", None)
            with self.lock:
                self.proc = subprocess.Popen(
                    [self.khotin, "--db", self.db, "import", "--quiet", "--batch", "100", path],
                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
            self.running.set()
            # the next round's files are written while this one imports
            following = self.variant(k + 1) if k + 1 < self.max_rounds else None
            out, err = self.proc.communicate()
            self.running.clear()
            if k == 0:
                self.first_done = time.time()
            lines = err.decode(errors="replace").strip().splitlines()
            self.results.append((k, self.proc.returncode, lines[-1] if lines else ""))
            if k:
                shutil.rmtree(path, ignore_errors=True)
            path = following
        if path and path != self.corpus:
            shutil.rmtree(path, ignore_errors=True)

    def stop(self, timeout):
        self.stop_flag.set()
        self.join(timeout)
        if self.is_alive():
            with self.lock:
                if self.proc and self.proc.poll() is None:
                    self.proc.kill()
            self.join(10)


def phase(rep, khotin, src, corpus, plan, nclients, deadline):
    """A fresh archive (the fixtures), a server, an import started, then
    `plan` from `nclients` clients. Returns the latencies and elapsed time."""
    name = "%d client%s" % (nclients, "s" if nclients > 1 else "")
    tmp = khtest.workdir()
    db = os.path.join(tmp, "load.db")
    khtest.import_articles(khotin, db, os.path.join(src, "fixtures", "articles"))
    srv = khtest.Server(khotin, db, threads=4)
    imp = Importer(khotin, db, corpus, tmp, max_rounds=10)
    lat, el = [], 0.0
    try:
        srv.start()
        imp.start()
        rep.check("%s: the import started" % name, imp.running.wait(30), "no import process")
        time.sleep(0.3)  # let it reach its first transactions
        t_load = time.time()
        lat, fails, el, sent, during = run_phase(srv.port, plan, nclients, deadline, imp.running.is_set)
        imp.stop(timeout=max(10, deadline - time.time()))
        corpus_overlap = imp.first_done is None or imp.first_done > t_load
        rep.equal("%s: every request sent" % name, sent, len(plan))
        rep.check("%s: no request failed" % name, not fails, "%d failed: %s" % (len(fails), fails[:3]))
        rep.equal("%s: every request answered" % name, len(lat), len(plan))
        rep.check("%s: the import of the corpus ran during the load" % name, corpus_overlap,
                  "it ended before the load started")
        rep.check("%s: most requests were sent while an import ran" % name, during >= len(plan) // 2,
                  "%d of %d" % (during, len(plan)))
        print("# %s: %d of %d requests sent while an import was running" % (name, during, len(plan)))
        rep.check("%s: every import succeeded" % name,
                  imp.results and all(rc == 0 for _, rc, _ in imp.results), imp.results)
        for k, rc, line in imp.results:
            print("# %s: import round %d (exit %d): %s" % (name, k, rc, line))
        # after the load: the server sees the imported articles, as the CLI does
        r = srv.get("/api/search?" + khtest.q(q="cong an"))
        rc, ids, total, err = khtest.cli_search(khotin, db, "cong an")
        rep.check("%s: after the import the API sees what the CLI sees" % name,
                  r.status == 200 and r.json()["total"] == total and total > 0,
                  "%d %s vs %s" % (r.status, r.body[:100], total))
        rep.equal("%s: the server stops cleanly" % name, srv.stop(), 0)
    finally:
        imp.stop(timeout=5)
        srv.kill()
    return lat, el


def main():
    khotin, src = khtest.args_or_exit("KHOTIN_BINARY SOURCE_DIR [REQUESTS]", 2)
    total_requests = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    corpus = os.path.normpath(os.path.join(src, "..", "shared", "corpus", "vietnews", "txt"))
    if not os.path.isdir(corpus):
        print("skip: the news corpus %s is missing (it comes with the shared data folder)" % corpus)
        return khtest.SKIP
    rep = khtest.Report("serve_load")
    deadline = time.time() + DEADLINE_S
    rng = random.Random(7)
    plan = []
    for i in range(total_requests):
        params = {"q": rng.choice(QUERIES)}
        if i % 5 == 0:
            params["sort"] = "date"
        if i % 7 == 0:
            params["offset"] = "20"
        plan.append("/api/search?" + urllib.parse.urlencode(params))
    results = []
    try:
        for n in (CLIENTS, 1):
            results.append((n, phase(rep, khotin, src, corpus, plan, n, deadline)))
        rep.check("within the time bound", time.time() < deadline, "over %d s" % DEADLINE_S)
    except Exception:  # noqa: BLE001 - reported as a failure
        rep.crashed()
    for n, (lat, el) in results:
        print("# %d client%s: %d searches in %.2f s (%.0f/s) during an import; latency p50 %.1f ms, "
              "p95 %.1f ms, max %.1f ms"
              % (n, "s" if n > 1 else " ", len(lat), el, len(lat) / el if el else 0,
                 percentile(lat, 50) * 1000, percentile(lat, 95) * 1000,
                 max(lat) * 1000 if lat else float("nan")))
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
