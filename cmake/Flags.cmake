# Compiler flags shared by every target.
#   native: the host's vector units (SSE/AVX/FMA through xsimd)
#   wasm:   SIMD128 (xsimd::wasm); relaxed SIMD is not usable with emcc 3.1.6
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
