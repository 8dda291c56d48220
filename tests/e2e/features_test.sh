#!/usr/bin/env bash
# features_test.sh KHOTIN SOURCE_DIR
# End to end through the khotin binary: people and quotes as things to query
# (with and without diacritics, one typo), check/repair of a corrupted
# full-text index, a folder mixing every input kind, and saved pages in
# windows-1258 and VISCII found by unaccented searches.
set -u
KHOTIN=$1
SRC=$2
SEEDS="$SRC/../shared/seeds"
pass=0
fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
not_ok() { echo "not ok - $1: $2"; fail=$((fail + 1)); }
check() { # name, command output, expected substring
    if grep -qF -- "$3" <<<"$2"; then ok "$1"; else not_ok "$1" "expected [$3] in: $(head -c 400 <<<"$2")"; fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset KHOTIN_DB
db="$tmp/k.db"
k() { "$KHOTIN" --db "$db" "$@"; }

if [ ! -d "$SEEDS" ]; then
    not_ok "shared seeds" "not found at $SEEDS (the shared folder beside the repository)"
fi
k import --quiet "$SRC/fixtures/articles" "$SEEDS" >/dev/null 2>&1

# --- people and quotes (issue 5) ---
out=$(k people bossert 2>&1); check "people bossert" "$out" "Thomas Bossert"
check "people bossert: role" "$out" "cố vấn chống khủng bố"
out=$(k people "đặng văn lâm" 2>&1); check "people with diacritics" "$out" "Đặng Văn Lâm"
out=$(k people "dang van lam" 2>&1); check "people without diacritics" "$out" "Đặng Văn Lâm"
out=$(k quotes "thomas bossert" 2>&1); check "quotes thomas bossert" "$out" "còn quá sớm để nói rằng Mỹ sẽ đàm phán"
check "quotes: article and source" "$out" "Tổ Quốc"
out=$(k quotes "Thomas Bossert" 2>&1); check "quotes with capitals" "$out" "còn quá sớm"
out=$(k quotes kratskikh 2>&1); check "quotes with a typo" "$out" "Các cuộc đàm phán đang được tiến hành"
a=$(k search 'person:"nguyen xuan phuc"' 2>/dev/null); b=$(k search 'person:"Nguyễn Xuân Phúc"' 2>/dev/null)
check "search person: without diacritics" "$a" "Phó Thủ tướng chủ trì hội nghị"
[ "$a" = "$b" ] && ok "person: with and without diacritics agree" || not_ok "person: diacritics" "outputs differ"
out=$(k people --csv bossert 2>&1); check "people --csv header" "$out" "id,name,roles,articles,quoted_in,first_date,last_date"
head -c 3 <<<"$out" | od -An -tx1 | grep -q "ef bb bf" && ok "people --csv has a BOM" || not_ok "people --csv BOM" "missing"
out=$(k quotes --csv bossert 2>&1); check "quotes --csv row" "$out" "Thomas Bossert"
out=$(k people "khong co ai ten nay" 2>&1); check "people: nobody" "$out" "no one matches"

# --- check and repair (issue 8) ---
out=$(k check 2>&1); rc=$?
[ $rc -eq 0 ] && check "check on a healthy archive" "$out" "ok" || not_ok "check healthy" "exit $rc: $out"
/usr/bin/python3 - "$db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
# corrupt the largest full-text index block: cut it in half
rid = c.execute("SELECT id FROM articles_fts_data ORDER BY length(block) DESC LIMIT 1").fetchone()[0]
c.execute("UPDATE articles_fts_data SET block = substr(block, 1, length(block) / 2) WHERE id = ?", (rid,))
c.commit()
PY
out=$(k check 2>&1); rc=$?
[ $rc -eq 1 ] && check "check reports a corrupted index" "$out" "full-text index" \
    || not_ok "check corrupted" "exit $rc: $out"
out=$(k check --repair 2>&1); rc=$?
[ $rc -eq 0 ] && ok "check --repair restores it" || not_ok "repair" "exit $rc: $out"
out=$(k check 2>&1); rc=$?
[ $rc -eq 0 ] && ok "check after repair" || not_ok "check after repair" "exit $rc: $out"
out=$(k search "dang van lam" 2>&1); check "search after repair" "$out" "Hải Phòng thắng nghẹt thở"
out=$(k stats 2>&1); check "stats" "$out" "articles:"

# --- a folder mixing .txt, .html, .mhtml and .jsonl (issue 6) ---
mix="$tmp/mix"; mkdir -p "$mix/sub"
cp "$SRC/fixtures/articles/05_ret_dam_mien_bac.txt" "$mix/"
cp "$SRC/fixtures/pages/03_thanhnien.html" "$mix/sub/"
cp "$SRC/fixtures/pages/02_tuoitre.mhtml" "$mix/"
cp "$SRC/fixtures/jsonl/articles.jsonl" "$mix/"        # 6 articles, 2 bad lines
: > "$mix/empty.txt"
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR' > "$mix/not-a-page.html"
mkdir -p "$mix/saved_files"; cp "$SRC/fixtures/pages/04_dantri.html" "$mix/saved_files/ad.html"
db2="$tmp/mix.db"
err=$("$KHOTIN" --db "$db2" import --quiet "$mix" 2>&1 >/dev/null); rc=$?
nfail=$(grep -c '^failed: ' <<<"$err")
[ $rc -eq 1 ] && ok "mixed folder: exit 1 (some failed)" || not_ok "mixed folder exit" "exit $rc"
[ "$nfail" -eq 4 ] && ok "mixed folder: one line per failure (4)" || not_ok "mixed failures" "$nfail lines: $err"
check "mixed folder: summary" "$err" "9 imported"
check "mixed folder: the empty file named" "$err" "empty.txt"
check "mixed folder: a bad JSONL line named" "$err" "articles.jsonl:4"
out=$("$KHOTIN" --db "$db2" search "ret dam" 2>&1); check "mixed: the text article" "$out" "Rét đậm"
out=$("$KHOTIN" --db "$db2" search 'source:"thanh nien"' 2>&1); check "mixed: the html page" "$out" "Thanh Niên"

# --- saved pages in older encodings (issue 6) ---
db3="$tmp/enc.db"
"$KHOTIN" --db "$db3" import --quiet "$SRC/fixtures/encodings/page-windows-1258.html" >/dev/null 2>&1
out=$("$KHOTIN" --db "$db3" search "lang gom bat trang" 2>&1)
check "windows-1258 page found unaccented" "$out" "Làng gốm Bát Tràng đón khách quốc tế trở lại"
db4="$tmp/enc2.db"
"$KHOTIN" --db "$db4" import --quiet "$SRC/fixtures/encodings/page-viscii.html" >/dev/null 2>&1
out=$("$KHOTIN" --db "$db4" search "trinh thu hang" 2>&1)
check "VISCII page found unaccented" "$out" "Làng gốm Bát Tràng"
for e in tcvn3 vni; do
    d="$tmp/$e.db"
    "$KHOTIN" --db "$d" import --quiet "$SRC/fixtures/encodings/$e.txt" >/dev/null 2>&1
    out=$("$KHOTIN" --db "$d" search "dang van lam" 2>&1)
    check "$e text found unaccented" "$out" "1 of 1 matching"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
