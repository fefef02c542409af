# torch.save: the torch-free pickle reader and state_dict pickle writer (fuzzed alone), and the
# zip reader and writer over torch tensors.
target_sources(mx_fileformats PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/pickle.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/torchsaveunpickler.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/torchsaveopcodes.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/torchsaveglobals.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/torchsavepickle.cpp
)
if(NOT MX_FUZZ_ONLY)
  target_sources(mx_files PRIVATE
    ${CMAKE_CURRENT_SOURCE_DIR}/torchsave.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/torchsavewriter.cpp
  )
endif()
