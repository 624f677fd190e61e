# attnlab_embed(<target> <dir> FILES a b ...)
# Compiles files (shaders, the font) into <target> as byte arrays, so the app
# is one .wasm with no extra downloads. Look them up with
# attnlab::embedded_file("name") (src/app/embedded.h). Re-run when a file changes.
function(attnlab_embed target)
  cmake_parse_arguments(E "" "" "FILES" ${ARGN})
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.cpp")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -D "OUT=${out}" -D "FILES=${E_FILES}"
            -P "${PROJECT_SOURCE_DIR}/cmake/EmbedFiles.cmake"
    DEPENDS ${E_FILES} "${PROJECT_SOURCE_DIR}/cmake/EmbedFiles.cmake"
    COMMENT "Embedding ${target} resources"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
