# safetensors: header parser against crafted bad files, truncations and bit flips; the mapped
# reader, sharded index and writer against tests/fixtures/files/make_safetensors_cases.py and
# make_file_fixtures.py.
mx_add_qtest(tst_safetensors SOURCES tst_safetensors.cpp LIBS mx_files Qt6::Core)
target_compile_definitions(tst_safetensors PRIVATE MX_FILE_FIXTURES_DIR="${MX_FILE_FIXTURES_DIR}")
