# Robustness tests of the khotin command line (SIGKILL during import, two
# importers, read-only, locked and foreign archives, newer schema);
# include()d from tests/CMakeLists.txt. SOURCE_DIR is the repository root:
# the corpus is expected in ${CMAKE_SOURCE_DIR}/../shared/corpus/vietnews/txt.
add_test(NAME robust COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/robust/robust_test.py $<TARGET_FILE:khotin_cli> ${CMAKE_SOURCE_DIR})
set_tests_properties(robust PROPERTIES LABELS robust TIMEOUT 600)
