// One line under a lab's status: what the preset's lesson claims and whether
// the run on screen shows it ("Shown", "Not shown", "Not judged yet"), in the
// engine's own words and numbers (core/lab/lesson.h). Never hidden: a run
// that does not show its lesson says so.
#pragma once

#include <nlohmann/json.hpp>

namespace attnlab {

// verdict: the engine's {"status", "text", ...}; draws nothing for null.
void draw_lesson_verdict(const nlohmann::json& verdict);

}  // namespace attnlab
