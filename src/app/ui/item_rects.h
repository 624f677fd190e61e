// Where some widgets were drawn in the last frame, in CSS pixels of the page,
// so that browser tests (and scripts) can click the real thing with a mouse:
// attnlab.state().ui["training.play"] = [x0, y0, x1, y1].
#pragma once

#include <nlohmann/json.hpp>

#include "imgui.h"

namespace attnlab {

// Records the last ImGui item under `name` (call right after drawing it).
void record_item(const char* name);
// Records a rectangle (ImGui screen coordinates), clipped to the current window.
void record_rect(const char* name, ImVec2 min, ImVec2 max);
// Called at the start of every frame: forgets the previous frame's items.
void begin_item_frame();
nlohmann::json recorded_items();

}  // namespace attnlab
