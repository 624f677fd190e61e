// How long a piece of work has left, from its speed so far: what the page
// shows beside every progress bar and every run's step counter.
#pragma once

#include <string>

namespace attnlab {

// elapsed * (1 - f) / f for a job that is a fraction f done after elapsed
// seconds of work; NaN (unknown) until there is enough to go on: at least 2%
// done and one second measured. 0 once done.
double estimate_seconds_left(double fraction_done, double elapsed_seconds);

// (steps - step) / steps_per_second for a run measured at that speed; NaN
// while the speed is unknown (0). 0 once done.
double run_seconds_left(int step, int steps, double steps_per_second);

// "about 40 s left", "about 2 min 10 s left", "estimating the time left" (NaN).
std::string time_left_text(double seconds);

}  // namespace attnlab
