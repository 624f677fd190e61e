// Many attention masks, for comparing the pattern analyses and the mask
// raster with brute force over every pair: every combination of causal, a
// window, extra globals, registers, sinks and designated global positions
// (one of them on a sink).
#pragma once

#include <string>
#include <vector>

#include "core/kernels/attention_mask.h"

namespace attnlab::testing {

struct NamedMask {
  std::string name;
  AttentionMask mask;
};

// Every mask is valid for N >= min_N (designated globals at position min_N - 2).
inline std::vector<NamedMask> many_masks(int min_N) {
  std::vector<NamedMask> out;
  for (bool causal : {true, false})
    for (int window : {-1, 0, 1, 2, 5})
      for (int globals : {0, 1, 2})
        for (int registers : {0, 2})
          for (int sinks : {0, 1, 3})
            for (int designated : {0, 1, 2}) {
              AttentionMask m;
              m.causal = causal;
              m.window = window;
              m.extra_globals = globals;
              m.registers = registers;
              m.sinks = sinks;
              if (designated == 2) m.global_positions.push_back(m.prefix());  // a sink too, when there are sinks
              if (designated >= 1) m.global_positions.push_back(min_N - 2);
              out.push_back({std::string(causal ? "causal" : "bidirectional") + " w" + std::to_string(window) +
                                 " E" + std::to_string(globals) + " R" + std::to_string(registers) + " S" +
                                 std::to_string(sinks) + (designated ? " designated" + std::to_string(designated) : ""),
                             m});
            }
  return out;
}

}  // namespace attnlab::testing
