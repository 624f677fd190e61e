#include "core/kernels/simd.h"

#include <cstdio>

namespace attnlab::simd {

const char* arch_name() {
  static char name[64];
  std::snprintf(name, sizeof name, "%s x%d%s", arch::name(), kWidth,
                std::is_same_v<arch, xsimd::wasm> && kFusedMultiplyAdd ? " fused" : "");
  return name;
}

}  // namespace attnlab::simd
