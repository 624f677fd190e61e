# Compiler flags shared by every target.
#   native: the host's vector units (SSE/AVX/FMA through xsimd)
#   wasm:   SIMD128 (xsimd::wasm); the fused variants add relaxed SIMD's
#           multiply-add (attnlab_core_fused, src/CMakeLists.txt)
set(ATTNLAB_NATIVE_ARCH "native" CACHE STRING "-march= value for native builds (empty: compiler default)")

add_library(attnlab_flags INTERFACE)
target_compile_options(attnlab_flags INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wno-unused-parameter>)

if(EMSCRIPTEN)
  # -fno-slp-vectorize: clang 14's SLP vectorizer (emcc 3.1.6, -O2 and up with
  # -msimd128) miscompiled a store-then-reload of a double in our zoom code;
  # the kernels use explicit SIMD (xsimd) and do not need it.
  target_compile_options(attnlab_flags INTERFACE -msimd128 -fno-slp-vectorize)
  target_link_options(attnlab_flags INTERFACE -msimd128)
  # The wasm tests and tools run under node: link the .wasm into the .js
  # (3.1.6 glue cannot fetch a file: URL under node 20) and let memory grow.
  set(ATTNLAB_NODE_LINK_FLAGS -sSINGLE_FILE=1 -sALLOW_MEMORY_GROWTH=1 -sENVIRONMENT=node -sNODERAWFS=1 -sEXIT_RUNTIME=1)
else()
  if(ATTNLAB_NATIVE_ARCH)
    target_compile_options(attnlab_flags INTERFACE -march=${ATTNLAB_NATIVE_ARCH})
  endif()
  set(ATTNLAB_NODE_LINK_FLAGS "")
endif()

# attnlab_fused_wasm(<target>): after linking, renumber the fused multiply-add
# emcc 3.1.6 writes as the relaxed-SIMD prototype's opcode to the final one
# (tools/relaxed_madd.mjs), so browsers and node accept the module.
function(attnlab_fused_wasm target)
  target_link_libraries(${target} PRIVATE attnlab_core_fused)
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND node "${PROJECT_SOURCE_DIR}/tools/relaxed_madd.mjs" "$<TARGET_FILE:${target}>"
    VERBATIM)
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${PROJECT_SOURCE_DIR}/tools/relaxed_madd.mjs")
endfunction()
