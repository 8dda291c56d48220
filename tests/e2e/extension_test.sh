#!/usr/bin/env bash
# extension_test.sh KHOTIN EXTENSION SOURCE_DIR
# The README's "database outside khotin" example, run for real: the sqlite3
# shell with khotin's loadable extension answers full-text queries on an
# archive (dang finds Đặng), folds with vn_fold() and sorts with the vi
# collation; without the extension the same query fails.
set -u
KHOTIN=$1
EXT=${2%.so}
SRC=$3
pass=0
fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
not_ok() { echo "not ok - $1: $2"; fail=$((fail + 1)); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/khotin.db"
"$KHOTIN" --db "$db" import --quiet "$SRC/fixtures/articles" 2>/dev/null

out=$(sqlite3 "$db" 2>&1 <<SQL
.load $EXT
SELECT headline FROM articles_fts WHERE articles_fts MATCH 'dang van lam';
SQL
)
if grep -q "Hải Phòng thắng nghẹt thở" <<<"$out"; then ok "MATCH 'dang van lam' finds Đặng Văn Lâm"
else not_ok "MATCH with the extension" "$out"; fi

out=$(sqlite3 "$db" ".load $EXT" "SELECT a.people FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid WHERE articles_fts MATCH 'dang';" 2>&1)
if grep -q "Đặng Văn Lâm" <<<"$out" && grep -q "Đặng Thị Hoà" <<<"$out"; then ok "MATCH 'dang' finds the articles naming Đặng"
else not_ok "MATCH 'dang'" "$out"; fi

out=$(sqlite3 "$db" ".load $EXT" "SELECT vn_fold('Đặng Thị Hoà');" 2>&1)
[ "$out" = "dang thi hoa" ] && ok "vn_fold('Đặng Thị Hoà') = dang thi hoa" || not_ok "vn_fold" "$out"

out=$(sqlite3 "$db" ".load $EXT" "SELECT name FROM (SELECT 'Đặng' AS name UNION ALL SELECT 'Dương' UNION ALL SELECT 'Ân' UNION ALL SELECT 'Anh' UNION ALL SELECT 'Zung') ORDER BY name COLLATE vi;" 2>&1 | tr '\n' ' ')
[ "$out" = "Anh Ân Dương Đặng Zung " ] && ok "ORDER BY name COLLATE vi: $out" || not_ok "vi order" "$out"

out=$(sqlite3 "$db" ".load $EXT" "SELECT count(*) FROM people WHERE name = 'nguyen tan dung';" 2>&1)
[ "$out" = "1" ] && ok "people.name = 'nguyen tan dung' through vn_nocase" || not_ok "vn_nocase lookup" "$out"

out=$(sqlite3 "$db" "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'dang';" 2>&1)
grep -q "no such tokenizer: khotin" <<<"$out" && ok "without .load: no such tokenizer (documented)" \
    || not_ok "without the extension" "$out"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
