# fuzz_safetensors: the safetensors header and index parsers on arbitrary bytes; accepted headers
# are re-encoded and must parse back the same. Seeds: corpus/safetensors/.
add_executable(fuzz_safetensors ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_safetensors.cpp)
target_link_libraries(fuzz_safetensors PRIVATE mx_fileformats)
target_link_options(fuzz_safetensors PRIVATE -fsanitize=fuzzer)
