# The zip central directory reader and the content sniffer (torch-free).
target_sources(mx_fileformats PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/zipdirectory.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/filekind.cpp
)
