# End-to-end tests of the khotin command line; include()d from
# tests/CMakeLists.txt. SOURCE_DIR is the repository root: the shared seed
# articles are expected in ${CMAKE_SOURCE_DIR}/../shared/seeds.
add_test(NAME e2e_cli
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/cli_test.sh
                 $<TARGET_FILE:khotin_cli> ${CMAKE_SOURCE_DIR})
add_test(NAME e2e_csv_roundtrip
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/e2e/csv_roundtrip.py
                 $<TARGET_FILE:khotin_cli> ${CMAKE_SOURCE_DIR})
set_tests_properties(e2e_cli e2e_csv_roundtrip PROPERTIES
                     LABELS e2e TIMEOUT 120)
add_test(NAME e2e_extension
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/extension_test.sh
                 $<TARGET_FILE:khotin_cli> $<TARGET_FILE:khotin_ext> ${CMAKE_SOURCE_DIR})
set_tests_properties(e2e_extension PROPERTIES LABELS e2e TIMEOUT 120)
add_test(NAME e2e_features
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/features_test.sh
                 $<TARGET_FILE:khotin_cli> ${CMAKE_SOURCE_DIR})
set_tests_properties(e2e_features PROPERTIES LABELS e2e TIMEOUT 120)
