# Tests of `khotin serve` (the web server, its JSON API and its page);
# include()d from tests/CMakeLists.txt. SOURCE_DIR is the repository root:
# the shared news corpus is expected in ${CMAKE_SOURCE_DIR}/../shared.
#
#   test_serve_util    request targets, %-decoding, snippet marks (C)
#   serve_api          every endpoint, headers, refusals, escaping, shutdown
#   serve_cli_parity   20 queries: the API's ids, order and totals = the CLI's
#   serve_load         1,000 searches from 8 clients (then 1) during an import
#   serve_browser      the page in headless Chromium (setup.sh installs it as
#                      root; skipped otherwise); screenshots in
#                      ${CMAKE_BINARY_DIR}/serve-screenshots
set(SERVE_TEST_DIR ${CMAKE_CURRENT_SOURCE_DIR}/serve)

add_executable(test_serve_util ${SERVE_TEST_DIR}/test_serve_util.c)
target_include_directories(test_serve_util PRIVATE ${CMAKE_SOURCE_DIR}/src
                           ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(test_serve_util PRIVATE khotin)
add_test(NAME test_serve_util COMMAND test_serve_util)

add_test(NAME serve_api
         COMMAND /usr/bin/python3 ${SERVE_TEST_DIR}/api_test.py
                 $<TARGET_FILE:khotin_cli> ${CMAKE_SOURCE_DIR})
add_test(NAME serve_cli_parity
         COMMAND /usr/bin/python3 ${SERVE_TEST_DIR}/parity_test.py
                 $<TARGET_FILE:khotin_cli> ${CMAKE_SOURCE_DIR})
add_test(NAME serve_load
         COMMAND /usr/bin/python3 ${SERVE_TEST_DIR}/load_test.py
                 $<TARGET_FILE:khotin_cli> ${CMAKE_SOURCE_DIR})
add_test(NAME serve_browser
         COMMAND /usr/bin/python3 ${SERVE_TEST_DIR}/browser_test.py
                 $<TARGET_FILE:khotin_cli> ${CMAKE_SOURCE_DIR}
                 ${CMAKE_BINARY_DIR}/serve-screenshots)
set_tests_properties(serve_api serve_cli_parity PROPERTIES LABELS "serve;e2e" TIMEOUT 180)
# latencies are measured: run alone
set_tests_properties(serve_load PROPERTIES LABELS "serve;e2e" TIMEOUT 300 RUN_SERIAL TRUE
                     SKIP_RETURN_CODE 77)
# may apt-get install chromium first
set_tests_properties(serve_browser PROPERTIES LABELS "serve;e2e" TIMEOUT 900
                     SKIP_RETURN_CODE 77)
