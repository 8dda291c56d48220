# embed_web.cmake - compile the page of `khotin serve` into the binary:
# src/web/index.html, app.css and app.js become byte arrays in web_assets.c
# (see src/serve.h), each with its content type and an ETag. Run by CMake at
# build time:
#   cmake -DWEB_DIR=... -DOUT=... -P embed_web.cmake
# file|path|content type (the types get "; charset=utf-8")
set(assets "index.html|/|text/html" "app.css|/app.css|text/css"
    "app.js|/app.js|text/javascript")
set(body "/* Generated from src/web/ by src/web/embed_web.cmake. */\n#include \"serve.h\"\n\n")
set(table "const kh_web_asset kh_web_assets[] = {\n")
set(count 0)
foreach(entry IN LISTS assets)
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 0 file)
  list(GET parts 1 path)
  list(GET parts 2 type)
  set(type "${type}; charset=utf-8")
  set(f "${WEB_DIR}/${file}")
  if(NOT EXISTS "${f}")
    message(FATAL_ERROR "missing web asset ${f}")
  endif()
  file(SIZE "${f}" size)
  file(SHA1 "${f}" sha)
  string(SUBSTRING "${sha}" 0 16 etag)
  file(READ "${f}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  set(body "${body}static const unsigned char asset_${count}[] = {${hex}0x00};\n")
  set(table "${table}    {\"${path}\", \"${type}\", asset_${count}, ${size}, \"\\\"${etag}\\\"\"},\n")
  math(EXPR count "${count} + 1")
endforeach()
set(table "${table}};\nconst size_t kh_web_asset_count = ${count};\n")
file(WRITE "${OUT}.tmp" "${body}\n${table}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUT}.tmp" "${OUT}")
