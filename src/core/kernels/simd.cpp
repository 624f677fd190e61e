#include "core/kernels/simd.h"

#include <cstdio>

namespace attnlab::simd {

const char* arch_name() {
  static char name[64];
  std::snprintf(name, sizeof name, "%s x%d", arch::name(), kWidth);
  return name;
}

}  // namespace attnlab::simd
