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

# attnlab_fused_variant(<target>) (wasm only): <target>_fused, the same program
# against attnlab_core_fused (src/CMakeLists.txt): the same sources, options and
# libraries with attnlab_core swapped for the fused core, written as
# <output name>-fused. Call it after <target> is set up. After linking,
# tools/relaxed_madd.mjs renumbers the fused multiply-add emcc 3.1.6 writes with
# the relaxed-SIMD prototype's opcode to the final one, which browsers and node accept.
function(attnlab_fused_variant target)
  set(fused ${target}_fused)
  get_target_property(sources ${target} SOURCES)
  add_executable(${fused} ${sources})
  foreach(prop IN ITEMS INCLUDE_DIRECTORIES COMPILE_OPTIONS LINK_OPTIONS LINK_DEPENDS RUNTIME_OUTPUT_DIRECTORY SUFFIX)
    get_target_property(value ${target} ${prop})
    if(value)
      set_property(TARGET ${fused} PROPERTY ${prop} "${value}")
    endif()
  endforeach()
  get_target_property(libraries ${target} LINK_LIBRARIES)
  list(TRANSFORM libraries REPLACE "^attnlab_core$" attnlab_core_fused)
  target_link_libraries(${fused} PRIVATE ${libraries})
  get_target_property(name ${target} OUTPUT_NAME)
  if(NOT name)
    set(name ${target})
  endif()
  set_target_properties(${fused} PROPERTIES OUTPUT_NAME ${name}-fused)
  add_custom_command(TARGET ${fused} POST_BUILD
    COMMAND node "${PROJECT_SOURCE_DIR}/tools/relaxed_madd.mjs" "$<TARGET_FILE:${fused}>"
    VERBATIM)
  set_property(TARGET ${fused} APPEND PROPERTY LINK_DEPENDS "${PROJECT_SOURCE_DIR}/tools/relaxed_madd.mjs")
endfunction()
