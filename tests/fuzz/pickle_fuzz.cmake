# fuzz_pickle: the pickle reader of torch.save files on arbitrary bytes; accepted documents are
# walked in full, and state_dicts are re-encoded by the writer and must parse back the same.
# Seeds: corpus/pickle/ (data.pkl of small real torch.save files, protocols 0..4, crafted ones).
add_executable(fuzz_pickle ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_pickle.cpp)
target_link_libraries(fuzz_pickle PRIVATE mx_fileformats)
target_link_options(fuzz_pickle PRIVATE -fsanitize=fuzzer)
