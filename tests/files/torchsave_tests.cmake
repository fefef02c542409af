# torch.save: the pickle reader and the zip reader against real files
# (tests/fixtures/files/make_torchsave_cases.py, make_file_fixtures.py), the state_dict writer read
# back, and hostile bytes (truncations, bit flips, crafted pickles) refused with one line.
mx_add_qtest(tst_torchsave SOURCES tst_torchsave.cpp LIBS mx_files Qt6::Core)
target_compile_definitions(tst_torchsave PRIVATE MX_FILE_FIXTURES_DIR="${MX_FILE_FIXTURES_DIR}")
