#!/usr/bin/python3
"""browser_test.py - the page of `khotin serve` in headless Chromium.

Usage: browser_test.py KHOTIN_BINARY SOURCE_DIR [SCREENSHOT_DIR]

Runs tests/serve/setup.sh first (installs chromium, chromium-driver and
python3-selenium as root; exit 77 = skipped when they are missing and
cannot be installed). Imports SOURCE_DIR/fixtures/articles and
tests/serve/fixtures (an article full of HTML and <script>) into a
temporary archive, serves it, and drives the real page with Selenium:
types an unaccented query and checks the highlighted hits (the same ids as
the API), the timeline chart, the CSV link (the same bytes as `khotin
export`), the article and person views, the filters, the English toggle,
and that archive text with <script> is shown as text and never runs.
Screenshots go to SCREENSHOT_DIR (default: a temporary folder, removed).
Prints "N passed, M failed".
"""

import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import khtest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--window-size=1280,1000", "--lang=vi"]
WAIT_S = 20


def make_driver(profile):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    opts = Options()
    for a in CHROME_ARGS:
        opts.add_argument(a)
    opts.add_argument("--user-data-dir=" + profile)
    for binary in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(binary):
            opts.binary_location = binary
            break
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    return driver


def wait_for(driver, cond, what, timeout=WAIT_S):
    """Poll cond(driver) until truthy; returns it, or raises with `what`."""
    end = time.time() + timeout
    last = None
    while time.time() < end:
        try:
            v = cond(driver)
            if v:
                return v
        except Exception as e:  # noqa: BLE001 - the page is still changing
            last = e
        time.sleep(0.1)
    raise AssertionError("timed out waiting for %s (%r)" % (what, last))


def js(driver, script, *args):
    return driver.execute_script(script, *args)


def hit_ids(driver):
    return js(driver, "return Array.from(document.querySelectorAll('#results li.hit'))"
                      ".map(li => Number(li.getAttribute('data-id')))")


def status_text(driver):
    return js(driver, "return document.getElementById('status').textContent")


def settled(driver, fragment):
    """The search view shows the answer for a hash containing `fragment`."""
    return (fragment in js(driver, "return location.hash")
            and js(driver, "return !document.getElementById('search-view').hidden")
            and "busy" not in js(driver, "return document.getElementById('status').className")
            and status_text(driver) != "")


def main():
    khotin, src = khtest.args_or_exit("KHOTIN_BINARY SOURCE_DIR [SCREENSHOT_DIR]", 2)
    shots = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else khtest.workdir("khotin-shots-")
    rc = subprocess.call(["bash", os.path.join(HERE, "setup.sh")], stdin=subprocess.DEVNULL)
    if rc == khtest.SKIP:
        print("skip: headless Chromium is not available (see the message above)")
        return khtest.SKIP
    rep = khtest.Report("serve_browser")
    if not rep.check("setup.sh installed chromium, chromium-driver, python3-selenium", rc == 0,
                     "exit %d" % rc):
        return rep.finish()
    os.makedirs(shots, exist_ok=True)
    tmp = khtest.workdir()
    db = os.path.join(tmp, "browser.db")
    khtest.import_articles(khotin, db, os.path.join(src, "fixtures", "articles"),
                           os.path.join(HERE, "fixtures"))
    srv = khtest.Server(khotin, db)
    driver = None
    try:
        base = srv.start()
        driver = make_driver(tempfile.mkdtemp(prefix="chromium-", dir=tmp))
        run_checks(rep, driver, srv, base, khotin, db, shots)
    except Exception:  # noqa: BLE001 - reported as a failure
        rep.crashed()
        if driver is not None:
            try:
                driver.save_screenshot(os.path.join(shots, "serve_failure.png"))
                print("# failure screenshot: %s" % os.path.join(shots, "serve_failure.png"))
            except Exception:  # noqa: BLE001
                pass
    finally:
        if driver is not None:
            try:
                driver.quit()
            except Exception:  # noqa: BLE001
                pass
        srv.kill()
    return rep.finish()


def run_checks(rep, d, srv, base, khotin, db, shots):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    # ---- the empty page
    d.get(base)
    stats = srv.get("/api/stats").json()
    wait_for(d, lambda d: js(d, "return !document.getElementById('welcome').hidden && "
                                "document.getElementById('welcome').textContent.includes("
                                "'Kho có ' + arguments[0] + ' bài')", stats["articles"]),
             "the welcome text with the archive's numbers")
    rep.check("page: the welcome text counts the articles", True)
    rep.equal("page: lang vi", js(d, "return document.documentElement.lang"), "vi")
    rep.equal("page: title", d.title, "Kho tin")
    rep.check("page: system font stack", "Segoe UI" in js(
        d, "return getComputedStyle(document.body).fontFamily"), "")

    # ---- the help popover documents the query language
    d.find_element(By.ID, "help-btn").click()
    help_text = wait_for(d, lambda d: d.find_element(By.ID, "help").is_displayed()
                         and d.find_element(By.ID, "help").text, "the help popover")
    rep.check("help: documents the query language",
              all(s in help_text for s in ('"an ninh mạng"', "thuy*", "OR", "-bong", "person:",
                                           "source:", "from:", "to:")), help_text)
    d.find_element(By.ID, "q").send_keys(Keys.ESCAPE)
    wait_for(d, lambda d: not d.find_element(By.ID, "help").is_displayed(), "Escape closes the help")
    rep.check("help: Escape closes it", True)

    # ---- type an unaccented query, key by key
    box = d.find_element(By.ID, "q")
    box.click()
    for ch in "an ninh mang":
        box.send_keys(ch)
        time.sleep(0.04)
    wait_for(d, lambda d: settled(d, "q=an+ninh+mang") and hit_ids(d), "hits for 'an ninh mang'")
    api = srv.get("/api/search?" + khtest.q(q="an ninh mang", limit=20)).json()
    rep.equal("typed query: the hits are the API's, in order", hit_ids(d), [h["id"] for h in api["hits"]])
    rep.check("typed query: the count is shown", str(api["total"]) in status_text(d), status_text(d))
    marks = js(d, "return Array.from(document.querySelectorAll('#results mark')).map(m => m.textContent)")
    words = {"an", "ninh", "mang"}
    rep.check("typed query: matched words highlighted", marks and all(
        set(khtest.fold(m).split()) <= words for m in marks), marks)
    rep.check("typed query: an accented form highlighted without typing diacritics",
              any("mạng" in m.lower() for m in marks), marks)
    snippet_marks = js(d, "return document.querySelectorAll('#results .snippet mark').length")
    rep.check("typed query: snippets carry the server's marks", snippet_marks > 0, snippet_marks)

    # ---- the timeline chart
    tl = srv.get("/api/timeline?" + khtest.q(q="an ninh mang", by="month")).json()
    wait_for(d, lambda d: js(d, "return !document.getElementById('timeline').hidden && "
                                "document.querySelectorAll('#timeline svg rect.bar').length > 0"),
             "the timeline chart")
    bars = js(d, "return Array.from(document.querySelectorAll('#timeline svg g.bar-group'))"
                 ".filter(g => g.querySelector('rect.bar')).map(g => g.getAttribute('data-period'))")
    rep.equal("timeline: one bar per month with matches", bars,
              [b["period"] for b in tl["buckets"] if b["count"]])
    rep.check("timeline: inline SVG", js(d, "return document.querySelector('#timeline svg').namespaceURI")
              == "http://www.w3.org/2000/svg", "")
    undated = js(d, "return document.getElementById('timeline-undated').textContent")
    rep.check("timeline: undated articles counted", (str(tl["undated"]) in undated) if tl["undated"] else True,
              undated)

    # ---- the CSV link
    href = d.find_element(By.ID, "csv").get_attribute("href")
    rep.equal("CSV link", href, base.rstrip("/") + "/api/export.csv?q=an+ninh+mang")
    rep.check("CSV link is visible and labelled", d.find_element(By.ID, "csv").is_displayed()
              and d.find_element(By.ID, "csv").text == "Tải CSV", d.find_element(By.ID, "csv").text)
    with urllib.request.urlopen(href, timeout=30) as r:
        body = r.read()
        ctype = r.headers.get("Content-Type")
    cli = khtest.run([khotin, "--db", db, "export", "an ninh mang"], timeout=60).stdout
    rep.check("CSV link: the same bytes as `khotin export`", body == cli and ctype.startswith("text/csv"),
              "%d vs %d bytes, %s" % (len(body), len(cli), ctype))
    path = os.path.join(shots, "serve_search.png")
    d.save_screenshot(path)
    rep.check("screenshot of the search saved", os.path.getsize(path) > 10000, path)
    print("# screenshot: %s" % path)

    # ---- article view
    first = api["hits"][0]
    d.find_element(By.CSS_SELECTOR, "#results li.hit a.headline").click()
    wait_for(d, lambda d: js(d, "return !document.getElementById('article-view').hidden && "
                                "!!document.querySelector('#article-view h1')"), "the article view")
    art = srv.get("/api/articles/%d" % first["id"]).json()
    rep.equal("article: headline", d.find_element(By.CSS_SELECTOR, "#article-view h1").text, art["headline"])
    rep.equal("article: paragraphs", js(d, "return document.querySelectorAll('#article-view .body p').length"),
              len(art["paragraphs"]))
    rep.check("article: the query's words highlighted",
              js(d, "return document.querySelectorAll('#article-view mark').length") > 0, "")
    d.save_screenshot(os.path.join(shots, "serve_article.png"))
    d.back()
    wait_for(d, lambda d: settled(d, "q=an+ninh+mang") and hit_ids(d) == [h["id"] for h in api["hits"]],
             "the results after Back")
    rep.check("Back returns to the results", True)

    # ---- person view, from a name in the results
    link = d.find_element(By.CSS_SELECTOR, "#results .person-link")
    name = link.text
    link.click()
    wait_for(d, lambda d: js(d, "return !document.getElementById('person-view').hidden && "
                                "!!document.querySelector('#person-view h1')"), "the person view")
    rep.equal("person: name", d.find_element(By.CSS_SELECTOR, "#person-view h1").text, name)
    pid = srv.get("/api/people?" + khtest.q(q=name)).json()["people"]
    person = next((p for p in pid if p["name"] == name), None)
    if rep.check("person: known to the API", person is not None, pid):
        info = srv.get("/api/people/%d" % person["id"]).json()
        rep.equal("person: quotes listed", js(d, "return document.querySelectorAll('#person-view .quotes li')"
                                              ".length"), len(info["quotes"]))
        rep.equal("person: articles listed", js(d, "return document.querySelectorAll("
                                               "'#person-view .article-list li').length"),
                  len(info["article_list"]))
        dated = [b for b in info["timeline"]["buckets"] if b["count"]]
        rep.equal("person: articles over time (SVG bars, one per month)",
                  js(d, "return document.querySelectorAll('#person-view svg rect.bar').length"), len(dated))
        if not dated:
            rep.check("person: says that no article has a full date",
                      "ngày đầy đủ" in d.find_element(By.ID, "person-view").text, "")
    d.save_screenshot(os.path.join(shots, "serve_person.png"))

    # ---- filters: a date range and a person
    d.get(base + "#/?q=dang")
    wait_for(d, lambda d: settled(d, "q=dang") and hit_ids(d), "hits for 'dang'")
    frm = d.find_element(By.ID, "from")
    frm.send_keys("2018")
    wait_for(d, lambda d: settled(d, "from=2018"), "the from filter applied")
    api = srv.get("/api/search?" + khtest.q(q="dang", **{"from": "2018"})).json()
    wait_for(d, lambda d: hit_ids(d) == [h["id"] for h in api["hits"]], "the filtered hits")
    rep.check("from filter: the API's hits for from=2018", True)
    rep.equal("from filter: CSV link carries it", d.find_element(By.ID, "csv").get_attribute("href"),
              base.rstrip("/") + "/api/export.csv?q=dang&from=2018")
    frm.clear()
    frm.send_keys(Keys.BACKSPACE)
    person = d.find_element(By.ID, "person")
    person.send_keys("dang thi hoa")
    wait_for(d, lambda d: settled(d, "person=dang+thi+hoa"), "the person filter applied")
    api = srv.get("/api/search?" + khtest.q(q="dang", person="dang thi hoa")).json()
    wait_for(d, lambda d: hit_ids(d) == [h["id"] for h in api["hits"]] and api["hits"], "the person's hits")
    rep.check("person filter: the API's hits", True)
    # a click on a bar filters to its month
    d.find_element(By.ID, "clear").click()
    wait_for(d, lambda d: settled(d, "q=dang") and "person=" not in js(d, "return location.hash"),
             "filters cleared")
    bar = wait_for(d, lambda d: d.find_element(By.CSS_SELECTOR, "#timeline g.pickable"), "a bar")
    period = bar.get_attribute("data-period")
    js(d, "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", bar)
    wait_for(d, lambda d: d.find_element(By.ID, "from").get_attribute("value") == period
             and settled(d, "from=" + period), "the bar's month as the filter")
    rep.check("timeline: a click on a bar filters to its month", True)

    # ---- English toggle, and back
    d.find_element(By.ID, "lang-btn").click()
    wait_for(d, lambda d: js(d, "return document.documentElement.lang") == "en", "English")
    rep.check("English: placeholder", d.find_element(By.ID, "q").get_attribute("placeholder")
              .startswith("Search"), d.find_element(By.ID, "q").get_attribute("placeholder"))
    rep.equal("English: CSV button", d.find_element(By.ID, "csv").text, "Download CSV")
    wait_for(d, lambda d: "matching" in status_text(d), "the status in English")
    rep.check("English: results status", True)
    d.find_element(By.ID, "lang-btn").click()
    wait_for(d, lambda d: js(d, "return document.documentElement.lang") == "vi", "Vietnamese again")
    rep.equal("Vietnamese again: CSV button", d.find_element(By.ID, "csv").text, "Tải CSV")

    # ---- archive text with HTML and <script> is text
    d.get(base + "#/?q=alert")
    wait_for(d, lambda d: settled(d, "q=alert") and hit_ids(d), "hits for 'alert'")
    headline = d.find_element(By.CSS_SELECTOR, "#results li.hit a.headline").text
    rep.check("xss: the hit's headline shows <script> as text", "<script>alert(1)</script>" in headline,
              headline)
    d.find_element(By.CSS_SELECTOR, "#results li.hit a.headline").click()
    wait_for(d, lambda d: js(d, "return !document.getElementById('article-view').hidden && "
                                "!!document.querySelector('#article-view h1')"), "the article view")
    text = d.find_element(By.ID, "article-view").text
    for literal in ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "</p></div>",
                    "<b>dữ liệu</b>", "<script>alert(3)</script>"):
        rep.check("xss: %s visible as text" % literal, literal in text, text[:500])
    rep.equal("xss: no element made from archive text",
              js(d, "return document.querySelectorAll('#main script, #main img, #main b, #main iframe').length"),
              0)
    rep.equal("xss: the only script is app.js",
              js(d, "return Array.from(document.scripts).map(s => s.getAttribute('src'))"), ["/app.js"])
    time.sleep(0.5)
    try:
        alert = d.switch_to.alert
        rep.check("xss: no alert dialog", False, "an alert opened: %r" % alert.text)
        alert.dismiss()
    except NoAlertPresentException:
        rep.check("xss: no alert dialog", True)
    d.save_screenshot(os.path.join(shots, "serve_xss.png"))
    # the quoting person, whose quote holds a <script>
    d.find_element(By.CSS_SELECTOR, "#article-view .person-link").click()
    wait_for(d, lambda d: js(d, "return !document.getElementById('person-view').hidden && "
                                "document.querySelectorAll('#person-view .quotes li').length > 0"),
             "the quoting person's view")
    quotes = d.find_element(By.CSS_SELECTOR, "#person-view .quotes").text
    rep.check("xss: the quote with <script> is text", "<script>alert(3)</script>" in quotes, quotes)
    rep.equal("xss: no element made from the quote",
              js(d, "return document.querySelectorAll('#main script, #main img, #main b').length"), 0)

    # ---- the browser saw no CSP violation and no script error
    logs = d.get_log("browser")
    bad = [e for e in logs if re.search(r"Content Security Policy|Refused to|Uncaught", e.get("message", ""))]
    rep.check("no CSP violation or script error in the console", not bad, bad[:3])
    print("# screenshots in %s" % shots)


if __name__ == "__main__":
    sys.exit(main())
