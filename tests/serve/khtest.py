"""khtest.py - shared helpers of the `khotin serve` tests (standard library).

- Report: "ok - NAME" / "not ok - NAME: REASON" lines and the closing
  "N passed, M failed" line; exit status 1 on a failure.
- Server: starts `khotin --db DB serve` on a random free high port (retrying
  when the port is taken), waits for its ready line, and always stops it:
  SIGTERM, then SIGKILL if it does not stop in time; also at interpreter
  exit and on SIGTERM/SIGINT of the test itself.
- http(): one GET (or other method) with status, headers and body.
- workdir(): a temporary folder removed at exit.
"""

import atexit
import http.client as httpclient
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import urllib.parse

SKIP = 77  # ctest SKIP_RETURN_CODE

_servers = []
_dirs = []


def _cleanup():
    for s in list(_servers):
        try:
            s.kill()
        except Exception:
            pass
    for d in _dirs:
        shutil.rmtree(d, ignore_errors=True)


atexit.register(_cleanup)


def _on_signal(sig, frame):
    _cleanup()
    sys.exit(128 + sig)


for _sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(_sig, _on_signal)


class Report:
    def __init__(self, name):
        self.name = name
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
        return bool(ok)

    def equal(self, name, got, want):
        return self.check(name, got == want, "got %r, want %r" % (_short(got), _short(want)))

    def crashed(self):
        """Record the exception being handled as a failure."""
        import traceback
        self.check("the test ran to its end", False, traceback.format_exc())

    def finish(self):
        print("%s: %d passed, %d failed" % (self.name, self.passed, self.failed))
        sys.stdout.flush()
        return 1 if self.failed else 0


def _short(v, n=300):
    s = repr(v)
    return s if len(s) <= n else s[:n] + "..."


def args_or_exit(usage, n):
    if len(sys.argv) < n + 1:
        print("usage: %s %s" % (sys.argv[0], usage), file=sys.stderr)
        sys.exit(2)
    return [os.path.abspath(a) for a in sys.argv[1:n + 1]]


def workdir(prefix="khotin-serve-"):
    d = tempfile.mkdtemp(prefix=prefix)
    _dirs.append(d)
    return d


def run(cmd, **kw):
    """Run a command; returns CompletedProcess with text output."""
    env = dict(os.environ)
    env.pop("KHOTIN_DB", None)
    return subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env, **kw)


def import_articles(khotin, db, *paths):
    r = run([khotin, "--db", db, "import", "--quiet"] + list(paths), timeout=600)
    if r.returncode not in (0, 1):
        raise RuntimeError("import failed (%d): %s" % (r.returncode, r.stderr.decode()))
    return r


def fold(s):
    s = unicodedata.normalize("NFD", s.lower()).replace("\u0111", "d")
    return "".join(c for c in s if not unicodedata.combining(c))


class Server:
    """`khotin serve` in a child process."""

    READY = re.compile(r"Open (http://\S+/) in a browser")

    def __init__(self, khotin, db, threads=4, extra=None):
        self.khotin = khotin
        self.db = db
        self.threads = threads
        self.extra = extra or []
        self.proc = None
        self.url = None
        self.port = None
        self.stdout = b""
        self.stderr = b""

    def start(self, tries=12, timeout=15):
        last = ""
        for _ in range(tries):
            port = random.randint(20000, 60999)
            if not _port_free(port):
                continue
            env = dict(os.environ)
            env.pop("KHOTIN_DB", None)
            self.proc = subprocess.Popen(
                [self.khotin, "--db", self.db, "serve", "--port", str(port),
                 "--threads", str(self.threads)] + self.extra,
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                env=env)
            _servers.append(self)
            line = _read_line(self.proc.stdout, timeout)
            m = self.READY.search(line or "")
            if m:
                self.url = m.group(1)
                self.port = port
                # keep draining the pipes so the server never blocks on them
                self._drain()
                return self.url
            rc = self.proc.poll()
            err = self.proc.stderr.read().decode(errors="replace") if rc is not None else ""
            last = "rc=%s stdout=%r stderr=%r" % (rc, line, err)
            self.kill()
            if "in use" not in err:
                break
        raise RuntimeError("khotin serve did not start: " + last)

    def _drain(self):
        def pump(stream, attr):
            chunks = []
            for chunk in iter(lambda: stream.read(4096), b""):
                chunks.append(chunk)
                setattr(self, attr, b"".join(chunks))
        self._threads = [threading.Thread(target=pump, args=(self.proc.stdout, "stdout"), daemon=True),
                         threading.Thread(target=pump, args=(self.proc.stderr, "stderr"), daemon=True)]
        for t in self._threads:
            t.start()

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Stop with `sig`; returns the exit status (None if it had to be killed)."""
        if not self.proc:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
        for t in getattr(self, "_threads", []):
            t.join(timeout=5)
        if self in _servers:
            _servers.remove(self)
        return rc

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        if self in _servers:
            _servers.remove(self)

    def get(self, path, **kw):
        return http(self.url.rstrip("/") + path, **kw)


def _port_free(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def _read_line(stream, timeout):
    """One line from a pipe, or None after `timeout` seconds."""
    out = {}

    def reader():
        out["line"] = stream.readline().decode(errors="replace")

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    t.join(timeout)
    return out.get("line")


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def json(self):
        import json
        return json.loads(self.body.decode("utf-8"))


def http(url, method="GET", headers=None, body=None, timeout=30):
    u = urllib.parse.urlsplit(url)
    conn = httpclient.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        target = u.path or "/"
        if u.query:
            target += "?" + u.query
        skip_host = any(k.lower() == "host" for k in (headers or {}))
        conn.putrequest(method, target, skip_host=skip_host, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        r = conn.getresponse()
        data = r.read()
        return Response(r.status, r.getheaders(), data)
    finally:
        conn.close()


def q(**params):
    """A query string, UTF-8 and '+' for spaces (as a browser sends)."""
    return urllib.parse.urlencode(params)


def cli_search(khotin, db, query, limit=20, sort=None, fold_all=False):
    """ids and total as `khotin search` prints them."""
    cmd = [khotin, "--db", db, "search", "--limit", str(limit)]
    if sort:
        cmd += ["--sort", sort]
    if fold_all:
        cmd.append("--fold")
    cmd += ["--", query]
    r = run(cmd, timeout=60)
    out = r.stdout.decode("utf-8")
    err = r.stderr.decode("utf-8")
    ids = [int(m.group(1)) for m in re.finditer(r"^\[(\d+)\] ", out, re.M)]
    m = re.search(r"^(\d+) of (-?\d+) matching articles for: ", err, re.M)
    total = int(m.group(2)) if m else None
    return r.returncode, ids, total, err
