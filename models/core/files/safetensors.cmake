# safetensors: the torch-free header, index and JSON parsers (fuzzed alone), and the mapped
# reader and the writer over torch tensors.
target_sources(mx_fileformats PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/safetensorsjson.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/safetensorsheader.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/safetensorsindex.cpp
)
if(NOT MX_FUZZ_ONLY)
  target_sources(mx_files PRIVATE
    ${CMAKE_CURRENT_SOURCE_DIR}/safetensorsfile.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/safetensorswriter.cpp
  )
endif()
